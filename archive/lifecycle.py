"""A WARC file's life on disk: created '.open' and locked, then finished (synced, renamed, hashed, indexed)."""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
from pathlib import Path
from typing import BinaryIO

from archive.index import index_path_for, write_cdxj
from archive.naming import FileNamer, closed_name, open_name
from archive.records import ClosedWarc

logger = logging.getLogger(__name__)

_HASH_CHUNK = 1 << 20


def create_open_file(directory: Path, namer: FileNamer) -> tuple[str, BinaryIO]:
    """Create the next '.open' file (never overwriting anything) and lock it; return its closed name and handle."""
    while True:
        name = namer.next_name()
        path = directory / open_name(name)
        if (directory / name).exists():
            continue
        try:
            handle = open(path, "xb", buffering=0)
        except FileExistsError:
            continue
        if lock_if_current(handle, path):
            return name, handle
        handle.close()


def lock_if_current(handle: BinaryIO, path: Path) -> bool:
    """Take the writer's lock on an open file, if no live writer or repair (of any process) holds it
    and the path still names this file (a repair may have renamed or removed it meanwhile)."""
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    try:
        named = os.stat(path)
    except FileNotFoundError:
        return False
    return os.path.samestat(named, os.fstat(handle.fileno()))


def finish_file(open_path: Path, *, records: int, sha256: str | None = None) -> ClosedWarc:
    """Sync and rename a complete '.open' file to its closed name, then hash it (unless given) and index it.

    The caller may still hold the file open and locked. A failed index is logged, not raised: the WARC is safe
    and the index can be rebuilt with archive.index.rebuild_indexes.
    """
    path = open_path.with_name(closed_name(open_path.name))
    if path.exists():
        raise FileExistsError(f"cannot close {open_path}: {path.name} already exists")
    _fsync_path(open_path)
    os.rename(open_path, path)
    _fsync_path(path.parent)
    index_path: Path | None = index_path_for(path)
    try:
        write_cdxj(path, index_path)
    except Exception:
        logger.exception("Could not index %s; the WARC file is complete, rebuild its index later", path)
        index_path = None
    return ClosedWarc(
        name=path.name,
        path=path,
        sha256=sha256 or sha256_of(path),
        size=path.stat().st_size,
        records=records,
        index_path=index_path,
    )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
