"""End to end: crawl the mirror over real sockets and compare the archive with its ground truth."""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
import subprocess
import sys
import zlib
from dataclasses import replace
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.reader import read_record
from conftest import CrawledArchive, crawl_arguments, run_hdnd
from metrics import token_f1
from mirror.server import MirrorServer
from mirror.site import Site


def export(archive: CrawledArchive) -> dict[str, dict]:
    lines = run_hdnd("export", "--db", archive.db_url).stdout.splitlines()
    return {record["source_id"]: record for record in map(json.loads, lines)}


def warc_files(archive: CrawledArchive) -> list[Path]:
    return sorted(archive.warc_dir.glob("*.warc.gz"))


@pytest.fixture(scope="module")
def exported(crawled_archive: CrawledArchive) -> dict[str, dict]:
    return export(crawled_archive)


def test_every_article_matches_ground_truth(crawled_archive: CrawledArchive, exported: dict[str, dict]) -> None:
    site = crawled_archive.site
    for article_id in site.article_ids():
        truth = site.truth(article_id)
        record = exported.get(truth["source_id"])
        assert record is not None, f"article {truth['url']} was not archived"
        assert record["title"] == truth["title"], truth["url"]
        assert record["published_at"] == truth["published_at"], truth["url"]
        assert token_f1(record["body"], "\n\n".join(truth["body"])) >= 0.98, truth["url"]
        assert [image["caption"] for image in record["images"] if image["caption"]] == truth["captions"], truth["url"]
        assert [a["name"] for a in record["attachments"]] == [a["name"] for a in truth["attachments"]]
        assert record["category"] == truth["category"]


def test_seed_article_is_verbatim(crawled_archive: CrawledArchive, exported: dict[str, dict]) -> None:
    seed_path = crawled_archive.site.special_pages()["seed"]
    record = next(r for r in exported.values() if r["url"].endswith(seed_path))
    assert record["published_at"] == "2022-12-21T00:00:00+07:00"
    assert "15/15/2022" in record["body"]
    assert record["body"].endswith("./.")
    assert len(record["images"]) == 2 and all(image["caption"] for image in record["images"])


def test_every_warc_is_whole_and_passes_warcio_check(crawled_archive: CrawledArchive) -> None:
    files = warc_files(crawled_archive)
    assert files and not list(crawled_archive.warc_dir.glob("*.open"))
    for path in files:
        check = subprocess.run([Path(sys.executable).with_name("warcio"), "check", str(path)], capture_output=True)
        assert check.returncode == 0, check.stdout + check.stderr
        data = path.read_bytes()
        while data:  # every gzip member complete, up to the last byte
            member = zlib.decompressobj(16 + zlib.MAX_WBITS)
            member.decompress(data)
            assert member.eof, f"{path.name}: incomplete gzip member"
            data = member.unused_data
        with path.open("rb") as stream:
            assert next(iter(ArchiveIterator(stream))).rec_type == "warcinfo"


def test_capture_points_at_response_record(crawled_archive: CrawledArchive, exported: dict[str, dict]) -> None:
    for record in exported.values():
        capture = record["capture"]
        stored = read_record(crawled_archive.warc_dir / capture["warc_file"], capture["warc_offset"])
        assert stored.record.rec_type == "response"
        assert stored.location.record_id == capture["warc_record_id"]
        assert stored.location.length == capture["warc_length"]
        assert stored.record.rec_headers.get_header("WARC-Target-URI").split("?")[0] == record["url"].split("?")[0]


@pytest.mark.parametrize("special", ["gzip", "windows_1258"])
def test_bytes_are_archived_as_sent(crawled_archive: CrawledArchive, special: str) -> None:
    path = crawled_archive.site.special_pages()[special]
    sent = crawled_archive.site.respond("GET", path, {"Accept-Encoding": "gzip, deflate"}).body
    url = crawled_archive.server.url(path)
    for warc in warc_files(crawled_archive):
        with warc.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type == "response" and record.rec_headers.get_header("WARC-Target-URI") == url:
                    assert record.raw_stream.read() == sent
                    if special == "gzip":
                        assert record.http_headers.get_header("Content-Encoding") == "gzip"
                        gzip.decompress(sent)
                    return
    pytest.fail(f"no response record for {url}")


