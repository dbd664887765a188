"""Check the database against the WARC files it describes.

Three checks: the fixity of every closed file (SHA-256 and size recorded when it was closed),
every capture row pointing at the record it names, and every stored article version equal to
what extraction gives again from its WARC record (the crawl's own ``article_from_page``).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, selectinload
from warcio.timeutils import iso_date_to_datetime

from archive.naming import open_name
from archive.reader import StoredRecord, WarcReadError, read_record
from archive.reextract import ArchivedPage, ExtractionFailed, article_rules, extract_in_order, page_of
from archive.verify import Problem, RecordEntry, WarcCheck
from crawler.extraction import SiteHints
from crawler.urls import ArticleUrlRules
from db.models import ArticleVersion, Capture, CrawlRun, WarcFile
from db.store import normalized_article as stored_form

# Fields a version row and its article row copy from extraction, compared one by one.
_CONTENT_FIELDS = ("title", "published_at", "category", "lead", "body", "byline", "content_hash")
_SHOWN_CHARACTERS = 60
_PAGE_SIZE = 200


@dataclass
class Audit:
    """What was compared, and every difference found."""

    warc_files: int = 0
    captures: int = 0
    versions: int = 0
    problems: list[Problem] = field(default_factory=list)


def audit_database(
    engine: Engine,
    warc_dir: str | Path,
    warc: WarcCheck,
    *,
    hints: Mapping[str, SiteHints] | None = None,
    workers: int | None = None,
) -> Audit:
    """Compare the database with the WARC files ``warc`` found in ``warc_dir`` (see archive.verify).

    ``workers`` processes extract the articles again (default: one per core).
    """
    warc_dir = Path(warc_dir)
    audit = Audit()
    with Session(engine) as session:
        _check_warc_files(session, warc_dir, warc, audit)
        _check_captures(session, warc_dir, warc, audit)
        _check_articles(session, warc_dir, warc, hints or {}, audit, workers)
    return audit


def _check_warc_files(session: Session, warc_dir: Path, warc: WarcCheck, audit: Audit) -> None:
    known = set()
    for row in session.scalars(select(WarcFile).order_by(WarcFile.name)):
        audit.warc_files += 1
        known.add(row.name)
        recorded = f"SHA-256 {row.sha256}, {row.size} bytes"
        found = warc.files.get(row.name)
        if found is None:
            state = "is still open" if (warc_dir / open_name(row.name)).exists() else "is missing"
            audit.problems.append(Problem("missing-file", f"file {state}; it was closed with {recorded}", row.name))
        elif (found.sha256, found.size) != (row.sha256, row.size):
            audit.problems.append(Problem(
                "changed-file",
                f"file changed since it was closed: now SHA-256 {found.sha256}, {found.size} bytes; "
                f"when closed {recorded}",
                row.name,
            ))
    for name in sorted(set(warc.files) - known):
        audit.problems.append(Problem(
            "unknown-file", "file is not in the database (its closing was not recorded, or it comes from elsewhere)",
            name,
        ))


def _check_captures(session: Session, warc_dir: Path, warc: WarcCheck, audit: Audit) -> None:
    record_ids = {entry.record_id for entry in warc.records.values()}
    absent_files: Counter[str] = Counter()
    for capture in _paged(session, select(Capture).order_by(Capture.id), Capture.id):
        audit.captures += 1
        if capture.warc_file not in warc.files:
            absent_files[capture.warc_file] += 1
            continue
        where = (capture.warc_file, capture.warc_offset, capture.warc_record_id)
        entry = warc.records.get((capture.warc_file, capture.warc_offset))
        if entry is None:
            audit.problems.append(Problem(
                "capture-no-record", f"capture {capture.id} of {capture.url}: no readable record starts here", *where,
            ))
            continue
        if entry.record_id != capture.warc_record_id:
            audit.problems.append(Problem(
                "capture-wrong-record",
                f"capture {capture.id} of {capture.url}: the record here is {entry.record_id}", *where,
            ))
            continue
        for name, stored, found in _capture_differences(capture, entry):
            audit.problems.append(Problem(
                "capture-mismatch",
                f"capture {capture.id}: {name} is {stored!r} in the database but {found!r} in the record", *where,
            ))
        if capture.refers_to_record_id and capture.refers_to_record_id not in record_ids:
            audit.problems.append(Problem(
                "capture-no-referred",
                f"capture {capture.id} of {capture.url}: the record it revisits, {capture.refers_to_record_id}, is not "
                "in any WARC file (replay cannot show it)", *where,
            ))
        if capture.request_record_id and capture.request_record_id not in record_ids:
            audit.problems.append(Problem(
                "capture-no-request",
                f"capture {capture.id} of {capture.url}: its request record {capture.request_record_id} is not "
                "in any WARC file", *where,
            ))
    for name, count in sorted(absent_files.items()):
        state = "still open" if (warc_dir / open_name(name)).exists() else "missing"
        audit.problems.append(Problem(
            "capture-no-file", f"{count} captures point into this file, which is {state}", name,
        ))


def _capture_differences(capture: Capture, entry: RecordEntry) -> Iterator[tuple[str, Any, Any]]:
    pairs = (
        ("warc_type", capture.warc_type, entry.warc_type),
        ("url", capture.url, entry.target_uri),
        ("fetched_at", capture.fetched_at, iso_date_to_datetime(entry.date, tz_aware=True)),
        ("payload_digest", capture.payload_digest, entry.payload_digest),
        ("warc_length", capture.warc_length, entry.length),
    )
    for name, stored, found in pairs:
        if stored != found:
            yield name, _shown(stored), _shown(found)


def _check_articles(
    session: Session,
    warc_dir: Path,
    warc: WarcCheck,
    hints: Mapping[str, SiteHints],
    audit: Audit,
    workers: int | None,
) -> None:
    pages = _archived_pages(session, warc_dir, warc, hints, audit)
    for version, extracted in extract_in_order(pages, workers=workers):
        where = _where(version.capture)
        if isinstance(extracted, ExtractionFailed):
            audit.problems.append(Problem(
                "article-unverifiable", f"{_label(version)}: extraction failed again: {extracted.message}", *where,
            ))
            continue
        audit.problems.extend(
            Problem(
                "article-mismatch",
                f"{_label(version)}: the {row} row's {name} is {stored} in the database, "
                f"but the WARC record gives {found}",
                *where,
            )
            for row, name, stored, found in _differences(version, stored_form(dataclasses.asdict(extracted)))
        )


def _archived_pages(
    session: Session, warc_dir: Path, warc: WarcCheck, hints: Mapping[str, SiteHints], audit: Audit
) -> Iterator[tuple[ArticleVersion, ArchivedPage]]:
    """Every stored article version with the page it was extracted from, read from its WARC record."""
    rules: dict[int, ArticleUrlRules] = {}
    query = (
        select(ArticleVersion)
        .options(
            selectinload(ArticleVersion.article),
            selectinload(ArticleVersion.capture),
            selectinload(ArticleVersion.images),
            selectinload(ArticleVersion.attachments),
        )
        .order_by(ArticleVersion.id)
    )
    for version in _paged(session, query, ArticleVersion.id):
        audit.versions += 1
        capture = version.capture
        entry = warc.records.get((capture.warc_file, capture.warc_offset))
        if entry is None or entry.record_id != capture.warc_record_id:
            audit.problems.append(Problem(
                "article-unverifiable",
                f"{_label(version)}: its record cannot be read, so it cannot be extracted again",
                *_where(capture),
            ))
            continue
        if capture.run_id not in rules:
            rules[capture.run_id] = _run_rules(session.get(CrawlRun, capture.run_id))
        try:
            stored = read_record(warc_dir / capture.warc_file, capture.warc_offset)
            payload_from = _referred_record(session, warc_dir, stored) if capture.warc_type == "revisit" else None
            page = page_of(stored, rules[capture.run_id], hints.get(version.article.site), payload_from=payload_from)
        except ValueError as error:  # a damaged record, a lost revisited one, or an undecodable body
            audit.problems.append(Problem(
                "article-unverifiable", f"{_label(version)}: its page cannot be read again: {error}", *_where(capture),
            ))
            continue
        yield version, page


def _referred_record(session: Session, warc_dir: Path, revisit: StoredRecord) -> StoredRecord:
    """The response record a revisit refers to (by record id, else by URI and date), which holds its payload."""
    headers = revisit.record.rec_headers
    record_id = headers.get_header("WARC-Refers-To")
    if record_id:
        query = select(Capture).where(Capture.warc_record_id == record_id)
    else:
        date = headers.get_header("WARC-Refers-To-Date")
        query = select(Capture).where(
            Capture.url == headers.get_header("WARC-Refers-To-Target-URI"),
            Capture.fetched_at == (iso_date_to_datetime(date, tz_aware=True) if date else None),
            Capture.warc_type == "response",
        )
    referred = session.scalars(query.limit(1)).first()
    if referred is None:
        raise WarcReadError("the response record it revisits is not in the database")
    return read_record(warc_dir / referred.warc_file, referred.warc_offset)


def _label(version: ArticleVersion) -> str:
    return f"article {version.article.source_id} of {version.article.site} (version {version.version})"


def _where(capture: Capture) -> tuple[str, int, str]:
    return capture.warc_file, capture.warc_offset, capture.warc_record_id


def _differences(version: ArticleVersion, extracted: dict[str, Any]) -> Iterator[tuple[str, str, str, str]]:
    """(row, field, stored, extracted) for each field of the version row, and of the article row when
    this version is its current one, that differs from the extraction."""
    row = f"version {version.version}"
    pairs: list[tuple[str, str, Any, Any]] = [
        (row, name, getattr(version, name), extracted[name]) for name in _CONTENT_FIELDS
    ]
    pairs.append((row, "images", [(i.src, i.alt, i.caption) for i in version.images],
                  [(i["src"], i["alt"], i["caption"]) for i in extracted["images"]]))
    pairs.append((row, "attachments", [(a.url, a.name) for a in version.attachments],
                  [(a["url"], a["name"]) for a in extracted["attachments"]]))
    article = version.article
    if article.capture_id == version.capture_id:
        pairs.extend(("article", name, getattr(article, name), extracted[name])
                     for name in (*_CONTENT_FIELDS, "site", "source_id"))
    for row_name, name, stored, found in pairs:
        if stored != found:
            yield row_name, name, *_shown_difference(stored, found)


def _run_rules(run: CrawlRun | None) -> ArticleUrlRules:
    """The article URL rules a run was crawled with (recorded in its options), else the defaults."""
    options = run.options if run is not None else {}
    return article_rules(options.get("HDND_ARTICLE_URL_PATTERN"), options.get("HDND_SOURCE_ID_PATTERN"))


def _paged(session: Session, query: Any, key: Any) -> Iterator[Any]:
    """The query's objects in pages by ascending ``key``, keeping memory flat on big archives."""
    last = None
    while True:
        page = query if last is None else query.where(key > last)
        objects = session.scalars(page.limit(_PAGE_SIZE)).all()
        if not objects:
            return
        yield from objects
        last = getattr(objects[-1], key.key)
        session.expunge_all()


def _shown(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _shown_difference(stored: Any, found: Any) -> tuple[str, str]:
    """Both values as short text; long texts are cut around their first difference."""
    if not (isinstance(stored, str) and isinstance(found, str)) or max(len(stored), len(found)) <= _SHOWN_CHARACTERS:
        return repr(_shown(stored)), repr(_shown(found))
    start = next((i for i, (a, b) in enumerate(zip(stored, found)) if a != b), min(len(stored), len(found)))
    start = max(0, start - _SHOWN_CHARACTERS // 3)

    def excerpt(text: str) -> str:
        cut = text[start:start + _SHOWN_CHARACTERS]
        return ("…" if start else "") + repr(cut) + ("…" if start + _SHOWN_CHARACTERS < len(text) else "") \
            + f" ({len(text)} characters)"

    return excerpt(stored), excerpt(found)
