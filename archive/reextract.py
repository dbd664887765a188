"""Extract articles again from archived pages, on every core, handing the results back in the pages' order.

Extraction is the costly part of rebuilding or auditing a database (several milliseconds a page),
and it needs nothing but the page: worker processes do it while this process reads the WARC
files and writes the database. The crawl's own ``article_from_page`` does the work.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import re
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from archive.reader import StoredRecord, http_payload
from crawler import settings as defaults
from crawler.articles import article_from_page
from crawler.extraction import SiteHints
from crawler.items import ArticleItem
from crawler.urls import ArticleUrlRules

Tag = TypeVar("Tag")

# Pages in flight per worker: enough to keep every worker busy, few enough to bound memory.
_IN_FLIGHT_PER_WORKER = 16
# Fewer pages than this are extracted here: starting worker processes would cost more than it saves.
_POOL_THRESHOLD = 64


def article_rules(article_pattern: str | None, source_id_pattern: str | None) -> ArticleUrlRules:
    """The rules a crawl recognised articles by; the crawl's defaults stand in for a pattern not given.
    Raises ValueError on a bad pattern."""
    try:
        return ArticleUrlRules(
            article_pattern=article_pattern or defaults.HDND_ARTICLE_URL_PATTERN,
            source_id_pattern=source_id_pattern or defaults.HDND_SOURCE_ID_PATTERN,
        )
    except re.error as error:
        raise ValueError(f"bad regular expression {error.pattern!r}: {error}") from None


@dataclass(frozen=True)
class ArchivedPage:
    """A page as the crawl handed it to extraction: body already content-decoded."""

    body: bytes
    url: str
    content_type: str | None
    fetched_at: datetime
    rules: ArticleUrlRules
    hints: SiteHints | None = None


def page_of(
    stored: StoredRecord,
    rules: ArticleUrlRules,
    hints: SiteHints | None = None,
    *,
    payload_from: StoredRecord | None = None,
) -> ArchivedPage:
    """The page a response record holds. A revisit holds no payload: give the record it refers to as
    ``payload_from`` (the crawl extracted the very same bytes). Raises ValueError on an undecodable body."""
    record = stored.record
    return ArchivedPage(
        body=http_payload((payload_from or stored).record),
        url=record.rec_headers.get_header("WARC-Target-URI"),
        content_type=record.http_headers.get_header("Content-Type") if record.http_headers else None,
        fetched_at=stored.location.date,
        rules=rules,
        hints=hints,
    )


@dataclass(frozen=True)
class ExtractionFailed:
    """Why extraction raised on a page (the exception itself may not survive the trip between processes)."""

    message: str
    details: str


def extract(page: ArchivedPage) -> ArticleItem | ExtractionFailed:
    """The article item of one page, or why there is none; never raises."""
    try:
        return article_from_page(
            page.body, page.url, content_type=page.content_type, capture={}, fetched_at=page.fetched_at,
            rules=page.rules, hints=page.hints,
        )
    except Exception as error:  # the extractor fails in many ways on a page it cannot read
        return ExtractionFailed(f"{type(error).__name__}: {error}", traceback.format_exc())


def extract_in_order(
    pages: Iterable[tuple[Tag, ArchivedPage]], *, workers: int | None = None
) -> Iterator[tuple[Tag, ArticleItem | ExtractionFailed]]:
    """(tag, result) for each (tag, page), in the order the pages come; ``workers`` defaults to the cores.

    ``pages`` is consumed ahead of the results (a bounded number of pages), so side effects of
    producing page N happen before result N is handed back.
    """
    if workers is None:
        workers = os.cpu_count() or 1
    remaining = iter(pages)
    first = list(itertools.islice(remaining, _POOL_THRESHOLD))
    if workers <= 1 or len(first) < _POOL_THRESHOLD:
        for tag, page in itertools.chain(first, remaining):
            yield tag, extract(page)
        return
    # 'spawn': this process may run threads (a test's server, a database driver), which fork does not survive.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        in_flight: deque[tuple[Tag, Future[ArticleItem | ExtractionFailed]]] = deque()
        for tag, page in itertools.chain(first, remaining):
            in_flight.append((tag, pool.submit(extract, page)))
            if len(in_flight) >= workers * _IN_FLIGHT_PER_WORKER:
                done_tag, future = in_flight.popleft()
                yield done_tag, future.result()
        while in_flight:
            done_tag, future = in_flight.popleft()
            yield done_tag, future.result()
