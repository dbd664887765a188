"""Exports of a crawled mirror: CSV and Parquet read back equal to the JSON Lines export; filters as in search."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from conftest import CrawledArchive, run_hdnd
from db.engine import open_database
from db.export import EXPORT_FIELDS, iter_export_records, write_parquet
from db.extras import MissingExtraError, import_extra
from test_search import expected

LIST_FIELDS = ("images", "attachments", "capture")


@pytest.fixture(scope="module")
def jsonl_records(crawled_archive: CrawledArchive) -> list[dict[str, Any]]:
    lines = run_hdnd("export", "--db", crawled_archive.db_url).stdout.splitlines()
    return [json.loads(line) for line in lines]


def _iso(value: Any) -> Any:
    """Parquet timestamps back to the export's ISO strings, inside lists and structs too."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _iso(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_iso(item) for item in value]
    return value


def test_csv_with_bom_reads_back_equal_to_jsonl(
    crawled_archive: CrawledArchive, jsonl_records: list[dict[str, Any]], tmp_path: Path
) -> None:
    path = tmp_path / "articles.csv"
    run_hdnd("export", "--db", crawled_archive.db_url, "--format", "csv", "--bom", "-o", str(path))
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as source:
        rows = list(csv.DictReader(source))
    assert len(rows) == len(jsonl_records) == len(crawled_archive.site.article_ids())
    for row, record in zip(rows, jsonl_records):
        for field in EXPORT_FIELDS:
            value = json.loads(row[field]) if field in LIST_FIELDS else row[field]
            assert value == (record[field] if record[field] is not None else ""), field


def test_parquet_reads_back_equal_to_jsonl(
    crawled_archive: CrawledArchive, jsonl_records: list[dict[str, Any]], tmp_path: Path
) -> None:
    path = tmp_path / "articles.parquet"
    completed = run_hdnd("export", "--db", crawled_archive.db_url, "--format", "parquet", "-o", str(path))
    assert f"exported {len(jsonl_records)} articles" in completed.stderr
    table = pq.read_table(path)
    assert table.column_names == list(EXPORT_FIELDS)
    assert str(table.schema.field("published_at").type) == "timestamp[us, tz=Asia/Ho_Chi_Minh]"
    assert [_iso(row) for row in table.to_pylist()] == jsonl_records
    assert not list(tmp_path.glob(".*.partial"))


def test_export_filters_like_search(crawled_archive: CrawledArchive, tmp_path: Path) -> None:
    truths = [crawled_archive.site.truth(i) for i in crawled_archive.site.article_ids()]
    category = truths[0]["category"]
    wanted = {t["source_id"] for t in truths if t["category"] == category
              and "2019" <= (t["published_at"] or "")[:4] <= "2021"} & expected(truths, "hoa binh")
    assert wanted
    lines = run_hdnd("export", "--db", crawled_archive.db_url, "--since", "2019", "--until", "2021",
                     "--category", category.upper(), "--query", "hoa binh").stdout.splitlines()
    assert {json.loads(line)["source_id"] for line in lines} == wanted


def test_python_export_takes_the_same_filters(crawled_archive: CrawledArchive) -> None:
    engine = open_database(crawled_archive.db_url)
    truths = [crawled_archive.site.truth(i) for i in crawled_archive.site.article_ids()]
    records = list(iter_export_records(engine, query='"Hoà Bình"', published_since="2020-01"))
    assert {r["source_id"] for r in records} == {
        t["source_id"] for t in truths if (t["published_at"] or "") >= "2020-01"} & expected(truths, '"Hoà Bình"')


def test_a_bad_filter_fails_clearly_without_leaving_a_file(crawled_archive: CrawledArchive, tmp_path: Path) -> None:
    path = tmp_path / "out.parquet"
    for arguments in (["--category", "không có"], ["--since", "hôm qua"], ["--query", "::"]):
        completed = run_hdnd("export", "--db", crawled_archive.db_url, "--format", "parquet", "-o", str(path),
                             *arguments, check=False)
        assert completed.returncode == 2 and completed.stderr.startswith("hdnd export: error: "), arguments
        assert not list(tmp_path.iterdir())
    completed = run_hdnd("export", "--db", crawled_archive.db_url, "--format", "parquet", check=False)
    assert completed.returncode == 2 and "--output" in completed.stderr


def test_parquet_of_no_articles_is_a_valid_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.parquet"
    assert write_parquet([], path) == 0
    table = pq.read_table(path)
    assert table.num_rows == 0 and table.column_names == list(EXPORT_FIELDS)


def test_a_missing_optional_package_names_the_extra() -> None:
    with pytest.raises(MissingExtraError, match=r"pip install 'hdnd-archive\[parquet\]'"):
        import_extra("hdnd_no_such_package", "parquet", "Parquet export")
