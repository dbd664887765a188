"""Spiders of the hdnd-archive Scrapy project."""
