"""Retry-After values as servers send them."""

from datetime import datetime, timezone

from crawler.middlewares.retry_after import retry_after_seconds


def test_delta_seconds() -> None:
    assert retry_after_seconds("120") == 120.0


def test_http_date() -> None:
    now = datetime(2026, 11, 27, 10, 0, 0, tzinfo=timezone.utc)
    assert retry_after_seconds("Fri, 27 Nov 2026 10:01:30 GMT", now=now) == 90.0
    assert retry_after_seconds("Fri, 27 Nov 2026 09:00:00 GMT", now=now) == 0.0


def test_unreadable() -> None:
    assert retry_after_seconds("soon") is None
