"""Filters shared by search and export: publication dates, category and site."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Connection, select

from crawler.extraction.text import fold_vietnamese
from db.models import Article
from db.types import VIETNAM, to_utc

_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


class FilterError(ValueError):
    """A filter value cannot be used; the message says why and what is expected."""


def date_bound(value: str | date | datetime, *, end: bool = False) -> datetime:
    """The first (or, with ``end``, the last) instant of a year, month, day or datetime, in Vietnam time.

    Strings may be ``2022``, ``2022-05``, ``2022-05-21`` or an ISO datetime with an offset; a date
    or partial date means the whole period, so ``until=2022`` includes 31 December 2022.
    """
    if isinstance(value, datetime):
        return to_utc(value).astimezone(VIETNAM)
    if isinstance(value, date):
        return _period_bound(value.year, value.month, value.day, end)
    if not isinstance(value, str):
        raise FilterError(f"expected a date such as 2022, 2022-05 or 2022-05-21, got {type(value).__name__}")
    text = value.strip()
    match = _PARTIAL_DATE.fullmatch(text)
    if match:
        year, month, day = (int(part) if part else None for part in match.groups())
        try:
            return _period_bound(year, month, day, end)
        except ValueError as exc:
            raise FilterError(f"invalid date {value!r}: {exc}") from exc
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise FilterError(
            f"cannot read the date {value!r}: write it as 2022, 2022-05, 2022-05-21 or 2022-05-21T08:30+07:00"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=VIETNAM)
    return parsed.astimezone(VIETNAM)


def _period_bound(year: int, month: int | None, day: int | None, end: bool) -> datetime:
    start = date(year, month or 1, day or 1)
    if not end:
        return datetime.combine(start, time(), VIETNAM)
    if day is not None:
        following = start + timedelta(days=1)
    elif month is not None:
        following = date(year + month // 12, month % 12 + 1, 1)
    else:
        following = date(year + 1, 1, 1)
    return datetime.combine(following, time(), VIETNAM) - timedelta(microseconds=1)


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles to consider: published within [since, until], in a category, on a site."""

    since: datetime | None = None
    until: datetime | None = None
    category: str | None = None
    site: str | None = None

    @classmethod
    def of(
        cls,
        since: str | date | datetime | None = None,
        until: str | date | datetime | None = None,
        category: str | None = None,
        site: str | None = None,
    ) -> ArticleFilter:
        """A filter from loosely typed values (strings as the command line gives them)."""
        chosen = cls(
            since=date_bound(since) if since is not None else None,
            until=date_bound(until, end=True) if until is not None else None,
            category=(category.strip() or None) if category is not None else None,
            site=(site.strip() or None) if site is not None else None,
        )
        if chosen.since and chosen.until and chosen.since > chosen.until:
            raise FilterError(f"--since {since} comes after --until {until}: nothing can match")
        return chosen

    def conditions(self, connection: Connection) -> list[ColumnElement[bool]]:
        """WHERE conditions on ``Article``; the category is matched with or without marks, any case."""
        conditions: list[ColumnElement[bool]] = []
        if self.since is not None:
            conditions.append(Article.published_at >= self.since)
        if self.until is not None:
            conditions.append(Article.published_at <= self.until)
        if self.site is not None:
            conditions.append(Article.site == self.site)
        if self.category is not None:
            conditions.append(Article.category.in_(matching_categories(connection, self.category)))
        return conditions


def matching_categories(connection: Connection, name: str) -> list[str]:
    """The stored categories equal to ``name`` once both are folded; ``FilterError`` listing them if none is."""
    known = [row[0] for row in connection.execute(select(Article.category).where(Article.category.is_not(None))
                                                  .distinct().order_by(Article.category))]
    wanted = fold_vietnamese(name)
    matches = [category for category in known if fold_vietnamese(category) == wanted]
    if not matches:
        listed = "; ".join(known[:30]) + ("; …" if len(known) > 30 else "")
        raise FilterError(f"no article has the category {name!r}; the categories are: {listed or '(none)'}")
    return matches

