"""Append fetches to rotating, gzip-per-record WARC files and report where each record landed."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from warcio.recordloader import ArcWarcRecord
from warcio.utils import Digester

from archive.builder import (
    build_request,
    build_response,
    build_revisit,
    build_warcinfo,
    encode_member,
    new_record_id,
)
from archive.lifecycle import create_open_file, finish_file
from archive.naming import DEFAULT_TEMPLATE, FileNamer, open_name
from archive.records import ClosedWarc, HttpExchange, RecordLocation

__all__ = ["ClosedWarc", "WarcWriter", "payload_digest_of"]

logger = logging.getLogger(__name__)


def payload_digest_of(body: bytes) -> str:
    """The WARC-Payload-Digest the writer gives this body: 'sha1:' + Base32, as Heritrix and wget write it."""
    digester = Digester("sha1")
    digester.update(body)
    return str(digester)


@dataclass
class _OpenWarc:
    name: str  # the closed name
    path: Path  # the '.open' path
    handle: BinaryIO  # unbuffered: a failed write leaves nothing behind in a buffer
    size: int = 0
    records: int = 0
    sha256: hashlib._Hash = field(default_factory=hashlib.sha256)


class WarcWriter:
    """Writes request/response (or request/revisit) pairs to WARC/1.1 files, one gzip member per record.

    Files are named from ``template`` and carry '.open' until closed; a file is closed, and the next
    write opens a new one, once it has grown past ``max_size``. Closing syncs, renames, hashes and
    indexes the file, then calls ``on_close``. Thread-safe; ``close`` may be called from a signal
    handler (an interrupted write is finished first) and any number of times.
    """

    def __init__(
        self,
        directory: str | Path,
        *,
        prefix: str = "hdnd",
        template: str = DEFAULT_TEMPLATE,
        max_size: int = 1_000_000_000,
        gzip_level: int = 6,
        warcinfo: Mapping[str, str] | None = None,
        on_close: Callable[[ClosedWarc], None] | None = None,
    ) -> None:
        if not 0 <= gzip_level <= 9:
            raise ValueError(f"gzip_level must be between 0 and 9, got {gzip_level!r}")
        if max_size <= 0:
            raise ValueError(f"max_size must be a positive number of bytes, got {max_size!r}")
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.max_size = max_size
        self.gzip_level = gzip_level
        self.closed_files: list[ClosedWarc] = []
        self._namer = FileNamer(template, prefix)
        self._warcinfo = dict(warcinfo or {})
        self._on_close = on_close
        self._lock = threading.RLock()
        self._file: _OpenWarc | None = None
        self._closed = False
        self._writing = False
        self._close_requested = False

    @property
    def current_file(self) -> Path | None:
        """The '.open' file being written, if any."""
        current = self._file
        return current.path if current else None

    def write_exchange(self, exchange: HttpExchange) -> tuple[RecordLocation, RecordLocation]:
        """Write a fetch as a response record followed by its request record; return (request, response)."""
        response_id = new_record_id()
        response = build_response(exchange, response_id)
        request = build_request(exchange, concurrent_to=response_id)
        response_location, request_location = self._write([response, request])
        return request_location, response_location

    def write_revisit(
        self,
        exchange: HttpExchange,
        *,
        refers_to_uri: str,
        refers_to_date: datetime,
        payload_digest: str,
        refers_to_record_id: str | None = None,
    ) -> tuple[RecordLocation, RecordLocation]:
        """Write an unchanged re-fetch as a revisit record (HTTP headers only) and its request; return (request, revisit).

        ``payload_digest`` must be the digest of ``exchange.body`` (see payload_digest_of): a revisit
        claiming a payload it does not have would lose the new content.
        """
        actual = payload_digest_of(exchange.body)
        if actual != payload_digest:
            raise ValueError(
                f"revisit of {exchange.url}: the body's digest {actual} differs from {payload_digest}; "
                "the content changed, write it with write_exchange"
            )
        if refers_to_date.tzinfo is None or refers_to_date.utcoffset() is None:
            raise ValueError(f"refers_to_date must be timezone-aware, got {refers_to_date!r}")
        revisit_id = new_record_id()
        revisit = build_revisit(
            exchange,
            revisit_id,
            refers_to_uri=refers_to_uri,
            refers_to_date=refers_to_date,
            payload_digest=payload_digest,
            refers_to_record_id=refers_to_record_id,
        )
        request = build_request(exchange, concurrent_to=revisit_id)
        revisit_location, request_location = self._write([revisit, request])
        return request_location, revisit_location

    def close(self) -> None:
        """Finish the current file. Idempotent; later writes raise RuntimeError."""
        with self._lock:
            if self._writing:
                # Re-entered from a signal handler that interrupted a write in this thread.
                self._close_requested = True
                return
            self._closed = True
            self._finish_current()

    def __enter__(self) -> WarcWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _write(self, records: Sequence[ArcWarcRecord]) -> list[RecordLocation]:
        # Digests and compression happen outside the lock: zlib releases the GIL.
        members = [encode_member(record, self.gzip_level) for record in records]
        with self._lock:
            if self._closed:
                raise RuntimeError(f"WarcWriter for {self.directory} is closed")
            self._writing = True
            try:
                current = self._file_for_next_write()
                offset = self._append(current, b"".join(members))
                current.records += len(records)
            finally:
                self._writing = False
                if self._close_requested:
                    self.close()
        locations = []
        for record, member in zip(records, members):
            locations.append(RecordLocation.of(record, current.name, offset, len(member)))
            offset += len(member)
        return locations

    def _file_for_next_write(self) -> _OpenWarc:
        if self._file is not None and self._file.size > self.max_size:
            self._finish_current()
        if self._file is None:
            self._file = self._open_new()
        return self._file

    def _open_new(self) -> _OpenWarc:
        name, handle = create_open_file(self.directory, self._namer)
        opened = _OpenWarc(name=name, path=self.directory / open_name(name), handle=handle)
        try:
            self._append(opened, encode_member(build_warcinfo(name, self._warcinfo), self.gzip_level))
        except OSError:
            handle.close()
            opened.path.unlink(missing_ok=True)
            raise
        opened.records = 1
        return opened

    def _append(self, current: _OpenWarc, data: bytes) -> int:
        """Append whole members; on failure cut the file back so it never holds a partial member."""
        offset = current.size
        try:
            _write_all(current.handle, data)
        except OSError:
            self._roll_back(current, offset)
            raise
        current.size += len(data)
        current.sha256.update(data)
        return offset

    def _roll_back(self, current: _OpenWarc, offset: int) -> None:
        try:
            current.handle.truncate(offset)
            current.handle.seek(offset)
        except OSError:
            logger.exception("Could not cut %s back to %d bytes; leaving it for repair", current.path, offset)
            current.handle.close()
            if self._file is current:
                self._file = None

    def _finish_current(self) -> None:
        current, self._file = self._file, None
        if current is None:
            return
        try:
            # Renamed while still locked, so repair in another process never takes a live file.
            closed = finish_file(current.path, records=current.records, sha256=current.sha256.hexdigest())
        finally:
            current.handle.close()
        self.closed_files.append(closed)
        if self._on_close is not None:
            self._on_close(closed)


def _write_all(handle: BinaryIO, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = handle.write(view)
        view = view[written:]
