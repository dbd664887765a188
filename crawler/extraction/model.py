"""The records extraction returns: an article with its images and attachments."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

PARAGRAPH_SEPARATOR = "\n\n"


@dataclass
class Image:
    """An image of the article body; ``src`` is absolute."""

    src: str
    alt: str | None = None
    caption: str | None = None


@dataclass
class Attachment:
    """A document linked from the article (pdf, doc, xls, zip...); ``url`` is absolute."""

    url: str
    name: str


@dataclass
class ExtractedArticle:
    """What an article page holds, every string NFC-normalised; ``published_at`` is in Asia/Ho_Chi_Minh."""

    title: str | None = None
    published_at: datetime | None = None
    date_text: str | None = None
    lead: str | None = None
    body: str = ""
    byline: str | None = None
    images: list[Image] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    category: str | None = None
    encoding: str = "utf-8"

    @property
    def paragraphs(self) -> list[str]:
        return self.body.split(PARAGRAPH_SEPARATOR) if self.body else []

    @property
    def captions(self) -> list[str]:
        return [image.caption for image in self.images if image.caption]
