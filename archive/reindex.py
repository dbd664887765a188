"""Rebuild the archive database from the WARC files alone: runs, WARC files, captures and articles.

Files are read oldest first and records in file order, so each article's first capture makes it
new and later ones make a version when the content changed, as during the crawl. Articles come
from ``crawler.articles.article_from_page`` and go through ``db.store.ArchiveStore``: the very
code the crawl uses, so the rebuilt rows equal the crawled ones.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from warcio.recordloader import ArcWarcRecord
from warcio.timeutils import iso_date_to_datetime

from archive.lifecycle import sha256_of
from archive.naming import OPEN_SUFFIX, WARC_SUFFIX
from archive.reader import StoredRecord, WarcReadError, iter_records, read_record
from archive.reextract import ArchivedPage, ExtractionFailed, article_rules, extract_in_order, page_of
from archive.verify import Problem, warc_paths
from crawler.articles import is_extractable
from crawler.extraction import SiteHints
from crawler.items import ArticleItem
from crawler.urls import ArticleUrlRules, host_of
from db.models import CrawlRun
from db.store import ArchiveStore

logger = logging.getLogger(__name__)

# warcinfo fields naming the article rules of the crawl that wrote the file.
ARTICLE_PATTERN_FIELD = "article-url-pattern"
SOURCE_ID_PATTERN_FIELD = "source-id-pattern"
_CAPTURED_TYPES = ("response", "revisit")


class ReindexError(Exception):
    """The database cannot be rebuilt here; the message says why."""


@dataclass
class ReindexResult:
    files: int = 0
    records: int = 0
    captures: int = 0
    runs: int = 0
    articles: Counter[str] = field(default_factory=Counter)  # new, updated, unchanged, failed
    problems: list[Problem] = field(default_factory=list)


@dataclass
class _Run:
    run_id: int
    rules: ArticleUrlRules


@dataclass(frozen=True)
class _Response:
    path: Path
    offset: int
    content_length: int | None


def reindex_archive(
    warc_dir: str | Path,
    engine: Engine,
    *,
    rules: ArticleUrlRules | None = None,
    hints: Mapping[str, SiteHints] | None = None,
    progress: Callable[[str], None] | None = None,
    workers: int | None = None,
) -> ReindexResult:
    """Fill an empty database from every closed WARC file of ``warc_dir``.

    ``rules`` overrides the article rules each file's warcinfo names (or the defaults, when it
    names none). Damaged files are reindexed up to the damage and reported in ``problems``.
    ``workers`` processes extract the articles (default: one per core).
    """
    warc_dir = Path(warc_dir)
    if not warc_dir.is_dir():
        raise ReindexError(f"no WARC folder at {warc_dir}")
    _require_empty(engine)
    result = ReindexResult()
    for open_path in sorted(warc_dir.glob("*" + WARC_SUFFIX + OPEN_SUFFIX)):
        result.problems.append(Problem(
            "open-file", "skipped: the file is still open (archive.repair closes it)", open_path.name,
        ))
    with ArchiveStore(engine, batch_size=500) as store:
        rebuild = _Rebuild(store, rules, hints or {}, result)
        pages = rebuild.pages(warc_paths(warc_dir), progress)
        for (run, row), extracted in extract_in_order(pages, workers=workers):
            rebuild.save(run, row, extracted)
        for run in rebuild.runs.values():
            store.finish_run(run.run_id, "finished")
    return result


def import_files(
    engine: Engine, paths: Iterable[Path], *, run_id: int, rules: ArticleUrlRules, workers: int | None = None,
) -> ReindexResult:
    """Add to an existing database what these WARC files hold and it lacks, as part of run ``run_id``.

    After a killed crawl: its repaired files hold records whose rows were still in the store's
    buffer. Captures already stored are skipped, and articles already stored come out unchanged;
    revisits are not extracted (their content is that of a capture stored before).
    """
    result = ReindexResult()
    with ArchiveStore(engine) as store:
        rebuild = _Rebuild(store, rules, {}, result, run=_Run(run_id, rules))
        pages = rebuild.pages(paths, None)
        for (run, row), extracted in extract_in_order(pages, workers=workers):
            rebuild.save(run, row, extracted)
    return result


class _Rebuild:
    """The state of one rebuild: its runs and its counts; stores captures as it reads them.

    With ``run``, every record belongs to that existing run and revisits are not extracted.
    """

    def __init__(
        self,
        store: ArchiveStore,
        rules: ArticleUrlRules | None,
        hints: Mapping[str, SiteHints],
        result: ReindexResult,
        run: _Run | None = None,
    ) -> None:
        self.store = store
        self.run = run
        self.rules = rules
        self.hints = hints
        self.result = result
        self.runs: dict[tuple[str, str], _Run] = {}
        # Every response record read so far, for the revisits that refer to one: by record id, and by
        # (URI, date) for a revisit that names no record id.
        self.responses: dict[str, _Response] = {}
        self.response_ids: dict[tuple[str, datetime], str] = {}

    def pages(
        self, paths: Iterable[Path], progress: Callable[[str], None] | None
    ) -> Iterator[tuple[tuple[_Run, dict[str, Any]], ArchivedPage]]:
        """Store every file's captures, in order, and hand out the article pages among them to extract."""
        for path in paths:
            if progress is not None:
                progress(path.name)
            yield from self._file(path)

    def save(self, run: _Run, row: dict[str, Any], extracted: ArticleItem | ExtractionFailed) -> None:
        """Store an extracted article as the crawl's pipelines do: nothing without a title or a body."""
        if isinstance(extracted, ExtractionFailed):
            logger.error("Extraction failed on %s: %s", row["url"], extracted.details)
            self.result.articles["failed"] += 1
        elif not (extracted.title or extracted.body):
            self.result.articles["failed"] += 1
        else:
            outcome = self.store.save_article(run.run_id, dataclasses.asdict(extracted), row["warc_record_id"])
            self.result.articles[outcome] += 1

    def _file(self, path: Path) -> Iterator[tuple[tuple[_Run, dict[str, Any]], ArchivedPage]]:
        run: _Run | None = None
        pending: dict[str, tuple[dict[str, Any], StoredRecord]] = {}
        records = 0
        end = 0  # where the last record read ends: where a damaged one starts
        try:
            for stored in iter_records(path):
                records += 1
                end = stored.location.offset + stored.location.length
                record = stored.record
                if run is None:
                    run = self._run(_warcinfo_fields(record) if record.rec_type == "warcinfo" else {})
                if record.rec_type in _CAPTURED_TYPES:
                    pending[stored.location.record_id] = (_capture_row(stored), stored)
                elif record.rec_type == "request":
                    waiting = pending.pop(record.rec_headers.get_header("WARC-Concurrent-To") or "", None)
                    if waiting is not None:
                        row, response = waiting
                        row["method"] = record.http_headers.protocol if record.http_headers else "GET"
                        row["request_record_id"] = stored.location.record_id
                        yield from self._capture(run, row, response, path)
        except WarcReadError as error:
            self.result.problems.append(Problem(
                "bad-record", f"reindexed up to here only: {str(error).removeprefix(f'{path}: ')}", path.name, end,
            ))
        for row, response in pending.values():  # a response whose request record is missing
            yield from self._capture(run, row, response, path)
        self.result.files += 1
        self.result.records += records
        if run is not None:
            self.store.record_warc_file(run.run_id, {
                "name": path.name,
                "sha256": sha256_of(path),
                "size": path.stat().st_size,
                "records": records,
                "closed_at": datetime.fromtimestamp(path.stat().st_mtime, timezone.utc),
            })

    def _run(self, warcinfo: Mapping[str, str]) -> _Run:
        """The run a file belongs to: one per crawl named in the warcinfo records."""
        if self.run is not None:
            return self.run
        job = warcinfo.get("isPartOf") or "reindex"
        key = (job, warcinfo.get("description", ""))
        if key not in self.runs:
            rules = self.rules or article_rules(
                warcinfo.get(ARTICLE_PATTERN_FIELD), warcinfo.get(SOURCE_ID_PATTERN_FIELD)
            )
            run_id = self.store.start_run(job, {
                "reindexed": True,
                "HDND_JOB": job,
                "HDND_ARTICLE_URL_PATTERN": rules.article_pattern,
                "HDND_SOURCE_ID_PATTERN": rules.source_id_pattern,
                "warcinfo": dict(warcinfo),
            })
            self.runs[key] = _Run(run_id, rules)
            self.result.runs += 1
        return self.runs[key]

    def _capture(
        self, run: _Run, row: dict[str, Any], stored: StoredRecord, path: Path
    ) -> Iterator[tuple[tuple[_Run, dict[str, Any]], ArchivedPage]]:
        referred = self._referred(stored) if row["warc_type"] == "revisit" else None
        if referred is not None:
            row["content_length"] = referred.content_length  # the revisit's body is the one it refers to
        self.store.add_capture(run.run_id, row)
        self.result.captures += 1
        if row["warc_type"] == "response":
            self.responses[row["warc_record_id"]] = _Response(path, row["warc_offset"], row["content_length"])
            self.response_ids[(row["url"], row["fetched_at"])] = row["warc_record_id"]
        if not _is_article_page(row, run.rules):
            return
        if row["warc_type"] == "revisit" and self.run is not None:
            return
        if row["warc_type"] == "revisit" and referred is None:
            logger.error("Cannot extract %s: the response record it revisits is not in the WARC files", row["url"])
            self.result.articles["failed"] += 1
            return
        try:
            payload_from = read_record(referred.path, referred.offset) if referred is not None else None
            page = page_of(stored, run.rules, self.hints.get(host_of(row["url"])), payload_from=payload_from)
        except ValueError as error:  # a damaged revisited record, or a body that does not match its Content-Encoding
            logger.error("Cannot extract %s: %s", row["url"], error)
            self.result.articles["failed"] += 1
            return
        yield (run, row), page

    def _referred(self, stored: StoredRecord) -> _Response | None:
        headers = stored.record.rec_headers
        record_id = headers.get_header("WARC-Refers-To")
        if not record_id:
            uri, date = headers.get_header("WARC-Refers-To-Target-URI"), headers.get_header("WARC-Refers-To-Date")
            if uri and date:
                record_id = self.response_ids.get((uri, iso_date_to_datetime(date, tz_aware=True)))
        return self.responses.get(record_id or "")


