"""Images of the article body and their captions, recognised by structure rather than class names.

A caption is the ``figcaption`` of the image's ``figure``; the short text under the image in a small
layout table; or the short block right after the image (or after the paragraph holding only the image)
that is centred, italic, marked as a caption by its class (or a site hint), or plain short text that does
not read like a sentence. A photo credit (``Ảnh: …``) right after a caption joins it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.etree import Element, _Element

from crawler.extraction.blocks import Block, Layout, alignment, names_of
from crawler.extraction.document import Document
from crawler.extraction.model import Image
from crawler.extraction.text import normalize_text

_CAPTION_NAME = re.compile(r"caption|chuthich|chu-thich|chu_thich|desc|legend")
_CREDIT = re.compile(r"^(?:ảnh|nguồn ảnh|nguồn|photo|ảnh minh họa|ảnh minh hoạ)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?:;]$")
_MAX_CAPTION_CHARS = 300
_MAX_PLAIN_CAPTION_CHARS = 200
_MAX_CREDIT_CHARS = 80
_MAX_LINK_SHARE = 0.5
_IMAGE_TABLE_MAX_CHARS = 400
_IMAGE_TABLE_MAX_IMAGES = 4
_MIN_IMAGE_SIDE = 25  # pixels: smaller images are icons and spacers
_SOURCE_ATTRIBUTES = ("src", "data-src", "data-original", "data-lazy-src", "data-srcset", "srcset")
_PLACEHOLDER = re.compile(r"blank|spacer|placeholder|lazy|loading|transparent|pixel\.gif", re.IGNORECASE)


@dataclass
class ImageSet:
    """The body's images with their captions, and the blocks that are captions (not body text)."""

    images: list[Image]
    caption_blocks: set[int]


def find_images(
    document: Document, layout: Layout, blocks: list[Block], container: _Element, hinted: set[_Element]
) -> ImageSet:
    """Images of ``blocks`` (the body area, in order) with their captions."""
    images: list[Image] = []
    caption_blocks: set[int] = set()
    seen: set[str] = set()
    last_image: Image | None = None
    for position, block in enumerate(blocks):
        if _is_hinted(block, hinted) and block.index not in caption_blocks and block.text:
            caption_blocks.add(block.index)
            if last_image is not None and last_image.caption is None:
                last_image.caption = block.text
            continue
        new = []
        for element in block.images:
            image = _image(document, element)
            if image is not None and image.src not in seen:
                seen.add(image.src)
                new.append(image)
        if not new:
            continue
        images.extend(new)
        last_image = new[-1]
        captions = _captions_after(layout, blocks, position, container, hinted)
        if block.text and (_is_caption(block, container, hinted, plain_allowed=False) or _is_inline_caption(block)):
            captions.insert(0, block)
        caption_blocks.update(caption.index for caption in captions)
        if captions:
            last_image.caption = " ".join(caption.text for caption in captions)
    return ImageSet(images, caption_blocks)


def _captions_after(
    layout: Layout, blocks: list[Block], position: int, container: _Element, hinted: set[_Element]
) -> list[Block]:
    block = blocks[position]
    figure = _nearest(block, container, "figure")
    if figure is not None:
        return [
            other for other in _following(blocks, position)
            if other.inside(figure) and any(element.tag == "figcaption" for element in other.path) and other.text
        ]
    table = _nearest(block, container, "table")
    if table is not None and _is_image_table(layout, table):
        return [other for other in _following(blocks, position) if other.inside(table) and other.text]
    captions: list[Block] = []
    for other in _following(blocks, position):
        if not captions and _is_caption(other, container, hinted, plain_allowed=True):
            captions.append(other)
        elif captions and _is_credit(other):
            captions.append(other)
            break
        else:
            break
    return captions


def _following(blocks: list[Block], position: int) -> list[Block]:
    """The text blocks after an image, up to the next image."""
    following = []
    for other in blocks[position + 1:]:
        if other.images:
            break
        following.append(other)
    return following


def _is_caption(block: Block, container: _Element, hinted: set[_Element], plain_allowed: bool) -> bool:
    if not block.text or block.chars > _MAX_CAPTION_CHARS or block.link_share > _MAX_LINK_SHARE:
        return False
    if block.is_italic or _is_hinted(block, hinted) or alignment(block, container) == "center":
        return True
    if any(_CAPTION_NAME.search(names_of(element)) for element in _below(block, container)):
        return True
    return (
        plain_allowed
        and block.chars <= _MAX_PLAIN_CAPTION_CHARS
        and not block.is_bold
        and not block.in_heading
        and not _SENTENCE_END.search(block.text)
    )


def _is_inline_caption(block: Block) -> bool:
    """Short text beside an image in the same block, in an inline element marked as a caption
    (``<div><img><span class="caption">…</span></div>``)."""
    if block.chars > _MAX_CAPTION_CHARS or block.link_share > _MAX_LINK_SHARE:
        return False
    return any(
        _CAPTION_NAME.search(names_of(element)) for element in block.owner.iterdescendants(Element) if element.get("class")
    )


def _is_credit(block: Block) -> bool:
    return bool(block.text) and block.chars <= _MAX_CREDIT_CHARS and bool(_CREDIT.search(block.text))


def _is_hinted(block: Block, hinted: set[_Element]) -> bool:
    return bool(hinted) and not hinted.isdisjoint(block.path)


def _is_image_table(layout: Layout, table: _Element) -> bool:
    start, end = layout.span(table)
    images = sum(len(block.images) for block in layout.blocks[start:end])
    return layout.chars_between(start, end) <= _IMAGE_TABLE_MAX_CHARS and images <= _IMAGE_TABLE_MAX_IMAGES


def _nearest(block: Block, container: _Element, tag: str) -> _Element | None:
    for element in reversed(_below(block, container)):
        if element.tag == tag:
            return element
    return None


def _below(block: Block, container: _Element) -> tuple[_Element, ...]:
    """The block's ancestors inside the container (the container itself excluded)."""
    path = block.path
    for position, element in enumerate(path):
        if element is container:
            return path[position + 1:]
    return path


def _image(document: Document, element: _Element) -> Image | None:
    if _too_small(element):
        return None
    src = None
    for attribute in _SOURCE_ATTRIBUTES:
        value = (element.get(attribute) or "").strip()
        if attribute.endswith("srcset"):
            value = value.split(",")[0].strip().split(" ")[0]
        candidate = document.absolute(value)
        if candidate and not _PLACEHOLDER.search(candidate.rsplit("/", 1)[-1]):
            src = candidate
            break
    if src is None:
        return None
    return Image(src=src, alt=normalize_text(element.get("alt") or "") or None)


def _too_small(element: _Element) -> bool:
    for attribute in ("width", "height"):
        value = (element.get(attribute) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) < _MIN_IMAGE_SIDE:
            return True
    return False
