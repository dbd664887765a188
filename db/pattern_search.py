"""Search without FTS5 (PostgreSQL and other databases): narrow by folded LIKE, then check in Python.

PostgreSQL folds with ``translate(lower(…))`` so that each word of the query must occur as a
substring of the folded text; every candidate is then checked with ``db.matching`` (the rules
of the FTS5 search: words, phrases, prefixes, exact or folded). Databases without ``translate()``
are checked article by article.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from sqlalchemy import ColumnElement, Connection, and_, func, literal, or_, select, true

from crawler.extraction.text import fold_vietnamese
from db.matching import matches_all
from db.models import Article
from db.search_query import SearchQuery

TEXT_COLUMNS = (Article.title, Article.lead, Article.body, Article.captions)
_MARKS = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")


def matching_ids(connection: Connection, query: SearchQuery, conditions: list[ColumnElement[bool]]) -> Iterator[int]:
    """Ids of the articles matching ``query`` and ``conditions``, newest first."""
    candidates = connection.execute(
        select(Article.id, *TEXT_COLUMNS)
        .where(narrowing(connection, query), *conditions)
        .order_by(Article.published_at.desc().nulls_last(), Article.id.desc())
        .execution_options(yield_per=500)
    )
    for row in candidates:
        if matches_all(query, row[1:]):
            yield row.id


def narrowing(connection: Connection, query: SearchQuery) -> ColumnElement[bool]:
    """Every word of every clause as a substring of the folded text, where SQL can fold (translate())."""
    if connection.dialect.name != "postgresql":
        return true()
    letters, folded = _translation()
    searched = [func.translate(func.lower(text), letters, folded) for text in TEXT_COLUMNS]
    words = sorted({fold_vietnamese(word) for clause in query.clauses for word in clause.words})
    return and_(*(
        or_(*(text.like(literal("%" + _like_escaped(word) + "%"), escape="\\") for text in searched))
        for word in words
    ))


def _translation() -> tuple[str, str]:
    """Every Vietnamese letter in both cases, and the letters ``fold_vietnamese`` makes of them."""
    letters = ["đ"] + [unicodedata.normalize("NFC", base + mark) for base in "aăâeêioôơuưy" for mark in _MARKS]
    letters += [letter.upper() for letter in letters]
    return "".join(letters), "".join(fold_vietnamese(letter) for letter in letters)


def _like_escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
