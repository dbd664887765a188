"""Re-crawls: revisit records for unchanged pages, versions for changed articles, incremental crawls, 304s."""

from __future__ import annotations

import json
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from conftest import crawl_arguments, run_hdnd
from mirror.server import MirrorServer
from mirror.site import Site


class Recrawls:
    def __init__(self, server: MirrorServer, directory: Path) -> None:
        self.server = server
        self.db_url = f"sqlite:///{directory / 'hdnd.sqlite'}"
        self.db_path = directory / "hdnd.sqlite"
        self.warc_dir = directory / "warc"

    def crawl(self, *extra: str) -> list[tuple[str, str, int]]:
        """Crawl once more; the requests the mirror received during this crawl."""
        before = len(self.server.requests)
        run_hdnd(*crawl_arguments(self.server.base_url, self.db_url, self.warc_dir, "--no-assets", *extra))
        return list(self.server.requests)[before:]

    def query(self, sql: str) -> list[tuple]:
        with sqlite3.connect(self.db_path) as connection:
            return connection.execute(sql).fetchall()

    def records(self) -> Iterator:
        for path in sorted(self.warc_dir.glob("*.warc.gz")):
            with path.open("rb") as stream:
                yield from ArchiveIterator(stream)


@pytest.fixture()
def recrawls(tmp_path: Path) -> Iterator[Recrawls]:
    with MirrorServer(Site(articles=30)) as server:
        yield Recrawls(server, tmp_path)


def test_unchanged_pages_become_revisits(recrawls: Recrawls) -> None:
    recrawls.crawl()
    recrawls.crawl()
    revisits = [r for r in recrawls.records() if r.rec_type == "revisit"]
    assert len(revisits) >= 30
    for record in revisits:
        headers = record.rec_headers
        assert headers.get_header("WARC-Profile").endswith("/revisit/identical-payload-digest")
        assert headers.get_header("WARC-Refers-To-Target-URI") == headers.get_header("WARC-Target-URI")
        assert headers.get_header("WARC-Refers-To-Date")
        assert headers.get_header("WARC-Payload-Digest").startswith("sha1:")
    (second_run,) = recrawls.query("SELECT max(id) FROM crawl_runs")[0]
    kinds = dict(recrawls.query(f"SELECT warc_type, count(*) FROM captures WHERE run_id = {second_run} GROUP BY 1"))
    assert kinds.get("revisit", 0) >= 30
    assert recrawls.query("SELECT count(*) FROM articles")[0][0] == 30
    assert recrawls.query("SELECT max(versions) FROM articles")[0][0] == 1


def test_changed_articles_get_versions_and_furniture_does_not(recrawls: Recrawls) -> None:
    recrawls.crawl()
    recrawls.server.set_generation(1)  # new articles, three edited ones, a hit counter on every page
    recrawls.crawl()
    versioned = recrawls.query("SELECT source_id FROM articles WHERE versions = 2")
    assert len(versioned) == 3
    assert recrawls.query("SELECT count(*) FROM article_versions")[0][0] == 30 + 5 + 3
    assert len(run_hdnd("export", "--db", recrawls.db_url).stdout.splitlines()) == 35


def test_incremental_crawl_fetches_only_what_is_new(recrawls: Recrawls) -> None:
    recrawls.crawl()
    recrawls.server.set_generation(1)
    requests = recrawls.crawl("--incremental")
    fetched_articles = {target for _, target, _ in requests if "DetailController" in target}
    assert len(fetched_articles) <= 5 + 2  # the five new ones (plus the 404 link and the old redirect)
    listing_pages = [target for _, target, _ in requests if "page=" in target]
    assert len(listing_pages) <= 10, "an incremental crawl should stop paging at archived articles"
    assert recrawls.query("SELECT count(*) FROM articles")[0][0] == 30 + 5


def test_recheck_uses_conditional_requests_and_records_304(recrawls: Recrawls) -> None:
    recrawls.crawl()
    requests = recrawls.crawl("--incremental", "--recheck-days", "100000")
    assert sum(status == 304 for _, _, status in requests) >= 25
    assert recrawls.query("SELECT count(*) FROM captures WHERE status = 304")[0][0] >= 25
    not_modified = [r for r in recrawls.records() if r.rec_type == "response" and r.http_headers.get_statuscode() == "304"]
    assert len(not_modified) >= 25
    counts = json.loads(recrawls.query("SELECT counts FROM crawl_runs ORDER BY id DESC LIMIT 1")[0][0])
    assert counts["not_modified"] >= 25


def test_pywb_replays_a_revisit_from_its_original(recrawls: Recrawls) -> None:
    recrawls.crawl()
    recrawls.crawl()
    revisit = next(r for r in recrawls.records()
                   if r.rec_type == "revisit" and "DetailController" in r.rec_headers.get_header("WARC-Target-URI"))
    url = revisit.rec_headers.get_header("WARC-Target-URI")
    timestamp = re.sub(r"\D", "", revisit.rec_headers.get_header("WARC-Date"))[:14]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    replay = subprocess.Popen(
        [sys.executable, "-m", "hdnd", "replay", "--db", recrawls.db_url, "--warc-dir", str(recrawls.warc_dir),
         "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        assert f"127.0.0.1:{port}" in replay.stdout.readline()
        request = urllib.request.Request(f"http://127.0.0.1:{port}/hdnd/{timestamp}id_/{url}",
                                         headers={"Accept-Encoding": "gzip, deflate"})
        with urllib.request.urlopen(request, timeout=30) as response:
            replayed = response.read()
        path = url.split("/", 3)[3]
        assert replayed == recrawls.server.site.respond("GET", "/" + path, {"Accept-Encoding": "gzip, deflate"}).body
    finally:
        replay.send_signal(signal.SIGINT)
        replay.wait(timeout=30)
        replay.stdout.close()
