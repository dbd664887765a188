"""Run one crawl in this process and summarize it."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.counts import crawl_counts
from crawler.spiders.council import CouncilSpider


@dataclass
class CrawlResult:
    run_id: int | None
    counts: dict[str, Any]
    finish_reason: str
    start_error: str | None
    seconds: float

    @property
    def ok(self) -> bool:
        return self.start_error is None


def project_settings(overrides: dict[str, Any]) -> Settings:
    """The project's settings with command-line values on top."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.update(overrides, priority="cmdline")
    return settings


def run_crawl(settings: Settings) -> CrawlResult:
    """Crawl with these settings until done; the Twisted reactor allows one call per process."""
    started = time.monotonic()
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(CouncilSpider)
    process.crawl(crawler)
    process.start()
    stats = crawler.stats.get_stats()
    return CrawlResult(
        run_id=stats.get("hdnd/run_id"),
        counts=crawl_counts(stats),
        finish_reason=stats.get("finish_reason", "unknown"),
        start_error=stats.get("hdnd/start_error"),
        seconds=time.monotonic() - started,
    )


def format_summary(result: CrawlResult, warc_dir: str) -> str:
    counts = result.counts
    errors = ", ".join(f"{name}: {n}" for name, n in counts["errors"].items()) or "none"
    lines = [
        f"Crawl run {result.run_id} {result.finish_reason} in {result.seconds:.1f} s",
        f"  pages fetched    {counts['pages_fetched']}",
        f"  articles         {counts['articles_new']} new, {counts['articles_updated']} updated, "
        f"{counts['articles_unchanged']} unchanged, {counts['articles_failed']} failed "
        f"(of {counts['articles_discovered']} discovered)",
        f"  errors           {errors}",
        f"  robots-blocked   {counts['robots_blocked']}",
        f"  traps cut        {counts['trap_pruned']} links",
        f"  WARC files       {counts['warc_files']} ({counts['warc_bytes'] / 1e6:.1f} MB, "
        f"{counts['warc_records']} records) in {warc_dir}",
    ]
    return "\n".join(lines)
