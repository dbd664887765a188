"""Lay a parsed page out as text blocks: one per paragraph-like run of inline content, in document order.

Inline elements are joined without inserting spaces (VNPT portals split words across ``<span>``s);
block-level elements and ``<br>`` end a block. Each block remembers its block-level ancestors, how much
of its text is linked, bold or italic, and the images and links it holds.

The walk visits every element of every page, so it is written for speed: one method with the common cases
inlined, styles as bit flags, a block's ancestors as a tuple shared by all its blocks, the text of all blocks
normalised in one pass, and an index of the elements other steps look up (named, headings, schema.org and ARIA
labels) so that they need no XPath pass over the page of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml.etree import _Element

from crawler.extraction.document import text_content
from crawler.extraction.text import normalize_text, normalize_texts

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
_BOLD, _ITALIC, _LINKED = 1, 2, 4
_TAG_STYLES = {"b": _BOLD, "strong": _BOLD, "i": _ITALIC, "em": _ITALIC, "cite": _ITALIC}
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
# Attributes that say what an element is (schema.org, ARIA): the walk indexes them, and headings, for lookups
# that would otherwise each take an XPath pass over the page.
_LABEL_ATTRIBUTES = frozenset({"itemprop", "itemtype", "aria-label"})
# Attributes the walk reads besides class, id and href; most elements have none of them.
_RARE_ATTRIBUTES = _LABEL_ATTRIBUTES | {"hidden", "aria-hidden", "style"}


@dataclass(eq=False, slots=True)
class Block:
    """A paragraph-like run of text (and/or images) and where it sits in the page."""

    index: int
    text: str
    path: tuple[_Element, ...]  # block-level ancestors, outermost first; the last one holds the text
    chars: int  # characters of its text pieces without their outer whitespace
    link_chars: int
    bold_chars: int
    italic_chars: int
    furniture: bool  # inside nav/aside, a page's (not an article's) header/footer, or a landmark role alike
    images: list[_Element] = field(default_factory=list)
    links: list[_Element] = field(default_factory=list)

    @property
    def owner(self) -> _Element:
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

    def inside(self, element: _Element) -> bool:
        return element in self.path


class Layout:
    """The blocks of a page and, for every element shown, the range of blocks its content falls in."""

    def __init__(
        self,
        blocks: list[Block],
        spans: dict[_Element, tuple[int, int]],
        named: list[tuple[_Element, str]],
        marked: list[tuple[_Element, bool]],
    ) -> None:
        self.blocks = blocks
        self.spans = spans  # every element shown, inline ones included
        self._named = named  # elements shown that have a class or id, in document order, with names_of() unlowered
        self._lowered_names: dict[str, str] | None = None
        self._marked_or_unshown = marked  # (element, shown): marked ones shown, and roots of what is not shown
        self._marked: list[_Element] | None = None
        self._char_prefix = [0]
        self._link_prefix = [0]
        chars = links = 0
        for block in blocks:
            chars += block.chars
            links += block.link_chars
            self._char_prefix.append(chars)
            self._link_prefix.append(links)

    def span(self, element: _Element) -> tuple[int, int]:
        """Blocks [start, end) of an element; a hidden or skipped one gets the span of its nearest shown ancestor."""
        current: _Element | None = element
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

    def named(self, *words: str) -> list[_Element]:
        """Elements whose class or id contains one of the (lowercase) words, in document order."""
        if self._lowered_names is None:  # pages repeat a few class attributes many times: look at each once
            self._lowered_names = {names: names.lower() for _, names in self._named}
        matching = {  # `in` rather than a regex alternation: many times faster on utility-class soups
            names for names, lowered in self._lowered_names.items() if any(word in lowered for word in words)
        }
        return [element for element, names in self._named if names in matching]

    def marked(self) -> list[_Element]:
        """Every heading of the page and every element with an itemprop, itemtype or aria-label, shown or not, in
        document order."""
        if self._marked is None:
            self._marked = []
            for element, shown in self._marked_or_unshown:
                if shown:
                    self._marked.append(element)
                else:
                    self._marked.extend(inner for inner in element.iter("*") if _is_marked(inner, inner.keys()))
        return self._marked

    def text_of(self, element: _Element) -> str:
        """An element's text: its blocks joined by spaces, or for inline elements their own text."""
        if element.tag in BLOCK_TAGS and element in self.spans:
            start, end = self.spans[element]
            return " ".join(block.text for block in self.blocks[start:end] if block.text)
        return normalize_text(text_content(element))


def lay_out(root: _Element) -> Layout:
    """The blocks of a parsed page in document order."""
    walker = _Walker()
    walker.walk(root)
    texts = normalize_texts([block.text for block in walker.blocks])  # text from lxml never holds a NUL
    for block, text in zip(walker.blocks, texts):
        block.text = text
    return Layout(walker.blocks, walker.spans, walker.named, walker.marked)


def names_of(element: _Element) -> str:
    """What an element calls itself: its class, id and itemprop, lowercased (hints, never the only evidence)."""
    return f"{element.get('class') or ''} {element.get('id') or ''} {element.get('itemprop') or ''}".lower()


def alignment(block: Block, stop: _Element | None = None) -> str | None:
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


def _hiding_class(classes: str) -> bool:
    classes = classes.lower()
    return not _HIDDEN_CLASSES.isdisjoint(classes.split()) and not _SHOWN_ON_WIDE_SCREENS.search(classes)


