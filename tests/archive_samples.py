"""Sample fetches and file checks shared by the tests of the archive package."""

from __future__ import annotations

import subprocess
import sys
import zlib
from datetime import datetime, timezone
from pathlib import Path

from archive.records import HttpExchange

WARCIO = Path(sys.executable).with_name("warcio")

VIETNAMESE = "Kỳ họp thứ 7 Hội đồng nhân dân tỉnh khóa X thông qua 12 nghị quyết quan trọng."
# "Hội đồng nhân dân tỉnh" in windows-1258: tone marks as combining bytes, invalid as UTF-8.
WINDOWS_1258 = b"H\xf4\xf2i \xf0\xf4\xccng nh\xe2n d\xe2n ti\xd2nh"


def exchange(
    url: str = "http://hdnd.example.vn/DetailController?id=1",
    *,
    body: bytes = b"<html><body>ok</body></html>",
    status: int = 200,
    reason: str = "OK",
    response_headers: list[tuple[str, str]] | None = None,
    fetched_at: datetime | None = None,
    method: str = "GET",
    request_body: bytes = b"",
) -> HttpExchange:
    return HttpExchange(
        url=url,
        method=method,
        request_headers=[("Host", "hdnd.example.vn"), ("User-Agent", "hdnd-archive-test/1.0 (+https://example.org)")],
        request_body=request_body,
        status=status,
        reason=reason,
        protocol="HTTP/1.1",
        response_headers=response_headers
        if response_headers is not None
        else [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))],
        body=body,
        ip_address="127.0.0.1",
        fetched_at=fetched_at or datetime(2026, 11, 27, 3, 4, 5, 123456, tzinfo=timezone.utc),
    )


def warcio_check(path: Path) -> subprocess.CompletedProcess[str]:
    """Run the real `warcio check` command on a file."""
    return subprocess.run([str(WARCIO), "check", "-v", str(path)], capture_output=True, text=True, check=False)


def gzip_members(path: Path) -> list[tuple[int, int]]:
    """(offset, length) of every gzip member, asserting each is complete and the whole file is consumed."""
    data = path.read_bytes()
    members = []
    offset = 0
    while offset < len(data):
        decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
        decompressor.decompress(data[offset:])
        assert decompressor.eof, f"incomplete gzip member at offset {offset} of {path}"
        length = len(data) - offset - len(decompressor.unused_data)
        members.append((offset, length))
        offset += length
    return members
