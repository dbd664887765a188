"""Shared fixtures: a mirror site on loopback, crawled once per test session with the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from mirror.server import MirrorServer
from mirror.site import Site

MIRROR_ARTICLES = 40
# The project's shared material (real pages, the seed article) lies beside the repository as ../shared;
# tests that need it skip when it is absent.
SHARED_DIR = Path(os.environ.get("HDND_SHARED_DIR") or Path(__file__).resolve().parents[2] / "shared")


@dataclass
class CrawledArchive:
    site: Site
    server: MirrorServer
    db_url: str
    warc_dir: Path
    directory: Path
    crawl_output: str
    # Requests the server had received when the first crawl ended: (method, target, status).
    requests: list[tuple[str, str, int]]


def run_hdnd(*args: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the real ``hdnd`` command line in a subprocess (a crawl needs a reactor of its own)."""
    completed = subprocess.run(
        [sys.executable, "-m", "hdnd", *args], capture_output=True, text=True, timeout=timeout,
    )
    if check and completed.returncode != 0:
        raise AssertionError(f"hdnd {' '.join(args)} exited {completed.returncode}:\n{completed.stderr[-4000:]}")
    return completed


def crawl_arguments(base_url: str, db_url: str, warc_dir: Path, *extra: str) -> list[str]:
    """A fast crawl of our own mirror: no politeness delay is needed on loopback."""
    return ["crawl", "--start-url", base_url + "/", "--db", db_url, "--warc-dir", str(warc_dir),
            "--delay", "0", "--no-autothrottle", "--concurrency", "4", "--log-level", "WARNING", *extra]


@pytest.fixture(scope="session")
def crawled_archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CrawledArchive]:
    directory = tmp_path_factory.mktemp("crawled")
    site = Site(articles=MIRROR_ARTICLES)
    with MirrorServer(site) as server:
        db_url = f"sqlite:///{directory / 'hdnd.sqlite'}"
        warc_dir = directory / "warc"
        completed = run_hdnd(*crawl_arguments(server.base_url, db_url, warc_dir))
        yield CrawledArchive(
            site=site, server=server, db_url=db_url, warc_dir=warc_dir, directory=directory,
            crawl_output=completed.stdout, requests=list(server.requests),
        )
