"""Store articles, captures, WARC files and the crawl run in the database."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from archive.recovery import recover_archive
from archive.writer import ClosedWarc
from crawler import signals as hdnd_signals
from crawler.counts import crawl_counts
from crawler.items import ArticleItem
from db.engine import open_database
from db.store import ArchiveStore

logger = logging.getLogger(__name__)

# Why Scrapy closed the spider, and the status the run row records for it.
RUN_STATUS = {"finished": "finished", "closespider_pagecount": "finished", "closespider_itemcount": "finished",
              "shutdown": "interrupted", "cancelled": "interrupted"}
# Crawl settings worth keeping with the run, to know later how it was made.
RECORDED_SETTINGS = ("HDND_START_URLS", "HDND_JOB", "USER_AGENT", "DOWNLOAD_DELAY", "CONCURRENT_REQUESTS_PER_DOMAIN",
                     "AUTOTHROTTLE_ENABLED", "ROBOTSTXT_OBEY", "HDND_FETCH_ASSETS", "HDND_ARTICLE_URL_PATTERN",
                     "HDND_SOURCE_ID_PATTERN", "CLOSESPIDER_PAGECOUNT", "HDND_WARC_DIR")


class StorePipeline:
    """Writes each article with the capture it came from; captures arrive by signal from the WARC writer."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.engine = open_database(crawler.settings.get("HDND_DB_URL"))
        self.store = ArchiveStore(self.engine)
        self.run_id: int | None = None
        crawler.signals.connect(self.capture_written, signal=hdnd_signals.capture_written)
        crawler.signals.connect(self.warc_file_closed, signal=hdnd_signals.warc_file_closed)
        # Connected after the WARC middleware's own handler, so the last WARC file is closed
        # (and reported) before the run is finished.
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        settings = self.crawler.settings
        options: dict[str, Any] = {name: settings.get(name) for name in RECORDED_SETTINGS}
        options["HDND_START_URLS"] = list(getattr(self.crawler.spider, "start_urls", []))
        job = settings.get("HDND_JOB")
        # A crawl of this job that was killed left its WARC file open and its run 'running'.
        recover_archive(settings.get("HDND_WARC_DIR"), self.engine, job=job, rules=self.crawler.spider.rules)
        self.run_id = self.store.start_run(job, options)
        self.crawler.stats.set_value("hdnd/run_id", self.run_id)
        self.crawler.signals.send_catch_log(hdnd_signals.run_started, run_id=self.run_id, job=job)

    def process_item(self, item: ArticleItem) -> ArticleItem:
        article = dataclasses.asdict(item)
        outcome = self.store.save_article(self.run_id, article, item.capture["warc_record_id"])
        self.crawler.stats.inc_value(f"hdnd/articles/{outcome}")
        return item

    def capture_written(self, capture: dict[str, Any]) -> None:
        self.store.add_capture(self.run_id, capture)

    def warc_file_closed(self, closed: ClosedWarc) -> None:
        self.store.record_warc_file(self.run_id, dataclasses.asdict(closed))

    def spider_closed(self, spider: Spider, reason: str) -> None:
        status = RUN_STATUS.get(reason, "failed")
        self.store.finish_run(self.run_id, status, crawl_counts(self.crawler.stats.get_stats()))
        self.store.close()
