"""Items the council spider yields."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class ArticleItem:
    """One article page as extracted, with the WARC capture it came from."""

    url: str
    site: str
    source_id: str
    title: str | None
    published_at: datetime | None
    category: str | None
    lead: str | None
    body: str
    byline: str | None
    images: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[dict[str, Any]] = field(default_factory=list)
    fetched_url: str = ""
    fetched_at: datetime | None = None
    # The response record this article was extracted from: warc_file, warc_offset, warc_length,
    # warc_record_id, payload_digest.
    capture: dict[str, Any] = field(default_factory=dict)
