"""Lay a parsed page out as text blocks: one per paragraph-like run of inline content, in document order.

Inline elements are joined without inserting spaces (VNPT portals split words across ``<span>``s);
block-level elements and ``<br>`` end a block. Each block remembers its block-level ancestors, how much
of its text is linked, bold or italic, and the images and links it holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml.html import HtmlElement

from crawler.extraction.text import normalize_text

BLOCK_TAGS = frozenset(
    "html body address article aside blockquote caption center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr legend li main menu nav ol p pre "
    "section summary table tbody td tfoot th thead tr ul".split()
)
HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_SKIPPED_TAGS = frozenset(
    "head title script style noscript template iframe object embed applet svg math canvas video audio "
    "map select option textarea input button".split()
)
_BOLD_TAGS = frozenset({"b", "strong"})
_ITALIC_TAGS = frozenset({"i", "em", "cite"})
# Page furniture by HTML semantics; a <header> or <footer> inside an article or <main> belongs to the article.
_FURNITURE_TAGS = frozenset({"nav", "aside"})
_PAGE_PART_TAGS = frozenset({"header", "footer"})
_FURNITURE_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"})
_ARTICLE_TAGS = frozenset({"article", "main"})
_HIDDEN_CLASSES = frozenset({"hidden", "d-none", "hide", "sr-only", "visually-hidden", "invisible"})
# Bootstrap's "d-none d-md-block" and Tailwind's "hidden md:block" hide only on small screens.
_SHOWN_ON_WIDE_SCREENS = re.compile(r"\bd-(?:sm|md|lg|xl|xxl)-(?!none)|(?:^|\s)(?:sm|md|lg|xl|2xl):(?!hidden)")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|bolder|[6-9]00)", re.IGNORECASE)
_ITALIC_STYLE = re.compile(r"font-style\s*:\s*(?:italic|oblique)", re.IGNORECASE)
_ALIGN_STYLE = re.compile(r"text-align\s*:\s*(\w+)", re.IGNORECASE)
_MOSTLY = 0.9  # share of a block's characters that makes the whole block bold/italic


@dataclass(eq=False, slots=True)
class Block:
    """A paragraph-like run of text (and/or images) and where it sits in the page."""

    index: int
    text: str
    path: tuple[HtmlElement, ...]  # block-level ancestors, outermost first; the last one holds the text
    chars: int  # characters of its text pieces without their outer whitespace
    link_chars: int
    bold_chars: int
    italic_chars: int
    furniture: bool  # inside nav/aside, a page's (not an article's) header/footer, or a landmark role alike
    images: list[HtmlElement] = field(default_factory=list)
    links: list[HtmlElement] = field(default_factory=list)

    @property
    def owner(self) -> HtmlElement:
        return self.path[-1]

    @property
    def link_share(self) -> float:
        return self.link_chars / self.chars if self.chars else 0.0

    @property
    def is_bold(self) -> bool:
        return self.chars > 0 and self.bold_chars >= _MOSTLY * self.chars

    @property
    def is_italic(self) -> bool:
        return self.chars > 0 and self.italic_chars >= _MOSTLY * self.chars

    @property
    def in_heading(self) -> bool:
        return any(element.tag in HEADING_TAGS for element in self.path)

    def inside(self, element: HtmlElement) -> bool:
        return element in self.path


@dataclass
class Layout:
    """The blocks of a page and, for every element shown, the range of blocks its content falls in."""

    blocks: list[Block]
    spans: dict[HtmlElement, tuple[int, int]]  # every element shown, inline ones included
    names: list[tuple[HtmlElement, str]]  # elements shown that have a class or id, with their names_of()
    _char_prefix: list[int] = field(default_factory=list, repr=False)
    _link_prefix: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        chars, links = [0], [0]
        for block in self.blocks:
            chars.append(chars[-1] + block.chars)
            links.append(links[-1] + block.link_chars)
        self._char_prefix, self._link_prefix = chars, links

    def span(self, element: HtmlElement) -> tuple[int, int]:
        """Blocks [start, end) of an element; a hidden or skipped one gets the span of its nearest shown ancestor."""
        current: HtmlElement | None = element
        while current is not None:
            found = self.spans.get(current)
            if found is not None:
                return found
            current = current.getparent()
        return (0, 0)

    def chars_between(self, start: int, end: int) -> int:
        return self._char_prefix[max(end, start)] - self._char_prefix[start]

    def link_chars_between(self, start: int, end: int) -> int:
        return self._link_prefix[max(end, start)] - self._link_prefix[start]

    def named(self, *words: str) -> list[HtmlElement]:
        """Elements whose class or id contains one of the (lowercase) words, in document order."""
        pattern = re.compile("|".join(map(re.escape, words)))
        return [element for element, names in self.names if pattern.search(names)]

    def text_of(self, element: HtmlElement) -> str:
        """An element's text: its blocks joined by spaces, or for inline elements their own text."""
        if element.tag in BLOCK_TAGS and element in self.spans:
            start, end = self.spans[element]
            return " ".join(block.text for block in self.blocks[start:end] if block.text)
        return normalize_text(element.text_content())


