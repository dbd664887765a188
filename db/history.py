"""An article's versions as text, and what changed between two of them as a unified diff."""

from __future__ import annotations

import difflib

from db.models import ArticleVersion
from db.types import VIETNAM

BODY_HEADER = "body:"


def version_lines(version: ArticleVersion) -> list[str]:
    """The version's content one field or paragraph per line, in reading order, for diffing."""
    published = version.published_at.astimezone(VIETNAM).isoformat() if version.published_at else None
    fields = (
        ("title", version.title),
        ("published", published),
        ("category", version.category),
        ("lead", version.lead),
        ("byline", version.byline),
    )
    lines = [f"{name}: {value}" for name, value in fields if value]
    lines.append(BODY_HEADER)
    lines += paragraphs(version.body)
    lines += [f"caption: {image.caption}" for image in version.images if image.caption]
    for attachment in version.attachments:
        name = f"{attachment.name} " if attachment.name else ""
        lines.append(f"attachment: {name}<{attachment.url}>")
    return lines


def paragraphs(body: str) -> list[str]:
    """The body's paragraphs (stored separated by blank lines)."""
    return [paragraph.strip() for paragraph in body.split("\n\n") if paragraph.strip()]


def diff_versions(old: ArticleVersion, new: ArticleVersion, *, context: int = 1) -> list[str]:
    """A unified diff from ``old`` to ``new``; empty when their content is the same."""
    return list(difflib.unified_diff(
        version_lines(old), version_lines(new),
        fromfile=_label(old), tofile=_label(new), lineterm="", n=context,
    ))


def _label(version: ArticleVersion) -> str:
    return f"version {version.version} (captured {version.capture.fetched_at.isoformat(timespec='seconds')})"
