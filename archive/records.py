"""Value types shared by the WARC writer, reader and repair: what goes in and what comes out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from warcio.recordloader import ArcWarcRecord
from warcio.timeutils import iso_date_to_datetime

HTTP_SCHEMES = ("http://", "https://")


@dataclass(frozen=True)
class RecordLocation:
    """Where one WARC record lives: enough to read it back with a single seek."""

    warc_file: str  # the file's closed name (no directory), even while it still carries ".open"
    offset: int
    length: int  # length of the record's gzip member
    record_id: str  # '<urn:uuid:...>'
    warc_type: str
    payload_digest: str | None
    block_digest: str | None
    date: datetime  # WARC-Date, tz-aware UTC

    @classmethod
    def of(cls, record: ArcWarcRecord, warc_file: str, offset: int, length: int) -> RecordLocation:
        """The location of a record whose WARC headers are parsed (or were just written)."""
        headers = record.rec_headers
        return cls(
            warc_file=warc_file,
            offset=offset,
            length=length,
            record_id=headers.get_header("WARC-Record-ID"),
            warc_type=headers.get_header("WARC-Type"),
            payload_digest=headers.get_header("WARC-Payload-Digest"),
            block_digest=headers.get_header("WARC-Block-Digest"),
            date=iso_date_to_datetime(headers.get_header("WARC-Date"), tz_aware=True),
        )


@dataclass
class HttpExchange:
    """One fetch as it went over the wire: the request sent and the response received, body untouched.

    Header names and values are the wire bytes decoded as latin-1 (as Scrapy's headers decode
    losslessly), so the record gets the exact bytes back; the request headers should be those
    sent, Host included. ``body`` is de-chunked but otherwise raw.
    """

    url: str
    method: str
    request_headers: list[tuple[str, str]]
    request_body: bytes
    status: int
    reason: str
    protocol: str  # 'HTTP/1.1'
    response_headers: list[tuple[str, str]]
    body: bytes  # as received: still Content-Encoded, in the charset the server used
    ip_address: str | None
    fetched_at: datetime  # tz-aware

    def __post_init__(self) -> None:
        if not self.url.startswith(HTTP_SCHEMES):
            raise ValueError(f"HttpExchange.url must be an http(s) URL, got {self.url!r}")
        if self.fetched_at.tzinfo is None or self.fetched_at.utcoffset() is None:
            raise ValueError(f"HttpExchange.fetched_at must be timezone-aware, got {self.fetched_at!r}")
        if not 100 <= self.status <= 999:
            raise ValueError(f"HttpExchange.status must be a three-digit HTTP status, got {self.status!r}")
        if not isinstance(self.body, bytes) or not isinstance(self.request_body, bytes):
            raise TypeError("HttpExchange.body and request_body must be bytes as sent over the wire")
        # A CR or LF inside a header would end the header block early and corrupt the record.
        for field, text in (("method", self.method), ("reason", self.reason), ("protocol", self.protocol)):
            _reject_line_breaks(field, text)
        for name, value in (*self.request_headers, *self.response_headers):
            _reject_line_breaks(f"header {name!r}", name + value)


@dataclass(frozen=True)
class ClosedWarc:
    """A finished WARC file: renamed from '.open', hashed and indexed."""

    name: str
    path: Path
    sha256: str  # hex digest of the whole file
    size: int
    records: int
    index_path: Path | None  # None when indexing failed (rebuild it with archive.index.rebuild_indexes)


def _reject_line_breaks(field: str, text: str) -> None:
    if "\r" in text or "\n" in text:
        raise ValueError(f"HttpExchange {field} contains a line break: {text!r}")
