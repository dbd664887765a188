"""The response value the site produces and the server writes, and HTTP date handling."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus


@dataclass(frozen=True)
class Response:
    """One HTTP response; `delay` and `fails_first` are instructions for the server, not sent on the wire."""

    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    delay: float = 0.0
    fails_first: bool = False

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)


def reason(status: int) -> str:
    return HTTPStatus(status).phrase


def http_date(moment: datetime) -> str:
    """IMF-fixdate, as in `Last-Modified` and `Date`."""
    return format_datetime(moment.astimezone(timezone.utc), usegmt=True)


def parse_http_date(value: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
