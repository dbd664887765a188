"""Extract an article record from the raw bytes of its page."""

from __future__ import annotations

import gc
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from lxml.etree import _Element

from crawler.extraction.attachments import find_attachments
from crawler.extraction.blocks import Block, Layout, lay_out
from crawler.extraction.breadcrumb import find_category
from crawler.extraction.byline import byline_name, find_byline
from crawler.extraction.captions import find_images
from crawler.extraction.content import body_start, find_content, is_prose, is_teaser
from crawler.extraction.dates import find_date
from crawler.extraction.dateline import find_published
from crawler.extraction.document import Document, parse_document
from crawler.extraction.headline import Headline, find_title
from crawler.extraction.hints import SiteHints, select
from crawler.extraction.lead import find_lead
from crawler.extraction.model import PARAGRAPH_SEPARATOR, ExtractedArticle

logger = logging.getLogger(__name__)

_BEFORE_TITLE_BLOCKS = 2  # a date line may sit just above the headline
_AFTER_BODY_BLOCKS = 12  # where an attachments block may follow the text
_METADATA_MAX_CHARS = 60
_DATE_ONLY_MAX_CHARS = 60
_MAX_LINK_SHARE = 0.5
_RELATED_MAX_CHARS = 60
# Headings that open a list of other articles: the body ends there.
_RELATED = re.compile(
    r"^(?:các\s+)?(?:tin|bài|bài viết|tin bài|tin tức)\s+"
    r"(?:liên quan|khác|cùng|mới|cũ|đã đưa|đã đăng|xem nhiều|đọc nhiều|nổi bật|tiêu điểm)"
    r"|^cùng (?:chuyên mục|chủ đề)|^(?:có thể\s+)?bạn\s+(?:có thể\s+)?quan tâm|^(?:xem|đọc) thêm\b|^related\b",
    re.IGNORECASE,
)
_UI_MAX_CHARS = 40
_UI_LABEL = re.compile(
    r"^(?:chia sẻ|in bài|bản in|in trang|gửi (?:bài|email|tin|cho bạn bè)|lượt xem|lượt đọc|số lượt|về đầu trang|"
    r"quay lại|trở về|trở lại|bình luận|ý kiến bạn đọc|phản hồi|tags?|từ khóa|share|print|tweet|like)\b",
    re.IGNORECASE,
)


def extract_article(
    raw: bytes,
    url: str,
    *,
    content_type: str | None = None,
    hints: SiteHints | None = None,
    reference_time: datetime | None = None,
) -> ExtractedArticle:
    """The article a page shows; never raises on malformed or empty input (it returns what it can)."""
    with _collector_paused():
        document = parse_document(raw, url, content_type)
        if document.root is None:
            return ExtractedArticle(encoding=document.encoding)
        try:
            return _extract(document, hints or SiteHints(), reference_time)
        except Exception:  # a page that trips a bug must not stop a crawl: the raw page is in the WARC anyway
            logger.exception("article extraction failed for %s", url)
            return ExtractedArticle(encoding=document.encoding)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused: extraction makes thousands of objects but no reference cycle, and the
    collections their allocations would trigger cost about a tenth of its time. Reference counting still frees
    everything; the collector runs again as soon as extraction returns."""
    if not gc.isenabled():  # someone else paused it: leave it as it is
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _extract(document: Document, hints: SiteHints, reference_time: datetime | None) -> ExtractedArticle:
    root = document.root
    layout = lay_out(root)
    container = _first(root, hints.body)
    if container is None:
        container = find_content(layout)
    if container is None:  # no text at all
        headline = find_title(document, layout, root, 0, _first(root, hints.title))
        return ExtractedArticle(title=headline.text if headline else None, encoding=document.encoding)
    start = body_start(layout, container)
    headline = find_title(document, layout, container, start, _first(root, hints.title))
    area = _body_area(layout, container, headline, start)
    image_set = find_images(document, layout, area, container, set(_all(root, hints.caption)))
    captions = image_set.caption_blocks
    texts = [block for block in area if block.index not in captions and _is_text(block)]
    lead, start = _lead_and_text_start(layout, container, headline, start, texts, captions)
    header = [
        block for block in _between(layout, headline, container, start, captions) + _above(layout, headline)
        if block is not lead
    ]
    following = _following(layout, container)
    published = find_published(
        document, layout, header, following, reference_time, _all(root, hints.date), closing=texts[-1:]
    )
    shown_apart = captions | {block.index for block in (lead, published.block if published else None) if block}
    body = _body_blocks(area, shown_apart, start)
    byline = find_byline(body, following[:1], container)
    if body and byline is body[-1]:
        body.pop()
    title = headline.text if headline else None
    inner_end = layout.span(container)[1]
    return ExtractedArticle(
        title=title,
        published_at=published.value if published else None,
        date_text=published.text if published else None,
        lead=lead.text if lead else None,
        body=PARAGRAPH_SEPARATOR.join(block.text for block in body),
        byline=byline_name(byline) if byline else None,
        images=image_set.images,
        attachments=find_attachments(document, area, layout.blocks[inner_end:inner_end + _AFTER_BODY_BLOCKS]),
        category=find_category(
            document, layout, title, headline.start if headline else None, _first(root, hints.breadcrumb)
        ),
        encoding=document.encoding,
    )


def _body_area(layout: Layout, container: _Element, headline: Headline | None, start: int) -> list[Block]:
    """The container's blocks, from after the title when the title is inside it."""
    inner_start, inner_end = layout.span(container)
    if headline is not None and headline.start is not None and inner_start <= headline.start < inner_end:
        inner_start = min(headline.end, start)
    return [block for block in layout.blocks[inner_start:inner_end] if not block.furniture]


