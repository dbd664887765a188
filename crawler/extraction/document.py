"""A page decoded once and parsed once (lxml's HTML parser), with its base URL and head metadata."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml import etree
from lxml.html import HtmlElement, HTMLParser

from crawler.extraction.charset import decode_html
from crawler.extraction.text import normalize_text

_THREAD = threading.local()  # lxml parser objects must not be shared between threads
_META_KEYS = ("property", "name", "itemprop")


@dataclass
class Document:
    """The parsed page; ``root`` is None when the bytes hold no markup at all."""

    root: HtmlElement | None
    url: str
    base_url: str
    encoding: str
    meta: dict[str, str] = field(default_factory=dict)  # lowercased meta name/property/itemprop -> content
    page_title: str = ""

    def absolute(self, link: str | None) -> str | None:
        """A link resolved against the page's base URL; None for empty and script links."""
        link = (link or "").strip()
        if not link or link.lower().startswith(("javascript:", "data:", "mailto:", "#")):
            return None
        try:
            return urljoin(self.base_url, link)
        except ValueError:  # e.g. a malformed IPv6 host
            return None


def parse_document(raw: bytes, url: str, content_type: str | None) -> Document:
    """Decode and parse a page; never raises on malformed input."""
    text, encoding = decode_html(raw or b"", content_type)
    # The text is already decoded: hand lxml UTF-8 bytes so that a <meta charset> cannot override it.
    try:
        root = etree.fromstring(text.encode("utf-8", errors="replace"), _parser())
    except etree.LxmlError:
        root = None
    if root is None or not isinstance(root.tag, str):
        return Document(None, url, url, encoding)
    return Document(root, url, _base_url(root, url), encoding, _head_meta(root), _page_title(root))


def _parser() -> HTMLParser:
    parser = getattr(_THREAD, "parser", None)
    if parser is None:
        parser = _THREAD.parser = HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    return parser


def _base_url(root: HtmlElement, url: str) -> str:
    for base in root.iter("base"):
        href = (base.get("href") or "").strip()
        if href:
            try:
                return urljoin(url, href)
            except ValueError:
                return url
    return url


def _head_meta(root: HtmlElement) -> dict[str, str]:
    meta: dict[str, str] = {}
    for element in root.iter("meta"):
        content = element.get("content")
        if content is None:
            continue
        for key in _META_KEYS:
            name = element.get(key)
            if name:
                meta.setdefault(name.strip().lower(), normalize_text(content))
    return meta


def _page_title(root: HtmlElement) -> str:
    for element in root.iter("title"):
        return normalize_text(element.text_content())
    return ""
