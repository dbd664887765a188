"""Walk a .warc.gz file gzip member by gzip member, fully decompressing each to prove it complete."""

from __future__ import annotations

import os
import zlib
from dataclasses import dataclass
from typing import BinaryIO

_READ_CHUNK = 1 << 16
_OUTPUT_LIMIT = 1 << 22  # bounds memory on highly compressible members


class IncompleteMember(Exception):
    """The file ends inside a gzip member."""


class CorruptMember(Exception):
    """The bytes at this offset are not a valid gzip member (bad header, data or CRC)."""


@dataclass(frozen=True)
class GzipMember:
    offset: int
    length: int


@dataclass(frozen=True)
class MemberScan:
    members: list[GzipMember]
    size: int
    error: str | None  # why the scan stopped before the end of the file

    @property
    def valid_end(self) -> int:
        """Where the last complete member ends: everything after it is damaged or partial."""
        return self.members[-1].offset + self.members[-1].length if self.members else 0


def member_length(handle: BinaryIO, offset: int) -> int:
    """The compressed length of the complete gzip member starting at ``offset``."""
    handle.seek(offset)
    decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
    consumed = 0
    while True:
        chunk = handle.read(_READ_CHUNK)
        if not chunk:
            raise IncompleteMember(f"file ends inside the gzip member at offset {offset}")
        pending = chunk
        try:
            while not decompressor.eof:
                output = decompressor.decompress(pending, _OUTPUT_LIMIT)
                pending = decompressor.unconsumed_tail
                if not pending and len(output) < _OUTPUT_LIMIT:
                    break  # this chunk is used up and no output is held back
        except zlib.error as error:
            raise CorruptMember(f"bad gzip member at offset {offset}: {error}") from None
        if decompressor.eof:
            return consumed + len(chunk) - len(decompressor.unused_data)
        consumed += len(chunk)


def scan_members(handle: BinaryIO, start: int = 0) -> MemberScan:
    """List the complete gzip members from ``start``, stopping at the first partial or corrupt one."""
    size = handle.seek(0, os.SEEK_END)
    members: list[GzipMember] = []
    offset = start
    while offset < size:
        try:
            length = member_length(handle, offset)
        except (IncompleteMember, CorruptMember) as error:
            return MemberScan(members, size, str(error))
        members.append(GzipMember(offset, length))
        offset += length
    return MemberScan(members, size, None)
