"""Check a folder of WARC files on their own: whole gzip, whole records, block and payload digests, indexes.

``warcio check`` alone is not enough: it passes a ``.warc.gz`` cut inside a record, records without
digests and empty records. Here every gzip member is decompressed to its end, every record is read
to its declared length, and every digest is recomputed from the stored bytes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from archive.index import index_path_for
from archive.lifecycle import sha256_of
from archive.members import GzipMember, scan_members
from archive.naming import OPEN_SUFFIX, WARC_SUFFIX
from archive.reader import StoredRecord, WarcReadError, read_record

_CHUNK = 1 << 16
_HTTP_HEAD_END = b"\r\n\r\n"
# Records whose payload digest covers their own HTTP entity body (a revisit's refers to another record).
_PAYLOAD_CHECKED = ("response", "request", "resource")


@dataclass(frozen=True)
class Problem:
    """One thing that does not hold, and where: the file, the record's offset and its id when known."""

    kind: str
    message: str
    file: str | None = None
    offset: int | None = None
    record_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        where = [self.file or "-"]
        if self.offset is not None:
            where.append(f"offset {self.offset}")
        if self.record_id:
            where.append(f"record {self.record_id}")
        return f"{self.kind}: {', '.join(where)}: {self.message}"


@dataclass(frozen=True)
class RecordEntry:
    """The WARC headers of a record found at a location: what database captures are compared with."""

    warc_file: str
    offset: int
    length: int
    record_id: str
    warc_type: str
    target_uri: str | None
    date: str
    payload_digest: str | None
    concurrent_to: str | None


