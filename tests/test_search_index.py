"""The search index stays in step with every writer, survives migrations, and can be rebuilt."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, text

from conftest import run_hdnd
from db.engine import alembic_config, open_database
from db.search import count_matches, search
from db.search_index import rebuild_search_index, stale_search_indexes
from db_samples import article, save_articles


@pytest.fixture
def database(tmp_path: Path) -> tuple[Engine, Path]:
    path = tmp_path / "archive.db"
    return open_database(f"sqlite:///{path}"), path




def _ids(engine: Engine, query: str) -> list[str]:
    return sorted(hit.source_id for hit in search(engine, query, limit=None))


def test_new_updated_and_unchanged_articles_are_searchable(database: tuple[Engine, Path]) -> None:
    engine, _ = database
    second = {"title": "Kỳ họp thứ 7", "lead": None, "body": "Khai mạc kỳ họp.", "images": []}
    save_articles(engine, article("1"), article("2", **second))
    assert _ids(engine, "dan van") == ["1"]
    assert _ids(engine, "Bui Duc Hinh") == ["1"]  # a caption
    assert _ids(engine, "ky hop") == ["2"]
    save_articles(engine, article("1", body="Nội dung mới về ngân sách.", images=[{"src": "http://x/1.jpg",
                                                                            "caption": "Toàn cảnh phiên họp"}]))
    assert _ids(engine, "ngan sach") == ["1"]
    assert _ids(engine, "Bui Duc Hinh") == []  # the old version's caption is gone from the index
    assert _ids(engine, '"toan canh"') == ["1"]
    save_articles(engine, article("2", **second))  # unchanged
    assert _ids(engine, "ky hop") == ["2"]
    assert stale_search_indexes(engine) == []


def test_other_writers_keep_the_index_in_step(database: tuple[Engine, Path]) -> None:
    engine, path = database
    save_articles(engine, article("1"), article("2"))
    with sqlite3.connect(path) as plain:  # a writer knowing nothing of hdnd: the stdlib driver, raw SQL
        plain.execute("UPDATE articles SET title = 'Đoàn giám sát làm việc' WHERE source_id = '1'")
        plain.execute("DELETE FROM articles WHERE source_id = '2'")
    assert _ids(engine, "doan giam sat") == ["1"]
    assert _ids(engine, "cap uy") == ["1"]  # the deleted article's body left the index with it
    assert stale_search_indexes(engine) == []


def test_rebuild_recomputes_captions_edited_by_hand(database: tuple[Engine, Path]) -> None:
    engine, path = database
    save_articles(engine, article("1"))
    with sqlite3.connect(path) as plain:
        plain.execute("UPDATE images SET caption = 'Quang cảnh hội nghị' WHERE caption IS NOT NULL")
    assert _ids(engine, "quang canh") == []
    completed = run_hdnd("db", "rebuild-index", "--db", f"sqlite:///{path}")
    assert "1 articles" in completed.stdout
    assert _ids(engine, "quang canh") == ["1"] and _ids(engine, "Bui Duc Hinh") == []


def test_check_index_reports_an_index_out_of_step(database: tuple[Engine, Path]) -> None:
    engine, path = database
    save_articles(engine, article("1"))
    url = f"sqlite:///{path}"
    assert run_hdnd("db", "check-index", "--db", url).returncode == 0
    with sqlite3.connect(path) as plain:  # what a restored backup without triggers could leave
        plain.execute("DROP TRIGGER article_search_update")
        plain.execute("UPDATE articles SET body = 'khác hẳn'")
    assert stale_search_indexes(engine) == ["article_search", "article_search_folded"]
    completed = run_hdnd("db", "check-index", "--db", url, check=False)
    assert completed.returncode == 1 and "rebuild-index" in completed.stdout
    assert rebuild_search_index(engine) == 1
    assert stale_search_indexes(engine) == [] and _ids(engine, "khac han") == ["1"]


def test_migration_indexes_an_existing_archive_and_downgrades_cleanly(database: tuple[Engine, Path]) -> None:
    engine, path = database
    save_articles(engine, article("1"), article("2", images=[]))
    url = f"sqlite:///{path}"
    command.downgrade(alembic_config(url), "0002")
    with engine.connect() as connection:
        names = set(connection.execute(text("SELECT name FROM sqlite_master")).scalars())
        assert not {"article_search", "article_search_folded", "article_overview"} & names
        assert "captions" not in {row[1] for row in connection.exec_driver_sql("PRAGMA table_info(articles)")}
        assert connection.exec_driver_sql("SELECT count(*) FROM article_versions").scalar() == 2
    upgraded = open_database(url)
    assert _ids(upgraded, "Bui Duc Hinh") == ["1"]
    assert count_matches(upgraded, "tong ket") == 2
    with upgraded.connect() as connection:
        captions = dict(connection.execute(text("SELECT source_id, captions FROM articles")).all())
        year = connection.execute(text("SELECT year, published FROM article_overview WHERE source_id = '1'")).one()
    assert captions == {"1": "Đồng chí Bùi Đức Hinh phát biểu", "2": None}
    assert tuple(year) == (2022, "2022-12-21T00:00:00+07:00")
