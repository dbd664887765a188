"""hdnd browse: Datasette on loopback serves the crawled mirror read-only, with search and facets."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from conftest import CrawledArchive
from test_search import expected

STARTUP_SECONDS = 60


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def browse_url(crawled_archive: CrawledArchive) -> Iterator[str]:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "hdnd", "browse", "--db", crawled_archive.db_url, "--no-open",
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                urllib.request.urlopen(url + "/-/databases.json", timeout=5).close()
                break
            except OSError:  # not listening yet
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    pytest.fail(f"hdnd browse did not start: {server.stderr.read()[-2000:]}")
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def _get(url: str, path: str, **params: str) -> Any:
    with urllib.request.urlopen(f"{url}{path}?{urllib.parse.urlencode(params)}", timeout=30) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def truths(crawled_archive: CrawledArchive) -> list[dict]:
    return [crawled_archive.site.truth(i) for i in crawled_archive.site.article_ids()]


@pytest.mark.parametrize("query", ["dong chi", "Hoà Bình", '"tiếp xúc cử tri"', "12/2022/NQ-HĐND", "::"])
def test_the_search_query_matches_hdnd_search(browse_url: str, truths: list[dict], query: str) -> None:
    rows = _get(browse_url, "/hdnd/search.json", q=query, _shape="array")
    wanted = expected(truths, query) if query != "::" else set()
    assert {row["source_id"] for row in rows} == wanted
    assert all("**" in row["snippet"] for row in rows)
    scores = [row["score"] for row in rows]
    assert scores == sorted(scores, reverse=True)


def test_table_search_and_facets(browse_url: str, truths: list[dict]) -> None:
    page = _get(browse_url, "/hdnd/article_overview.json", _search="hoa binh", _size="max", _shape="objects")
    assert {row["source_id"] for row in page["rows"]} == expected(truths, "hoa binh")
    facets = page["facet_results"]
    assert {"category", "year"} <= set(facets)
    years = {item["value"]: item["count"] for item in facets["year"]["results"]}
    assert sum(years.values()) == len(page["rows"]) and all(2018 <= year <= 2023 for year in years)


def test_served_read_only_with_descriptions(browse_url: str) -> None:
    (database,) = _get(browse_url, "/-/databases.json")
    assert database["name"] == "hdnd" and database["is_mutable"] is False
    tables = {table["name"]: table for table in _get(browse_url, "/hdnd.json")["tables"]}
    assert tables["article_search"]["hidden"] and not tables["articles"]["hidden"]
    metadata = _get(browse_url, "/-/metadata.json")
    assert "Vietnam" in metadata["description"]
    assert metadata["databases"]["hdnd"]["tables"]["articles"]["description"]
