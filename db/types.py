"""Timezone-safe datetime column type: stored as naive UTC, returned tz-aware."""

from __future__ import annotations

from datetime import datetime, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Dialect
from sqlalchemy.types import DateTime, TypeDecorator

UTC = timezone.utc
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def to_utc(value: datetime) -> datetime:
    """Convert an aware datetime to UTC; a naive one is refused because its zone is unknown."""
    if not isinstance(value, datetime):
        raise ValueError(f"expected a datetime, got {type(value).__name__}: {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value.isoformat()} has no timezone; give a tz-aware datetime")
    return value.astimezone(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A datetime column that stores UTC without an offset and gives values back in ``zone``.

    SQLite's ``DateTime(timezone=True)`` silently drops offsets, so every backend stores naive UTC
    and the offset is restored on the way out.
    """

    impl = DateTime
    cache_ok = True

    def __init__(self, zone: tzinfo = UTC) -> None:
        super().__init__(timezone=False)
        self.zone = zone

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return to_utc(value).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC).astimezone(self.zone)
