"""Five-field cron expressions (minute hour day month weekday) and the wall-clock times they match.

The syntax is Vixie cron's: ``*``, numbers, ranges ``a-b``, steps ``*/n`` and ``a-b/n`` (``a/n`` runs
from ``a`` to the field's end), comma lists, month and weekday names (``jan``, ``mon``), weekday 7 as
Sunday, and the macros ``@hourly``, ``@daily``, ``@weekly``, ``@monthly``, ``@yearly``. As in cron, when
both the day-of-month and the weekday are restricted a day matching either one matches.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

MACROS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
# A valid expression matches within this many years of any moment (29 February in 8 at the worst).
_SEARCH_YEARS = 9


@dataclass(frozen=True)
class _Field:
    name: str
    low: int
    high: int
    names: tuple[str, ...] = ()
    first_name_value: int = 0


_FIELDS = (
    _Field("minute", 0, 59),
    _Field("hour", 0, 23),
    _Field("day of month", 1, 31),
    _Field("month", 1, 12, _MONTHS, 1),
    _Field("weekday", 0, 7, _WEEKDAYS, 0),
)


class CronError(ValueError):
    """A cron expression that cannot be parsed or never matches; the message names the fault."""


@dataclass(frozen=True)
class CronExpression:
    text: str
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 is Sunday
    days_restricted: bool
    weekdays_restricted: bool

    @classmethod
    def parse(cls, text: str) -> CronExpression:
        """Parse ``text``; raises ``CronError`` saying which field is wrong and why."""
        if not isinstance(text, str) or not text.strip():
            raise CronError("empty cron expression: expected five fields, e.g. '0 2 * * *' (02:00 every day)")
        expanded = MACROS.get(text.strip().lower(), text.strip())
        if expanded.startswith("@"):
            raise CronError(f"unknown cron macro {text.strip()!r}; known: {', '.join(MACROS)}")
        fields = expanded.split()
        if len(fields) != 5:
            raise CronError(
                f"cron expression {text!r} has {len(fields)} fields; expected 5: minute hour day month weekday"
            )
        values = [_parse_field(field, spec, text) for field, spec in zip(fields, _FIELDS)]
        expression = cls(
            text=" ".join(text.split()),
            minutes=values[0],
            hours=values[1],
            days=values[2],
            months=values[3],
            weekdays=frozenset(day % 7 for day in values[4]),
            days_restricted=not fields[2].startswith("*"),
            weekdays_restricted=not fields[4].startswith("*"),
        )
        expression.next_after(datetime(2000, 1, 1))  # refuses '0 0 31 2 *' now rather than when scheduling
        return expression

    def matches(self, wall: datetime) -> bool:
        """Whether the minute of ``wall`` (a wall-clock time) is one the expression names."""
        return (
            wall.minute in self.minutes
            and wall.hour in self.hours
            and wall.month in self.months
            and self._day_matches(wall)
        )

    def next_after(self, wall: datetime) -> datetime:
        """The first matching minute strictly after ``wall``; naive in, naive out (wall-clock time)."""
        moment = wall.replace(tzinfo=None, second=0, microsecond=0) + timedelta(minutes=1)
        limit = moment.year + _SEARCH_YEARS
        while moment.year <= limit:
            if moment.month not in self.months:
                moment = _first_of_next_month(moment)
            elif not self._day_matches(moment):
                moment = moment.replace(hour=0, minute=0) + timedelta(days=1)
            elif moment.hour not in self.hours:
                moment = moment.replace(minute=0) + timedelta(hours=1)
            elif moment.minute not in self.minutes:
                moment += timedelta(minutes=1)
            else:
                return moment
        raise CronError(f"cron expression {self.text!r} never matches a real date")

    def _day_matches(self, wall: datetime) -> bool:
        in_month = wall.day in self.days
        in_week = (wall.isoweekday() % 7) in self.weekdays
        if self.days_restricted and self.weekdays_restricted:
            return in_month or in_week
        return in_month and in_week


def _parse_field(field: str, spec: _Field, text: str) -> frozenset[int]:
    values: set[int] = set()
    for item in field.split(","):
        values.update(_parse_item(item, spec, text))
    return frozenset(values)


def _parse_item(item: str, spec: _Field, text: str) -> range:
    where = f"in the {spec.name} field of {text!r}"
    span, slash, step_text = item.partition("/")
    step = 1
    if slash:
        if not step_text.isdigit() or int(step_text) == 0:
            raise CronError(f"step {step_text!r} {where} must be a whole number of at least 1")
        step = int(step_text)
    if span == "*":
        low, high = spec.low, spec.high
    elif "-" in span:
        first, _, last = span.partition("-")
        low, high = _value(first, spec, where), _value(last, spec, where)
        if low > high:
            raise CronError(f"range {span!r} {where} runs backwards")
    else:
        low = _value(span, spec, where)
        high = spec.high if slash else low
    return range(low, high + 1, step)


def _value(token: str, spec: _Field, where: str) -> int:
    lowered = token.lower()
    if lowered in spec.names:
        return spec.names.index(lowered) + spec.first_name_value
    if not token.isdigit():
        names = f" or a name ({', '.join(spec.names)})" if spec.names else ""
        raise CronError(f"{token!r} {where} is not a number{names}")
    value = int(token)
    if not spec.low <= value <= spec.high:
        raise CronError(f"{value} {where} is out of range {spec.low}-{spec.high}")
    return value


def _first_of_next_month(moment: datetime) -> datetime:
    if moment.month == 12:
        return datetime(moment.year + 1, 1, 1)
    return datetime(moment.year, moment.month + 1, 1)
