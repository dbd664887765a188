"""Full-text search: articles.captions, two FTS5 indexes kept in step by triggers, a browsing view.

``articles.captions`` holds the current version's image captions (one per line) so that the
article row carries every searched field. On SQLite, two external-content FTS5 tables index
title, lead, body and captions straight from ``articles`` (no copy of the text):

- ``article_search``: exact words (``unicode61 remove_diacritics 0``, case-insensitive);
- ``article_search_folded``: words without marks. FTS5 never folds ``đ``, so the indexed text is
  the article's with ``đ``/``Đ`` replaced by ``d``/``D`` (through the view
  ``article_search_folded_source``) and ``remove_diacritics 2`` drops every other mark.

Triggers written in plain SQL keep both in step with every writer (no Python function needed).
A later batch migration that rebuilds ``articles`` must create the triggers again.
The view ``article_overview`` shows dates in Vietnam time and a ``year`` column for browsing.
Other databases get the captions column only; ``db.search`` falls back to pattern matching there.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

COLUMNS = ("title", "lead", "body", "captions")
# Title matches weigh most in the ranking, then the lead; body and captions count alike.
RANK = "bm25(5.0, 2.0, 1.0, 1.0)"


def _folded(expression: str) -> str:
    return f"replace(replace({expression}, 'đ', 'd'), 'Đ', 'D')"


def _values(row: str, fold: bool) -> str:
    return ", ".join(_folded(f"{row}.{column}") if fold else f"{row}.{column}" for column in COLUMNS)


def _index(table: str, row: str, fold: bool) -> str:
    return f"INSERT INTO {table}(rowid, {', '.join(COLUMNS)}) VALUES ({row}.id, {_values(row, fold)});"


def _unindex(table: str, row: str, fold: bool) -> str:
    return (f"INSERT INTO {table}({table}, rowid, {', '.join(COLUMNS)}) "
            f"VALUES ('delete', {row}.id, {_values(row, fold)});")


INDEXES = (("article_search", False), ("article_search_folded", True))

SQLITE_UPGRADE = (
    f"""CREATE VIEW article_search_folded_source AS
        SELECT id, {', '.join(f'{_folded(column)} AS {column}' for column in COLUMNS)} FROM articles""",
    f"""CREATE VIRTUAL TABLE article_search USING fts5(
        {', '.join(COLUMNS)}, content='articles', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    f"""CREATE VIRTUAL TABLE article_search_folded USING fts5(
        {', '.join(COLUMNS)}, content='article_search_folded_source', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    *(f"INSERT INTO {table}({table}, rank) VALUES ('rank', '{RANK}')" for table, _ in INDEXES),
    *(f"INSERT INTO {table}({table}) VALUES ('rebuild')" for table, _ in INDEXES),
    f"""CREATE TRIGGER article_search_insert AFTER INSERT ON articles BEGIN
        {' '.join(_index(table, 'new', fold) for table, fold in INDEXES)}
    END""",
    f"""CREATE TRIGGER article_search_delete AFTER DELETE ON articles BEGIN
        {' '.join(_unindex(table, 'old', fold) for table, fold in INDEXES)}
    END""",
    f"""CREATE TRIGGER article_search_update AFTER UPDATE OF {', '.join(COLUMNS)} ON articles BEGIN
        {' '.join(_unindex(table, 'old', fold) for table, fold in INDEXES)}
        {' '.join(_index(table, 'new', fold) for table, fold in INDEXES)}
    END""",
    # Stored datetimes are naive UTC; Vietnam has kept UTC+7 since 1975.
    """CREATE VIEW article_overview AS
        SELECT id, site, source_id, title,
               strftime('%Y-%m-%dT%H:%M:%S+07:00', published_at, '+7 hours') AS published,
               CAST(strftime('%Y', published_at, '+7 hours') AS INTEGER) AS year,
               category, lead, byline, captions, versions, url,
               strftime('%Y-%m-%dT%H:%M:%SZ', first_seen_at) AS first_seen,
               strftime('%Y-%m-%dT%H:%M:%SZ', last_seen_at) AS last_seen
        FROM articles""",
)

SQLITE_DOWNGRADE = (
    "DROP VIEW article_overview",
    "DROP TRIGGER article_search_update",
    "DROP TRIGGER article_search_delete",
    "DROP TRIGGER article_search_insert",
    "DROP TABLE article_search_folded",
    "DROP TABLE article_search",
    "DROP VIEW article_search_folded_source",
)

_CURRENT_CAPTIONS = """
    FROM images JOIN article_versions ON article_versions.id = images.version_id
    WHERE article_versions.article_id = articles.id AND article_versions.version = articles.versions
      AND images.caption IS NOT NULL AND images.caption <> ''
"""
CAPTIONS_BACKFILL = {
    "sqlite": f"""UPDATE articles SET captions = (
        SELECT group_concat(caption, char(10)) FROM (SELECT images.caption {_CURRENT_CAPTIONS}
        ORDER BY images.position))""",
    "postgresql": f"""UPDATE articles SET captions = (
        SELECT string_agg(images.caption, E'\\n' ORDER BY images.position) {_CURRENT_CAPTIONS})""",
}


def upgrade() -> None:
    """Add articles.captions and fill it; on SQLite create and fill the search indexes."""
    dialect = op.get_bind().dialect.name
    op.add_column('articles', sa.Column('captions', sa.Text(), nullable=True))
    op.create_index(op.f('ix_articles_category'), 'articles', ['category'])
    if dialect in CAPTIONS_BACKFILL:
        op.execute(CAPTIONS_BACKFILL[dialect])
    if dialect == "sqlite":
        for statement in SQLITE_UPGRADE:
            op.execute(statement)


def downgrade() -> None:
    """Drop the search indexes, the views and articles.captions."""
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_DOWNGRADE:
            op.execute(statement)
    op.drop_index(op.f('ix_articles_category'), table_name='articles')
    # Not a batch operation: rebuilding articles would cascade-delete its versions.
    op.drop_column('articles', 'captions')
