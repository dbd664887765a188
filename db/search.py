"""Full-text search over titles, leads, bodies and captions, ranked, with highlighted snippets.

On SQLite the FTS5 index answers (``db.search_query`` says how a query is read, ``db.fts`` writes
the SQL). When at most ``RANKED_MATCHES`` articles match, they are ranked by bm25 (title x5,
lead x2, body and captions x1). bm25 must read the word positions of every match, about 0.3 s
per query when a word is in most of 100,000 articles, so a broader query is ordered without
it: of its ``RANKED_MATCHES`` most recently archived matches, those with every clause in the
title come first, then those with every clause in the lead, most recently archived first
within each group, with no score. Other databases (PostgreSQL) are searched by
``db.pattern_search``: newest publication first, no score.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice

from sqlalchemy import ColumnElement, Connection, select

from db.filters import ArticleFilter
from db.fts import PLACEMENT_WEIGHTS, FtsMatch
from db.models import Article
from db.pattern_search import TEXT_COLUMNS, matching_ids, narrowing
from db.search_index import has_fts_index
from db.search_query import SearchQuery, SearchQueryError, parse_query
from db.snippets import make_snippet
from db.sources import Source, connection_of

__all__ = ["RANKED_MATCHES", "SearchHit", "SearchQueryError", "count_matches", "matching_condition", "search"]

DEFAULT_LIMIT = 20
RANKED_MATCHES = 1_000
# Articles are read back for snippets this many at a time (SQLite caps the parameters of a statement).
_FETCH_CHUNK = 500
# Snippets prefer the article's own words to its title, which is shown anyway.
_SNIPPET_COLUMNS = ("lead", "body", "captions", "title")


@dataclass(frozen=True)
class SearchHit:
    """One article found: where it is, its score (higher is better; None without FTS5) and a snippet."""

    article_id: int
    site: str
    source_id: str
    url: str
    title: str | None
    published_at: datetime | None
    category: str | None
    score: float | None
    snippet: str


def search(
    source: Source,
    query: str | SearchQuery,
    *,
    since: str | date | datetime | None = None,
    until: str | date | datetime | None = None,
    category: str | None = None,
    site: str | None = None,
    limit: int | None = DEFAULT_LIMIT,
    offset: int = 0,
    marks: tuple[str, str] = ("**", "**"),
) -> list[SearchHit]:
    """The best ``limit`` articles (None: all) matching ``query`` after skipping ``offset``, best first.

    Raises ``SearchQueryError`` when the query has nothing to search for and ``db.filters.FilterError``
    for an unreadable date or an unknown category.
    """
    parsed = query if isinstance(query, SearchQuery) else parse_query(query)
    filters = ArticleFilter.of(since, until, category, site)
    if (limit is not None and limit < 1) or offset < 0:
        raise ValueError(f"limit must be at least 1 and offset at least 0, got {limit} and {offset}")
    with connection_of(source) as connection:
        conditions = filters.conditions(connection)
        if has_fts_index(connection):
            scores = _fts_scores(connection, FtsMatch.of(parsed), conditions, limit, offset)
        else:
            stop = None if limit is None else offset + limit
            scores = dict.fromkeys(islice(matching_ids(connection, parsed, conditions), offset, stop))
        return _hits(connection, parsed, scores, marks)


def count_matches(
    source: Source,
    query: str | SearchQuery,
    *,
    since: str | date | datetime | None = None,
    until: str | date | datetime | None = None,
    category: str | None = None,
    site: str | None = None,
) -> int:
    """How many articles match ``query`` and the filters."""
    parsed = query if isinstance(query, SearchQuery) else parse_query(query)
    filters = ArticleFilter.of(since, until, category, site)
    with connection_of(source) as connection:
        conditions = filters.conditions(connection)
        if has_fts_index(connection):
            return connection.execute(FtsMatch.of(parsed).count(conditions)).scalar_one()
        return sum(1 for _ in matching_ids(connection, parsed, conditions))


def matching_condition(connection: Connection, query: str | SearchQuery) -> ColumnElement[bool]:
    """A WHERE condition on ``Article`` selecting the articles that match ``query`` (for exports).

    Without FTS5 it only narrows by pattern; callers needing exactness check rows with
    ``db.matching.matches_all``.
    """
    parsed = query if isinstance(query, SearchQuery) else parse_query(query)
    if not has_fts_index(connection):
        return narrowing(connection, parsed)
    return FtsMatch.of(parsed).article_ids()


def _fts_scores(
    connection: Connection, match: FtsMatch, conditions: list[ColumnElement[bool]], limit: int | None, offset: int
) -> dict[int, float | None]:
    """Article id to score (higher is better), best first: bm25, or placement for a broad query."""
    if limit is not None:
        window = max(RANKED_MATCHES, offset + limit)
        newest = list(connection.execute(match.newest(conditions).limit(window + 1)).scalars())
        if len(newest) > window:
            return dict.fromkeys(_by_placement(connection, match, newest[:window])[offset:offset + limit])
    rows = connection.execute(match.ranked(conditions).limit(limit).offset(offset))
    return {row.id: -row.rank for row in rows}


def _by_placement(connection: Connection, match: FtsMatch, candidates: list[int]) -> list[int]:
    """``candidates`` (newest first) with those holding every clause in their title, then lead, first."""
    bonus: Counter[int] = Counter()
    for column_name, weight in PLACEMENT_WEIGHTS.items():
        for article_id in match.placed(connection, column_name, candidates[-1]):
            bonus[article_id] += weight
    return sorted(candidates, key=lambda article_id: (-bonus[article_id], -article_id))


def _hits(
    connection: Connection, parsed: SearchQuery, scores: dict[int, float | None], marks: tuple[str, str]
) -> list[SearchHit]:
    ids = list(scores)
    rows = {}
    for start in range(0, len(ids), _FETCH_CHUNK):
        chunk = ids[start:start + _FETCH_CHUNK]
        rows.update((row.id, row) for row in connection.execute(
            select(Article.id, Article.site, Article.source_id, Article.url, Article.published_at,
                   Article.category, *TEXT_COLUMNS).where(Article.id.in_(chunk))
        ))
    return [
        SearchHit(
            article_id=article_id,
            site=row.site,
            source_id=row.source_id,
            url=row.url,
            title=row.title,
            published_at=row.published_at,
            category=row.category,
            score=float(f"{score:.4g}") if score is not None else None,
            snippet=make_snippet(parsed, [getattr(row, name) for name in _SNIPPET_COLUMNS], marks=marks),
        )
        for article_id, score in scores.items()
        if (row := rows.get(article_id)) is not None
    ]
