"""The notebook API over a crawled mirror: open by URL or path, search, articles, captures, DataFrame."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import hdnd
from conftest import CrawledArchive
from db.engine import DatabaseError
from test_search import expected


@pytest.fixture(scope="module")
def archive(crawled_archive: CrawledArchive) -> Iterator[hdnd.Archive]:
    with hdnd.open_archive(crawled_archive.db_url) as opened:
        yield opened


@pytest.fixture(scope="module")
def truths(crawled_archive: CrawledArchive) -> list[dict]:
    return [crawled_archive.site.truth(i) for i in crawled_archive.site.article_ids()]


def test_open_by_path_or_url(crawled_archive: CrawledArchive, tmp_path: Path) -> None:
    path = crawled_archive.directory / "hdnd.sqlite"
    with hdnd.open_archive(path) as by_path:
        assert by_path.count("dan van") > 0
    with pytest.raises(DatabaseError, match="no archive database"):
        hdnd.open_archive(tmp_path / "missing.sqlite")


def test_search_and_count(archive: hdnd.Archive, truths: list[dict]) -> None:
    wanted = expected(truths, "Đức")
    hits = archive.search("Đức", limit=None)
    assert {hit.source_id for hit in hits} == wanted == {
        hit.source_id for hit in archive.search("Đức", limit=5) + archive.search("Đức", limit=None, offset=5)}
    assert archive.count("Đức") == len(wanted)
    assert all("**Đức**" in hit.snippet for hit in hits)


def test_articles_carry_images_attachments_and_capture(archive: hdnd.Archive, truths: list[dict]) -> None:
    records = list(archive.articles(query='"hoa binh"', since="2019"))
    assert {r["source_id"] for r in records} == {
        t["source_id"] for t in truths if (t["published_at"] or "") >= "2019"} & expected(truths, '"hoa binh"')
    with_images = next(r for r in records if r["images"])
    assert set(with_images["images"][0]) == {"src", "alt", "caption"}
    assert with_images["capture"]["warc_file"].endswith(".warc.gz")
    assert archive.categories() == sorted({t["category"] for t in truths})


def test_captures_of_an_article(archive: hdnd.Archive, truths: list[dict]) -> None:
    captures = archive.captures(truths[0]["source_id"])
    assert captures[0]["version"] == 1 and captures[0]["status"] == 200
    assert captures[0]["warc_record_id"].startswith("<urn:uuid:")
    with pytest.raises(KeyError, match="no article"):
        archive.captures("no-such-article")


def test_dataframe(archive: hdnd.Archive, truths: list[dict]) -> None:
    frame = archive.dataframe(category="tin hoat dong")
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) == sum(t["category"] == "Tin hoạt động" for t in truths)
    assert str(frame["published_at"].dt.tz) == "Asia/Ho_Chi_Minh"
    assert {"capture_warc_file", "capture_fetched_at", "images"} <= set(frame.columns)
    assert archive.dataframe(query="xyzzy").empty
