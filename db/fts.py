"""SQL over the SQLite FTS5 index for one query: which articles match, their bm25 rank, where the words are.

A query typed with marks goes to the exact index, one typed without to the folded index
(``db.search_query``). The FTS5 rowid is the article id.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, TableClause, column, func, literal_column, select, table

from db.models import Article
from db.search_index import EXACT_INDEX, FOLDED_INDEX
from db.search_query import SearchQuery

# Bonus for a broad query's matches with every clause in these columns (see ``FtsMatch.placed``).
PLACEMENT_WEIGHTS = {"title": 4, "lead": 2}


@dataclass(frozen=True)
class FtsMatch:
    """The FTS5 table a query goes to and its MATCH expression."""

    name: str
    expression: str

    @classmethod
    def of(cls, query: SearchQuery) -> FtsMatch:
        return cls(FOLDED_INDEX if query.folded else EXACT_INDEX, query.fts())

    @cached_property
    def index(self) -> TableClause:
        return table(self.name, column("rowid"), column("rank"))

    def article_ids(self) -> ColumnElement[bool]:
        """A condition on ``Article.id``: the article matches (SQLite evaluates the MATCH once, into a list)."""
        return Article.id.in_(select(self.index.c.rowid).where(self._match()))

    def ranked(self, conditions: list[ColumnElement[bool]]) -> Select[Any]:
        """Ids and bm25 rank (lower is better) of the matching articles, best first."""
        index = self.index
        return (select(index.c.rowid.label("id"), index.c.rank.label("rank"))
                .where(self._match(), *self._filtered(conditions))
                .order_by(index.c.rank, index.c.rowid))

    def newest(self, conditions: list[ColumnElement[bool]]) -> Select[Any]:
        """Ids of the matching articles, the most recently archived (highest id) first: no ranking cost."""
        index = self.index
        return select(index.c.rowid).where(self._match(), *self._filtered(conditions)).order_by(index.c.rowid.desc())

    def count(self, conditions: list[ColumnElement[bool]]) -> Select[Any]:
        return select(func.count()).select_from(self.index).where(self._match(), *self._filtered(conditions))

    def placed(self, connection: Connection, column_name: str, lowest_id: int) -> set[int]:
        """Ids from ``lowest_id`` up of the articles with every clause in one column (title, lead, …)."""
        index = self.index
        column_match = literal_column(self.name).match(f"{{{column_name}}} : ({self.expression})")
        return set(connection.execute(select(index.c.rowid).where(column_match, index.c.rowid >= lowest_id))
                   .scalars())

    def _match(self) -> ColumnElement[bool]:
        return literal_column(self.name).match(self.expression)

    def _filtered(self, conditions: list[ColumnElement[bool]]) -> list[ColumnElement[bool]]:
        """Filters on ``Article`` applied to index rows: rowid among the articles passing them.

        The unary ``+`` keeps SQLite from handing the IN list to FTS5, which would run the MATCH
        once per listed article; as written, FTS5 walks its matches and each is looked up in the list.
        """
        if not conditions:
            return []
        return [literal_column(f"+{self.name}.rowid").in_(select(Article.id).where(*conditions))]
