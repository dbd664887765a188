"""SQLite-specific connection setup: pragmas and real transactions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import Connection

# Execution option asking for a write transaction up front (``BEGIN IMMEDIATE``) on SQLite.
# A deferred transaction that reads first and writes later fails at once with "database is
# locked" when another process committed in between; an immediate one waits its turn instead.
WRITE_TRANSACTION = "hdnd_write_transaction"

# How long a writer waits for another process's write transaction before giving up.
BUSY_TIMEOUT_MS = 30_000


def configure_sqlite(engine: Engine) -> None:
    """Enable WAL, synchronous=NORMAL, foreign keys, a busy timeout, and let SQLAlchemy emit BEGIN itself.

    The stdlib driver's legacy transaction mode does not BEGIN before SELECT, DDL or SAVEPOINT,
    which breaks savepoints and transactional migrations; SQLAlchemy's documented recipe
    (driver autocommit + an explicit BEGIN on the ``begin`` event) restores them.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(WRITE_TRANSACTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
