"""Finish '.open' WARC files left by a killed crawl: cut the partial record at the end, close and index them."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from archive.lifecycle import finish_file, lock_if_current
from archive.members import CorruptMember, IncompleteMember, member_length, scan_members
from archive.naming import OPEN_SUFFIX, WARC_SUFFIX, closed_name
from archive.records import ClosedWarc

logger = logging.getLogger(__name__)

_GZIP_MAGIC = b"\x1f\x8b\x08"
_SEARCH_CHUNK = 1 << 20


class RepairError(Exception):
    """A '.open' file is damaged in a way a killed writer cannot cause; it was left untouched."""


@dataclass(frozen=True)
class RepairReport:
    name: str  # the closed name
    bytes_removed: int
    records_kept: int
    closed: ClosedWarc | None  # None when nothing complete was left and the file was deleted

    @property
    def closed_path(self) -> Path | None:
        return self.closed.path if self.closed else None


def repair_open_files(warc_dir: str | Path) -> list[RepairReport]:
    """Repair every '.open' WARC file of a folder that no live writer holds (those are skipped and logged)."""
    reports = []
    for open_path in sorted(Path(warc_dir).glob("*" + WARC_SUFFIX + OPEN_SUFFIX)):
        report = repair_open_file(open_path)
        if report is not None:
            reports.append(report)
    return reports


def repair_open_file(open_path: Path) -> RepairReport | None:
    """Repair one '.open' file; None if a live writer still holds it."""
    name = closed_name(open_path.name)
    try:
        handle = open(open_path, "r+b")
    except FileNotFoundError:
        return None  # closed by its writer since the folder was listed
    with handle:
        if not lock_if_current(handle, open_path):
            logger.info("Skipping %s: a running writer holds it", open_path)
            return None
        if (open_path.parent / name).exists():
            raise RepairError(f"cannot repair {open_path}: {name} already exists")
        scan = scan_members(handle)
        if scan.error is not None:
            _refuse_if_records_follow(handle, open_path, scan.valid_end, scan.error)
            handle.truncate(scan.valid_end)
            logger.warning(
                "%s: removed %d bytes after offset %d (%s)",
                open_path, scan.size - scan.valid_end, scan.valid_end, scan.error,
            )
        removed = scan.size - scan.valid_end
        if not scan.members:
            open_path.unlink()
            return RepairReport(name=name, bytes_removed=removed, records_kept=0, closed=None)
        closed = finish_file(open_path, records=len(scan.members))
    return RepairReport(name=name, bytes_removed=removed, records_kept=len(scan.members), closed=closed)


def _refuse_if_records_follow(handle: BinaryIO, path: Path, damaged_at: int, error: str) -> None:
    """A kill only ever damages the end of a file: complete members after the damage mean something else."""
    following = _next_complete_member(handle, damaged_at + 1)
    if following is not None:
        raise RepairError(
            f"{path}: {error}, but a complete record follows at offset {following}; "
            "this is not the partial record of a killed writer, so the file was left untouched"
        )


def _next_complete_member(handle: BinaryIO, start: int) -> int | None:
    position = start
    while True:
        handle.seek(position)
        window = handle.read(_SEARCH_CHUNK + len(_GZIP_MAGIC) - 1)
        if len(window) < len(_GZIP_MAGIC):
            return None
        found = window.find(_GZIP_MAGIC)
        while found != -1:
            try:
                member_length(handle, position + found)
                return position + found
            except (IncompleteMember, CorruptMember):
                found = window.find(_GZIP_MAGIC, found + 1)
        position += _SEARCH_CHUNK
