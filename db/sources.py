"""Read the archive through whatever the caller holds: a Session, an Engine or a Connection."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

Source = Session | Engine | Connection


@contextmanager
def connection_of(source: Source) -> Iterator[Connection]:
    """A connection for reading: the session's or the given one, or a new one from an engine (closed after)."""
    if isinstance(source, Session):
        yield source.connection()
    elif isinstance(source, Engine):
        with source.connect() as connection:
            yield connection
    elif isinstance(source, Connection):
        yield source
    else:
        raise TypeError(f"expected a Session, Engine or Connection, got {type(source).__name__}")
