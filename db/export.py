"""Export the current version of articles as JSON Lines, CSV or Parquet, filtered like a search."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, TextIO

from sqlalchemy import ColumnElement, Connection, and_, select

from db.extras import import_extra
from db.filters import ArticleFilter
from db.matching import matches_all
from db.models import Article, ArticleVersion, Attachment, Capture, Image
from db.search import matching_condition
from db.search_index import has_fts_index
from db.search_query import parse_query
from db.sources import Source, connection_of
from db.types import VIETNAM

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
# Parquet row groups: small enough to stream, large enough to compress well.
_PARQUET_ROWS = 2_000

_SELECTED = (
    Article.id,
    Article.url,
    Article.source_id,
    Article.title,
    Article.published_at,
    Article.category,
    Article.body,
    Article.lead,
    Article.byline,
    Article.captions,
    ArticleVersion.id.label("version_id"),
    Capture.warc_file,
    Capture.warc_offset,
    Capture.warc_length,
    Capture.warc_record_id,
    Capture.fetched_at,
)


def iter_export_records(
    source: Source,
    *,
    site: str | None = None,
    published_since: str | date | datetime | None = None,
    published_until: str | date | datetime | None = None,
    category: str | None = None,
    query: str | None = None,
    run_id: int | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield one export record per article (fields in ``EXPORT_FIELDS`` order), oldest article first.

    Filters: ``site`` (host); ``published_since``/``published_until`` (inclusive; an aware datetime,
    a date, or a string such as ``2022`` or ``2022-05``); ``category`` (marks and case ignored);
    ``query`` (as ``hdnd search`` reads it); ``run_id`` (articles whose current version was
    captured in that run: new or updated by it).
    """
    filters = ArticleFilter.of(published_since, published_until, category, site)
    parsed = parse_query(query) if query is not None else None
    with connection_of(source) as connection:
        conditions = filters.conditions(connection)
        if run_id is not None:
            conditions.append(Capture.run_id == run_id)
        if parsed is not None:
            conditions.append(matching_condition(connection, parsed))
        # Without FTS5 the query condition only narrows: each article is checked with the search's rules.
        checked = parsed if parsed is not None and not has_fts_index(connection) else None
        for row, record in _records(connection, conditions):
            if checked is None or matches_all(checked, (row.title, row.lead, row.body, row.captions)):
                yield record


def records_by_article(source: Source, article_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The export records of the given articles, keyed by article id (absent ids are left out)."""
    ids = list(article_ids)
    found: dict[int, dict[str, Any]] = {}
    with connection_of(source) as connection:
        for start in range(0, len(ids), _PAGE_SIZE):
            condition = Article.id.in_(ids[start:start + _PAGE_SIZE])
            found.update((row.id, record) for row, record in _records(connection, [condition]))
    return found


def write_jsonl(records: Iterable[dict[str, Any]], fileobj: TextIO) -> int:
    """Write one JSON object per line (UTF-8 text, not ASCII-escaped); returns the count."""
    count = 0
    for record in records:
        fileobj.write(json.dumps(record, ensure_ascii=False))
        fileobj.write("\n")
        count += 1
    return count


def write_csv(
    records: Iterable[dict[str, Any]], fileobj: TextIO, bom: bool = False, fields: Sequence[str] = EXPORT_FIELDS
) -> int:
    """Write one row per article, lists and objects as JSON cells; returns the count.

    Open ``fileobj`` with ``newline=""`` (bodies hold line breaks). ``bom`` writes a UTF-8 byte
    order mark first, which spreadsheet programs need to read Vietnamese text correctly.
    """
    if bom:
        fileobj.write("\ufeff")
    writer = csv.writer(fileobj)
    writer.writerow(fields)
    count = 0
    for record in records:
        writer.writerow([_csv_cell(record.get(field)) for field in fields])
        count += 1
    return count


def write_parquet(records: Iterable[dict[str, Any]], target: str | Path | IO[bytes]) -> int:
    """Write the records as a Parquet file with typed columns (timestamps, lists of structs); returns the count.

    Needs pyarrow (the ``parquet`` extra). Dates become timestamps: ``published_at`` in Vietnam
    time, ``capture.fetched_at`` in UTC.
    """
    pa = import_extra("pyarrow", "parquet", "Parquet export")
    pq = import_extra("pyarrow.parquet", "parquet", "Parquet export")
    schema = _parquet_schema(pa)
    count = 0
    with pq.ParquetWriter(target, schema, compression="zstd") as writer:
        batch: list[dict[str, Any]] = []
        for record in records:
            batch.append(_typed(record))
            count += 1
            if len(batch) == _PARQUET_ROWS:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch = []
        if batch or count == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
    return count


def _records(connection: Connection, conditions: list[ColumnElement[bool]]) -> Iterator[tuple[Any, dict[str, Any]]]:
    """(row, export record) of the matching articles, by id, read a page at a time."""
    query = (
        select(*_SELECTED)
        .join(Capture, Capture.id == Article.capture_id)
        .join(
            ArticleVersion,
            and_(ArticleVersion.article_id == Article.id, ArticleVersion.version == Article.versions),
        )
        .where(*conditions)
        .order_by(Article.id)
        .limit(_PAGE_SIZE)
    )
    last_id = 0
    while True:
        rows = connection.execute(query.where(Article.id > last_id)).all()
        if not rows:
            return
        version_ids = [row.version_id for row in rows]
        images = _children(connection, Image, version_ids, ("src", "alt", "caption"))
        attachments = _children(connection, Attachment, version_ids, ("url", "name"))
        for row in rows:
            yield row, _record(row, images.get(row.version_id, []), attachments.get(row.version_id, []))
        last_id = rows[-1].id


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


def _parquet_schema(pa: Any) -> Any:
    text = pa.string()
    return pa.schema([
        ("url", text),
        ("source_id", text),
        ("title", text),
        ("published_at", pa.timestamp("us", tz=VIETNAM.key)),
        ("category", text),
        ("body", text),
        ("lead", text),
        ("byline", text),
        ("images", pa.list_(pa.struct([("src", text), ("alt", text), ("caption", text)]))),
        ("attachments", pa.list_(pa.struct([("url", text), ("name", text)]))),
        ("capture", pa.struct([
            ("warc_file", text),
            ("warc_offset", pa.int64()),
            ("warc_length", pa.int64()),
            ("warc_record_id", text),
            ("fetched_at", pa.timestamp("us", tz="UTC")),
        ])),
    ])


def _typed(record: dict[str, Any]) -> dict[str, Any]:
    """The record with its ISO date strings as datetimes, for Parquet timestamp columns."""
    published = record["published_at"]
    capture = record["capture"]
    return {
        **record,
        "published_at": datetime.fromisoformat(published) if published else None,
        "capture": {**capture, "fetched_at": datetime.fromisoformat(capture["fetched_at"])},
    }
