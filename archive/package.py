"""Package WARC files as a WACZ 1.1.1 file: the WARCs, one CDXJ index, the article pages, the datapackage.

What goes in is chosen from the database: the closed WARC files of one run (or of all runs),
checked against the SHA-256 recorded when each was closed, and one page per article pointing at
its latest capture in those files.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from cdxj_indexer.main import write_cdx_index
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.lifecycle import sha256_of
from crawler import __version__
from db.models import Article, ArticleVersion, Capture, CrawlRun, WarcFile

WACZ_VERSION = "1.1.1"
INDEX_PATH = "indexes/index.cdx"
PAGES_PATH = "pages/pages.jsonl"
_CHUNK = 1 << 20


class PackageError(Exception):
    """The package cannot be made as asked; the message says why."""


@dataclass(frozen=True)
class Page:
    """One entry of pages.jsonl: where replay of an article starts."""

    url: str
    captured_at: datetime
    title: str | None
    record_id: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.record_id.removeprefix("<urn:uuid:").removesuffix(">"),
            "url": self.url,
            "ts": self.captured_at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "title": self.title or self.url,
        }


@dataclass(frozen=True)
class Selection:
    warc_files: list[Path]
    pages: list[Page]


def select_contents(session: Session, warc_dir: str | Path, run_id: int | None = None) -> Selection:
    """The closed WARC files of run ``run_id`` (all runs when None), unchanged since closing, and their pages."""
    warc_dir = Path(warc_dir)
    query = select(WarcFile).order_by(WarcFile.name)
    if run_id is not None:
        if session.get(CrawlRun, run_id) is None:
            raise PackageError(f"there is no crawl run {run_id}")
        query = query.where(WarcFile.run_id == run_id)
    rows = session.scalars(query).all()
    if not rows:
        raise PackageError("no closed WARC file to package" + (f" in run {run_id}" if run_id is not None else ""))
    files = []
    for row in rows:
        path = warc_dir / row.name
        if not path.is_file():
            raise PackageError(f"{row.name} is missing from {warc_dir}")
        if sha256_of(path) != row.sha256:
            raise PackageError(f"{row.name} changed since it was closed (its SHA-256 differs); run 'hdnd verify'")
        files.append(path)
    return Selection(files, _pages(session, {row.name for row in rows}))


def _pages(session: Session, warc_files: set[str]) -> list[Page]:
    """One page per article: its latest 200 response among the packaged files, under any URL it was stored from."""
    titles: dict[str, tuple[int, str | None]] = {}
    linked = (
        select(Capture.url, Article.id, Article.title)
        .join(ArticleVersion, ArticleVersion.capture_id == Capture.id)
        .join(Article, Article.id == ArticleVersion.article_id)
    )
    for url, article_id, title in session.execute(linked):
        titles[url] = (article_id, title)
    latest: dict[int, Page] = {}
    captures = (
        select(Capture.url, Capture.fetched_at, Capture.warc_record_id, Capture.warc_file)
        .where(Capture.status == 200, Capture.warc_type == "response")
        .order_by(Capture.fetched_at, Capture.id)
    )
    for url, fetched_at, record_id, warc_file in session.execute(captures):
        if warc_file in warc_files and url in titles:
            article_id, title = titles[url]
            latest[article_id] = Page(url, fetched_at, title, record_id)
    return sorted(latest.values(), key=lambda page: (page.captured_at, page.url))


def write_wacz(
    output: str | Path, warc_files: Sequence[Path], pages: Iterable[Page], *, title: str, description: str = ""
) -> Path:
    """Write the WACZ file (WARCs stored uncompressed in the zip, as the format asks) atomically."""
    output = Path(output)
    if not warc_files:
        raise PackageError("a WACZ needs at least one WARC file")
    names = [path.name for path in warc_files]
    if len(set(names)) != len(names):
        raise PackageError("two WARC files to package have the same name")
    partial = output.with_name(output.name + ".partial")
    resources: list[dict[str, Any]] = []
    try:
        with tempfile.TemporaryDirectory(prefix="hdnd-wacz-") as scratch, \
                zipfile.ZipFile(partial, "w", allowZip64=True) as wacz:
            for path in warc_files:
                wacz.write(path, f"archive/{path.name}", compress_type=zipfile.ZIP_STORED)
                resources.append(_resource(f"archive/{path.name}", path))
            index = Path(scratch) / "index.cdx"
            write_cdx_index(str(index), [str(path) for path in warc_files], {"sort": True, "post_append": True})
            wacz.write(index, INDEX_PATH, compress_type=zipfile.ZIP_DEFLATED)
            resources.append(_resource(INDEX_PATH, index))
            pages_file = Path(scratch) / "pages.jsonl"
            _write_pages(pages_file, pages)
            wacz.write(pages_file, PAGES_PATH, compress_type=zipfile.ZIP_DEFLATED)
            resources.append(_resource(PAGES_PATH, pages_file))
            datapackage = json.dumps(_datapackage(resources, title, description), indent=2).encode("utf-8")
            wacz.writestr("datapackage.json", datapackage, compress_type=zipfile.ZIP_DEFLATED)
            digest = {"path": "datapackage.json", "hash": "sha256:" + hashlib.sha256(datapackage).hexdigest()}
            wacz.writestr("datapackage-digest.json", json.dumps(digest, indent=2), compress_type=zipfile.ZIP_DEFLATED)
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    return output


def _write_pages(path: Path, pages: Iterable[Page]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "Articles"}) + "\n")
        for page in pages:
            handle.write(json.dumps(page.to_json(), ensure_ascii=False) + "\n")


def _resource(path_in_zip: str, source: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    size = 0
    with open(source, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return {
        # Frictionless (which 'wacz validate' runs) wants lower-case resource names.
        "name": os.path.basename(path_in_zip).lower(),
        "path": path_in_zip,
        "hash": "sha256:" + digest.hexdigest(),
        "bytes": size,
    }


def _datapackage(resources: list[dict[str, Any]], title: str, description: str) -> dict[str, Any]:
    package: dict[str, Any] = {
        "profile": "data-package",
        "resources": resources,
        "title": title,
        "created": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "wacz_version": WACZ_VERSION,
        "software": f"hdnd-archive {__version__}",
    }
    if description:
        package["description"] = description
    return package
