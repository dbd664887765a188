"""Scrapy project of hdnd-archive: spiders, items, middlewares, pipelines and extraction."""

__version__ = "0.1.0"
