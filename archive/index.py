"""Sorted CDXJ indexes (pywb's format, made by cdxj-indexer) kept in an 'indexes/' folder beside the WARCs."""

from __future__ import annotations

import os
from pathlib import Path

from cdxj_indexer.main import write_cdx_index

from archive.naming import WARC_SUFFIX

INDEX_DIR = "indexes"
INDEX_SUFFIX = ".cdxj"


def index_path_for(warc_path: Path) -> Path:
    """<dir>/indexes/<name without .warc.gz>.cdxj: pywb's 'index_paths' can point at that folder."""
    stem = warc_path.name.removesuffix(WARC_SUFFIX)
    return warc_path.parent / INDEX_DIR / (stem + INDEX_SUFFIX)


def write_cdxj(warc_path: Path, index_path: Path) -> Path:
    """Index one WARC file into a sorted CDXJ file, replacing any older index atomically."""
    index_path.parent.mkdir(parents=True, exist_ok=True)
    partial = index_path.with_name(index_path.name + ".tmp")
    # post_append gives POST captures their own keys, as pywb's own indexing does.
    try:
        write_cdx_index(str(partial), [str(warc_path)], {"sort": True, "post_append": True})
        os.replace(partial, index_path)
    finally:
        partial.unlink(missing_ok=True)
    return index_path


def rebuild_indexes(warc_dir: str | Path) -> list[Path]:
    """Re-index every closed WARC file of a folder (files still '.open' are left to repair)."""
    warc_dir = Path(warc_dir)
    return [write_cdxj(path, index_path_for(path)) for path in sorted(warc_dir.glob("*" + WARC_SUFFIX))]
