"""Find the byline: a short paragraph ending the text, right-aligned and/or bold, that reads like a name."""

from __future__ import annotations

import re

from lxml.etree import _Element

from crawler.extraction.blocks import Block, alignment, names_of

_MAX_CHARS = 60
_MAX_WORDS = 8
_SENTENCE_PUNCTUATION = re.compile(r"[.!?;,:…]$")
_AUTHOR = re.compile(r"author|byline|tacgia|tac-gia|butdanh")
_HINT_DEPTH = 3
_LABEL = re.compile(r"^(?:tác giả|người viết|bút danh|author)\s*:\s*", re.IGNORECASE)


def find_byline(body: list[Block], following: list[Block], container: _Element) -> Block | None:
    """The last body block if it is a byline (never the only one), else the block right after the text.

    After the text only a right-aligned or author-marked block counts: a bold one there is more often the
    heading of an attachments or related-articles block.
    """
    if len(body) >= 2 and _looks_like_name(body[-1]) and (
        body[-1].is_bold or alignment(body[-1], container) == "right"
    ):
        return body[-1]
    if body and following and _looks_like_name(following[0]) and (
        alignment(following[0]) == "right" or _marked_author(following[0])
    ):
        return following[0]
    return None


def _looks_like_name(block: Block) -> bool:
    return not (
        not block.text
        or block.links
        or block.in_heading
        or block.chars > _MAX_CHARS
        or len(block.text.split()) > _MAX_WORDS
        or _SENTENCE_PUNCTUATION.search(block.text)
        or any(character.isdigit() for character in block.text)
    )


def _marked_author(block: Block) -> bool:
    return any(_AUTHOR.search(names_of(element)) for element in block.path[-_HINT_DEPTH:])


def byline_name(block: Block) -> str:
    """The byline as shown, without a label such as "Tác giả:"."""
    return _LABEL.sub("", block.text) or block.text
