"""The figures a crawl run reports, read from Scrapy's stats."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

ERROR_PREFIX = "hdnd/errors/"


def crawl_counts(stats: Mapping[str, Any]) -> dict[str, Any]:
    """Pages, articles, errors, robots-blocked URLs and WARC output of one crawl."""
    return {
        "pages_fetched": stats.get("downloader/response_count", 0),
        "articles_discovered": stats.get("hdnd/articles_discovered", 0),
        "articles_new": stats.get("hdnd/articles/new", 0),
        "articles_updated": stats.get("hdnd/articles/updated", 0),
        "articles_unchanged": stats.get("hdnd/articles/unchanged", 0),
        "articles_failed": stats.get("hdnd/articles/failed", 0),
        "errors": {
            key[len(ERROR_PREFIX):]: value for key, value in sorted(stats.items()) if key.startswith(ERROR_PREFIX)
        },
        "articles_skipped_known": stats.get("hdnd/articles/skipped_known", 0),
        "not_modified": stats.get("hdnd/not_modified", 0),
        "revisits": stats.get("hdnd/revisits", 0),
        "listing_pages": stats.get("hdnd/listing_pages", 0),
        "listing_depth": stats.get("hdnd/listing_depth", 0),
        "robots_blocked": stats.get("robotstxt/forbidden", 0),
        "trap_pruned": stats.get("hdnd/trap_pruned", 0),
        "offsite_links": stats.get("hdnd/offsite_links", 0),
        "warc_records": stats.get("hdnd/warc_records", 0),
        "warc_files": stats.get("hdnd/warc_files", 0),
        "warc_bytes": stats.get("hdnd/warc_bytes", 0),
    }
