"""Opening databases: migrations, SQLite settings, clear errors."""

from __future__ import annotations

import contextlib
import io
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from db.engine import DatabaseError, alembic_config, open_database, session_factory
from db.models import Base, CrawlRun, Schedule
from db.search_index import autogenerate_includes, is_search_object

TABLES = {
    "crawl_runs",
    "warc_files",
    "captures",
    "articles",
    "article_versions",
    "images",
    "attachments",
    "schedules",
}


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


def _model_tables(engine) -> set[str]:
    """Tables other than the search index's FTS5 tables (made by raw DDL, not by the models)."""
    return {name for name in inspect(engine).get_table_names() if not is_search_object(name)}


def test_migrations_create_the_schema_from_scratch_in_a_new_folder(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "folder" / "archive.db"
    engine = open_database(_url(path))
    assert path.is_file()
    assert _model_tables(engine) == TABLES | {"alembic_version"}
    assert {"article_search", "article_search_folded"} <= set(inspect(engine).get_table_names())
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1
    with engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == heads[0]


def test_migrated_schema_matches_the_models(tmp_path: Path) -> None:
    engine = open_database(_url(tmp_path / "archive.db"))
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": autogenerate_includes})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_processes_opening_a_new_database_at_once_all_succeed(tmp_path: Path) -> None:
    url = _url(tmp_path / "archive.db")
    code = "import sys; from db.engine import open_database; open_database(sys.argv[1])"
    root = Path(__file__).resolve().parents[1]
    processes = [
        subprocess.Popen([sys.executable, "-c", code, url], cwd=root, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    results = [(process.wait(timeout=60), process.stderr.read()) for process in processes]
    assert results == [(0, "")] * 3


def test_sqlite_connections_use_wal_normal_sync_and_foreign_keys(tmp_path: Path) -> None:
    engine = open_database(_url(tmp_path / "archive.db"))
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_reopening_keeps_data_and_downgrade_upgrade_round_trips(tmp_path: Path) -> None:
    url = _url(tmp_path / "archive.db")
    engine = open_database(url)
    with session_factory(engine)() as session, session.begin():
        session.add(Schedule(name="daily", every="1d"))
    engine.dispose()
    reopened = open_database(url)
    with reopened.connect() as connection:
        assert connection.execute(text("SELECT name FROM schedules")).scalars().all() == ["daily"]
    command.downgrade(alembic_config(url), "base")
    assert set(inspect(reopened).get_table_names()) == {"alembic_version"}
    open_database(url)
    assert _model_tables(reopened) == TABLES | {"alembic_version"}


def test_session_objects_stay_readable_after_commit(tmp_path: Path) -> None:
    engine = open_database(_url(tmp_path / "archive.db"))
    with session_factory(engine)() as session:
        run = CrawlRun(job="demo", started_at=datetime.now(timezone.utc))
        session.add(run)
        session.commit()
    assert run.job == "demo" and run.status == "running"


def test_postgresql_migration_renders_portable_sql() -> None:
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        command.upgrade(alembic_config("postgresql://"), "head", sql=True)
    sql = output.getvalue()
    assert "CREATE TABLE articles" in sql
    assert "TIMESTAMP WITHOUT TIME ZONE" in sql
    assert "options JSON NOT NULL" in sql


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("", "invalid database URL"),
        ("archive.db", "invalid database URL"),
        ("nosuchdb://host/name", "unknown database type"),
    ],
)
def test_bad_urls_raise_a_clear_database_error(url: str, expected: str) -> None:
    with pytest.raises(DatabaseError, match=expected):
        open_database(url)


def test_unreachable_server_error_hides_the_password() -> None:
    with pytest.raises(DatabaseError) as raised:
        open_database("postgresql://archivist:s3cret@127.0.0.1:1/archive")
    assert "s3cret" not in str(raised.value)
    assert "***" in str(raised.value)


def test_a_directory_or_a_non_database_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="is a directory"):
        open_database(_url(tmp_path))
    garbage = tmp_path / "notes.db"
    garbage.write_bytes(b"these are not the pages of an SQLite database" * 100)
    with pytest.raises(DatabaseError, match="file is not a database"):
        open_database(_url(garbage))


def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    open_database(_url(path)).dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(DatabaseError, match="newer"):
        open_database(_url(path))
