"""Find the element that holds the article text, by text density rather than by class names.

Readability's idea, on blocks: every paragraph-like block scores by its length and commas, the score flows
to its block-level ancestors with a decay, and each candidate's total is scaled down by its link density.
Excerpts under linked headlines (lists of other articles) and colophon lines (address, phone, copyright)
do not score, and a candidate with almost nothing after it (the page footer) counts half.
"""

from __future__ import annotations

import re
from collections import defaultdict

from lxml.etree import _Element

from crawler.extraction.blocks import Block, Layout

_MIN_PARAGRAPH_CHARS = 25
_MAX_PARAGRAPH_LINK_SHARE = 0.5
_TEASER_TITLE_MAX_CHARS = 200
_ANCESTOR_DIVISORS = (1, 2, 3, 6, 9)
_LIST_TAGS = frozenset({"ul", "ol", "li", "dl", "dd", "dt", "menu"})
_LIST_PENALTY = 0.5
_ARTICLE_BODY_BONUS = 1.5  # schema.org itemprop=articleBody
_SENTENCE_END = re.compile(r"[.!?…:;\"”»)]$")
_CONTENT_MIN_CHARS = 80
_CONTENT_LONG_CHARS = 200
# Colophon lines of page footers (publisher, address, phone, licence, copyright) are not article text: they start
# with one of these labels, or hold a copyright sign or an e-mail address.
_COLOPHON_LABEL = re.compile(
    r"(?:địa chỉ|điện thoại|đt|tel|fax|e-?mail|website|cơ quan chủ quản|chịu trách nhiệm|trưởng ban biên tập|"
    r"giấy phép|bản quyền|copyright|ghi rõ nguồn)\b",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\w@\w")
_TRAILING_SHARE = 0.05  # a candidate with less of the page's text after it than this sits in the page footer
_TRAILING_PENALTY = 0.5


def find_content(layout: Layout) -> _Element | None:
    """The block-level element that best holds the page's main text, or None for a page without text."""
    scores: dict[_Element, float] = defaultdict(float)
    for paragraphs in _paragraphs_by_owner(layout.blocks).values():
        path = paragraphs[0].path
        # text split by <br> inside one element makes that element itself a candidate
        top = len(path) if len(paragraphs) > 1 else len(path) - 1
        candidates = path[max(0, top - len(_ANCESTOR_DIVISORS)):top][::-1]
        for block in paragraphs:
            score = _paragraph_score(block)
            for element, divisor in zip(candidates, _ANCESTOR_DIVISORS):
                scores[element] += score / divisor
    if not scores:
        return _longest_block_owner(layout.blocks)
    return max(scores, key=lambda element: _final_score(layout, element, scores[element]))


def body_start(layout: Layout, container: _Element, after: int = 0) -> int:
    """Index of the first block of the container (from ``after`` on) that reads like article text."""
    start, end = layout.span(container)
    start = max(start, min(after, end))
    fallback = None
    for block in layout.blocks[start:end]:
        if block.furniture or block.in_heading or block.link_share >= _MAX_PARAGRAPH_LINK_SHARE:
            continue
        if is_prose(block):
            return block.index
        if fallback is None and block.chars >= _MIN_PARAGRAPH_CHARS:
            fallback = block.index
    return fallback if fallback is not None else start


def is_prose(block: Block) -> bool:
    """A block that reads like running text: long, or of some length and ending like a sentence."""
    return block.chars >= _CONTENT_LONG_CHARS or (
        block.chars >= _CONTENT_MIN_CHARS and bool(_SENTENCE_END.search(block.text))
    )


def _paragraphs_by_owner(blocks: list[Block]) -> dict[_Element, list[Block]]:
    by_owner: dict[_Element, list[Block]] = defaultdict(list)
    previous: Block | None = None
    for block in blocks:
        if (
            not block.furniture
            and block.chars >= _MIN_PARAGRAPH_CHARS
            and block.link_share < _MAX_PARAGRAPH_LINK_SHARE
            and not is_teaser(block, previous)
            and not _is_colophon(block.text)
        ):
            by_owner[block.owner].append(block)
        if block.text:
            previous = block
    return by_owner


def _is_colophon(text: str) -> bool:
    # one regex for all three would try the labels at every position of every paragraph
    return bool(_COLOPHON_LABEL.match(text)) or "©" in text or ("@" in text and bool(_EMAIL.search(text)))


def is_teaser(block: Block, previous: Block | None) -> bool:
    """An excerpt under a linked headline (``previous``): lists of other articles are made of these."""
    return (
        previous is not None
        and previous.link_share > _MAX_PARAGRAPH_LINK_SHARE
        and previous.chars <= _TEASER_TITLE_MAX_CHARS
    )


def _paragraph_score(block: Block) -> float:
    unlinked = block.chars - block.link_chars
    return 1 + block.text.count(",") + min(unlinked / 100, 3)


def _final_score(layout: Layout, element: _Element, score: float) -> float:
    start, end = layout.spans[element]
    chars = layout.chars_between(start, end)
    link_share = layout.link_chars_between(start, end) / chars if chars else 1.0
    score *= 1 - link_share
    if element.tag in _LIST_TAGS:
        score *= _LIST_PENALTY
    if (element.get("itemprop") or "").lower() == "articlebody":
        score *= _ARTICLE_BODY_BONUS
    total = layout.chars_between(0, len(layout.blocks))
    if total and layout.chars_between(end, len(layout.blocks)) < _TRAILING_SHARE * total:
        score *= _TRAILING_PENALTY
    return score


def _longest_block_owner(blocks: list[Block]) -> _Element | None:
    """For pages without a single real paragraph: the holder of the longest unlinked text."""
    best = max(
        (block for block in blocks if not block.furniture and block.chars > block.link_chars),
        key=lambda block: block.chars - block.link_chars,
        default=None,
    )
    if best is None:
        return None
    return best.path[-2] if len(best.path) > 1 else best.owner
