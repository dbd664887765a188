"""Show a crawl's progress: a live status line on a terminal, periodic log lines elsewhere."""

from __future__ import annotations

import logging
import sys
import time
from typing import TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from crawler.counts import crawl_counts

logger = logging.getLogger(__name__)


class CrawlProgress:
    """Every HDND_PROGRESS_INTERVAL seconds: pages, articles, queue, errors and rate."""

    def __init__(self, crawler: Crawler, stream: TextIO, interval: float, live: bool) -> None:
        self.crawler = crawler
        self.stream = stream
        self.interval = interval
        self.live = live
        self.started = time.monotonic()
        self.task = task.LoopingCall(self.show)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        settings = crawler.settings
        if not settings.getbool("HDND_PROGRESS"):
            raise NotConfigured
        live = sys.stderr.isatty()
        interval = settings.getfloat("HDND_PROGRESS_INTERVAL") if not live else 1.0
        return cls(crawler, sys.stderr, interval, live)

    def spider_opened(self, spider: object) -> None:
        self.started = time.monotonic()
        self.task.start(self.interval, now=False)

    def spider_closed(self, spider: object, reason: str) -> None:
        if self.task.running:
            self.task.stop()
        if self.live:
            self.stream.write("\n")

    def line(self) -> str:
        counts = crawl_counts(self.crawler.stats.get_stats())
        elapsed = max(time.monotonic() - self.started, 1e-6)
        scheduler = self.crawler.engine.scheduler
        queue = len(scheduler) if scheduler is not None else 0
        errors = sum(counts["errors"].values())
        return (
            f"{counts['pages_fetched']} pages ({counts['pages_fetched'] / elapsed:.1f}/s) | articles "
            f"{counts['articles_new']} new, {counts['articles_updated']} changed, "
            f"{counts['articles_unchanged']} unchanged | queue {queue} | errors {errors}"
        )

    def show(self) -> None:
        if self.live:
            self.stream.write("\r\x1b[K" + self.line())
            self.stream.flush()
        else:
            logger.info("Progress: %s", self.line())
