"""When a schedule is due: every N minutes, hours, days or weeks (optionally from a time of day), or by cron.

Times of day and cron fields are wall-clock times in ``zone``; ``None`` means the machine's local time,
as for cron (set ``TZ``, e.g. ``TZ=Asia/Ho_Chi_Minh``, to choose it). Intervals in days or weeks keep
the time of day across daylight-saving changes; intervals in minutes or hours are exact durations.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone, tzinfo

from hdnd.cron import CronExpression

UTC = timezone.utc
_UNITS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}
_INTERVAL = re.compile(r"(\d+)\s*([mhdw])")
_TIME_OF_DAY = re.compile(r"(\d{1,2}):(\d{2})")


@dataclass(frozen=True)
class Recurrence:
    every: timedelta | None = None
    at: time | None = None
    cron: CronExpression | None = None
    zone: tzinfo | None = None

    @classmethod
    def parse(cls, every: str | None = None, at: str | None = None, cron: str | None = None,
              zone: tzinfo | None = None) -> Recurrence:
        """From ``--every`` ('30m', '6h', '1d', '2w'), ``--at`` ('02:00') or ``--cron``; ValueError if unusable."""
        if cron is not None:
            if every is not None or at is not None:
                raise ValueError("give either --cron or --every/--at, not both")
            return cls(cron=CronExpression.parse(cron), zone=zone)
        if every is None and at is None:
            raise ValueError("say when to crawl: --every (e.g. 1d), --at (e.g. 02:00) or --cron")
        interval = parse_interval(every) if every is not None else _UNITS["d"]
        return cls(every=interval, at=parse_time_of_day(at) if at is not None else None, zone=zone)

    def as_columns(self) -> dict[str, str | None]:
        """The schedule table's ``every``, ``at`` and ``cron`` values, normalized."""
        if self.cron is not None:
            return {"every": None, "at": None, "cron": self.cron.text}
        return {"every": format_interval(self.every), "at": f"{self.at:%H:%M}" if self.at is not None else None,
                "cron": None}

    def describe(self) -> str:
        if self.cron is not None:
            return f"cron '{self.cron.text}'"
        text = f"every {format_interval(self.every)}"
        return text + (f" at {self.at:%H:%M}" if self.at is not None else "")

    def first_due(self, now: datetime) -> datetime:
        """When a schedule made at ``now`` first runs: at once unless a time of day or cron says later (UTC)."""
        now = now.astimezone(UTC)
        if self.cron is not None:
            return self.next_due(now, now)
        if self.at is None:
            return now
        wall_now = self._wall(now)
        anchor = datetime.combine(wall_now.date(), self.at)
        if self._in_days():
            return self._aware(anchor if anchor >= wall_now else anchor + timedelta(days=1))
        # Sub-day intervals from a time of day: the first step of the grid through ``anchor`` not in the past.
        start = self._aware(anchor)
        steps = math.ceil((now - start) / self.every)
        return start + steps * self.every

    def next_due(self, due: datetime, now: datetime) -> datetime:
        """The first time after ``now`` on the cadence of ``due`` (UTC); missed runs are not made up."""
        due, now = due.astimezone(UTC), now.astimezone(UTC)
        if self.cron is not None:
            return self._aware(self.cron.next_after(self._wall(now)))
        if not self._in_days():
            steps = max(1, math.floor((now - due) / self.every) + 1)
            return due + steps * self.every
        days = self.every.days
        wall_due = self._wall(due)
        steps = max(1, math.floor((self._wall(now) - wall_due) / self.every) + 1)
        candidate = wall_due + timedelta(days=steps * days)
        while self._aware(candidate) <= now:  # the day count is exact only outside DST changes
            candidate += timedelta(days=days)
        return self._aware(candidate)

    def _in_days(self) -> bool:
        return self.every is not None and self.every % _UNITS["d"] == timedelta(0)

    def _wall(self, moment: datetime) -> datetime:
        local = moment.astimezone(self.zone) if self.zone is not None else moment.astimezone()
        return local.replace(tzinfo=None)

    def _aware(self, wall: datetime) -> datetime:
        """The UTC moment of a wall-clock time (arithmetic on zoned datetimes would ignore DST changes)."""
        aware = wall.replace(tzinfo=self.zone) if self.zone is not None else wall.astimezone()
        return aware.astimezone(UTC)


def parse_interval(text: str) -> timedelta:
    match = _INTERVAL.fullmatch(text.strip().lower()) if isinstance(text, str) else None
    if match is None or int(match.group(1)) == 0:
        raise ValueError(f"interval {text!r}: expected a number and a unit m, h, d or w, e.g. 30m, 6h, 1d, 1w")
    return int(match.group(1)) * _UNITS[match.group(2)]


def parse_time_of_day(text: str) -> time:
    match = _TIME_OF_DAY.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise ValueError(f"time of day {text!r}: expected HH:MM on a 24-hour clock, e.g. 02:00 or 14:30")
    return time(int(match.group(1)), int(match.group(2)))


def format_interval(interval: timedelta) -> str:
    """The shortest unit that states ``interval`` exactly: 90m, 6h, 1d, 2w."""
    for unit in ("w", "d", "h", "m"):
        count, remainder = divmod(interval, _UNITS[unit])
        if not remainder:
            return f"{count}{unit}"
    raise ValueError(f"{interval} is not a whole number of minutes")
