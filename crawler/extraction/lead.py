"""Find the lead (sapo): the summary shown apart from the body, between the title and the text."""

from __future__ import annotations

import re

from lxml.etree import _Element

from crawler.extraction.blocks import Block, names_of
from crawler.extraction.content import is_prose
from crawler.extraction.dates import find_date

_HINT = re.compile(
    r"sapo|excerpt|summary|tomtat|tom-tat|trichdan|trichyeu|chapeau|abstract|brief|shortcontent|short-content|"
    r"(?:^|[\s_-])(?:lead|intro|description|teaser|mota|mo-ta|des)(?:$|[\s_-])"
)
_HINT_DEPTH = 3  # how many of a block's innermost ancestors may carry the hint
_MIN_CHARS = 40
_MIN_FIRST_PARAGRAPH_CHARS = 60
_MAX_LINK_SHARE = 0.5
_DATE_LINE_MAX_CHARS = 80


def find_lead(
    header: list[Block], first: Block | None, second: Block | None, container: _Element
) -> Block | None:
    """The lead among the header blocks, else a first body paragraph set apart by emphasis or class.

    ``first`` and ``second`` are the first two text blocks of the body: an emphasised first paragraph is the lead
    only when the second is not emphasised the same way (some pages set their whole text in bold).
    """
    for block in header:
        if (
            block.furniture
            or not block.text
            or block.chars < _MIN_CHARS
            or block.link_share > _MAX_LINK_SHARE
            or _is_date_line(block)
        ):
            continue
        inside = block.inside(container)
        if (not inside and is_prose(block)) or block.in_heading or _marked(block, container):
            return block
    if first is None or second is None or first.chars < _MIN_FIRST_PARAGRAPH_CHARS:
        return None
    emphasised = (first.is_bold and not second.is_bold) or (first.is_italic and not second.is_italic)
    return first if emphasised or _hinted(first, container) else None


def _marked(block: Block, container: _Element) -> bool:
    return block.is_bold or block.is_italic or _hinted(block, container)


def _hinted(block: Block, container: _Element) -> bool:
    """Whether the block's own element or a near ancestor, below the container, has a lead-like name."""
    path = block.path
    if container in path:
        path = path[path.index(container) + 1:]
    for element in path[-_HINT_DEPTH:]:
        if _HINT.search(names_of(element)):
            return True
    return False


def _is_date_line(block: Block) -> bool:
    return block.chars < _DATE_LINE_MAX_CHARS and find_date(block.text, dateparser_fallback=False) is not None
