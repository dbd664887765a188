"""Export to JSON Lines and CSV, and the look-ups the command line uses."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from conftest import SHARED_DIR

from db.engine import open_database, session_factory
from db.export import EXPORT_FIELDS, iter_export_records, write_csv, write_jsonl
from db.queries import AmbiguousArticleError, find_article, list_runs
from db.store import ArchiveStore
from db.types import VIETNAM
from db_samples import CAPTION, SITE, article, capture

REAL_GOV = SHARED_DIR / "corpus" / "real-gov"
OTHER_SITE = "hdnd.other.gov.vn"


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return open_database(f"sqlite:///{tmp_path / 'archive.db'}")


def _archive(engine: Engine, *runs: list[dict]) -> list[int]:
    """Save each list of items in a run of its own, each item from its own capture; returns the run ids."""
    run_ids = []
    number = 0
    with ArchiveStore(engine) as store:
        for items in runs:
            run_id = store.start_run("council", {})
            for item in items:
                number += 1
                row = capture(number, url=item["url"])
                store.add_capture(run_id, row)
                store.save_article(run_id, item, row["warc_record_id"])
            store.finish_run(run_id, "finished")
            run_ids.append(run_id)
    return run_ids


def test_records_carry_the_export_fields_in_order(engine: Engine) -> None:
    _archive(engine, [article("101"), article("102", published_at=None, images=[], attachments=[])])
    first, second = iter_export_records(engine)
    assert tuple(first) == EXPORT_FIELDS
    assert EXPORT_FIELDS[:6] == ("url", "source_id", "title", "published_at", "category", "body")
    assert first["published_at"] == "2022-12-21T00:00:00+07:00"
    assert first["images"] == [
        {"src": f"http://{SITE}/img/1.jpg", "alt": None, "caption": CAPTION},
        {"src": f"http://{SITE}/img/2.jpg", "alt": "Hội nghị", "caption": None},
    ]
    assert first["attachments"] == [
        {"url": f"http://{SITE}/files/nq-12.pdf", "name": "Nghị quyết 12/2022/NQ-HĐND"}
    ]
    assert first["capture"] == {
        "warc_file": capture(1)["warc_file"],
        "warc_offset": capture(1)["warc_offset"],
        "warc_length": capture(1)["warc_length"],
        "warc_record_id": capture(1)["warc_record_id"],
        "fetched_at": capture(1)["fetched_at"].isoformat(),
    }
    assert (second["source_id"], second["published_at"], second["images"]) == ("102", None, [])


def test_the_export_shows_the_current_version(engine: Engine) -> None:
    _archive(engine, [article("101")], [article("101", body="Bản sửa.", images=[])])
    (record,) = iter_export_records(engine)
    assert record["body"] == "Bản sửa."
    assert record["images"] == []
    assert record["capture"]["warc_record_id"] == capture(2)["warc_record_id"]


def test_filters_by_site_publication_date_and_run(engine: Engine) -> None:
    run_ids = _archive(
        engine,
        [article("1", published_at=datetime(2022, 1, 5, tzinfo=VIETNAM))],
        [article("2", published_at=datetime(2023, 6, 1, tzinfo=VIETNAM))],
        [article("3", site=OTHER_SITE, url=f"http://{OTHER_SITE}/3")],
    )
    assert [r["source_id"] for r in iter_export_records(engine, site=SITE)] == ["1", "2"]
    since = datetime(2023, 1, 1, tzinfo=VIETNAM)
    assert [r["source_id"] for r in iter_export_records(engine, published_since=since)] == ["2"]
    until = datetime(2022, 12, 31, 23, 59, tzinfo=VIETNAM)
    assert [r["source_id"] for r in iter_export_records(engine, published_until=until)] == ["1", "3"]
    assert [r["source_id"] for r in iter_export_records(engine, run_id=run_ids[1])] == ["2"]


def test_export_pages_through_many_articles_from_a_session(engine: Engine) -> None:
    _archive(engine, [article(str(number)) for number in range(1, 1203)])
    with session_factory(engine)() as session:
        records = list(iter_export_records(session))
    assert len(records) == 1202
    assert [r["source_id"] for r in records[:3]] == ["1", "2", "3"]
    assert all(len(r["images"]) == 2 for r in records)


def test_jsonl_lines_parse_back_to_the_records(engine: Engine) -> None:
    _archive(engine, [article("101"), article("102")])
    output = io.StringIO()
    assert write_jsonl(iter_export_records(engine), output) == 2
    lines = output.getvalue().splitlines()
    assert "Tổng kết" in lines[0] and "\\u" not in lines[0]  # Vietnamese kept readable, not escaped
    assert [json.loads(line) for line in lines] == list(iter_export_records(engine))


@pytest.mark.parametrize("bom", [False, True])
def test_csv_reads_back_with_json_cells(engine: Engine, tmp_path: Path, bom: bool) -> None:
    _archive(engine, [article("101"), article("102", byline=None, lead=None)])
    path = tmp_path / "articles.csv"
    with path.open("w", encoding="utf-8", newline="") as output:
        assert write_csv(iter_export_records(engine), output, bom=bom) == 2
    assert path.read_bytes().startswith(b"\xef\xbb\xbf") is bom
    with path.open(encoding="utf-8-sig", newline="") as source:
        rows = list(csv.DictReader(source))
    assert tuple(rows[0]) == EXPORT_FIELDS
    records = list(iter_export_records(engine))
    for row, record in zip(rows, records):
        assert row["body"] == record["body"]  # multi-line cell intact
        for field in ("images", "attachments", "capture"):
            assert json.loads(row[field]) == record[field]
    assert (rows[1]["byline"], rows[1]["lead"]) == ("", "")


def test_find_article_by_source_id_or_url(engine: Engine) -> None:
    _archive(engine, [article("101"), article("7"), article("7", site=OTHER_SITE, url=f"http://{OTHER_SITE}/7")])
    with session_factory(engine)() as session:
        assert find_article(session, "101").url == f"http://{SITE}/DetailController/101"
        assert find_article(session, f" http://{OTHER_SITE}/7 ").site == OTHER_SITE
        assert find_article(session, "7", site=SITE).site == SITE
        assert find_article(session, "999") is None
        with pytest.raises(AmbiguousArticleError, match="hdnd.other.gov.vn 7"):
            find_article(session, "7")


def test_list_runs_newest_first(engine: Engine) -> None:
    run_ids = _archive(engine, [article("1")], [article("2")], [article("3")])
    with session_factory(engine)() as session:
        runs = list_runs(session)
        assert [run.id for run in runs] == run_ids[::-1]
        assert [run.id for run in list_runs(session, limit=1)] == [run_ids[-1]]
        assert runs[0].status == "finished"


def test_real_government_article_round_trips(engine: Engine) -> None:
    truth_path = REAL_GOV / "truth.json"
    if not truth_path.exists():
        pytest.skip("real-gov corpus not available")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))["hdnd-hochiminhcity-2025-10-09.html"]
    item = article(
        "tphcm-mua-lon",
        url=truth["original_url"],
        site="hdnd.hochiminhcity.gov.vn",
        title=truth["title"],
        published_at=datetime.fromisoformat(truth["published_at"]),
        lead=truth["lead"],
        body="\n\n".join(truth["body"]),
        byline=truth["byline"],
        images=[
            {"src": f"http://hdnd.hochiminhcity.gov.vn/{number}.jpg", "caption": caption}
            for number, caption in enumerate(truth["captions"])
        ],
    )
    _archive(engine, [item])
    (record,) = iter_export_records(engine)
    assert record["title"] == truth["title"]
    assert record["published_at"] == truth["published_at"]
    assert record["body"].split("\n\n") == truth["body"]
    assert [image["caption"] for image in record["images"]] == truth["captions"]
    assert (record["lead"], record["byline"]) == (truth["lead"], truth["byline"])
