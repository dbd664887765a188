"""Read WARC records back with warcio: every record with its location, one record at an offset, its HTTP payload."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from tempfile import SpooledTemporaryFile
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataReader
from warcio.recordloader import ArcWarcRecord

from archive.content_coding import decode_content
from archive.naming import closed_name
from archive.records import RecordLocation

_IN_MEMORY = 1 << 20  # record blocks larger than this are spooled to a temporary file
_REQUIRED_HEADERS = ("WARC-Type", "WARC-Record-ID", "WARC-Date")


class WarcReadError(ValueError):
    """The file is not a readable WARC at this point (truncated, corrupt, or no record at the offset)."""


@dataclass
class StoredRecord:
    """A record read from a file, usable after the file is closed.

    ``record`` is warcio's: ``rec_headers`` are the WARC headers, ``http_headers`` the parsed HTTP
    headers (None for warcinfo, or when read with ``parse_http=False``), and ``raw_stream`` holds the
    rest of the block exactly as stored: the payload, still content-encoded, or with
    ``parse_http=False`` the whole block including the HTTP status line and headers. With
    ``check_digests=True``, ``record.digest_checker.passed`` is True, False or None (nothing to
    check) and ``record.digest_checker.problems`` lists what failed.
    """

    location: RecordLocation
    record: ArcWarcRecord


def iter_records(
    path: str | Path, *, parse_http: bool = True, check_digests: bool = False
) -> Iterator[StoredRecord]:
    """Every record of a WARC file in order, each with its offset and (compressed) length."""
    path = Path(path)
    with open(path, "rb") as handle:
        yield from _read(handle, path, parse_http=parse_http, check_digests=check_digests)


def read_record(
    path: str | Path, offset: int, *, parse_http: bool = True, check_digests: bool = False
) -> StoredRecord:
    """The one record that starts at ``offset`` (a RecordLocation's offset)."""
    path = Path(path)
    with open(path, "rb") as handle:
        handle.seek(offset)
        for stored in _read(handle, path, parse_http=parse_http, check_digests=check_digests):
            return stored
    raise WarcReadError(f"{path}: no record at offset {offset} (end of file)")


def http_payload(record: ArcWarcRecord) -> bytes:
    """The HTTP entity body of a response record, de-chunked and decoded of its Content-Encoding.

    Reads ``record.raw_stream`` from its start when it can seek (records from this module),
    otherwise from where it stands. The file itself keeps the bytes as the server sent them.
    Raises ContentDecodingError (a ValueError) if the body does not match its Content-Encoding.
    """
    headers = record.http_headers
    if headers is None:
        raise WarcReadError(f"{record.rec_type} record has no HTTP headers to decode a payload with")
    stream = record.raw_stream
    if getattr(stream, "seekable", lambda: False)():
        stream.seek(0)
    body = stream.read()
    if "chunked" in (headers.get_header("Transfer-Encoding") or "").lower():
        body = ChunkedDataReader(BytesIO(body)).read()
    return decode_content(body, headers.get_header("Content-Encoding"))


def _read(handle: BinaryIO, path: Path, *, parse_http: bool, check_digests: bool) -> Iterator[StoredRecord]:
    """Records from the handle's position to the end of the file; damage anywhere raises WarcReadError."""
    warc_file = closed_name(path.name)
    size = os.fstat(handle.fileno()).st_size
    records = ArchiveIterator(handle, no_record_parse=not parse_http, check_digests=check_digests)
    while True:
        start = records.offset
        try:
            record = next(records, None)
        except Exception as error:  # warcio fails in many ways on a damaged record; say where
            raise WarcReadError(f"{path}: unreadable record at offset {start}: {error!r}") from error
        if record is None:
            if start < size:
                raise WarcReadError(
                    f"{path}: {size - start} bytes at offset {start} hold no complete record (a partial write?)"
                )
            return
        yield _stored(record, records, path, warc_file)


def _stored(record: ArcWarcRecord, records: ArchiveIterator, path: Path, warc_file: str) -> StoredRecord:
    """Copy the rest of the block off the file so the record outlives it, checking nothing is missing."""
    spool = SpooledTemporaryFile(_IN_MEMORY)
    shutil.copyfileobj(record.raw_stream, spool)
    offset = records.get_record_offset()
    absent = [name for name in _REQUIRED_HEADERS if not record.rec_headers.get_header(name)]
    if absent:
        raise WarcReadError(f"{path}: the record at offset {offset} has no {', '.join(absent)} (cut-off headers?)")
    missing = getattr(record.raw_stream, "limit", 0)
    if missing:
        raise WarcReadError(
            f"{path}: the {record.rec_type} record at offset {offset} is truncated "
            f"({missing} bytes of its declared Content-Length are missing)"
        )
    location = RecordLocation.of(record, warc_file, offset, records.get_record_length())
    spool.seek(0)
    record.raw_stream = spool
    return StoredRecord(location, record)
