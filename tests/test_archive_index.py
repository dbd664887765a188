"""CDXJ indexes: sorted, parseable, pointing at the records, found by pywb's binary search."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from archive.index import index_path_for, rebuild_indexes, write_cdxj
from archive.reader import read_record
from archive.writer import WarcWriter
from archive_samples import exchange

URLS = [f"http://hdnd.example.vn/{path}" for path in ("z", "DetailController?id=9", "a", "DetailController?id=10", "m")]


@pytest.fixture()
def closed(tmp_path: Path):
    with WarcWriter(tmp_path) as writer:
        responses = [writer.write_exchange(exchange(url, body=url.encode()))[1] for url in URLS]
    return writer.closed_files[0], responses


def cdxj_lines(path: Path) -> list[tuple[str, str, dict]]:
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        key, timestamp, fields = line.split(" ", 2)
        lines.append((key, timestamp, json.loads(fields)))
    return lines


def test_index_is_written_on_close_sorted_and_parseable(closed) -> None:
    warc, responses = closed
    assert warc.index_path == index_path_for(warc.path) == warc.path.parent / "indexes" / (warc.path.name[:-8] + ".cdxj")
    raw = warc.index_path.read_text(encoding="utf-8").splitlines()
    assert raw == sorted(raw)
    lines = cdxj_lines(warc.index_path)
    assert len(lines) == len(URLS)  # one per response; requests and warcinfo are not replayed
    for key, timestamp, fields in lines:
        assert re.fullmatch(r"vn,example,hdnd\)/\S*", key)
        assert timestamp == "20261127030405"
        assert fields["filename"] == warc.name
        assert fields["status"] == "200"
        location = read_record(warc.path, int(fields["offset"])).location
        assert location.length == int(fields["length"])
        assert location.payload_digest == fields["digest"]
    assert {fields["url"] for _, _, fields in lines} == set(URLS)
    assert {int(fields["offset"]) for _, _, fields in lines} == {response.offset for response in responses}


def test_pywb_finds_every_capture_by_binary_search(closed) -> None:
    binsearch = pytest.importorskip("pywb.utils.binsearch")
    cdxobject = pytest.importorskip("pywb.warcserver.index.cdxobject")
    warc, responses = closed
    keys = {fields["url"]: key for key, _, fields in cdxj_lines(warc.index_path)}
    for url, response in zip(URLS, responses):
        with open(warc.index_path, "rb") as handle:
            [line] = list(binsearch.iter_exact(handle, keys[url].encode()))
        entry = cdxobject.CDXObject(line)
        assert entry["url"] == url
        assert int(entry["offset"]) == response.offset


def test_rebuild_indexes_reindexes_closed_files_only(closed, tmp_path: Path) -> None:
    warc, _ = closed
    warc.index_path.unlink()
    live = WarcWriter(tmp_path)
    live.write_exchange(exchange())
    try:
        rebuilt = rebuild_indexes(tmp_path)
    finally:
        live.close()
    assert rebuilt == [warc.index_path]
    assert len(cdxj_lines(warc.index_path)) == len(URLS)


def test_write_cdxj_replaces_an_old_index(closed, tmp_path: Path) -> None:
    warc, _ = closed
    target = tmp_path / "elsewhere" / "x.cdxj"
    target.parent.mkdir()
    target.write_text("stale\n")
    assert write_cdxj(warc.path, target) == target
    assert "stale" not in target.read_text()
    assert list(target.parent.iterdir()) == [target]
