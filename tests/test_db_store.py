"""The crawl write API: runs, captures, articles and their versions, WARC files."""

from __future__ import annotations

import sqlite3
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from db.engine import DatabaseError, open_database, session_factory
from db.models import Article, ArticleVersion, Capture, CrawlRun, WarcFile
from db.store import ArchiveStore
from db.types import VIETNAM
from db_samples import CAPTION, FETCHED_AT, article, capture


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "archive.db"


@pytest.fixture
def engine(db_path: Path) -> Engine:
    return open_database(f"sqlite:///{db_path}")


@pytest.fixture
def store(engine: Engine) -> ArchiveStore:
    with ArchiveStore(engine) as archive_store:
        yield archive_store


def _save(store: ArchiveStore, run_id: int, number: int, item: dict) -> str:
    row = capture(number)
    store.add_capture(run_id, row)
    return store.save_article(run_id, item, row["warc_record_id"])


def _count(engine: Engine, model: type) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(model)).scalar_one()


def test_the_same_article_twice_is_one_article_and_unchanged(store: ArchiveStore, engine: Engine) -> None:
    first_run = store.start_run("council", {"sites": ["hdnd.example.gov.vn"]})
    assert _save(store, first_run, 1, article("101")) == "new"
    store.finish_run(first_run, "finished")
    second_run = store.start_run("council", {})
    later = FETCHED_AT + timedelta(days=1)
    assert _save(store, second_run, 2, article("101", fetched_at=later)) == "unchanged"
    store.flush()
    assert _count(engine, Article) == 1
    assert _count(engine, ArticleVersion) == 1
    with session_factory(engine)() as session:
        stored = session.scalars(select(Article)).one()
        assert stored.versions == 1
        assert stored.first_seen_at == FETCHED_AT
        assert stored.last_seen_at == later
        # The current version is still the content first captured.
        assert stored.capture.warc_record_id == capture(1)["warc_record_id"]


def test_a_changed_body_makes_a_new_version_and_keeps_the_old(store: ArchiveStore, engine: Engine) -> None:
    run_id = store.start_run("council", {})
    assert _save(store, run_id, 1, article("101")) == "new"
    changed = article("101", body="Nội dung đã được cập nhật.", images=[])
    assert _save(store, run_id, 2, changed) == "updated"
    store.flush()
    with session_factory(engine)() as session:
        stored = session.scalars(select(Article)).one()
        assert stored.versions == 2
        assert stored.body == "Nội dung đã được cập nhật."
        assert stored.capture.warc_record_id == capture(2)["warc_record_id"]
        old, new = stored.history
        assert (old.version, new.version) == (1, 2)
        assert old.body == article("101")["body"]
        assert [image.caption for image in old.images] == [CAPTION, None]
        assert new.images == []
        assert [attachment.name for attachment in new.attachments] == ["Nghị quyết 12/2022/NQ-HĐND"]


@pytest.mark.parametrize(
    ("change", "outcome"),
    [
        ({"title": "Tiêu đề mới"}, "updated"),
        ({"published_at": datetime(2022, 12, 22, tzinfo=VIETNAM)}, "updated"),
        ({"images": [{"src": "http://x/1.jpg", "alt": None, "caption": "Chú thích khác"}]}, "updated"),
        ({"attachments": []}, "updated"),
        # Outside the content hash: breadcrumb category, image addresses without captions.
        ({"category": "Chuyên mục khác"}, "unchanged"),
        ({"images": [{"src": "http://cdn/1.jpg", "caption": CAPTION}]}, "unchanged"),
    ],
)
def test_what_counts_as_a_content_change(store: ArchiveStore, change: dict, outcome: str) -> None:
    run_id = store.start_run("council", {})
    _save(store, run_id, 1, article("101"))
    assert _save(store, run_id, 2, article("101", **change)) == outcome


