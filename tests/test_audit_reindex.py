"""hdnd reindex: the database rebuilt from the WARC files alone equals the one the crawl wrote."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from archive.writer import WarcWriter, payload_digest_of
from archive_samples import exchange
from conftest import crawl_arguments, run_hdnd
from db.engine import open_database
from db.export import iter_export_records
from hdnd.cli import main
from mirror.server import MirrorServer
from mirror.site import Site

CAPTURE_COLUMNS = (
    "url, method, status, fetched_at, content_type, payload_digest, warc_type, warc_file, warc_offset, "
    "warc_length, warc_record_id, request_record_id, ip_address, content_length, refers_to_record_id"
)
VERSION_COLUMNS = (
    "a.site, a.source_id, v.version, v.title, v.published_at, v.category, v.lead, v.body, v.byline, "
    "v.content_hash, v.created_at, c.warc_record_id"
)


def rows(db_url: str, query: str) -> list[tuple]:
    with sqlite3.connect(make_url(db_url).database) as connection:
        return connection.execute(query).fetchall()


def export(db_url: str) -> list[dict]:
    engine = open_database(db_url)
    try:
        return list(iter_export_records(engine))
    finally:
        engine.dispose()


def reindex(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    """Run ``hdnd reindex`` (in this process: it needs no reactor); its status, output and errors."""
    status = main(["reindex", *arguments])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def assert_same_archive(crawled: str, rebuilt: str) -> None:
    """Same export, captures, versions and fixity rows (ids may differ, everything else may not)."""
    assert export(rebuilt) == export(crawled)
    captures = f"SELECT {CAPTURE_COLUMNS} FROM captures ORDER BY warc_file, warc_offset"
    assert rows(rebuilt, captures) == rows(crawled, captures)
    versions = (f"SELECT {VERSION_COLUMNS} FROM article_versions v JOIN articles a ON a.id = v.article_id "
                "JOIN captures c ON c.id = v.capture_id ORDER BY a.site, a.source_id, v.version")
    assert rows(rebuilt, versions) == rows(crawled, versions)
    files = "SELECT name, sha256, size, records FROM warc_files ORDER BY name"
    assert rows(rebuilt, files) == rows(crawled, files)
    articles = ("SELECT site, source_id, url, first_seen_at, last_seen_at, versions, content_hash FROM articles "
                "ORDER BY site, source_id")
    assert rows(rebuilt, articles) == rows(crawled, articles)


def test_reindex_reproduces_the_crawl(crawled_archive, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rebuilt = f"sqlite:///{tmp_path / 'rebuilt.sqlite'}"
    requests_before = len(crawled_archive.server.requests)
    status, out, _ = reindex(capsys, "--warc-dir", str(crawled_archive.warc_dir), "--db", rebuilt)
    assert status == 0
    assert len(crawled_archive.server.requests) == requests_before  # no network
    (articles,) = rows(crawled_archive.db_url, "SELECT count(*) FROM articles")[0]
    assert f"articles    {articles} new, 0 updated" in out
    assert_same_archive(crawled_archive.db_url, rebuilt)
    assert main(["verify", "--db", rebuilt, "--warc-dir", str(crawled_archive.warc_dir)]) == 0


def test_reindex_rebuilds_versions_of_a_recrawl(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = Site(articles=20)
    crawled = f"sqlite:///{tmp_path / 'crawled.sqlite'}"
    warc_dir = tmp_path / "warc"
    with MirrorServer(site) as server:
        run_hdnd(*crawl_arguments(server.base_url, crawled, warc_dir, "--no-assets"))
        server.set_generation(3)  # some articles changed, some were added
        run_hdnd(*crawl_arguments(server.base_url, crawled, warc_dir, "--no-assets"))
    (updated,) = rows(crawled, "SELECT count(*) FROM articles WHERE versions > 1")[0]
    assert updated > 0, "the mirror's later generation should change some articles"
    rebuilt = f"sqlite:///{tmp_path / 'rebuilt.sqlite'}"
    status, out, _ = reindex(capsys, "--warc-dir", str(warc_dir), "--db", rebuilt)
    assert status == 0 and "runs        2" in out
    assert_same_archive(crawled, rebuilt)


def test_reindex_refuses_a_database_that_holds_an_archive(
    crawled_archive, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "copy.sqlite"
    with sqlite3.connect(make_url(crawled_archive.db_url).database) as source, sqlite3.connect(database) as target:
        source.backup(target)
    status, _, err = reindex(capsys, "--warc-dir", str(crawled_archive.warc_dir), "--db", f"sqlite:///{database}")
    assert status == 2
    assert "already holds 1 crawl runs" in err


def test_the_article_pattern_can_be_overridden(
    crawled_archive, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rebuilt = f"sqlite:///{tmp_path / 'rebuilt.sqlite'}"
    status, _, _ = reindex(capsys, "--warc-dir", str(crawled_archive.warc_dir), "--db", rebuilt,
                           "--article-pattern", "/tin-tuc/")
    assert status == 0
    urls = [url for (url,) in rows(rebuilt, "SELECT url FROM articles")]
    assert urls and all("/tin-tuc/" in url for url in urls)
    (pattern,) = rows(rebuilt, "SELECT json_extract(options, '$.HDND_ARTICLE_URL_PATTERN') FROM crawl_runs")[0]
    assert pattern == "/tin-tuc/"


def test_a_damaged_file_is_reindexed_up_to_the_damage(
    crawled_archive, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warc_dir = tmp_path / "warc"
    shutil.copytree(crawled_archive.warc_dir, warc_dir)
    (path,) = sorted(warc_dir.glob("*.warc.gz"))[-1:]
    with open(path, "r+b") as handle:
        handle.truncate(path.stat().st_size // 2)
    rebuilt = f"sqlite:///{tmp_path / 'rebuilt.sqlite'}"
    status, _, err = reindex(capsys, "--warc-dir", str(warc_dir), "--db", rebuilt)
    assert status == 1
    assert f"bad-record: {path.name}, offset " in err and "reindexed up to here only" in err
    (kept,) = rows(rebuilt, "SELECT count(*) FROM articles")[0]
    (crawled,) = rows(crawled_archive.db_url, "SELECT count(*) FROM articles")[0]
    assert 0 < kept < crawled


@pytest.mark.parametrize("pattern", ["(unclosed", "no-group"])
def test_bad_patterns_are_clear_errors(
    crawled_archive, tmp_path: Path, capsys: pytest.CaptureFixture[str], pattern: str
) -> None:
    status, _, err = reindex(capsys, "--warc-dir", str(crawled_archive.warc_dir), "--db",
                             f"sqlite:///{tmp_path / 'r.sqlite'}", "--source-id-pattern", pattern)
    assert status == 2
    assert err.startswith("hdnd reindex: error:")


ARTICLE_URL = "http://hdnd.example.vn/DetailController?id=1"


def article_page(heading: str) -> bytes:
    paragraph = "<p>Hội đồng nhân dân tỉnh khóa X thông qua 12 nghị quyết quan trọng về phát triển kinh tế.</p>"
    return (f"<html><head><title>DetailController</title></head><body><div class='content'><h1>{heading}</h1>"
            f"<p class='date'>Ngày 12/03/2024</p>{paragraph * 5}</div></body></html>").encode("utf-8")


@pytest.mark.parametrize("by_record_id", [True, False], ids=["refers-to", "uri-and-date"])
def test_a_revisit_is_extracted_from_the_record_it_refers_to(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], by_record_id: bool
) -> None:
    """Article 1 fetched at its URL, then changed under a second URL, then fetched again unchanged at the
    first: that last fetch is a revisit, yet a new version of the article, extracted from the first record."""
    first, second = article_page("Kỳ họp thứ 7 HĐND tỉnh"), article_page("Kỳ họp thứ 8 HĐND tỉnh")
    day = timedelta(days=1)
    start = datetime(2026, 11, 1, tzinfo=timezone.utc)
    warc_dir = tmp_path / "warc"
    with WarcWriter(warc_dir) as writer:
        _, original = writer.write_exchange(exchange(ARTICLE_URL, body=first, fetched_at=start))
        writer.write_exchange(exchange(ARTICLE_URL + "&utm_source=zalo", body=second, fetched_at=start + day))
        writer.write_revisit(
            exchange(ARTICLE_URL, body=first, fetched_at=start + 2 * day), refers_to_uri=ARTICLE_URL,
            refers_to_date=start, payload_digest=payload_digest_of(first),
            refers_to_record_id=original.record_id if by_record_id else None,
        )
    rebuilt = f"sqlite:///{tmp_path / 'rebuilt.sqlite'}"
    status, out, _ = reindex(capsys, "--warc-dir", str(warc_dir), "--db", rebuilt)
    assert status == 0 and "articles    1 new, 2 updated, 0 unchanged, 0 failed" in out
    assert rows(rebuilt, "SELECT v.version, v.title, c.warc_type FROM article_versions v "
                         "JOIN captures c ON c.id = v.capture_id ORDER BY v.version") == [
        (1, "Kỳ họp thứ 7 HĐND tỉnh", "response"),
        (2, "Kỳ họp thứ 8 HĐND tỉnh", "response"),
        (3, "Kỳ họp thứ 7 HĐND tỉnh", "revisit"),
    ]
    assert rows(rebuilt, "SELECT content_length FROM captures WHERE warc_type = 'revisit'") == [(len(first),)]
    # verify extracts version 3 again from the record the revisit refers to
    assert main(["verify", "--db", rebuilt, "--warc-dir", str(warc_dir)]) == 0, capsys.readouterr().out