def _require_empty(engine: Engine) -> None:
    with engine.connect() as connection:
        runs = connection.execute(select(func.count()).select_from(CrawlRun)).scalar_one()
    if runs:
        raise ReindexError(
            f"the database already holds {runs} crawl runs; reindex builds a database from nothing: give it a new one"
        )


def _warcinfo_fields(record: ArcWarcRecord) -> dict[str, str]:
    """The 'name: value' lines of a warcinfo record."""
    fields = {}
    for line in record.raw_stream.read().decode("utf-8", "replace").splitlines():
        name, separator, value = line.partition(":")
        if separator and name.strip():
            fields[name.strip()] = value.strip()
    return fields


def _capture_row(stored: StoredRecord) -> dict[str, Any]:
    """The captures row of a response or revisit record, as the crawl's WARC middleware writes it."""
    record, location = stored.record, stored.location
    headers = record.rec_headers
    http = record.http_headers
    status = http.get_statuscode() if http else ""
    return {
        "url": headers.get_header("WARC-Target-URI"),
        "method": "GET",
        "status": int(status) if status.isdigit() else 0,
        "fetched_at": location.date,
        "content_type": http.get_header("Content-Type") if http else None,
        "payload_digest": location.payload_digest,
        "warc_type": location.warc_type,
        "warc_file": location.warc_file,
        "warc_offset": location.offset,
        "warc_length": location.length,
        "warc_record_id": location.record_id,
        "request_record_id": None,
        "ip_address": headers.get_header("WARC-IP-Address"),
        "content_length": _stored_payload_length(record) if location.warc_type == "response" else None,
        "refers_to_record_id": headers.get_header("WARC-Refers-To"),
    }


def _stored_payload_length(record: ArcWarcRecord) -> int:
    """The length of the body as received (what the crawl records as content_length)."""
    stream = record.raw_stream
    length = stream.seek(0, os.SEEK_END)
    stream.seek(0)
    return length


def _is_article_page(row: Mapping[str, Any], rules: ArticleUrlRules) -> bool:
    """A page the crawl extracts: a 200 response (or revisit) of an article URL, HTML or of no declared type."""
    return is_extractable(row["status"], row["content_type"]) and rules.is_article(row["url"])
