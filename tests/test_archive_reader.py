"""Reading records back: locations, single records at an offset, decoded payloads, damaged files."""

from __future__ import annotations

import gzip
import shutil
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.content_coding import ContentDecodingError
from archive.reader import WarcReadError, http_payload, iter_records, read_record
from archive.writer import WarcWriter
from archive_samples import VIETNAMESE, WINDOWS_1258, exchange

HTML = f"<html><body><p>{VIETNAMESE}</p></body></html>".encode()
GZIPPED = gzip.compress(HTML, mtime=0)


@pytest.fixture()
def written(tmp_path: Path) -> tuple[Path, list]:
    fetches = [
        exchange("http://hdnd.example.vn/a", body=HTML),
        exchange("http://hdnd.example.vn/b", body=GZIPPED,
                 response_headers=[("Content-Type", "text/html"), ("Content-Encoding", "gzip")]),
        exchange("http://hdnd.example.vn/c", body=WINDOWS_1258,
                 response_headers=[("Content-Type", "text/html; charset=windows-1258")]),
    ]
    with WarcWriter(tmp_path) as writer:
        pairs = [writer.write_exchange(fetch) for fetch in fetches]
    return writer.closed_files[0].path, [location for pair in pairs for location in reversed(pair)]


def test_iter_records_gives_every_record_where_the_writer_put_it(written: tuple[Path, list]) -> None:
    path, locations = written
    stored = list(iter_records(path, check_digests=True))
    assert stored[0].location.warc_type == "warcinfo"
    assert stored[0].location.offset == 0
    assert [record.location for record in stored[1:]] == locations
    assert all(record.record.digest_checker.passed for record in stored)


def test_read_record_at_an_offset(written: tuple[Path, list]) -> None:
    path, locations = written
    for location in locations:
        stored = read_record(path, location.offset)
        assert stored.location == location
        assert stored.record.rec_headers["WARC-Record-ID"] == location.record_id


def test_payload_is_decoded_but_the_stored_block_stays_raw(written: tuple[Path, list]) -> None:
    path, locations = written
    plain, gzipped, legacy = (read_record(path, location.offset) for location in locations[0::2])
    assert http_payload(plain.record) == HTML
    assert http_payload(gzipped.record) == HTML
    assert http_payload(gzipped.record) == HTML  # repeatable on records read by this module
    gzipped.record.raw_stream.seek(0)
    assert gzipped.record.raw_stream.read() == GZIPPED
    assert http_payload(legacy.record) == WINDOWS_1258


def test_raw_read_gives_the_whole_block_as_stored(written: tuple[Path, list]) -> None:
    path, locations = written
    block = read_record(path, locations[0].offset, parse_http=False).record.raw_stream.read()
    assert block.startswith(b"HTTP/1.1 200 OK\r\n")
    assert block.endswith(b"\r\n\r\n" + HTML)


@pytest.mark.parametrize(
    ("coding", "encode"),
    [
        ("gzip", gzip.compress),
        ("x-gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw deflate, as some servers send
        ("identity", lambda data: data),
        ("gzip, gzip", lambda data: gzip.compress(gzip.compress(data))),
    ],
)
def test_http_payload_undoes_content_encodings(tmp_path: Path, coding: str, encode) -> None:
    fetch = exchange(body=encode(HTML), response_headers=[("Content-Encoding", coding)])
    with WarcWriter(tmp_path) as writer:
        _, location = writer.write_exchange(fetch)
    assert http_payload(read_record(writer.closed_files[0].path, location.offset).record) == HTML


def test_http_payload_undoes_brotli(tmp_path: Path) -> None:
    brotli = pytest.importorskip("brotli")
    fetch = exchange(body=brotli.compress(HTML), response_headers=[("Content-Encoding", "br")])
    with WarcWriter(tmp_path) as writer:
        _, location = writer.write_exchange(fetch)
    assert http_payload(read_record(writer.closed_files[0].path, location.offset).record) == HTML


def test_http_payload_of_a_body_cut_short_decodes_what_arrived(tmp_path: Path) -> None:
    big = HTML * 200
    fetch = exchange(body=gzip.compress(big)[:-100], response_headers=[("Content-Encoding", "gzip")])
    with WarcWriter(tmp_path) as writer:
        _, location = writer.write_exchange(fetch)
    payload = http_payload(read_record(writer.closed_files[0].path, location.offset).record)
    assert 0 < len(payload) <= len(big)
    assert big.startswith(payload)


@pytest.mark.parametrize(("coding", "body"), [("gzip", b"plain text, not gzip"), ("compress", b"x")])
def test_http_payload_says_clearly_when_a_body_cannot_be_decoded(tmp_path: Path, coding: str, body: bytes) -> None:
    fetch = exchange(body=body, response_headers=[("Content-Encoding", coding)])
    with WarcWriter(tmp_path) as writer:
        _, location = writer.write_exchange(fetch)
    with pytest.raises(ContentDecodingError, match=coding):
        http_payload(read_record(writer.closed_files[0].path, location.offset).record)


def test_http_payload_dechunks_a_record_written_by_another_tool(tmp_path: Path) -> None:
    path = tmp_path / "foreign.warc.gz"
    chunked = b"5\r\nHello\r\n7\r\n, world\r\n0\r\n\r\n"
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Transfer-Encoding", "chunked")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            "http://other.example/", "response", payload=BytesIO(chunked), length=len(chunked), http_headers=headers,
        ))
    [stored] = iter_records(path)
    assert http_payload(stored.record) == b"Hello, world"


def test_http_payload_needs_http_headers(written: tuple[Path, list]) -> None:
    path, _ = written
    with pytest.raises(WarcReadError, match="warcinfo"):
        http_payload(read_record(path, 0).record)


def test_a_file_cut_anywhere_in_its_last_record_is_reported(written: tuple[Path, list], tmp_path: Path) -> None:
    path, locations = written
    last = locations[-1]
    cut = tmp_path / "cut.warc.gz"
    # Up to the gzip trailer (CRC and size, 8 bytes), whose loss leaves the record itself whole.
    for end in range(last.offset + 1, last.offset + last.length - 8, 7):
        shutil.copyfile(path, cut)
        with open(cut, "r+b") as handle:
            handle.truncate(end)
        with pytest.raises(WarcReadError, match=f"offset {last.offset}"):
            list(iter_records(cut))


def test_an_offset_inside_a_record_is_an_error(written: tuple[Path, list]) -> None:
    path, locations = written
    with pytest.raises(WarcReadError):
        read_record(path, locations[0].offset + 7)
    with pytest.raises(WarcReadError, match="end of file"):
        read_record(path, path.stat().st_size)
