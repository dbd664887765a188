"""On PostgreSQL (no FTS5) the migrations run and search falls back to folded patterns with the same rules.

Runs a throwaway PostgreSQL server on a Unix socket in a temporary folder; skipped when the
server programs or the psycopg driver are missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, create_engine, text

from db.engine import alembic_config, open_database
from db.export import iter_export_records
from db.search import count_matches, search
from db.search_query import SearchQueryError
from db_samples import article, save_articles

pytest.importorskip("psycopg", reason="the psycopg driver is not installed")
if not (shutil.which("initdb") and shutil.which("pg_ctl")):
    pytest.skip("PostgreSQL server programs (initdb, pg_ctl) are not installed", allow_module_level=True)

PORT = 54329


def _as_server_user(*command: str) -> list[str]:
    """initdb and postgres refuse to run as root: run them as the 'postgres' user then."""
    if os.geteuid() != 0:
        return list(command)
    if not shutil.which("runuser"):
        pytest.skip("running as root without runuser to start PostgreSQL as another user")
    return ["runuser", "-u", "postgres", "--", *command]


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    # Not under pytest's temporary folder: the server's user must be able to reach its files.
    with tempfile.TemporaryDirectory(prefix="hdnd-postgres-") as folder:
        data, socket_dir = Path(folder) / "data", Path(folder) / "socket"
        socket_dir.mkdir()
        if os.geteuid() == 0:
            for path in (folder, socket_dir):
                shutil.chown(path, "postgres")
        subprocess.run(_as_server_user("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                                       "--locale=C.UTF-8"), check=True, capture_output=True, timeout=120)
        options = f"-c listen_addresses='' -c unix_socket_directories={socket_dir} -p {PORT}"
        # The server's output goes to a log file: pipes would be held open by the server for ever.
        subprocess.run(_as_server_user("pg_ctl", "-D", str(data), "-o", options, "-l", str(data / "server.log"),
                                       "-w", "start"), check=True, stdout=subprocess.DEVNULL, timeout=60)
        try:
            yield f"postgresql+psycopg://postgres@/{{database}}?host={socket_dir}&port={PORT}"
        finally:
            subprocess.run(_as_server_user("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop"),
                           stdout=subprocess.DEVNULL, timeout=60)


@pytest.fixture
def engine(postgres: str, request: pytest.FixtureRequest) -> Iterator[Engine]:
    name = f"hdnd_{request.node.name.lower()}"[:60]
    admin = create_engine(postgres.format(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    opened = open_database(postgres.format(database=name))
    yield opened
    opened.dispose()




def _ids(engine: Engine, query: str, **filters: str) -> list[str]:
    return sorted(hit.source_id for hit in search(engine, query, limit=None, **filters))


def test_search_falls_back_to_patterns_with_the_same_rules(engine: Engine) -> None:
    save_articles(
        engine,
        article("1", title="Đồng chí Bùi Đức Hinh làm việc tại Hoà Bình", images=[]),
        article("2", title="Giáo dục ở Hòa Bình", lead=None, body="Nghị quyết 12/2022/NQ-HĐND về ngân sách.",
                images=[]),
        article("3", title="Kỳ họp thứ 7", lead=None, body="Vận động nhân dân.", images=[]),
    )
    assert _ids(engine, "dong chi") == ["1"]
    assert _ids(engine, "duc") == ["1", "2"]  # Đức and dục
    assert _ids(engine, "Đức") == ["1"]
    assert _ids(engine, "hoa binh") == ["1", "2"]
    assert _ids(engine, "Hoà Bình") == ["1"]
    assert _ids(engine, "12/2022/NQ-HĐND") == ["2"]
    assert _ids(engine, '"dân vận"') == ["1"]  # article 3 has both words, not side by side
    assert _ids(engine, "dân vận") == ["1", "3"]
    assert _ids(engine, "ngân*") == ["2"]
    assert _ids(engine, "ky hop", since="2022", until="2022") == ["3"]
    assert count_matches(engine, "hoa binh") == 2
    hits = search(engine, "hoa binh")
    assert all(hit.score is None for hit in hits) and "**Hoà Bình**" in hits[0].snippet + hits[1].snippet
    assert {r["source_id"] for r in iter_export_records(engine, query="duc", category="TIN HOAT DONG")} == {"1", "2"}
    assert _ids(engine, "NEAR(a b): 100%_\\") == []
    with pytest.raises(SearchQueryError):
        search(engine, "::")


def test_captions_are_stored_and_searched(engine: Engine) -> None:
    save_articles(engine, article("1"))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT captions FROM articles")).scalar() == "Đồng chí Bùi Đức Hinh phát biểu"
    assert _ids(engine, "Bui Duc Hinh") == ["1"]


def test_migrations_backfill_captions_when_upgrading(engine: Engine) -> None:
    save_articles(engine, article("1"))
    url = engine.url.render_as_string(hide_password=False)
    command.downgrade(alembic_config(url), "0002")
    reopened = open_database(url)
    with reopened.connect() as connection:
        assert connection.execute(text("SELECT captions FROM articles")).scalar() == "Đồng chí Bùi Đức Hinh phát biểu"
    reopened.dispose()
