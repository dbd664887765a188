"""A page decoded once and parsed once (lxml's HTML parser), with its base URL and head metadata.

The parser is lxml's plain HTML parser, not ``lxml.html``'s: that one looks up a Python element class for every
element the code touches, which costs more than the rest of a page's layout walk.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urljoin

from lxml import etree
from lxml.etree import _Element

from crawler.extraction.charset import decode_page
from crawler.extraction.text import normalize_text

_THREAD = threading.local()  # lxml parser objects must not be shared between threads
_META_KEYS = ("property", "name", "itemprop")
_STRING_VALUE = etree.XPath("string()", smart_strings=False)


@dataclass
class Document:
    """The parsed page; ``root`` is None when the bytes hold no markup at all."""

    root: _Element | None
    url: str
    base_url: str
    encoding: str
    meta: dict[str, str] = field(default_factory=dict)  # lowercased meta name/property/itemprop -> content
    page_title: str = ""
    json_ld_scripts: list[str] = field(default_factory=list)
    _absolute: dict[str | None, str | None] = field(default_factory=dict, init=False, repr=False, compare=False)

    @cached_property
    def json_ld(self) -> list[object]:
        """The page's JSON-LD data, one item per script that parses."""
        data = []
        for script in self.json_ld_scripts:
            try:
                data.append(json.loads(script))
            except ValueError:
                continue
        return data

    def absolute(self, link: str | None) -> str | None:
        """A link resolved against the page's base URL; None for empty and script links."""
        if link not in self._absolute:  # urljoin is slow, and the same links are looked at again and again
            self._absolute[link] = self._resolve(link)
        return self._absolute[link]

    def _resolve(self, link: str | None) -> str | None:
        link = (link or "").strip()
        if not link or link.lower().startswith(("javascript:", "data:", "mailto:", "#")):
            return None
        try:
            return urljoin(self.base_url, link)
        except ValueError:  # e.g. a malformed IPv6 host
            return None


def parse_document(raw: bytes, url: str, content_type: str | None) -> Document:
    """Decode and parse a page; never raises on malformed input."""
    text, encoding, unchanged = decode_page(raw or b"", content_type)
    # The text is already decoded: hand lxml UTF-8 bytes so that a <meta charset> cannot override it.
    try:
        root = etree.fromstring(raw if unchanged else text.encode("utf-8", errors="replace"), _parser())
    except etree.LxmlError:
        root = None
    if root is None or not isinstance(root.tag, str):
        return Document(None, url, url, encoding)
    return _read_head(root, url, encoding)


def text_content(element: _Element) -> str:
    """All the text inside an element, as ``lxml.html``'s ``text_content()`` gives it."""
    return _STRING_VALUE(element)


def _parser() -> etree.HTMLParser:
    parser = getattr(_THREAD, "parser", None)
    if parser is None:
        parser = _THREAD.parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    return parser


def _read_head(root: _Element, url: str, encoding: str) -> Document:
    """The document with what its metadata elements say, found in one pass over the page (wherever they are)."""
    document = Document(root, url, url, encoding)
    base_seen = title_seen = False
    for element in root.iter("base", "meta", "title", "script"):
        tag = element.tag
        if tag == "meta":
            _read_meta(element, document.meta)
        elif tag == "script":
            if "ld+json" in (element.get("type") or "").lower() and element.text:
                document.json_ld_scripts.append(element.text)
        elif tag == "title":
            if not title_seen:
                title_seen = True
                document.page_title = normalize_text(text_content(element))
        elif not base_seen:
            href = (element.get("href") or "").strip()
            if href:
                base_seen = True
                try:
                    document.base_url = urljoin(url, href)
                except ValueError:
                    pass
    return document


def _read_meta(element: _Element, meta: dict[str, str]) -> None:
    content = element.get("content")
    if content is None:
        return
    for key in _META_KEYS:
        name = element.get(key)
        if name:
            meta.setdefault(name.strip().lower(), normalize_text(content))
