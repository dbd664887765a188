"""Export the current version of every article as JSON Lines or CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TextIO

from sqlalchemy import Connection, Engine, and_, select
from sqlalchemy.orm import Session

from db.models import Article, ArticleVersion, Attachment, Capture, Image
from db.types import to_utc

EXPORT_FIELDS = (
    "url",
    "source_id",
    "title",
    "published_at",
    "category",
    "body",
    "lead",
    "byline",
    "images",
    "attachments",
    "capture",
)

# Articles are read in pages of this size, with their images and attachments in one query each.
_PAGE_SIZE = 500


def iter_export_records(
    source: Session | Engine | Connection,
    *,
    site: str | None = None,
    published_since: datetime | None = None,
    published_until: datetime | None = None,
    run_id: int | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield one export record per article (fields in ``EXPORT_FIELDS`` order), oldest article first.

    Filters: ``site`` (host), ``published_since``/``published_until`` (tz-aware, inclusive), and
    ``run_id`` (articles whose current version was captured in that run: new or updated by it).
    """
    conditions = []
    if site is not None:
        conditions.append(Article.site == site)
    if published_since is not None:
        conditions.append(Article.published_at >= to_utc(published_since))
    if published_until is not None:
        conditions.append(Article.published_at <= to_utc(published_until))
    if run_id is not None:
        conditions.append(Capture.run_id == run_id)
    query = (
        select(
            Article.id,
            Article.url,
            Article.source_id,
            Article.title,
            Article.published_at,
            Article.category,
            Article.body,
            Article.lead,
            Article.byline,
            ArticleVersion.id.label("version_id"),
            Capture.warc_file,
            Capture.warc_offset,
            Capture.warc_length,
            Capture.warc_record_id,
            Capture.fetched_at,
        )
        .join(Capture, Capture.id == Article.capture_id)
        .join(
            ArticleVersion,
            and_(ArticleVersion.article_id == Article.id, ArticleVersion.version == Article.versions),
        )
        .where(*conditions)
        .order_by(Article.id)
        .limit(_PAGE_SIZE)
    )
    with _connection(source) as connection:
        last_id = 0
        while True:
            rows = connection.execute(query.where(Article.id > last_id)).all()
            if not rows:
                return
            version_ids = [row.version_id for row in rows]
            images = _children(connection, Image, version_ids, ("src", "alt", "caption"))
            attachments = _children(connection, Attachment, version_ids, ("url", "name"))
            for row in rows:
                yield _record(row, images.get(row.version_id, []), attachments.get(row.version_id, []))
            last_id = rows[-1].id


def write_jsonl(records: Iterable[dict[str, Any]], fileobj: TextIO) -> int:
    """Write one JSON object per line (UTF-8 text, not ASCII-escaped); returns the count."""
    count = 0
    for record in records:
        fileobj.write(json.dumps(record, ensure_ascii=False))
        fileobj.write("\n")
        count += 1
    return count


def write_csv(records: Iterable[dict[str, Any]], fileobj: TextIO, bom: bool = False) -> int:
    """Write one row per article, lists and objects as JSON cells; returns the count.

    Open ``fileobj`` with ``newline=""`` (bodies hold line breaks). ``bom`` writes a UTF-8 byte
    order mark first, which spreadsheet programs need to read Vietnamese text correctly.
    """
    if bom:
        fileobj.write("\ufeff")
    writer = csv.writer(fileobj)
    writer.writerow(EXPORT_FIELDS)
    count = 0
    for record in records:
        writer.writerow([_csv_cell(record.get(field)) for field in EXPORT_FIELDS])
        count += 1
    return count


@contextmanager
def _connection(source: Session | Engine | Connection) -> Iterator[Connection]:
    if isinstance(source, Session):
        yield source.connection()
    elif isinstance(source, Engine):
        with source.connect() as connection:
            yield connection
    elif isinstance(source, Connection):
        yield source
    else:
        raise TypeError(f"expected a Session, Engine or Connection, got {type(source).__name__}")


def _children(
    connection: Connection, model: type[Image] | type[Attachment], version_ids: list[int], fields: tuple[str, ...]
) -> dict[int, list[dict[str, Any]]]:
    columns = [getattr(model, field) for field in fields]
    rows = connection.execute(
        select(model.version_id, *columns)
        .where(model.version_id.in_(version_ids))
        .order_by(model.version_id, model.position)
    )
    grouped: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row.version_id, []).append({field: getattr(row, field) for field in fields})
    return grouped


def _record(row: Any, images: list[dict[str, Any]], attachments: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "url": row.url,
        "source_id": row.source_id,
        "title": row.title,
        "published_at": row.published_at.isoformat() if row.published_at else None,
        "category": row.category,
        "body": row.body,
        "lead": row.lead,
        "byline": row.byline,
        "images": images,
        "attachments": attachments,
        "capture": {
            "warc_file": row.warc_file,
            "warc_offset": row.warc_offset,
            "warc_length": row.warc_length,
            "warc_record_id": row.warc_record_id,
            "fetched_at": row.fetched_at.isoformat(),
        },
    }


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value
