"""Dates as Vietnamese council pages show them, read day-first into Asia/Ho_Chi_Minh time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from crawler.extraction.text import normalize_text

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

_ISO = re.compile(
    r"(?<!\d)(?P<year>\d{4})(?P<sep>[-/.])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})"
    r"(?:[T\s](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<offset>Z|[+-]\d{2}:?\d{2})?)?(?!\d)",
    re.IGNORECASE,
)
_NUMERIC = re.compile(
    r"(?<![\d/.-])(?P<day>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<month>\d{1,2})\s*(?P=sep)\s*"
    r"(?P<year>\d{4}|\d{2}(?![\d/.-]))(?!\d)"
)
_WORDS = re.compile(
    r"(?<!\d)(?P<day>\d{1,2})\s+tháng\s+(?P<month>\d{1,2})\s*(?:,|năm|/|-)?\s*(?P<year>\d{4})(?!\d)",
    re.IGNORECASE,
)
_DAY_MONTH = re.compile(
    r"(?<![\d/.-])(?P<day>\d{1,2})\s*/\s*(?P<month>\d{1,2})(?![\d/])"
    r"|(?<!\d)(?P<wday>\d{1,2})\s+tháng\s+(?P<wmonth>\d{1,2})(?!\d)",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"(?<![\d/.:-])(?P<hour>\d{1,2})\s*"
    r"(?::\s*(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"|h(?P<hminute>\d{2})?\b"
    r"|giờ(?:\s*(?P<gminute>\d{1,2})(?:\s*phút)?)?)"
    r"(?:\s*(?P<period>sáng|chiều|tối|trưa|đêm|sa|ch|am|pm)\b)?",
    re.IGNORECASE,
)
# What every date shape above starts with: a text without it holds no date in any of them (a fast path).
_ANY_SHAPE = re.compile(r"\d\s*[-/.]\s*\d|\d\s+tháng", re.IGNORECASE)
_MORNING = {"sa", "am", "sáng"}
_AFTERNOON = {"ch", "pm", "chiều", "tối", "đêm"}
_TIME_MAX_GAP = 25  # characters between a date and the time that goes with it ("… lúc 08:30 ngày …")
_RELATIVE = re.compile(r"trước|hôm qua|hôm nay|vừa xong|\bago\b|yesterday|today", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_NUMBER = re.compile(r"\d+")
_FALLBACK_MAX_CHARS = 80  # dateparser reads a short metadata line, never body text
_YEARS = range(1900, 2101)
_TWO_DIGIT_CENTURY = 2000  # "21/12/22": council sites are younger than the year 2000
_DATEPARSER_LANGUAGES = ["vi", "en"]  # English too: "December 21, 2022", "21 Th12 2022"


@dataclass(frozen=True)
class DateMatch:
    """A date found in a line, with the span of the text it was read from (date and time)."""

    value: datetime
    start: int
    end: int


def parse_vietnamese_date(text: str, *, reference_time: datetime | None = None) -> datetime | None:
    """The first valid date in a short metadata line, tz-aware in Asia/Ho_Chi_Minh; None when there is none."""
    match = find_date(normalize_text(text), reference_time=reference_time)
    return match.value if match else None


def find_date(
    text: str, *, reference_time: datetime | None = None, dateparser_fallback: bool = True
) -> DateMatch | None:
    """Like ``parse_vietnamese_date`` on already normalised text, also telling where the date is."""
    if not text:
        return None
    if not _ANY_SHAPE.search(text):  # no shape below can match: only the fallback may read it
        if not _worth_fallback(text, dateparser_fallback):
            return None
        return _dateparser_date(text, _reference(reference_time))
    shapes_seen = False
    for match in sorted(_full_date_matches(text), key=lambda m: m.start()):
        shapes_seen = True
        found = _read_full_date(text, match)
        if found:
            return found
    reference = _reference(reference_time)
    for match in _DAY_MONTH.finditer(text):
        shapes_seen = True
        found = _read_day_month(text, match, reference)
        if found:
            return found
    if shapes_seen or not _worth_fallback(text, dateparser_fallback):
        return None
    return _dateparser_date(text, reference)


def _full_date_matches(text: str) -> list[re.Match[str]]:
    iso = list(_ISO.finditer(text))
    taken = [(m.start(), m.end()) for m in iso]
    others = [
        m
        for pattern in (_NUMERIC, _WORDS)
        for m in pattern.finditer(text)
        if not any(start < m.end() and m.start() < end for start, end in taken)
    ]
    return iso + others


def _read_full_date(text: str, match: re.Match[str]) -> DateMatch | None:
    groups = match.groupdict()
    year = int(groups["year"])
    day = _date(year + _TWO_DIGIT_CENTURY if year < 100 else year, int(groups["month"]), int(groups["day"]))
    if day is None:
        return None
    if match.re is _ISO:
        return _read_iso(match, day)
    clock, start, end = _nearby_time(text, match.start(), match.end())
    return DateMatch(datetime.combine(day, clock, VIETNAM), start, end)


def _read_iso(match: re.Match[str], day: date) -> DateMatch | None:
    groups = match.groupdict()
    clock = _clock(groups["hour"], groups["minute"], groups["second"], None) if groups["hour"] else time()
    if clock is None:
        return None
    offset = groups["offset"]
    if not offset:
        value = datetime.combine(day, clock, VIETNAM)
    else:
        value = datetime.fromisoformat(f"{day.isoformat()}T{clock.isoformat()}{_iso_offset(offset)}")
        value = value.astimezone(VIETNAM)
    return DateMatch(value, match.start(), match.end())


def _iso_offset(offset: str) -> str:
    if offset.upper() == "Z":
        return "+00:00"
    return offset if ":" in offset else f"{offset[:3]}:{offset[3:]}"


def _read_day_month(text: str, match: re.Match[str], reference: datetime) -> DateMatch | None:
    day_text = match.group("day") or match.group("wday")
    month_text = match.group("month") or match.group("wmonth")
    day = _date(reference.year, int(month_text), int(day_text))
    if day is None:
        return None
    clock, start, end = _nearby_time(text, match.start(), match.end())
    value = datetime.combine(day, clock, VIETNAM)
    if value > reference:  # a date shown without its year is never in the future of the crawl
        day = _date(reference.year - 1, day.month, day.day)
        if day is None:
            return None
        value = datetime.combine(day, clock, VIETNAM)
    return DateMatch(value, start, end)


def _nearby_time(text: str, start: int, end: int) -> tuple[time, int, int]:
    """The time written next to the date span (before or after it), else midnight."""
    best: tuple[int, time, int, int] | None = None
    for match in _TIME.finditer(text):
        if match.start() < end and start < match.end():
            continue
        gap = match.start() - end if match.start() >= end else start - match.end()
        if gap > _TIME_MAX_GAP:
            continue
        groups = match.groupdict()
        minute = groups["minute"] or groups["hminute"] or groups["gminute"]
        clock = _clock(groups["hour"], minute, groups["second"], groups["period"])
        if clock is not None and (best is None or gap < best[0]):
            best = (gap, clock, min(start, match.start()), max(end, match.end()))
    if best is None:
        return time(), start, end
    return best[1], best[2], best[3]


def _clock(hour_text: str, minute_text: str | None, second_text: str | None, period: str | None) -> time | None:
    hour, minute, second = int(hour_text), int(minute_text or 0), int(second_text or 0)
    period = (period or "").lower()
    if period in _MORNING and hour == 12:
        hour = 0
    elif (period in _AFTERNOON and hour < 12) or (period == "trưa" and hour < 6):
        hour += 12
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def _date(year: int, month: int, day: int) -> date | None:
    if year not in _YEARS:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _reference(reference_time: datetime | None) -> datetime:
    """The crawl time in Vietnam; a naive value is taken as UTC."""
    if reference_time is None:
        return datetime.now(VIETNAM)
    if reference_time.tzinfo is None:
        reference_time = reference_time.replace(tzinfo=timezone.utc)
    return reference_time.astimezone(VIETNAM)


def _worth_fallback(text: str, dateparser_fallback: bool) -> bool:
    if not dateparser_fallback or len(text) > _FALLBACK_MAX_CHARS:
        return False
    return bool(_RELATIVE.search(text)) or (bool(_YEAR.search(text)) and len(_NUMBER.findall(text)) >= 2)


def _dateparser_date(text: str, reference: datetime) -> DateMatch | None:
    import dateparser  # imported on first use: it takes about a second to load

    settings = {
        "DATE_ORDER": "DMY",
        "PREFER_DATES_FROM": "past",
        "PREFER_DAY_OF_MONTH": "first",
        "RELATIVE_BASE": reference.replace(tzinfo=None),
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    value = dateparser.parse(text, languages=_DATEPARSER_LANGUAGES, settings=settings)
    if value is None or value.year not in _YEARS:
        return None
    value = value.astimezone(VIETNAM) if value.tzinfo else value.replace(tzinfo=VIETNAM)
    return DateMatch(value, 0, len(text))
