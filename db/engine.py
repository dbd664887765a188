"""Open an archive database: create the engine, set up SQLite, apply migrations."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.util import CommandError
from sqlalchemy import Engine, create_engine, make_url
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from db.sqlite import WRITE_TRANSACTION, configure_sqlite

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class DatabaseError(Exception):
    """The database cannot be opened or written; the message is meant for the user."""


def alembic_config(url: str | None = None) -> Config:
    """An Alembic configuration pointing at the packaged migrations (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def open_database(url: str) -> Engine:
    """Create an engine for ``url`` and upgrade its schema to the latest migration."""
    parsed = _parse_url(url)
    shown = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() == "sqlite":
        _create_sqlite_parent(parsed, shown)
    try:
        engine = create_engine(parsed)
    except NoSuchModuleError as exc:
        raise DatabaseError(f"unknown database type in {shown!r}: {exc}") from exc
    except ImportError as exc:
        raise DatabaseError(
            f"the database driver for {shown!r} is not installed ({exc.name or exc}); install it with pip"
        ) from exc
    except (ArgumentError, TypeError, ValueError) as exc:
        raise DatabaseError(f"invalid database URL {shown!r}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        configure_sqlite(engine)
    try:
        _upgrade(engine)
    except CommandError as exc:
        engine.dispose()
        raise DatabaseError(
            f"cannot migrate database {shown!r}: {exc} (was it written by a newer hdnd-archive?)"
        ) from exc
    except SQLAlchemyError as exc:
        engine.dispose()
        reason = getattr(exc, "orig", None) or exc
        raise DatabaseError(f"cannot open database {shown!r}: {reason}") from exc
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory whose objects stay readable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def _parse_url(url: str) -> URL:
    if not isinstance(url, str) or not url.strip():
        raise DatabaseError(f"invalid database URL {url!r}: expected e.g. sqlite:///data/archive.db")
    try:
        return make_url(url.strip())
    except ArgumentError as exc:
        raise DatabaseError(
            f"invalid database URL {url!r}: expected e.g. sqlite:///data/archive.db "
            "or postgresql+psycopg://user@host/dbname"
        ) from exc


def _create_sqlite_parent(url: URL, shown: str) -> None:
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return
    path = Path(database)
    if path.is_dir():
        raise DatabaseError(f"cannot open database {shown!r}: {path} is a directory, not a file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(f"cannot create the folder for database {shown!r}: {exc}") from exc


def _upgrade(engine: Engine) -> None:
    config = alembic_config()
    with engine.connect() as connection:
        connection.execution_options(**{WRITE_TRANSACTION: True})
        with connection.begin():
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
