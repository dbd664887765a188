"""Batched writes of a crawl into the archive database: runs, captures, WARC files, articles."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Table, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from db.engine import DatabaseError
from db.models import (
    CAPTURE_WARC_TYPES,
    RUN_STATUSES,
    Article,
    ArticleVersion,
    Attachment,
    Capture,
    CrawlRun,
    Image,
    WarcFile,
)
from db.sqlite import WRITE_TRANSACTION
from db.types import UTC, to_utc

logger = logging.getLogger(__name__)

_CAPTURE_REQUIRED = ("url", "status", "fetched_at", "warc_file", "warc_offset", "warc_length", "warc_record_id")
_CAPTURE_OPTIONAL = (
    "method",
    "content_type",
    "payload_digest",
    "warc_type",
    "request_record_id",
    "ip_address",
    "content_length",
    "refers_to_record_id",
)
_CAPTURE_INTEGERS = ("status", "warc_offset", "warc_length", "content_length")
_COPIED_FIELDS = ("title", "published_at", "category", "lead", "body", "byline", "content_hash")

# Statements are built once and executed with parameters: building them per call with literal
# values cost more than running them.
_captures: Table = Capture.__table__  # type: ignore[assignment]
_articles: Table = Article.__table__  # type: ignore[assignment]
_versions: Table = ArticleVersion.__table__  # type: ignore[assignment]
_images: Table = Image.__table__  # type: ignore[assignment]
_attachments: Table = Attachment.__table__  # type: ignore[assignment]
_INSERT_CAPTURE = insert(_captures)
_INSERT_ARTICLE = insert(_articles)
_INSERT_VERSION = insert(_versions)
_INSERT_IMAGE = insert(_images)
_INSERT_ATTACHMENT = insert(_attachments)
_UPDATE_ARTICLE = update(_articles).where(_articles.c.id == bindparam("article_id"))
_CAPTURE_BY_RECORD_ID = select(_captures.c.id, _captures.c.fetched_at).where(
    _captures.c.warc_record_id == bindparam("record_id")
)
_CURRENT_ARTICLE = select(
    _articles.c.id, _articles.c.content_hash, _articles.c.versions, _articles.c.last_seen_at
).where(_articles.c.site == bindparam("site"), _articles.c.source_id == bindparam("source_id"))


def content_hash(
    title: str | None,
    published_at: datetime | None,
    body: str,
    captions: Sequence[str],
    attachments: Sequence[tuple[str, str | None]],
) -> str:
    """SHA-256 over the content that makes a new version when it changes."""
    when = to_utc(published_at).isoformat() if published_at is not None else None
    canonical = json.dumps(
        [title, when, body, list(captions), [list(pair) for pair in attachments]],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class ArchiveStore:
    """Write API used by the crawl pipeline.

    Writes go through one connection and are committed every ``batch_size`` items, when the open
    batch is older than ``max_batch_seconds`` (checked on each call), on ``flush()`` and on
    ``close()``. Bad input raises ``ValueError`` before anything is buffered. A capture whose WARC
    record id is already stored is skipped (re-importing a WARC is harmless); any other capture the
    database refuses is logged as an error and the rest of its batch is kept. Not thread-safe.
    """

    def __init__(self, engine: Engine, *, batch_size: int = 200, max_batch_seconds: float = 2.0) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        self.engine = engine
        self.batch_size = batch_size
        self.max_batch_seconds = max_batch_seconds
        self._connection: Connection | None = None
        self._pending_captures: list[dict[str, Any]] = []
        self._uncommitted = 0
        self._batch_started = 0.0
        self._tallies: dict[int, Counter[str]] = {}
        self._known_runs: set[int] = set()
        self._closed = False

    def __enter__(self) -> ArchiveStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def start_run(self, job: str, options: Mapping[str, Any] | None = None) -> int:
        """Record a new run as 'running' and commit at once so other processes see it."""
        if not isinstance(job, str) or not job.strip():
            raise ValueError(f"a run needs a job name, got {job!r}")
        options = _json_object("options", options or {})
        connection = self._writer()
        result = connection.execute(
            insert(CrawlRun).values(
                job=job.strip(), started_at=datetime.now(UTC), status="running", options=options, counts={}
            )
        )
        run_id = int(result.inserted_primary_key[0])
        self.flush()
        self._known_runs.add(run_id)
        return run_id

    def add_capture(self, run_id: int, capture: Mapping[str, Any]) -> None:
        """Buffer one fetch (the keys are the captures table's columns)."""
        row = _capture_row(run_id, capture)
        self._check_run(run_id)
        self._pending_captures.append(row)
        self._tally(run_id, "captures")
        self._count_item()

    def save_article(self, run_id: int, article: Mapping[str, Any], capture_record_id: str) -> str:
        """Store an extracted article; returns 'new', 'updated' or 'unchanged'.

        Keys beyond the article's fields (e.g. an item's provenance) are ignored. The capture
        with WARC record id ``capture_record_id`` must have been added before.
        """
        fields = normalized_article(article)
        self._insert_pending_captures()
        connection = self._writer()
        capture = connection.execute(_CAPTURE_BY_RECORD_ID, {"record_id": capture_record_id}).one_or_none()
        if capture is None:
            raise ValueError(
                f"no capture with WARC record id {capture_record_id!r}: add_capture() it before save_article()"
            )
        seen_at = fields.pop("fetched_at") or capture.fetched_at
        try:
            with connection.begin_nested():
                outcome = self._write_article(connection, fields, capture.id, seen_at)
        except SQLAlchemyError as exc:
            raise DatabaseError(f"cannot save article {fields['url']}: {_reason(exc)}") from exc
        self._tally(run_id, f"articles_{outcome}")
        self._count_item()
        return outcome

    def record_warc_file(self, run_id: int | None, closed: Mapping[str, Any] | object) -> None:
        """Record a closed WARC file (a mapping or an ``archive.writer.ClosedWarc``); commits."""
        row = {
            "name": _value(closed, "name"),
            "sha256": _value(closed, "sha256"),
            "size": _value(closed, "size"),
            "records": _value(closed, "records"),
        }
        for key in ("name", "sha256"):
            if not isinstance(row[key], str) or not row[key]:
                raise ValueError(f"closed WARC file: {key} must be a non-empty string, got {row[key]!r}")
        for key in ("size", "records"):
            if not isinstance(row[key], int) or row[key] < 0:
                raise ValueError(f"closed WARC file {row['name']}: {key} must be a count, got {row[key]!r}")
        closed_at = _value(closed, "closed_at")
        row["closed_at"] = to_utc(closed_at) if closed_at is not None else datetime.now(UTC)
        row["run_id"] = run_id
        connection = self._writer()
        known = connection.execute(select(WarcFile.id).where(WarcFile.name == row["name"])).scalar_one_or_none()
        if known is None:
            connection.execute(insert(WarcFile).values(row))
        else:
            connection.execute(update(WarcFile).where(WarcFile.id == known).values(row))
        self._tally(run_id, "warc_files")
        self._tally(run_id, "warc_bytes", row["size"])
        self.flush()

    def finish_run(self, run_id: int, status: str, counts: Mapping[str, Any] | None = None) -> None:
        """Close a run; its counts are the store's tallies overridden by ``counts``; commits."""
        if status not in RUN_STATUSES or status == "running":
            raise ValueError(f"a run finishes as one of {RUN_STATUSES[1:]}, not {status!r}")
        merged = {**self.counts(run_id), **_json_object("counts", counts or {})}
        self.flush()
        result = self._writer().execute(
            update(CrawlRun)
            .where(CrawlRun.id == run_id)
            .values(status=status, finished_at=datetime.now(UTC), counts=merged)
        )
        if result.rowcount == 0:
            raise ValueError(f"no crawl run with id {run_id}")
        self.flush()

    def counts(self, run_id: int) -> dict[str, int]:
        """What this store wrote for a run: captures, articles_new/updated/unchanged, warc_files, warc_bytes."""
        return dict(self._tallies.get(run_id, {}))

    def flush(self) -> None:
        """Write buffered captures and commit."""
        self._insert_pending_captures()
        if self._connection is not None and self._connection.in_transaction():
            try:
                self._connection.commit()
            except SQLAlchemyError as exc:
                raise DatabaseError(f"cannot commit to the database: {_reason(exc)}") from exc
        self._uncommitted = 0

    def close(self) -> None:
        """Flush and release the connection; safe to call twice."""
        if self._closed:
            return
        try:
            self.flush()
        finally:
            self._closed = True
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    def _writer(self) -> Connection:
        if self._closed:
            raise DatabaseError("the archive store is closed")
        if self._connection is None:
            self._connection = self.engine.connect().execution_options(**{WRITE_TRANSACTION: True})
        return self._connection

    def _check_run(self, run_id: int) -> None:
        connection = self._writer()
        if run_id in self._known_runs:
            return
        if connection.execute(select(CrawlRun.id).where(CrawlRun.id == run_id)).first() is None:
            raise ValueError(f"no crawl run with id {run_id}: call start_run() first")
        self._known_runs.add(run_id)

    def _count_item(self) -> None:
        if self._uncommitted == 0:
            self._batch_started = time.monotonic()
        self._uncommitted += 1
        age = time.monotonic() - self._batch_started
        if self._uncommitted >= self.batch_size or age >= self.max_batch_seconds:
            self.flush()

    def _tally(self, run_id: int | None, key: str, amount: int = 1) -> None:
        if run_id is not None:
            self._tallies.setdefault(run_id, Counter())[key] += amount

    def _insert_pending_captures(self) -> None:
        if not self._pending_captures:
            return
        rows, self._pending_captures = self._pending_captures, []
        connection = self._writer()
        try:
            with connection.begin_nested():
                connection.execute(_INSERT_CAPTURE, rows)
        except IntegrityError:
            self._insert_captures_one_by_one(connection, rows)
        except SQLAlchemyError as exc:
            self._pending_captures = rows + self._pending_captures
            raise DatabaseError(f"cannot write {len(rows)} captures: {_reason(exc)}") from exc

    @staticmethod
    def _insert_captures_one_by_one(connection: Connection, rows: list[dict[str, Any]]) -> None:
        """Keep every acceptable row of a batch the database refused."""
        for row in rows:
            try:
                with connection.begin_nested():
                    connection.execute(_INSERT_CAPTURE, row)
            except IntegrityError as exc:
                stored = connection.execute(_CAPTURE_BY_RECORD_ID, {"record_id": row["warc_record_id"]}).first()
                if stored is None:
                    logger.error("Capture %s of %s refused: %s", row["warc_record_id"], row["url"], _reason(exc))
                else:
                    logger.debug("Capture %s already stored; skipped", row["warc_record_id"])

    @staticmethod
    def _write_article(connection: Connection, fields: dict[str, Any], capture_id: int, seen_at: datetime) -> str:
        current = connection.execute(
            _CURRENT_ARTICLE, {"site": fields["site"], "source_id": fields["source_id"]}
        ).one_or_none()
        copied = {name: fields[name] for name in (*_COPIED_FIELDS, "captions")}
        if current is None:
            article_id = connection.execute(
                _INSERT_ARTICLE,
                {
                    "site": fields["site"],
                    "source_id": fields["source_id"],
                    "url": fields["url"],
                    "first_seen_at": seen_at,
                    "last_seen_at": seen_at,
                    "capture_id": capture_id,
                    "versions": 1,
                    **copied,
                },
            ).inserted_primary_key[0]
            _insert_version(connection, article_id, 1, fields, capture_id, seen_at)
            return "new"
        seen = {"article_id": current.id, "url": fields["url"], "last_seen_at": max(current.last_seen_at, seen_at)}
        if current.content_hash == fields["content_hash"]:
            connection.execute(_UPDATE_ARTICLE, seen)
            return "unchanged"
        version = current.versions + 1
        _insert_version(connection, current.id, version, fields, capture_id, seen_at)
        connection.execute(_UPDATE_ARTICLE, {**seen, "capture_id": capture_id, "versions": version, **copied})
        return "updated"


def _insert_version(
    connection: Connection,
    article_id: int,
    version: int,
    fields: dict[str, Any],
    capture_id: int,
    created_at: datetime,
) -> None:
    version_id = connection.execute(
        _INSERT_VERSION,
        {
            "article_id": article_id,
            "version": version,
            "capture_id": capture_id,
            "created_at": created_at,
            **{name: fields[name] for name in _COPIED_FIELDS},
        },
    ).inserted_primary_key[0]
    for statement, rows in ((_INSERT_IMAGE, fields["images"]), (_INSERT_ATTACHMENT, fields["attachments"])):
        if rows:
            connection.execute(statement, [{"version_id": version_id, **row} for row in rows])


def _capture_row(run_id: int, capture: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(capture, Mapping):
        raise ValueError(f"a capture must be a mapping, got {type(capture).__name__}")
    unknown = set(capture) - set(_CAPTURE_REQUIRED) - set(_CAPTURE_OPTIONAL)
    if unknown:
        known = _CAPTURE_REQUIRED + _CAPTURE_OPTIONAL
        raise ValueError(f"unknown capture fields {sorted(unknown)}; known: {known}")
    missing = [key for key in _CAPTURE_REQUIRED if capture.get(key) in (None, "")]
    if missing:
        raise ValueError(f"capture of {capture.get('url')!r} lacks {missing}")
    row: dict[str, Any] = {key: capture.get(key) for key in _CAPTURE_REQUIRED + _CAPTURE_OPTIONAL}
    for key in _CAPTURE_INTEGERS:
        if row[key] is not None and (not isinstance(row[key], int) or row[key] < 0):
            raise ValueError(f"capture of {row['url']!r}: {key} must be a non-negative integer, got {row[key]!r}")
    row["method"] = row["method"] or "GET"
    row["warc_type"] = row["warc_type"] or "response"
    if row["warc_type"] not in CAPTURE_WARC_TYPES:
        raise ValueError(f"capture of {row['url']!r}: warc_type must be one of {CAPTURE_WARC_TYPES}")
    row["fetched_at"] = to_utc(row["fetched_at"])
    row["run_id"] = run_id
    return row


def normalized_article(article: Mapping[str, Any]) -> dict[str, Any]:
    """An article mapping as the store writes it: validated, NFC, with its content hash."""
    if not isinstance(article, Mapping):
        raise ValueError(f"an article must be a mapping, got {type(article).__name__}")
    fields: dict[str, Any] = {}
    for key in ("url", "site", "source_id"):
        value = article.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"article {article.get('url')!r} needs a non-empty {key}, got {value!r}")
        fields[key] = _nfc(value.strip())
    for key in ("title", "category", "lead", "byline"):
        fields[key] = _optional_text(article, key)
    fields["body"] = _optional_text(article, "body") or ""
    for key in ("published_at", "fetched_at"):
        value = article.get(key)
        fields[key] = to_utc(value) if value is not None else None
    fields["images"] = [
        {
            "position": position,
            "src": _required_text(image, "src", "image"),
            "alt": _optional_text(image, "alt"),
            "caption": _optional_text(image, "caption"),
        }
        for position, image in enumerate(article.get("images") or [])
    ]
    fields["attachments"] = [
        {
            "position": position,
            "url": _required_text(attachment, "url", "attachment"),
            "name": _optional_text(attachment, "name"),
        }
        for position, attachment in enumerate(article.get("attachments") or [])
    ]
    captions = [image["caption"] for image in fields["images"] if image["caption"]]
    fields["captions"] = "\n".join(captions) or None
    fields["content_hash"] = content_hash(
        fields["title"],
        fields["published_at"],
        fields["body"],
        captions,
        [(attachment["url"], attachment["name"]) for attachment in fields["attachments"]],
    )
    return fields


def _value(source: Mapping[str, Any] | object, key: str) -> Any:
    """A field of a mapping or an attribute of an object (items may be dicts or dataclasses)."""
    if isinstance(source, Mapping):
        return source.get(key)
    return getattr(source, key, None)


def _optional_text(source: Mapping[str, Any] | object, key: str) -> str | None:
    value = _value(source, key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{key} must be text, got {type(value).__name__}: {value!r}")
    return _nfc(value)


def _required_text(source: Mapping[str, Any] | object, key: str, what: str) -> str:
    value = _optional_text(source, key)
    if not value:
        raise ValueError(f"an {what} needs a non-empty {key}, got {value!r}")
    return value


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _json_object(name: str, value: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise ValueError(f"{name} must be a mapping, got {type(value).__name__}")
    try:
        return json.loads(json.dumps(dict(value), default=_json_default))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} cannot be stored as JSON: {exc}") from exc


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _reason(exc: SQLAlchemyError) -> str:
    return str(getattr(exc, "orig", None) or exc)