def _lead_and_text_start(
    layout: Layout,
    container: _Element,
    headline: Headline | None,
    start: int,
    texts: list[Block],
    captions: set[int],
) -> tuple[Block | None, int]:
    """The lead, and where the text starts once a first paragraph set apart as the lead is left out."""
    body = [block for block in texts if block.index >= start]
    lead = find_lead(
        _between(layout, headline, container, start, captions),
        body[0] if body else None,
        body[1] if len(body) > 1 else None,
        container,
    )
    if lead is not None and lead.index >= start:
        start = body_start(layout, container, after=lead.index + 1)
    return lead, start


def _first(root: _Element, selector: str | None) -> _Element | None:
    found = _all(root, selector)
    return found[0] if found else None


def _all(root: _Element, selector: str | None) -> list[_Element]:
    return select(root, selector) if selector else []


def _between(
    layout: Layout, headline: Headline | None, container: _Element, start: int, captions: set[int]
) -> list[Block]:
    """The article header: blocks from the title (or the container start) to the text."""
    begin = headline.end if headline is not None and headline.end is not None else layout.span(container)[0]
    return [block for block in layout.blocks[begin:start] if not block.furniture and block.index not in captions]


def _above(layout: Layout, headline: Headline | None) -> list[Block]:
    """The blocks just above the title, nearest first: a date line may sit there."""
    if headline is None or headline.start is None:
        return []
    above = layout.blocks[max(0, headline.start - _BEFORE_TITLE_BLOCKS):headline.start]
    return [block for block in reversed(above) if not block.furniture]


def _following(layout: Layout, container: _Element) -> list[Block]:
    """Blocks after the text that still belong to the article: inside the container's parent, not the page."""
    parent = container.getparent()
    if parent is None or parent.tag in ("body", "html"):
        return []
    end = layout.span(parent)[1]
    inner_end = layout.span(container)[1]
    return [block for block in layout.blocks[inner_end:end] if not block.furniture]


def _is_text(block: Block) -> bool:
    return bool(block.text) and block.link_share <= _MAX_LINK_SHARE


def _body_blocks(area: list[Block], shown_apart: set[int], start: int) -> list[Block]:
    """The body text of the area: without what is shown apart (captions, lead, date line), link lists, dates on
    their own, metadata before the text start, interface labels, and lists of other articles."""
    body: list[Block] = []
    previous: Block | None = None
    for block in area:
        if block.index in shown_apart or not block.text or _is_date_only(block):
            continue
        teaser = is_teaser(block, previous)
        previous = block
        if not _is_text(block) or teaser:
            continue
        if block.chars <= _RELATED_MAX_CHARS and _RELATED.search(block.text):
            break
        if block.chars <= _UI_MAX_CHARS and _UI_LABEL.search(block.text):
            continue
        if block.index < start and not is_prose(block) and block.chars < _METADATA_MAX_CHARS:
            continue
        body.append(block)
    return body


def _is_date_only(block: Block) -> bool:
    if block.chars > _DATE_ONLY_MAX_CHARS:
        return False
    match = find_date(block.text, dateparser_fallback=False)
    return match is not None and (match.end - match.start) >= len(block.text.strip("()[] -|")) / 2
