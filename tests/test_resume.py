"""A crawl killed with SIGKILL resumes: nothing lost, nothing captured twice but what was in flight."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from conftest import crawl_arguments, run_hdnd
from mirror.server import MirrorServer
from mirror.site import Site

ARTICLES = 150
# Requests the engine may have taken from the frontier but not finished when it is killed.
MAX_IN_FLIGHT = 8


def test_sigkill_then_resume_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    site = Site(articles=ARTICLES)
    db_path, warc_dir = tmp_path / "hdnd.sqlite", tmp_path / "warc"
    with MirrorServer(site) as server:
        arguments = crawl_arguments(server.base_url, f"sqlite:///{db_path}", warc_dir, "--no-assets")
        arguments[arguments.index("--concurrency") + 1] = "2"
        crawl = subprocess.Popen([sys.executable, "-m", "hdnd", *arguments],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while sum("DetailController" in target for _, target, _ in server.requests) < ARTICLES // 3:
            assert crawl.poll() is None, "the crawl ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.02)
        crawl.send_signal(signal.SIGKILL)
        crawl.wait()
        assert list(warc_dir.glob("*.warc.gz.open")), "a killed crawl leaves its WARC file open"

        resumed = run_hdnd(*arguments)
        assert "Resuming the interrupted crawl" in resumed.stderr
        assert "Repaired" in resumed.stderr

    with sqlite3.connect(db_path) as db:
        stored = {source_id for (source_id,) in db.execute("SELECT source_id FROM articles")}
        statuses = [status for (status,) in db.execute("SELECT status FROM crawl_runs ORDER BY id")]
        full_captures = db.execute(
            "SELECT url, count(*) FROM captures WHERE warc_type = 'response' AND status = 200 "
            "AND url LIKE '%DetailController%' GROUP BY url"
        ).fetchall()
    assert stored == {site.truth(i)["source_id"] for i in site.article_ids()}
    assert statuses == ["interrupted", "finished"]
    assert all(count == 1 for _, count in full_captures), "an unchanged article was stored twice"
    fetched_twice = [target for target, n in _article_fetches(server).items() if n > 1]
    assert len(fetched_twice) <= MAX_IN_FLIGHT + 1, fetched_twice  # +1: the article that fails once
    assert not list(warc_dir.glob("*.open"))
    verify = run_hdnd("verify", "--db", f"sqlite:///{db_path}", "--warc-dir", str(warc_dir), check=False)
    assert verify.returncode == 0, verify.stdout + verify.stderr


def _article_fetches(server: MirrorServer) -> dict[str, int]:
    counts: dict[str, int] = {}
    for _, target, status in server.requests:
        if "DetailController" in target and status == 200:
            counts[target] = counts.get(target, 0) + 1
    return counts
