"""Find the article's title in the page body: the headline nearest before the main text.

Candidates are headings, schema.org headlines, elements whose class names a title, and the short blocks
just before the text. Each scores by how strongly it marks a headline, minus the text between it and the
body, minus the links (menus, sidebars) of the smallest region holding both it and the body, minus marks
of a section label (all capitals, a few words, the text of a menu link, another headline between it and the
text). A title-like length and a match with the page's <title> or og:title count in its favour.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from lxml.etree import _Element

from crawler.extraction.blocks import Layout
from crawler.extraction.dates import find_date
from crawler.extraction.document import Document
from crawler.extraction.text import fold_vietnamese

_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4"})
_TITLE_WORDS = ("title", "tieude", "tieu-de", "tieu_de", "headline")
_TAG_STRENGTH = {"h1": 3.0, "h2": 2.0, "h3": 1.5, "h4": 1.0}
_SCHEMA_STRENGTH = 3.0
_NAMED_STRENGTH = 1.5  # class or id says title/headline
_EXTRA_SIGNAL = 0.5
_PLAIN_STRENGTH = 0.5  # a short block just before the text
_PLAIN_BOLD_BONUS = 0.5
_PLAIN_WINDOW = 3
_PAGE_TITLE_BONUS = 2.0
_MIN_PAGE_TITLE_MATCH = 8
_DISTANCE_UNIT = 400  # characters of text between a candidate and the body that cost one point
_LINK_UNIT = 200  # characters of links around a candidate and the body (menus, sidebars) that cost one point
_SENTENCE_PENALTY = 1.0
_LONG_PENALTY = 1.0
_LONG_CHARS = 200
_MAX_CHARS = 300
_LINKED_PENALTY = 1.0  # a headline linking to another page is more likely a teaser of another article
_MAX_LINK_SHARE = 0.5
_CAPITALS_PENALTY = 1.0  # "TIN HOẠT ĐỘNG": a section label
_FEW_WORDS = 3
_FEW_WORDS_PENALTY = 0.5
_SHADOW_PENALTY = 1.0  # per headline between this one and the text (at most two)
_TITLE_WORDS_RANGE = range(6, 41)  # how many words article titles have
_TITLE_LENGTH_BONUS = 0.5
_LABEL_MAX_WORDS = 6
_MENU_LABEL_PENALTY = 1.5  # a few words that are also a link of the page: a section name
_MENU_LINK_SHARE = 0.9
_GENERIC_TITLES = frozenset({"detailcontroller", "trang chu", "home", "homepage", "chi tiet", "tin tuc", "trang tin"})
_SENTENCE_END = re.compile(r"(?<!\.)[.!?]$")


@dataclass(frozen=True)
class Headline:
    """The title and the blocks it spans (None for a title taken from metadata)."""

    text: str
    start: int | None = None
    end: int | None = None


@dataclass(slots=True)
class _Candidate:
    text: str
    start: int
    end: int
    strength: float
    marked: bool  # a heading, a schema.org headline or named a title (not just a short block)
    links: tuple[_Element, ...]


def find_title(
    document: Document,
    layout: Layout,
    container: _Element,
    body_start: int,
    hinted: _Element | None,
) -> Headline | None:
    """The article title: the hinted element, else the best-scoring candidate, else a specific og:title."""
    if hinted is not None:
        text = layout.text_of(hinted)
        if text:
            return Headline(text, *layout.span(hinted))
    candidates = [
        candidate
        for candidate in _candidates(document, layout, body_start)
        if _acceptable(layout, candidate, body_start)
    ]
    page_titles = _page_titles(document)
    menu_labels: set[str] | None = None  # built only when a short candidate needs it
    shadow_starts = _shadow_starts(candidates)
    best: tuple[float, _Candidate] | None = None
    for candidate in candidates:
        score = candidate.strength - _penalties(document, layout, container, candidate, body_start)
        shadows = len(shadow_starts) - bisect_left(shadow_starts, candidate.end)
        score -= _SHADOW_PENALTY * min(2, shadows)
        words = len(candidate.text.split())
        folded = fold_vietnamese(candidate.text)
        if words in _TITLE_WORDS_RANGE:
            score += _TITLE_LENGTH_BONUS
        elif words <= _LABEL_MAX_WORDS:
            menu_labels = _menu_labels(layout) if menu_labels is None else menu_labels
            if candidate.text.lower() in menu_labels:
                score -= _MENU_LABEL_PENALTY
        if len(folded) >= _MIN_PAGE_TITLE_MATCH and any(folded in title for title in page_titles):
            score += _PAGE_TITLE_BONUS
        if best is None or score > best[0]:
            best = (score, candidate)
    if best is not None and best[0] >= 0:
        return Headline(best[1].text, best[1].start, best[1].end)
    og_title = document.meta.get("og:title") or document.meta.get("twitter:title")
    if og_title and fold_vietnamese(og_title) not in _GENERIC_TITLES:
        return Headline(og_title)
    return Headline(best[1].text, best[1].start, best[1].end) if best is not None else None


def _candidates(document: Document, layout: Layout, body_start: int) -> list[_Candidate]:
    candidates = []
    seen: set[_Element] = set()
    named_in_order = layout.named(*_TITLE_WORDS)  # not the set: its order, the memory addresses, would break ties
    named = set(named_in_order)
    marked = layout.marked()
    headings = [element for element in marked if element.tag in _HEADING_TAGS]
    schema_headlines = [element for element in marked if element.get("itemprop") == "headline"]
    for element in [*headings, *schema_headlines, *named_in_order]:
        if element in seen:
            continue
        seen.add(element)
        strengths = []
        if element.tag in _TAG_STRENGTH:
            strengths.append(_TAG_STRENGTH[element.tag])
        if (element.get("itemprop") or "").lower() == "headline":
            strengths.append(_SCHEMA_STRENGTH)
        if element in named:
            strengths.append(_NAMED_STRENGTH)
        start, end = layout.span(element)
        links = tuple(link for block in layout.blocks[start:end] for link in block.links)
        strength = max(strengths) + _EXTRA_SIGNAL * (len(strengths) - 1)
        candidates.append(_Candidate(layout.text_of(element), start, end, strength, True, links))
    for block in layout.blocks[max(0, body_start - _PLAIN_WINDOW):body_start]:
        if block.text and not block.in_heading and block.owner not in seen:
            strength = _PLAIN_STRENGTH + (_PLAIN_BOLD_BONUS if block.is_bold else 0.0)
            candidates.append(_Candidate(block.text, block.index, block.index + 1, strength, False, tuple(block.links)))
    return candidates


def _acceptable(layout: Layout, candidate: _Candidate, body_start: int) -> bool:
    text, start, end = candidate.text, candidate.start, candidate.end
    if not text or len(text) > _MAX_CHARS or start >= end or end > body_start:
        return False
    if any(block.furniture for block in layout.blocks[start:end]):
        return False
    date = find_date(text, dateparser_fallback=False)
    return date is None or (date.end - date.start) < len(text) / 2


def _penalties(
    document: Document, layout: Layout, container: _Element, candidate: _Candidate, body_start: int
) -> float:
    text = candidate.text
    penalty = layout.chars_between(candidate.end, body_start) / _DISTANCE_UNIT
    penalty += _surrounding_links(layout, candidate, container) / _LINK_UNIT
    if _SENTENCE_END.search(text):
        penalty += _SENTENCE_PENALTY
    if len(text) > _LONG_CHARS:
        penalty += _LONG_PENALTY
    if text.isupper():
        penalty += _CAPITALS_PENALTY
    if len(text.split()) <= _FEW_WORDS:
        penalty += _FEW_WORDS_PENALTY
    if _links_elsewhere(document, layout, candidate):
        penalty += _LINKED_PENALTY
    return penalty


def _menu_labels(layout: Layout) -> set[str]:
    """The short link texts of the page (menu items, breadcrumb items), lowercased."""
    return {
        block.text.lower()
        for block in layout.blocks
        if block.links
        and block.link_share >= _MENU_LINK_SHARE
        and block.text.count(" ") < _LABEL_MAX_WORDS  # normalised text: its words are its spaces and one
    }


def _shadow_starts(candidates: list[_Candidate]) -> list[int]:
    """Where the headlines that shadow the candidates before them start, in order: a candidate with another
    headline between it and the text is a section label."""
    return sorted(other.start for other in candidates if other.marked and not _SENTENCE_END.search(other.text))


def _surrounding_links(layout: Layout, candidate: _Candidate, container: _Element) -> int:
    """Link characters of the smallest region holding both the candidate and the body, theirs excepted."""
    inner_start, inner_end = layout.span(container)
    low, high = min(candidate.start, inner_start), max(candidate.end, inner_end)
    region: _Element | None = container
    while region is not None:
        span = layout.spans.get(region)
        if span is not None and span[0] <= low and span[1] >= high:
            break
        region = region.getparent()
    if region is None:
        return 0
    outer = layout.link_chars_between(*layout.spans[region])
    own = layout.link_chars_between(inner_start, inner_end)
    if not inner_start <= candidate.start < inner_end:
        own += layout.link_chars_between(candidate.start, candidate.end)
    return max(0, outer - own)


def _links_elsewhere(document: Document, layout: Layout, candidate: _Candidate) -> bool:
    """Whether the candidate's text is mostly a link to some other page."""
    chars = layout.chars_between(candidate.start, candidate.end)
    if not chars or layout.link_chars_between(candidate.start, candidate.end) / chars <= _MAX_LINK_SHARE:
        return False
    return not all(_links_to_itself(document, link) for link in candidate.links)


def _links_to_itself(document: Document, link: _Element) -> bool:
    target = document.absolute(link.get("href"))
    return target is None or target.split("#")[0].rstrip("/") == document.url.split("#")[0].rstrip("/")


def _page_titles(document: Document) -> list[str]:
    titles = (document.page_title, document.meta.get("og:title", ""), document.meta.get("twitter:title", ""))
    return [folded for folded in map(fold_vietnamese, titles) if folded and folded not in _GENERIC_TITLES]
