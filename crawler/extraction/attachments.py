"""Documents linked from the article: in its text or in an attachments block right after it."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from crawler.extraction.blocks import Block
from crawler.extraction.document import Document, text_content
from crawler.extraction.model import Attachment
from crawler.extraction.text import normalize_text

_DOCUMENT = re.compile(r"\.(?:pdf|docx?|xlsx?|pptx?|odt|ods|zip|rar|7z)(?:$|[?#&;])", re.IGNORECASE)
_DOWNLOAD = re.compile(r"download|tai-?ve|getfile", re.IGNORECASE)
_GENERIC_NAMES = frozenset({"tải về", "tải xuống", "download", "tại đây", "xem", "xem chi tiết", "tệp đính kèm"})
_MAX_LABEL_BLOCKS = 2  # short unlinked blocks ("Tệp đính kèm:", "Tải về") in a row inside an attachments block
_MAX_LABEL_CHARS = 40


def find_attachments(document: Document, body: list[Block], after: list[Block]) -> list[Attachment]:
    """Document links of the body blocks, then of the attachments block that follows them (if any)."""
    attachments: dict[str, Attachment] = {}
    for block in body + _attachments_block(document, after):
        for link in block.links:
            url = document.absolute(link.get("href"))
            if url and _is_document(url) and url not in attachments:
                attachments[url] = Attachment(url=url, name=_name(text_content(link), url))
    return list(attachments.values())


def _attachments_block(document: Document, after: list[Block]) -> list[Block]:
    """Blocks with document links right after the text, allowing labels ("Tệp đính kèm:", "Tải về") between."""
    found: list[Block] = []
    gap = 0
    for block in after:
        if block.furniture:
            break
        if any(_is_document(document.absolute(link.get("href")) or "") for link in block.links):
            found.append(block)
            gap = 0
            continue
        gap += 1
        if block.links or block.chars > _MAX_LABEL_CHARS or gap > _MAX_LABEL_BLOCKS:
            break
    return found


def _is_document(url: str) -> bool:
    if not url:
        return False
    parts = urlsplit(url)
    return bool(_DOCUMENT.search(unquote(parts.path + ("?" + parts.query if parts.query else "")))) or bool(
        _DOWNLOAD.search(parts.path)
    )


def _name(link_text: str, url: str) -> str:
    name = normalize_text(link_text)
    if name and name.lower() not in _GENERIC_NAMES:
        return name
    return normalize_text(unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])) or url