@dataclass
class FileCheck:
    """What one closed WARC file holds, as found on disk."""

    name: str
    size: int
    sha256: str
    records: list[RecordEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class WarcCheck:
    """The result of checking a folder: every closed file, every record by location, the problems found."""

    files: dict[str, FileCheck] = field(default_factory=dict)
    records: dict[tuple[str, int], RecordEntry] = field(default_factory=dict)  # by (file name, offset)
    problems: list[Problem] = field(default_factory=list)


def warc_paths(warc_dir: str | Path) -> list[Path]:
    """The closed WARC files of a folder, oldest first (names start with their creation time)."""
    return sorted(Path(warc_dir).glob("*" + WARC_SUFFIX))


def verify_warc_dir(warc_dir: str | Path) -> WarcCheck:
    """Check every closed WARC file of a folder, its CDXJ index, and record ids unique across files."""
    warc_dir = Path(warc_dir)
    if not warc_dir.is_dir():
        raise FileNotFoundError(f"no WARC folder at {warc_dir}")
    result = WarcCheck()
    for open_path in sorted(warc_dir.glob("*" + WARC_SUFFIX + OPEN_SUFFIX)):
        result.problems.append(Problem(
            "open-file", "file is still open: a crawl is writing it, or was killed before closing it "
            "(archive.repair closes such files)", open_path.name,
        ))
    seen: dict[str, RecordEntry] = {}
    for path in warc_paths(warc_dir):
        check = verify_warc_file(path)
        result.files[check.name] = check
        result.records.update(((entry.warc_file, entry.offset), entry) for entry in check.records)
        result.problems.extend(check.problems)
        if not index_path_for(path).is_file():
            result.problems.append(Problem("missing-index", "no CDXJ index: replay cannot find its records "
                                           "(rebuild it with 'hdnd index')", check.name))
        for entry in check.records:
            first = seen.setdefault(entry.record_id, entry)
            if first is not entry:
                result.problems.append(Problem(
                    "duplicate-record-id",
                    f"record id already used by the record at {first.warc_file} @{first.offset}",
                    entry.warc_file, entry.offset, entry.record_id,
                ))
    return result


def verify_warc_file(path: str | Path) -> FileCheck:
    """Check one closed WARC file: complete gzip members, one whole record in each, matching digests."""
    path = Path(path)
    check = FileCheck(name=path.name, size=path.stat().st_size, sha256=sha256_of(path))
    with open(path, "rb") as handle:
        scan = scan_members(handle)
        members = scan.members
        if scan.error is not None:
            check.problems.append(Problem(
                "bad-gzip",
                f"not a whole gzip file: {scan.error}; the {scan.size - scan.valid_end} bytes from there "
                "on hold no readable record",
                check.name, scan.valid_end,
            ))
    for member in members:
        entry, problems = _check_member(path, member)
        if entry is not None:
            check.records.append(entry)
        check.problems.extend(problems)
    return check


def _check_member(path: Path, member: GzipMember) -> tuple[RecordEntry | None, list[Problem]]:
    name = path.name
    try:
        stored = read_record(path, member.offset, parse_http=False)
    except WarcReadError as error:
        return None, [Problem("bad-record", _without_path(str(error), path), name, member.offset)]
    headers = stored.record.rec_headers
    entry = RecordEntry(
        warc_file=name,
        offset=member.offset,
        length=member.length,
        record_id=stored.location.record_id,
        warc_type=stored.location.warc_type,
        target_uri=headers.get_header("WARC-Target-URI"),
        date=headers.get_header("WARC-Date"),
        payload_digest=stored.location.payload_digest,
        concurrent_to=headers.get_header("WARC-Concurrent-To"),
    )
    problems = [
        Problem(kind, message, name, member.offset, entry.record_id) for kind, message in _digest_problems(stored)
    ]
    if stored.location.length != member.length:
        problems.append(Problem(
            "bad-record",
            f"the gzip member is {member.length} bytes but its record ends after {stored.location.length}",
            name, member.offset, entry.record_id,
        ))
    return entry, problems


class _BadDigestHeader(ValueError):
    """A digest header that names an unknown algorithm or cannot be decoded."""


@dataclass(frozen=True)
class _Expected:
    """A digest as a record declares it: the header text and the bytes it stands for."""

    header: str
    algorithm: str
    value: bytes

    @classmethod
    def parse(cls, header: str) -> _Expected:
        algorithm, _, text = header.partition(":")
        algorithm = algorithm.lower().replace("-", "")
        try:
            size = hashlib.new(algorithm).digest_size
        except ValueError:
            raise _BadDigestHeader(f"digest {header!r} uses an unknown algorithm") from None
        for decode in _DECODERS:
            try:
                value = decode(text)
            except (binascii.Error, ValueError):
                continue
            if len(value) == size:
                return cls(header, algorithm, value)
        raise _BadDigestHeader(f"digest {header!r} is not in base32, base16 or base64")

    def hasher(self) -> Any:
        return hashlib.new(self.algorithm)

    def mismatch(self, hasher: Any) -> str | None:
        """None when the hash matches, else the computed digest written the way the header writes it."""
        digest = hasher.digest()
        if digest == self.value:
            return None
        prefix, _, text = self.header.partition(":")
        if len(text) == 2 * len(digest):
            return f"{prefix}:{digest.hex()}"
        return f"{prefix}:{base64.b32encode(digest).decode('ascii')}"


# Base32 is what Heritrix, wget and warcio write; the WARC standard allows any RFC 3548 encoding.
_DECODERS = (
    lambda text: base64.b32decode(text.upper()),
    lambda text: base64.b16decode(text.upper()),
    lambda text: base64.b64decode(text, validate=True),
    base64.urlsafe_b64decode,
)


def _digest_problems(stored: StoredRecord) -> Iterator[tuple[str, str]]:
    """Recompute the block digest, and the payload digest of records whose block holds their payload."""
    record = stored.record
    if not stored.location.block_digest:
        yield "no-digest", f"{record.rec_type} record has no WARC-Block-Digest: its content cannot be checked"
        return
    payload_header = stored.location.payload_digest if record.rec_type in _PAYLOAD_CHECKED else None
    try:
        block = _Expected.parse(stored.location.block_digest)
        payload = _Expected.parse(payload_header) if payload_header else None
    except _BadDigestHeader as error:
        yield "bad-digest", str(error)
        return
    block_hash = block.hasher()
    payload_hash = payload.hasher() if payload else None
    http = (record.content_type or "").startswith("application/http")
    headers_ended = _feed(record.raw_stream, block_hash, payload_hash, skip_http_head=http)
    computed = block.mismatch(block_hash)
    if computed:
        yield "block-digest", f"block digest mismatch: the record says {block.header}, its content gives {computed}"
    if payload is None:
        return
    if not headers_ended:
        yield "bad-record", "the HTTP headers of the block never end (no blank line after them)"
        return
    computed = payload.mismatch(payload_hash)
    if computed:
        yield "payload-digest", \
            f"payload digest mismatch: the record says {payload.header}, its payload gives {computed}"


def _feed(stream: BinaryIO, block_hash: Any, payload_hash: Any | None, *, skip_http_head: bool) -> bool:
    """Hash the block, and the payload after its HTTP headers; False if those headers never end."""
    stream.seek(0)
    in_payload = not skip_http_head
    head = b""
    while chunk := stream.read(_CHUNK):
        block_hash.update(chunk)
        if payload_hash is None:
            continue
        if in_payload:
            payload_hash.update(chunk)
            continue
        head += chunk
        end = head.find(_HTTP_HEAD_END)
        if end != -1:
            in_payload = True
            payload_hash.update(head[end + len(_HTTP_HEAD_END):])
        else:
            head = head[-(len(_HTTP_HEAD_END) - 1):]  # only a blank line split across chunks matters
    return in_payload


def _without_path(message: str, path: Path) -> str:
    """Drop the reader's leading file path: problems name their file separately."""
    return message.removeprefix(f"{path}: ")
