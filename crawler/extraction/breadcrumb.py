"""Find the article's category from the page's breadcrumb trail."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml.etree import _Element

from crawler.extraction.blocks import Layout
from crawler.extraction.document import Document
from crawler.extraction.text import fold_vietnamese, normalize_text

_MARK_WORDS = ("breadcrumb", "crumb", "menunavigation", "sitemappath", "duongdan", "duong-dan")
_SEPARATOR = re.compile(r"\s*[>»›→]+\s*|\s+/\s+|\s*\|\s*")
_SEPARATED_TRAIL = re.compile(r"\S\s*[>»›→]\s*\S")
_TRIM = " >»›→/|:-·•"
_HOME = frozenset({"trang chu", "home", "homepage", "trang nhat", "trang chinh"})
_ELLIPSIS = ("...", "…")
_MIN_PREFIX_CHARS = 15
_TRAIL_MAX_CHARS = 200
_TRAIL_SEARCH_BLOCKS = 30  # how far before the title a trail of links separated by '>' may be


def find_category(
    document: Document, layout: Layout, title: str | None, title_start: int | None, hinted: _Element | None
) -> str | None:
    """The last breadcrumb item that is neither home nor the title; None when there is no breadcrumb."""
    for items in _trails(document, layout, title_start, hinted):
        if items:
            kept = [item for item in items if not _is_home(item) and not _is_title(item, title)]
            return kept[-1] if kept else None
    return None


def _trails(
    document: Document, layout: Layout, title_start: int | None, hinted: _Element | None
) -> Iterator[list[str]]:
    if hinted is not None:
        yield _items(layout, hinted)
    for element in _marked(layout):
        yield _items(layout, element)
    yield _json_ld_items(document)
    if title_start is not None:
        for block in reversed(layout.blocks[max(0, title_start - _TRAIL_SEARCH_BLOCKS):title_start]):
            if len(block.links) >= 2 and block.chars <= _TRAIL_MAX_CHARS and _SEPARATED_TRAIL.search(block.text):
                yield _split(block.text)
                return


def _marked(layout: Layout) -> list[_Element]:
    """Elements that say they are a breadcrumb (class or id, ARIA label, schema.org), in document order."""
    marked = layout.named(*_MARK_WORDS)
    for element in layout.marked():
        label = element.get("aria-label")
        if element.tag == "nav" and label is not None:
            if "breadcrumb" in label.lower() and element not in marked:
                marked.append(element)
        elif "BreadcrumbList" in (element.get("itemtype") or "") and element not in marked:
            marked.append(element)
    return sorted(marked, key=lambda element: layout.span(element)[0])


def _items(layout: Layout, element: _Element) -> list[str]:
    items = [layout.text_of(item) for item in element.iter("li")]
    if not items:
        items = _split(layout.text_of(element))
    return [cleaned for cleaned in (item.strip(_TRIM) for item in items) if cleaned]


def _split(text: str) -> list[str]:
    return [part.strip(_TRIM) for part in _SEPARATOR.split(text) if part.strip(_TRIM)]


def _json_ld_items(document: Document) -> list[str]:
    for data in document.json_ld:
        for node in _nodes(data):
            if node.get("@type") == "BreadcrumbList" and isinstance(node.get("itemListElement"), list):
                return [normalize_text(name) for name in map(_item_name, node["itemListElement"]) if name]
    return []


def _nodes(data: object) -> Iterator[dict]:
    if isinstance(data, dict):
        yield data
        for child in data.values():
            yield from _nodes(child)
    elif isinstance(data, list):
        for child in data:
            yield from _nodes(child)


def _item_name(item: object) -> str:
    if not isinstance(item, dict):
        return ""
    name = item.get("name")
    if not isinstance(name, str) and isinstance(item.get("item"), dict):
        name = item["item"].get("name")
    return name if isinstance(name, str) else ""


def _is_home(item: str) -> bool:
    return fold_vietnamese(item) in _HOME


def _is_title(item: str, title: str | None) -> bool:
    if not title:
        return False
    item_key, title_key = fold_vietnamese(item), fold_vietnamese(title)
    if item_key == title_key:
        return True
    for ellipsis in _ELLIPSIS:  # a title shortened in the trail
        if item_key.endswith(ellipsis):
            prefix = item_key.removesuffix(ellipsis).strip()
            return len(prefix) >= _MIN_PREFIX_CHARS and title_key.startswith(prefix)
    return False
