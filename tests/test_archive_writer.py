"""The WARC writer: records as warcio reads them, bytes as sent, digests, revisits, rotation, closing."""

from __future__ import annotations

import base64
import gzip
import hashlib
import os
import re
import signal
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.reader import read_record
from archive.records import ClosedWarc
from archive.writer import WarcWriter, payload_digest_of
from archive_samples import VIETNAMESE, WINDOWS_1258, exchange, gzip_members, warcio_check


def read_all(path: Path) -> list[tuple[int, int, object, bytes]]:
    """(offset, length, warc headers, rest of block) of every record, read by warcio itself."""
    out = []
    with open(path, "rb") as handle:
        records = ArchiveIterator(handle)
        for record in records:
            rest = record.raw_stream.read()
            out.append((records.get_record_offset(), records.get_record_length(), record, rest))
    return out


def sha1_base32(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


def test_exchange_is_a_response_then_its_request_as_warcio_reads_them(tmp_path: Path) -> None:
    fetch = exchange()
    with WarcWriter(tmp_path, warcinfo={"isPartOf": "job-1"}) as writer:
        request_at, response_at = writer.write_exchange(fetch)
    [closed] = writer.closed_files

    records = read_all(closed.path)
    assert [record.rec_type for _, _, record, _ in records] == ["warcinfo", "response", "request"]
    _, _, response, body = records[1]
    _, _, request, _ = records[2]
    headers = response.rec_headers
    assert headers.protocol == "WARC/1.1"
    assert headers["WARC-Target-URI"] == fetch.url
    assert headers["WARC-Date"] == "2026-11-27T03:04:05.123456Z"
    assert headers["WARC-IP-Address"] == "127.0.0.1"
    assert headers["WARC-Record-ID"] == response_at.record_id
    assert re.fullmatch(r"<urn:uuid:[0-9a-f-]{36}>", response_at.record_id)
    assert request.rec_headers["WARC-Concurrent-To"] == response_at.record_id
    assert request.rec_headers["WARC-Record-ID"] == request_at.record_id
    assert request.http_headers.protocol == "GET"
    assert request.http_headers.statusline == "/DetailController?id=1 HTTP/1.1"
    assert response.http_headers.statusline == "200 OK"
    assert body == fetch.body

    assert [(offset, length) for offset, length, _, _ in records[1:]] == [
        (response_at.offset, response_at.length),
        (request_at.offset, request_at.length),
    ]
    assert response_at.warc_file == request_at.warc_file == closed.name
    assert response_at.date == fetch.fetched_at
    assert (response_at.warc_type, request_at.warc_type) == ("response", "request")

    assert gzip_members(closed.path) == [(offset, length) for offset, length, _, _ in records]
    result = warcio_check(closed.path)
    assert result.returncode == 0, result.stdout
    assert "digest pass" in result.stdout


def test_bodies_are_stored_byte_for_byte_and_digested_as_stored(tmp_path: Path) -> None:
    gzipped = gzip.compress(VIETNAMESE.encode("utf-8"))
    fetches = [
        exchange(body=gzipped, response_headers=[("Content-Type", "text/html"), ("Content-Encoding", "gzip")]),
        exchange(body=WINDOWS_1258, response_headers=[("Content-Type", "text/html; charset=windows-1258")]),
    ]
    with WarcWriter(tmp_path) as writer:
        locations = [writer.write_exchange(fetch)[1] for fetch in fetches]
    path = writer.closed_files[0].path

    for fetch, location in zip(fetches, locations):
        stored = read_record(path, location.offset, parse_http=False)
        block = stored.record.raw_stream.read()
        head, _, payload = block.partition(b"\r\n\r\n")
        assert payload == fetch.body
        assert location.payload_digest == sha1_base32(fetch.body) == payload_digest_of(fetch.body)
        assert location.block_digest == sha1_base32(block)
        assert stored.record.rec_headers["Content-Length"] == str(len(block))


def test_http_headers_keep_their_wire_bytes_and_lose_only_chunked(tmp_path: Path) -> None:
    file_name = "Nghị quyết số 12.pdf".encode("utf-8").decode("latin-1")  # as Scrapy's headers hand it over
    fetch = exchange(
        response_headers=[
            ("Content-Type", "application/pdf"),
            ("Transfer-Encoding", "chunked"),
            ("Content-Disposition", f'attachment; filename="{file_name}"'),
        ]
    )
    with WarcWriter(tmp_path) as writer:
        _, response_at = writer.write_exchange(fetch)
    stored = read_record(writer.closed_files[0].path, response_at.offset, parse_http=False)
    head = stored.record.raw_stream.read().partition(b"\r\n\r\n")[0]
    assert b"Transfer-Encoding" not in head
    assert 'filename="Nghị quyết số 12.pdf"'.encode("utf-8") in head


def test_error_and_redirect_responses_are_recorded(tmp_path: Path) -> None:
    fetches = [
        exchange("http://hdnd.example.vn/robots.txt", body=b"User-agent: *\nDisallow:\n"),
        exchange("http://hdnd.example.vn/old", status=301, reason="Moved Permanently", body=b"",
                 response_headers=[("Location", "http://hdnd.example.vn/new")]),
        exchange("http://hdnd.example.vn/missing", status=404, reason="Not Found", body=b"not here"),
        exchange("http://hdnd.example.vn/broken", status=500, reason="", body=b"oops"),
    ]
    with WarcWriter(tmp_path) as writer:
        for fetch in fetches:
            writer.write_exchange(fetch)
    responses = [record for _, _, record, _ in read_all(writer.closed_files[0].path) if record.rec_type == "response"]
    assert [record.http_headers.statusline for record in responses] == ["200 OK", "301 Moved Permanently", "404 Not Found", "500"]
    assert responses[1].http_headers["Location"] == "http://hdnd.example.vn/new"


def test_warcinfo_opens_the_file_with_the_crawl_description(tmp_path: Path) -> None:
    info = {
        "operator": "hdnd-archive team <https://example.org/contact>",
        "robots": "obey",
        "isPartOf": "crawl-run-42",
        "http-header-user-agent": "hdnd-archive/0.1.0 (+https://example.org)",
    }
    with WarcWriter(tmp_path, warcinfo=info) as writer:
        writer.write_exchange(exchange())
    [(_, _, warcinfo, block), *_] = read_all(writer.closed_files[0].path)
    assert warcinfo.rec_type == "warcinfo"
    assert warcinfo.rec_headers["WARC-Filename"] == writer.closed_files[0].name
    fields = dict(line.split(": ", 1) for line in block.decode("utf-8").splitlines() if line)
    assert fields["format"] == "WARC File Format 1.1"
    assert fields["software"].startswith("hdnd-archive")
    for name, value in info.items():
        assert fields[name] == value


def test_revisit_record_points_at_the_original_capture(tmp_path: Path) -> None:
    first = exchange(body=b"<html>unchanged</html>")
    later = exchange(body=b"<html>unchanged</html>", fetched_at=first.fetched_at + timedelta(days=7))
    with WarcWriter(tmp_path) as writer:
        _, original = writer.write_exchange(first)
        request_at, revisit_at = writer.write_revisit(
            later,
            refers_to_uri=first.url,
            refers_to_date=original.date,
            payload_digest=original.payload_digest,
            refers_to_record_id=original.record_id,
        )
    path = writer.closed_files[0].path
    records = {record.rec_headers["WARC-Record-ID"]: (record, rest) for _, _, record, rest in read_all(path)}
    revisit, rest = records[revisit_at.record_id]
    headers = revisit.rec_headers
    assert revisit.rec_type == "revisit" == revisit_at.warc_type
    assert headers["WARC-Profile"] == "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
    assert headers["WARC-Refers-To-Target-URI"] == first.url
    assert headers["WARC-Refers-To-Date"] == "2026-11-27T03:04:05.123456Z"
    assert headers["WARC-Refers-To"] == original.record_id
    assert headers["WARC-Payload-Digest"] == original.payload_digest == revisit_at.payload_digest
    assert headers["WARC-Date"] == "2026-12-04T03:04:05.123456Z"
    assert revisit.http_headers.statusline == "200 OK"
    assert rest == b""  # the block is the HTTP headers only
    request, _ = records[request_at.record_id]
    assert request.rec_headers["WARC-Concurrent-To"] == revisit_at.record_id
    assert warcio_check(path).returncode == 0


def test_revisit_refuses_a_body_that_changed(tmp_path: Path) -> None:
    with WarcWriter(tmp_path) as writer:
        _, original = writer.write_exchange(exchange(body=b"old"))
        size = writer.current_file.stat().st_size
        with pytest.raises(ValueError, match="write it with write_exchange"):
            writer.write_revisit(
                exchange(body=b"new"),
                refers_to_uri=original.date.isoformat(),
                refers_to_date=original.date,
                payload_digest=original.payload_digest,
            )
        assert writer.current_file.stat().st_size == size


def test_file_is_open_while_written_and_renamed_on_close(tmp_path: Path) -> None:
    seen: list[ClosedWarc] = []
    writer = WarcWriter(tmp_path, on_close=seen.append)
    assert writer.current_file is None
    _, location = writer.write_exchange(exchange())
    open_path = writer.current_file
    assert open_path.name == location.warc_file + ".open"
    assert re.fullmatch(r"hdnd-\d{20}-00000\.warc\.gz", location.warc_file)
    assert not (tmp_path / location.warc_file).exists()

    writer.close()
    writer.close()
    assert not open_path.exists()
    assert writer.current_file is None
    [closed] = writer.closed_files
    assert seen == [closed]
    assert closed.path == tmp_path / location.warc_file
    assert closed.size == closed.path.stat().st_size
    assert closed.sha256 == hashlib.sha256(closed.path.read_bytes()).hexdigest()
    assert closed.records == 3
    assert closed.index_path == tmp_path / "indexes" / location.warc_file.replace(".warc.gz", ".cdxj")
    assert closed.index_path.exists()
    with pytest.raises(RuntimeError, match="closed"):
        writer.write_exchange(exchange())


def test_a_writer_that_wrote_nothing_leaves_no_file(tmp_path: Path) -> None:
    WarcWriter(tmp_path).close()
    assert list(tmp_path.glob("*.warc.gz*")) == []


def test_rotation_starts_a_new_file_with_its_own_warcinfo(tmp_path: Path) -> None:
    seen: list[ClosedWarc] = []
    with WarcWriter(tmp_path, max_size=3_000, prefix="rot", on_close=seen.append) as writer:
        locations = [writer.write_exchange(exchange(body=os.urandom(3_000)))[1] for _ in range(4)]
    assert len(writer.closed_files) == 4
    assert seen == writer.closed_files
    assert [closed.name[-14:] for closed in seen] == [f"-{n:05d}.warc.gz" for n in range(4)]
    for closed, location in zip(seen, locations):
        assert location.warc_file == closed.name
        types = [record.rec_type for _, _, record, _ in read_all(closed.path)]
        assert types == ["warcinfo", "response", "request"]
        assert warcio_check(closed.path).returncode == 0
        assert closed.index_path.exists()


def test_records_of_one_fetch_are_never_split_across_files(tmp_path: Path) -> None:
    with WarcWriter(tmp_path, max_size=1) as writer:
        pairs = [writer.write_exchange(exchange(body=b"x" * n)) for n in (10, 20, 30)]
    for request_at, response_at in pairs:
        assert request_at.warc_file == response_at.warc_file


@pytest.mark.parametrize("level", [0, 1, 9])
def test_any_gzip_level_gives_a_valid_file(tmp_path: Path, level: int) -> None:
    with WarcWriter(tmp_path, gzip_level=level) as writer:
        writer.write_exchange(exchange(body=VIETNAMESE.encode() * 50))
    path = writer.closed_files[0].path
    assert len(gzip_members(path)) == 3
    assert warcio_check(path).returncode == 0


def test_concurrent_writers_threads_share_one_file_safely(tmp_path: Path) -> None:
    with WarcWriter(tmp_path) as writer:
        def work(worker: int) -> None:
            for n in range(25):
                writer.write_exchange(exchange(f"http://hdnd.example.vn/p?w={worker}&n={n}", body=os.urandom(500)))

        threads = [threading.Thread(target=work, args=(worker,)) for worker in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    path = writer.closed_files[0].path
    assert len(gzip_members(path)) == 1 + 4 * 25 * 2
    assert warcio_check(path).returncode == 0


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs setitimer")
def test_close_from_a_signal_handler_leaves_a_whole_file(tmp_path: Path) -> None:
    writer = WarcWriter(tmp_path)
    written = []
    previous = signal.signal(signal.SIGALRM, lambda *_: writer.close())
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.003)
        while True:
            try:
                written.append(writer.write_exchange(exchange(body=os.urandom(20_000)))[1])
            except RuntimeError:
                break
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert writer.current_file is None
    assert list(tmp_path.glob("*.open")) == []
    for closed in writer.closed_files:
        gzip_members(closed.path)
        assert warcio_check(closed.path).returncode == 0
    for location in written:
        stored = read_record(tmp_path / location.warc_file, location.offset)
        assert stored.location == location


def test_on_close_failure_still_leaves_the_file_closed(tmp_path: Path) -> None:
    def fail(closed: ClosedWarc) -> None:
        raise LookupError("database is down")

    writer = WarcWriter(tmp_path, on_close=fail)
    writer.write_exchange(exchange())
    with pytest.raises(LookupError):
        writer.close()
    assert writer.current_file is None
    assert writer.closed_files[0].path.exists()
    writer.close()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"gzip_level": 10}, "gzip_level"),
        ({"max_size": 0}, "max_size"),
        ({"template": "{prefix}-{nope}.warc.gz"}, "bad WARC file name template"),
        ({"template": "{prefix}-{timestamp}.warc"}, "must end with"),
        ({"template": "{prefix}.warc.gz"}, "must use"),
        ({"prefix": "../escape"}, "plain file name"),
    ],
)
def test_bad_writer_options_are_refused(tmp_path: Path, options: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        WarcWriter(tmp_path, **options)


def test_custom_template_and_prefix(tmp_path: Path) -> None:
    with WarcWriter(tmp_path, prefix="hcm", template="{prefix}_{serial:03d}_{timestamp}.warc.gz") as writer:
        writer.write_exchange(exchange())
    assert re.fullmatch(r"hcm_000_\d{20}\.warc\.gz", writer.closed_files[0].name)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"fetched_at": datetime(2026, 1, 1)}, "timezone-aware"),
        ({"url": "ftp://hdnd.example.vn/x"}, "http"),
        ({"response_headers": [("X-Evil", "a\r\nInjected: yes")]}, "line break"),
        ({"status": 42}, "status"),
    ],
)
def test_bad_exchanges_are_refused_with_a_clear_message(changes: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        exchange(**changes)


def test_revisit_needs_an_aware_refers_to_date(tmp_path: Path) -> None:
    fetch = exchange()
    with WarcWriter(tmp_path) as writer, pytest.raises(ValueError, match="timezone-aware"):
        writer.write_revisit(
            fetch, refers_to_uri=fetch.url, refers_to_date=datetime(2026, 1, 1),
            payload_digest=payload_digest_of(fetch.body),
        )


def test_payload_digest_of_matches_the_heritrix_convention() -> None:
    assert payload_digest_of(b"") == "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ"
    assert payload_digest_of(VIETNAMESE.encode()) == sha1_base32(VIETNAMESE.encode())
