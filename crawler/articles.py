"""Turn an archived article page into an article item: shared by the spider and by reindexing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from crawler.extraction import SiteHints, extract_article
from crawler.items import ArticleItem
from crawler.urls import ArticleUrlRules, host_of


def is_extractable(status: int, content_type: str | None) -> bool:
    """Whether a fetched page is one to extract an article from: a 200 answer of HTML (or of no declared type)."""
    return status == 200 and "html" in (content_type or "text/html").lower()


def article_from_page(
    body: bytes,
    url: str,
    *,
    content_type: str | None,
    capture: dict[str, Any],
    fetched_at: datetime,
    rules: ArticleUrlRules,
    hints: SiteHints | None = None,
) -> ArticleItem:
    """The article item of a page fetched from ``url`` (``body`` already content-decoded)."""
    extracted = extract_article(body, url, content_type=content_type, hints=hints, reference_time=fetched_at)
    return ArticleItem(
        url=rules.canonical_url(url),
        site=host_of(url),
        source_id=rules.source_id(url) or rules.canonical_url(url),
        title=extracted.title,
        published_at=extracted.published_at,
        category=extracted.category,
        lead=extracted.lead,
        body=extracted.body,
        byline=extracted.byline,
        images=[{"src": i.src, "alt": i.alt, "caption": i.caption} for i in extracted.images],
        attachments=[{"url": a.url, "name": a.name} for a in extracted.attachments],
        fetched_url=url,
        fetched_at=fetched_at,
        capture=capture,
    )
