"""Datasette plugin for ``hdnd browse``: the SQL function ``hdnd_search(query)`` behind the 'search' query.

``hdnd_search`` runs ``db.search.search`` (exact and folded words, phrases, prefixes, ranking,
snippets) on a read-only connection of its own and returns the hits as a JSON array of
``{"id", "score", "snippet"}`` objects, best first, for SQL to join with ``json_each``.
"""

from __future__ import annotations

import json
from typing import Any

from datasette import hookimpl
from sqlalchemy import Engine, create_engine

from db.search import search
from db.search_query import SearchQueryError

# The most hits the function returns: a page of results for a person, not an export.
HITS = 100
_engines: dict[str, Engine] = {}


@hookimpl
def prepare_connection(conn: Any, database: str, datasette: Any) -> None:
    served = datasette.databases.get(database)
    if served is None or served.path is None:  # e.g. the in-memory databases Datasette keeps for itself
        return
    mode = "mode=ro" if served.is_mutable else "immutable=1"
    url = f"sqlite:///file:{served.path}?{mode}&uri=true"
    conn.create_function("hdnd_search", 1, lambda query: _search(url, query))


def _search(url: str, query: str | None) -> str:
    if url not in _engines:
        _engines[url] = create_engine(url)
    try:
        hits = search(_engines[url], query or "", limit=HITS)
    except SearchQueryError:
        return "[]"
    return json.dumps([{"id": hit.article_id, "score": hit.score, "snippet": hit.snippet} for hit in hits],
                      ensure_ascii=False)