def test_scope_robots_and_traps(crawled_archive: CrawledArchive) -> None:
    targets = [target for _, target, _ in crawled_archive.requests]
    special = crawled_archive.site.special_pages()
    assert not [t for t in targets if t.startswith(("/admin", "/search"))], "requested a disallowed path"
    assert sum(t.startswith(special["calendar"]) for t in targets) <= 10, "the calendar trap was not bounded"
    assert special["sitemap_only"] in targets, "the sitemap-only article was not found"
    summary = crawled_archive.crawl_output
    assert "robots-blocked" in summary and "robots-blocked   0" not in summary


def test_error_once_article_was_archived(crawled_archive: CrawledArchive, exported: dict[str, dict]) -> None:
    path = crawled_archive.site.special_pages()["error_once"]
    statuses = [status for _, target, status in crawled_archive.requests if target == path]
    assert statuses[:2] == [500, 200]
    assert any(record["url"].endswith(path) for record in exported.values())


def test_second_crawl_adds_no_duplicate(crawled_archive: CrawledArchive, tmp_path: Path) -> None:
    # On a copy: the session's archive is shared with other tests.
    db_path, warc_dir = tmp_path / "hdnd.sqlite", tmp_path / "warc"
    with sqlite3.connect(crawled_archive.directory / "hdnd.sqlite") as source, sqlite3.connect(db_path) as copy:
        source.backup(copy)
    shutil.copytree(crawled_archive.warc_dir, warc_dir)
    copied = replace(crawled_archive, db_url=f"sqlite:///{db_path}", warc_dir=warc_dir)
    before = export(copied)
    run_hdnd(*crawl_arguments(crawled_archive.server.base_url, copied.db_url, warc_dir, "--no-assets"))
    after = export(copied)
    assert sorted(after) == sorted(before)
    assert {k: v["body"] for k, v in after.items()} == {k: v["body"] for k, v in before.items()}


def test_unreachable_start_url_is_one_line_error(tmp_path: Path) -> None:
    completed = run_hdnd("crawl", "--start-url", "http://127.0.0.1:9/", "--db", f"sqlite:///{tmp_path}/x.sqlite",
                         "--warc-dir", str(tmp_path / "w"), "--log-level", "ERROR", check=False)
    assert completed.returncode != 0
    assert "cannot reach http://127.0.0.1:9/" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_bad_option_is_one_line_error(tmp_path: Path) -> None:
    completed = run_hdnd("crawl", "--start-url", "ftp://x", "--db", f"sqlite:///{tmp_path}/x.sqlite", check=False)
    assert completed.returncode == 2
    assert "not an http(s) URL" in completed.stderr and "Traceback" not in completed.stderr


def test_scrapy_crawl_runs_the_same_spider(tmp_path: Path) -> None:
    repository = Path(__file__).resolve().parent.parent
    with MirrorServer(Site(articles=20)) as server:
        completed = subprocess.run(
            [Path(sys.executable).with_name("scrapy"), "crawl", "council", "-a", f"start_url={server.base_url}/",
             "-s", f"HDND_DB_URL=sqlite:///{tmp_path}/a.sqlite", "-s", f"HDND_WARC_DIR={tmp_path}/warc",
             "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "LOG_LEVEL=WARNING"],
            cwd=repository, capture_output=True, text=True, timeout=300,
        )
    assert completed.returncode == 0, completed.stderr[-3000:]
    exported = run_hdnd("export", "--db", f"sqlite:///{tmp_path}/a.sqlite").stdout.splitlines()
    assert len(exported) == 20