def lay_out(root: HtmlElement) -> Layout:
    """The blocks of a parsed page in document order."""
    walker = _Walker()
    walker.visit(root, False, False, False)
    walker.flush()
    return Layout(walker.blocks, walker.spans, walker.names)


def names_of(element: HtmlElement) -> str:
    """What an element calls itself: its class, id and itemprop, lowercased (hints, never the only evidence)."""
    return f"{element.get('class') or ''} {element.get('id') or ''} {element.get('itemprop') or ''}".lower()


def _hidden(element: HtmlElement, keys: list[str]) -> bool:
    if "hidden" in keys or ("aria-hidden" in keys and element.get("aria-hidden") == "true"):
        return True
    if "class" in keys:
        classes = element.get("class").lower()
        if not _HIDDEN_CLASSES.isdisjoint(classes.split()) and not _SHOWN_ON_WIDE_SCREENS.search(classes):
            return True
    return "style" in keys and bool(_HIDDEN_STYLE.search(element.get("style")))


def alignment(block: Block, stop: HtmlElement | None = None) -> str | None:
    """The text alignment of a block (left, right, center, justify) from its own or its ancestors' markup."""
    for element in reversed(block.path):
        if element is stop:
            return None
        if element.tag == "center":
            return "center"
        align = element.get("align")
        if align:
            return align.strip().lower()
        style = element.get("style")
        if style:
            match = _ALIGN_STYLE.search(style)
            if match:
                return match.group(1).lower()
    return None


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.spans: dict[HtmlElement, tuple[int, int]] = {}
        self.names: list[tuple[HtmlElement, str]] = []
        self.path: list[HtmlElement] = []
        self.furniture_depth = 0
        self.article_depth = 0
        self._reset()

    def _reset(self) -> None:
        self.parts: list[str] = []
        self.chars = self.link_chars = self.bold_chars = self.italic_chars = 0
        self.images: list[HtmlElement] = []
        self.links: list[HtmlElement] = []

    def visit(self, element: HtmlElement, bold: bool, italic: bool, linked: bool) -> None:
        tag = element.tag
        if not isinstance(tag, str) or tag in _SKIPPED_TAGS:
            return
        keys = element.keys()  # one call; most elements carry no attribute at all
        if keys:
            if _hidden(element, keys):
                return
            if "style" in keys:
                style = element.get("style")
                bold = bold or bool(_BOLD_STYLE.search(style))
                italic = italic or bool(_ITALIC_STYLE.search(style))
            if "class" in keys or "id" in keys:
                self.names.append((element, names_of(element)))
        if tag == "br":
            self.flush()
            return
        if tag == "img":
            self.images.append(element)
            return
        bold = bold or tag in _BOLD_TAGS
        italic = italic or tag in _ITALIC_TAGS
        if tag == "a" and "href" in keys:
            linked = True
            self.links.append(element)
        block = tag in BLOCK_TAGS
        furniture = block and self._is_furniture(element, tag, keys)
        if block:
            self.flush()
            self.path.append(element)
            self.furniture_depth += furniture
            self.article_depth += tag in _ARTICLE_TAGS
        start = len(self.blocks)
        if element.text:
            self.add_text(element.text, bold, italic, linked)
        for child in element:
            self.visit(child, bold, italic, linked)
            if child.tail:
                self.add_text(child.tail, bold, italic, linked)
        if block:
            self.flush()
            self.spans[element] = (start, len(self.blocks))
            self.path.pop()
            self.furniture_depth -= furniture
            self.article_depth -= tag in _ARTICLE_TAGS
        else:  # the run still being built will be the next block
            self.spans[element] = (start, len(self.blocks) + (1 if self.chars or self.images else 0))

    def _is_furniture(self, element: HtmlElement, tag: str, keys: list[str]) -> bool:
        if tag in _FURNITURE_TAGS or (tag in _PAGE_PART_TAGS and not self.article_depth):
            return True
        return "role" in keys and (element.get("role") or "").strip().lower() in _FURNITURE_ROLES

    def add_text(self, text: str, bold: bool, italic: bool, linked: bool) -> None:
        self.parts.append(text)
        visible = len(text.strip())
        if not visible:
            return
        self.chars += visible
        self.link_chars += visible if linked else 0
        self.bold_chars += visible if bold else 0
        self.italic_chars += visible if italic else 0

    def flush(self) -> None:
        """End the current run: it becomes a block if it shows any text or image."""
        if not self.chars and not self.images:  # nothing but whitespace: the common case, kept cheap
            self.parts.clear()
            self.links.clear()
            return
        text = normalize_text("".join(self.parts))
        if text or self.images:
            self.blocks.append(
                Block(
                    index=len(self.blocks),
                    text=text,
                    path=tuple(self.path),
                    chars=self.chars,
                    link_chars=self.link_chars,
                    bold_chars=self.bold_chars,
                    italic_chars=self.italic_chars,
                    furniture=self.furniture_depth > 0,
                    images=self.images,
                    links=self.links,
                )
            )
        self._reset()
