"""Time hdnd's stages on article pages a crawl archived: WARC writing, extraction, database writes.

Timed here, offline, so that production code carries no timers: each stage calls what the crawl
calls, on the same pages, one stage at a time, and gives milliseconds per article page.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from archive.records import HttpExchange, RecordLocation
from archive.writer import WarcWriter
from bench.warcs import ArchivedPage, article_pages, warc_paths
from crawler import settings as crawl_settings
from crawler.articles import article_from_page
from crawler.items import ArticleItem
from crawler.urls import ArticleUrlRules
from db.engine import open_database
from db.store import ArchiveStore


@dataclass(frozen=True)
class StageTimes:
    pages: int
    warc_write_ms: float
    extraction_ms: float
    database_ms: float


def time_stages(warc_dir: Path, work_dir: Path, sample: int) -> StageTimes:
    """Milliseconds per page of each stage, over up to ``sample`` article pages archived in ``warc_dir``."""
    pages = list(article_pages(warc_paths(warc_dir), sample))
    if not pages:
        raise ValueError(f"no archived article page in {warc_dir} to time the stages on")
    captures, warc_seconds = _write_warc(pages, work_dir / "warc")
    items, extraction_seconds = _extract(pages, captures)
    database_seconds = _store(items, captures, f"sqlite:///{work_dir / 'stages.sqlite'}")
    per_page = 1000 / len(pages)
    return StageTimes(
        pages=len(pages),
        warc_write_ms=warc_seconds * per_page,
        extraction_ms=extraction_seconds * per_page,
        database_ms=database_seconds * per_page,
    )


def _write_warc(pages: list[ArchivedPage], directory: Path) -> tuple[list[dict[str, Any]], float]:
    """Write each page again as the crawl's WARC middleware does; closing (and indexing) the file counts too."""
    exchanges = [_exchange(page) for page in pages]
    captures = []
    started = time.perf_counter()
    with WarcWriter(directory, prefix=crawl_settings.HDND_WARC_PREFIX, max_size=crawl_settings.HDND_WARC_MAX_SIZE,
                    gzip_level=crawl_settings.HDND_WARC_GZIP_LEVEL) as writer:
        for page, exchange in zip(pages, exchanges):
            request, response = writer.write_exchange(exchange)
            captures.append(_capture(exchange, page.header("Content-Type"), request, response))
    return captures, time.perf_counter() - started


def _extract(pages: list[ArchivedPage], captures: list[dict[str, Any]]) -> tuple[list[ArticleItem], float]:
    rules = ArticleUrlRules(crawl_settings.HDND_ARTICLE_URL_PATTERN, crawl_settings.HDND_SOURCE_ID_PATTERN)
    items = []
    started = time.perf_counter()
    for page, capture in zip(pages, captures):
        items.append(article_from_page(page.body, page.url, content_type=page.header("Content-Type"),
                                       capture=capture, fetched_at=page.fetched_at, rules=rules))
    return items, time.perf_counter() - started


def _store(items: list[ArticleItem], captures: list[dict[str, Any]], db_url: str) -> float:
    """Store captures and articles as the crawl's store pipeline does; the final commit counts too."""
    engine = open_database(db_url)
    try:
        store = ArchiveStore(engine)
        run_id = store.start_run("bench-stages")
        started = time.perf_counter()
        for item, capture in zip(items, captures):
            store.add_capture(run_id, capture)
            store.save_article(run_id, dataclasses.asdict(item), capture["warc_record_id"])
        store.close()
        return time.perf_counter() - started
    finally:
        engine.dispose()


def _exchange(page: ArchivedPage) -> HttpExchange:
    parts = urlsplit(page.url)
    return HttpExchange(
        url=page.url,
        method="GET",
        request_headers=[("Host", parts.netloc), ("User-Agent", crawl_settings.USER_AGENT),
                         ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
                         ("Accept-Encoding", "gzip, deflate")],
        request_body=b"",
        status=page.status,
        reason=page.reason,
        protocol=page.protocol,
        response_headers=page.headers,
        body=page.raw_body,
        ip_address=page.ip_address,
        fetched_at=datetime.now(timezone.utc),
    )


def _capture(
    exchange: HttpExchange, content_type: str | None, request: RecordLocation, response: RecordLocation
) -> dict[str, Any]:
    """The capture the crawl's WARC middleware hands to the database for this exchange."""
    return {
        "url": exchange.url,
        "method": exchange.method,
        "status": exchange.status,
        "fetched_at": exchange.fetched_at,
        "content_type": content_type,
        "payload_digest": response.payload_digest,
        "warc_type": response.warc_type,
        "warc_file": response.warc_file,
        "warc_offset": response.offset,
        "warc_length": response.length,
        "warc_record_id": response.record_id,
        "request_record_id": request.record_id,
        "ip_address": exchange.ip_address,
        "content_length": len(exchange.body),
    }
