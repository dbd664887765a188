"""Read back what a crawl archived: response counts, and the article pages as fetched."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord
from warcio.timeutils import iso_date_to_datetime

from archive.content_coding import decode_content
from crawler.urls import ArticleUrlRules

ARTICLES = ArticleUrlRules()


@dataclass(frozen=True)
class ResponseCounts:
    responses: int
    articles: int  # article pages answered 200


@dataclass(frozen=True)
class ArchivedPage:
    """One archived article response, with its body both as sent and content-decoded."""

    url: str
    status: int
    reason: str
    protocol: str
    headers: list[tuple[str, str]]
    raw_body: bytes
    body: bytes
    fetched_at: datetime
    ip_address: str | None

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)


def warc_paths(directory: Path) -> list[Path]:
    """The WARC files under ``directory``, closed or still '.open'."""
    return sorted(path for pattern in ("*.warc.gz", "*.warc.gz.open") for path in directory.rglob(pattern))


def count_responses(paths: Iterable[Path]) -> ResponseCounts:
    responses = articles = 0
    for record in _responses(paths):
        responses += 1
        if _is_article(record):
            articles += 1
    return ResponseCounts(responses, articles)


def article_pages(paths: Iterable[Path], limit: int) -> Iterator[ArchivedPage]:
    """Up to ``limit`` archived article pages that answered 200, in archive order."""
    taken = 0
    for record in _responses(paths):
        if taken >= limit:
            return
        if not _is_article(record):
            continue
        raw = record.raw_stream.read()
        headers = record.http_headers
        taken += 1
        yield ArchivedPage(
            url=record.rec_headers.get_header("WARC-Target-URI"),
            status=int(headers.get_statuscode()),
            reason=headers.statusline.partition(" ")[2],
            protocol=headers.protocol,
            headers=list(headers.headers),
            raw_body=raw,
            body=decode_content(raw, headers.get_header("Content-Encoding")),
            fetched_at=iso_date_to_datetime(record.rec_headers.get_header("WARC-Date"), tz_aware=True),
            ip_address=record.rec_headers.get_header("WARC-IP-Address"),
        )


def _responses(paths: Iterable[Path]) -> Iterator[ArcWarcRecord]:
    for path in paths:
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type == "response" and record.http_headers is not None:
                    yield record


def _is_article(record: ArcWarcRecord) -> bool:
    return record.http_headers.get_statuscode() == "200" and ARTICLES.is_article(
        record.rec_headers.get_header("WARC-Target-URI")
    )
