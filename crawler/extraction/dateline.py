"""Find when the article was published, only where pages show it: never in sidebars, footers or body text.

In order: the hinted element; the date shown in the article's header (between the title and the text, or
just before the title); a ``<time datetime>``/``itemprop=datePublished`` in that header; the page's own
metadata (``article:published_time``, JSON-LD); a labelled line ("Ngày đăng: …") closing the text; after the
text, the next block of the article (when it holds no link) or a labelled line close by.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from lxml.etree import _Element

from crawler.extraction.blocks import Block, Layout
from crawler.extraction.content import is_prose
from crawler.extraction.dates import find_date
from crawler.extraction.document import Document
from crawler.extraction.text import normalize_text

_HEADER_MAX_CHARS = 150
_TRAILER_BLOCKS = 3
_MAX_LINK_SHARE = 0.5
_META_KEYS = (
    "article:published_time", "datepublished", "og:published_time", "pubdate", "publishdate", "dc.date.issued",
    "dc.date",
)
_LABEL = re.compile(
    r"ngày\s+đăng|đăng\s+ngày|ngày\s+cập\s+nhật|cập\s+nhật|thời\s+gian\s+đăng|ngày\s+xuất\s+bản|"
    r"posted|published|updated",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Published:
    """The publication time, the text it was read from and the block showing it (if one does)."""

    value: datetime
    text: str
    block: Block | None = None


def find_published(
    document: Document,
    layout: Layout,
    header: list[Block],
    trailer: list[Block],  # the article's blocks after its text
    reference_time: datetime | None,
    hinted: list[_Element],
    closing: Iterable[Block] = (),  # the text's last block
) -> Published | None:
    """The article's publication time from its header, its metadata, a labelled line closing the text,
    or the lines right after it."""
    for found in (
        _from_elements(layout, hinted, reference_time),
        _from_blocks(header, reference_time, document),
        _from_structured(layout, header, reference_time),
        _from_meta(document, reference_time),
        _from_blocks([block for block in closing if _LABEL.search(block.text)], reference_time, document),
        _from_blocks(_dated_lines_after(trailer), reference_time, document),
    ):
        if found:
            return found
    return None


def _dated_lines_after(trailer: list[Block]) -> list[Block]:
    """After the text: the very next block if it holds no link, and labelled date lines close by."""
    near = trailer[:_TRAILER_BLOCKS]
    first = [near[0]] if near and not near[0].links else []
    return first + [block for block in near[1:] if _LABEL.search(block.text)]


def _from_elements(layout: Layout, elements: list[_Element], reference_time: datetime | None) -> Published | None:
    for element in elements:
        for text in (layout.text_of(element), element.get("datetime"), element.get("content")):
            found = _read(normalize_text(text or ""), reference_time)
            if found:
                return found
    return None


def _from_blocks(blocks: Iterable[Block], reference_time: datetime | None, document: Document) -> Published | None:
    for block in blocks:
        if block.furniture or not block.text or block.chars > _HEADER_MAX_CHARS or is_prose(block):
            continue
        if block.link_share > _MAX_LINK_SHARE and not _links_to_the_page(document, block):
            continue
        found = _read(block.text, reference_time, block)
        if found:
            return found
    return None


def _from_structured(layout: Layout, header: list[Block], reference_time: datetime | None) -> Published | None:
    """A ``<time datetime>`` or ``itemprop=datePublished`` shown in one of the article header's blocks."""
    for block in header:
        for element in block.owner.iter():
            if (
                element.tag == "time" or (element.get("itemprop") or "").lower() == "datepublished"
            ) and layout.span(element)[0] == block.index:
                found = _read(normalize_text(element.get("datetime") or element.get("content") or ""), reference_time)
                if found:
                    return found
    return None


def _from_meta(document: Document, reference_time: datetime | None) -> Published | None:
    for key in _META_KEYS:
        found = _read(document.meta.get(key, ""), reference_time)
        if found:
            return found
    for value in _json_ld_dates(document):
        found = _read(normalize_text(value), reference_time)
        if found:
            return found
    return None


def _links_to_the_page(document: Document, block: Block) -> bool:
    """A permalink (a date linking to the article itself), not an item of a list of other articles."""
    return all(document.absolute(link.get("href")) in (None, document.url) for link in block.links)


def _read(text: str, reference_time: datetime | None, block: Block | None = None) -> Published | None:
    match = find_date(text, reference_time=reference_time)
    if match is None:
        return None
    return Published(match.value, text[match.start:match.end], block)


def _json_ld_dates(document: Document) -> Iterator[str]:
    for data in document.json_ld:
        yield from _values_of(data, "datePublished")


def _values_of(data: object, key: str) -> Iterator[str]:
    if isinstance(data, dict):
        value = data.get(key)
        if isinstance(value, str):
            yield value
        for child in data.values():
            yield from _values_of(child, key)
    elif isinstance(data, list):
        for child in data:
            yield from _values_of(child, key)
