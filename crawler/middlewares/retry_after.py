"""Honour ``Retry-After`` on 429 and 503 by slowing the host's download slot before the retry."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

logger = logging.getLogger(__name__)

THROTTLED_STATUSES = (429, 503)


def retry_after_seconds(value: str, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or an HTTP date), None if unreadable."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class RetryAfterMiddleware:
    """Raises the slot delay to the server's ``Retry-After``; RetryMiddleware then retries the request.

    AutoThrottle, when on, lowers the delay again as responses come back healthy.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.max_wait = crawler.settings.getfloat("HDND_RETRY_AFTER_MAX")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status not in THROTTLED_STATUSES:
            return response
        header = response.headers.get(b"Retry-After")
        seconds = retry_after_seconds(header.decode("latin-1")) if header else None
        if seconds is None:
            return response
        seconds = min(seconds, self.max_wait)
        slot_key = request.meta.get("download_slot")
        slot = self.crawler.engine.downloader.slots.get(slot_key) if slot_key else None
        if slot is not None and slot.delay < seconds:
            logger.info("%s asked to wait %.0f s (Retry-After); slowing down", response.url, seconds)
            slot.delay = seconds
        self.crawler.stats.inc_value("hdnd/retry_after")
        return response