class _Walker:
    """One walk over the page; blocks get their raw text, which ``lay_out`` normalises all at once.

    ``visit`` runs for every element of every page (a few hundred each): the common cases are inlined in it, and
    attributes that are rare on council pages are looked at only when ``keys()`` holds one of them.
    """

    __slots__ = (
        "blocks", "spans", "named", "marked", "path", "furniture", "in_article", "hiding_classes",
        "parts", "chars", "link_chars", "bold_chars", "italic_chars", "images", "links",
    )

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.spans: dict[_Element, tuple[int, int]] = {}
        self.named: list[tuple[_Element, str]] = []
        self.marked: list[tuple[_Element, bool]] = []  # see Layout.marked()
        self.path: tuple[_Element, ...] = ()  # the block-level ancestors of the run being built
        self.furniture = False
        self.in_article = False
        self.hiding_classes: dict[str, bool] = {}  # pages repeat a handful of class attributes many times
        # The run being built. Whitespace before its first visible character is left out: normalising strips it.
        self.parts: list[str] = []
        self.chars = self.link_chars = self.bold_chars = self.italic_chars = 0
        self.images: list[_Element] = []
        self.links: list[_Element] = []

    def walk(self, root: _Element) -> None:
        self.visit(root, 0)
        self.end_run()

    def visit(self, element: _Element, styles: int) -> None:
        tag = element.tag
        if tag in _SKIPPED_TAGS or tag.__class__ is not str:  # not str: a comment or processing instruction
            self.marked.append((element, False))
            return
        keys = element.keys()  # one call; most elements carry no attribute at all
        rare = bool(keys) and not _RARE_ATTRIBUTES.isdisjoint(keys)
        if keys:
            if rare and _hidden_by_attribute(element, keys):
                self.marked.append((element, False))
                return
            if "class" in keys:
                classes = element.get("class")
                hiding = self.hiding_classes.get(classes)
                if hiding is None:
                    hiding = self.hiding_classes[classes] = _hiding_class(classes)
                if hiding:
                    self.marked.append((element, False))
                    return
                self.named.append((element, _names(element, classes, keys)))
            elif "id" in keys:
                self.named.append((element, _names(element, "", keys)))
            if rare and "style" in keys:
                styles |= _style_flags(element.get("style"))
        if tag in HEADING_TAGS or (rare and not _LABEL_ATTRIBUTES.isdisjoint(keys)):  # _is_marked(), inlined
            self.marked.append((element, True))
        block = tag in BLOCK_TAGS
        if block:
            if self.chars or self.images:
                self.end_run()
            elif self.links:  # links around nothing shown
                self.links.clear()
            outer = self.path, self.furniture, self.in_article
            self.path += (element,)
            if not self.furniture and (
                tag in _FURNITURE_TAGS
                or (tag in _PAGE_PART_TAGS and not self.in_article)
                or ("role" in keys and (element.get("role") or "").strip().lower() in _FURNITURE_ROLES)
            ):
                self.furniture = True
            if tag in _ARTICLE_TAGS:
                self.in_article = True
        elif tag == "br":
            self.end_run()
            return
        elif tag == "img":
            self.images.append(element)
            return
        else:
            styles |= _TAG_STYLES.get(tag, 0)
            if tag == "a" and "href" in keys:
                styles |= _LINKED
                self.links.append(element)
        start = len(self.blocks)
        text = element.text
        if text:
            self.add_text(text, styles)
        for child in element:
            self.visit(child, styles)
            tail = child.tail
            if tail:
                self.add_text(tail, styles)
        if block:
            if self.chars or self.images:
                self.end_run()
            elif self.links:
                self.links.clear()
            self.spans[element] = (start, len(self.blocks))
            self.path, self.furniture, self.in_article = outer
        else:  # the run still being built will be the next block
            self.spans[element] = (start, len(self.blocks) + (1 if self.chars or self.images else 0))

    def add_text(self, text: str, styles: int) -> None:
        visible = len(text.strip())
        if not visible:
            if self.chars:
                self.parts.append(text)
            return
        self.parts.append(text)
        self.chars += visible
        if styles:
            if styles & _LINKED:
                self.link_chars += visible
            if styles & _BOLD:
                self.bold_chars += visible
            if styles & _ITALIC:
                self.italic_chars += visible

    def end_run(self) -> None:
        """The run becomes a block if it shows any text or image."""
        if not self.chars and not self.images:
            self.links.clear()
            return
        text = "".join(self.parts)
        # Printable text with a visible character stays text once normalised; a run of invisible characters only
        # does not, and is no block.
        if self.images or text.isprintable() or normalize_text(text):
            self.blocks.append(
                Block(
                    len(self.blocks), text, self.path, self.chars, self.link_chars, self.bold_chars,
                    self.italic_chars, self.furniture, self.images, self.links,
                )
            )
            self.images, self.links = [], []
        else:
            self.links.clear()
        self.parts.clear()
        self.chars = self.link_chars = self.bold_chars = self.italic_chars = 0


def _names(element: _Element, classes: str, keys: list[str]) -> str:
    """``names_of()`` not yet lowercased, for an element whose class and attribute names the walk has read."""
    ident = element.get("id") if "id" in keys else None
    itemprop = element.get("itemprop") if "itemprop" in keys else None
    return f"{classes} {ident or ''} {itemprop or ''}"


def _hidden_by_attribute(element: _Element, keys: list[str]) -> bool:
    """Hidden by an attribute other than its class."""
    if "hidden" in keys or ("aria-hidden" in keys and element.get("aria-hidden") == "true"):
        return True
    return "style" in keys and bool(_HIDDEN_STYLE.search(element.get("style")))


def _is_marked(element: _Element, keys: list[str]) -> bool:
    return element.tag in HEADING_TAGS or not _LABEL_ATTRIBUTES.isdisjoint(keys)


def _style_flags(style: str) -> int:
    return (_BOLD if _BOLD_STYLE.search(style) else 0) | (_ITALIC if _ITALIC_STYLE.search(style) else 0)
