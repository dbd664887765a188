"""The full-text index's tables, and rebuilding it from the articles.

Migration 0003 creates the index: on SQLite two external-content FTS5 tables over ``articles``
(exact words, and words without marks) that triggers keep in step with every writer. Only
``articles.captions`` depends on other tables (the current version's images), so a rebuild first
recomputes it, then has FTS5 re-read every article.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from itertools import groupby

from sqlalchemy import Connection, Engine, and_, bindparam, select, update
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from db.engine import DatabaseError
from db.models import Article, ArticleVersion, Image
from db.sqlite import WRITE_TRANSACTION

EXACT_INDEX = "article_search"
FOLDED_INDEX = "article_search_folded"

# The FTS5 tables, their shadow tables, and the views the migration made for them and for browsing:
# defined by raw DDL, so schema comparisons against the models must leave them out.
_OUTSIDE_MODELS = re.compile(
    rf"({EXACT_INDEX}|{FOLDED_INDEX})(_(data|idx|docsize|config|content))?|{FOLDED_INDEX}_source|article_overview"
)


def is_search_object(name: str) -> bool:
    """Whether a table or view belongs to the search index (created by migration, not by the models)."""
    return _OUTSIDE_MODELS.fullmatch(name) is not None


def autogenerate_includes(name: str | None, type_: str, parent_names: Mapping[str, str | None]) -> bool:
    """Alembic ``include_name`` hook: leave the search index's FTS5 tables out of schema comparisons."""
    return not (type_ == "table" and name is not None and is_search_object(name))


def has_fts_index(connection: Connection) -> bool:
    """Whether this database has the FTS5 index (SQLite); other databases are searched by pattern."""
    return connection.dialect.name == "sqlite"


def rebuild_search_index(engine: Engine) -> int:
    """Recompute every article's captions, then rebuild and optimize the FTS5 tables; returns the article count."""
    try:
        with engine.connect() as connection:
            connection = connection.execution_options(**{WRITE_TRANSACTION: True})
            with connection.begin():
                articles = _refresh_captions(connection)
                if has_fts_index(connection):
                    for index in (EXACT_INDEX, FOLDED_INDEX):
                        connection.exec_driver_sql(f"INSERT INTO {index}({index}) VALUES ('rebuild')")
                        connection.exec_driver_sql(f"INSERT INTO {index}({index}) VALUES ('optimize')")
    except SQLAlchemyError as exc:
        raise DatabaseError(f"cannot rebuild the search index: {getattr(exc, 'orig', None) or exc}") from exc
    return articles


def stale_search_indexes(engine: Engine) -> list[str]:
    """The FTS5 tables that disagree with the articles they index (empty when all is in step)."""
    stale = []
    with engine.connect() as connection:
        if has_fts_index(connection):
            for index in (EXACT_INDEX, FOLDED_INDEX):
                try:
                    connection.exec_driver_sql(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)")
                except DBAPIError:
                    stale.append(index)
    return stale


def _refresh_captions(connection: Connection) -> int:
    """Set ``articles.captions`` from the current version's images where it differs; returns the article count."""
    current = (
        select(Article.id, Image.caption)
        .join(ArticleVersion, and_(ArticleVersion.article_id == Article.id, ArticleVersion.version == Article.versions))
        .join(Image, Image.version_id == ArticleVersion.id)
        .where(Image.caption.is_not(None), Image.caption != "")
        .order_by(Article.id, Image.position)
    )
    expected = {
        article_id: "\n".join(row.caption for row in rows)
        for article_id, rows in groupby(connection.execute(current), key=lambda row: row.id)
    }
    changes = []
    count = 0
    for article_id, captions in connection.execute(select(Article.id, Article.captions)):
        count += 1
        wanted = expected.get(article_id)
        if captions != wanted:
            changes.append({"article_id": article_id, "new_captions": wanted})
    if changes:
        connection.execute(
            update(Article).where(Article.id == bindparam("article_id")).values(captions=bindparam("new_captions")),
            changes,
        )
    return count
