"""Downloader middlewares of hdnd-archive."""