def test_the_same_source_id_on_two_sites_is_two_articles(store: ArchiveStore, engine: Engine) -> None:
    run_id = store.start_run("council", {})
    assert _save(store, run_id, 1, article("7")) == "new"
    other_site = article("7", site="hdnd.other.gov.vn", url="http://hdnd.other.gov.vn/7")
    assert _save(store, run_id, 2, other_site) == "new"
    store.flush()
    assert _count(engine, Article) == 2


def test_published_at_round_trips_with_the_vietnam_offset(
    store: ArchiveStore, engine: Engine, db_path: Path
) -> None:
    run_id = store.start_run("council", {})
    published = datetime(2022, 12, 21, 8, 30, tzinfo=VIETNAM)
    _save(store, run_id, 1, article("101", published_at=published))
    store.flush()
    with session_factory(engine)() as session:
        stored = session.scalars(select(Article)).one()
    assert stored.published_at == published
    assert stored.published_at.isoformat() == "2022-12-21T08:30:00+07:00"
    assert stored.first_seen_at.tzinfo is not None
    with sqlite3.connect(db_path) as raw:
        assert raw.execute("SELECT published_at FROM articles").fetchone()[0].startswith("2022-12-21 01:30:00")


def test_a_utc_published_at_comes_back_in_vietnam_time(store: ArchiveStore, engine: Engine) -> None:
    run_id = store.start_run("council", {})
    _save(store, run_id, 1, article("101", published_at=datetime(2022, 12, 20, 17, 0, tzinfo=timezone.utc)))
    store.flush()
    with session_factory(engine)() as session:
        assert session.scalars(select(Article.published_at)).one().isoformat() == "2022-12-21T00:00:00+07:00"


def test_text_is_stored_in_nfc(store: ArchiveStore, engine: Engine) -> None:
    run_id = store.start_run("council", {})
    decomposed = unicodedata.normalize("NFD", "Hội đồng nhân dân tỉnh")
    _save(store, run_id, 1, article("101", title=decomposed, body=decomposed))
    store.flush()
    with session_factory(engine)() as session:
        stored = session.scalars(select(Article)).one()
    assert stored.title == stored.body == "Hội đồng nhân dân tỉnh"


def test_writes_are_committed_in_batches(engine: Engine) -> None:
    with ArchiveStore(engine, batch_size=3, max_batch_seconds=3600) as store:
        run_id = store.start_run("council", {})
        store.add_capture(run_id, capture(1))
        store.add_capture(run_id, capture(2))
        assert _count(engine, Capture) == 0  # buffered: another connection sees nothing yet
        store.add_capture(run_id, capture(3))
        assert _count(engine, Capture) == 3
        store.add_capture(run_id, capture(4))
        store.flush()
        assert _count(engine, Capture) == 4


def test_bad_input_is_refused_before_anything_is_buffered(store: ArchiveStore, engine: Engine) -> None:
    run_id = store.start_run("council", {})
    with pytest.raises(ValueError, match="naive datetime"):
        store.add_capture(run_id, capture(1, fetched_at=datetime(2024, 5, 1, 3, 0)))
    with pytest.raises(ValueError, match="unknown capture fields"):
        store.add_capture(run_id, {**capture(1), "warc_fiel": "typo.warc.gz"})
    with pytest.raises(ValueError, match="lacks"):
        store.add_capture(run_id, capture(1, warc_record_id=None))
    with pytest.raises(ValueError, match="warc_type"):
        store.add_capture(run_id, capture(1, warc_type="resource"))
    with pytest.raises(ValueError, match="no crawl run with id 999"):
        store.add_capture(999, capture(1))
    store.add_capture(run_id, capture(1))
    with pytest.raises(ValueError, match="naive datetime"):
        naive = article("101", published_at=datetime(2022, 12, 21))
        store.save_article(run_id, naive, capture(1)["warc_record_id"])
    with pytest.raises(ValueError, match="source_id"):
        store.save_article(run_id, {**article("101"), "source_id": ""}, capture(1)["warc_record_id"])
    with pytest.raises(ValueError, match="add_capture"):
        store.save_article(run_id, article("101"), "<urn:uuid:never-added>")
    store.flush()
    assert _count(engine, Capture) == 1
    assert _count(engine, Article) == 0


