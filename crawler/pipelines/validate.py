"""Drop article items that carry nothing worth storing (an empty or error page)."""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.items import ArticleItem

logger = logging.getLogger(__name__)


class ValidatePipeline:
    """An article needs a title or a body, and the capture it came from."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler)

    def process_item(self, item: ArticleItem) -> ArticleItem:
        if not item.capture.get("warc_record_id"):
            raise DropItem(f"{item.fetched_url}: no WARC capture to point at")
        if not (item.title or item.body):
            self.crawler.stats.inc_value("hdnd/articles/failed")
            raise DropItem(f"{item.fetched_url}: no title and no body found")
        if not item.title:
            logger.warning("%s: no title found", item.fetched_url)
        return item
