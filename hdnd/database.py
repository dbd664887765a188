"""Open the archive database for commands that read an existing archive, never creating an empty one."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from db.engine import DatabaseError, open_database


def open_existing_database(url: str) -> Engine:
    """Like ``db.engine.open_database``, but a SQLite file that does not exist is an error, not a new archive."""
    try:
        parsed = make_url(url.strip())
    except ArgumentError:
        return open_database(url)  # its error message explains the URL format
    database = parsed.database or ""
    if parsed.get_backend_name() == "sqlite" and database not in ("", ":memory:") and not database.startswith("file:"):
        if not Path(database).is_file():
            raise DatabaseError(f"no archive database at {database} (give its URL with --db or HDND_DB)")
    return open_database(url)