def test_a_capture_already_stored_is_skipped_and_its_batch_kept(store: ArchiveStore, engine: Engine) -> None:
    run_id = store.start_run("council", {})
    store.add_capture(run_id, capture(1))
    store.flush()
    store.add_capture(run_id, capture(2))
    store.add_capture(run_id, capture(1))  # the same WARC record again, e.g. a re-imported file
    store.add_capture(run_id, capture(3))
    store.flush()
    assert _count(engine, Capture) == 3


def test_two_stores_on_one_database_take_turns_while_a_reader_reads(engine: Engine, db_path: Path) -> None:
    other_engine = open_database(f"sqlite:///{db_path}")
    with ArchiveStore(engine) as first, ArchiveStore(other_engine) as second:
        with engine.connect() as reader:
            reader.begin()
            assert reader.execute(select(func.count()).select_from(Article)).scalar_one() == 0
            run_a = first.start_run("site-a", {})
            run_b = second.start_run("site-b", {})
            for number in range(1, 6):
                for store, run_id, offset in ((first, run_a, 0), (second, run_b, 100)):
                    _save(store, run_id, number + offset, article(str(number + offset)))
                    store.flush()
            # The reader's snapshot predates both writers' commits.
            assert reader.execute(select(func.count()).select_from(Article)).scalar_one() == 0
    assert _count(engine, Article) == 10


@dataclass(frozen=True)
class _ClosedWarc:
    name: str
    path: Path
    sha256: str
    size: int
    records: int
    index_path: Path | None


def test_closed_warc_files_are_recorded_once_per_name(store: ArchiveStore, engine: Engine) -> None:
    run_id = store.start_run("council", {})
    closed = _ClosedWarc("a.warc.gz", Path("/tmp/a.warc.gz"), "ab" * 32, 1234, 10, None)
    store.record_warc_file(run_id, closed)
    store.record_warc_file(run_id, {"name": "a.warc.gz", "sha256": "cd" * 32, "size": 2345, "records": 12})
    with pytest.raises(ValueError, match="sha256"):
        store.record_warc_file(run_id, {"name": "b.warc.gz", "size": 1, "records": 1})
    with session_factory(engine)() as session:
        stored = session.scalars(select(WarcFile)).one()
    assert (stored.sha256, stored.size, stored.records, stored.run_id) == ("cd" * 32, 2345, 12, run_id)


def test_finish_run_records_status_and_merged_counts(store: ArchiveStore, engine: Engine) -> None:
    run_id = store.start_run("council", {"max_pages": 10})
    _save(store, run_id, 1, article("101"))
    _save(store, run_id, 2, article("102"))
    _save(store, run_id, 3, article("101"))
    with pytest.raises(ValueError, match="finishes as one of"):
        store.finish_run(run_id, "done")
    store.finish_run(run_id, "interrupted", {"pages": 3, "errors": {"404": 1}})
    with session_factory(engine)() as session:
        run = session.get(CrawlRun, run_id)
    assert run.status == "interrupted"
    assert run.finished_at is not None and run.finished_at >= run.started_at
    assert run.options == {"max_pages": 10}
    assert run.counts == {
        "captures": 3,
        "articles_new": 2,
        "articles_unchanged": 1,
        "pages": 3,
        "errors": {"404": 1},
    }


def test_close_is_idempotent_and_final(engine: Engine) -> None:
    store = ArchiveStore(engine, batch_size=1000, max_batch_seconds=3600)
    run_id = store.start_run("council", {})
    store.add_capture(run_id, capture(1))
    store.close()
    store.close()
    assert _count(engine, Capture) == 1
    with pytest.raises(DatabaseError, match="closed"):
        store.add_capture(run_id, capture(2))
