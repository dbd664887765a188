"""The site's URL scheme: building every path the pages link to, and recognising article paths."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote_plus, urlsplit

HOME = "/"
ROBOTS = "/robots.txt"
SITEMAP = "/sitemap.xml"
CALENDAR = "/lich-cong-tac"
SEARCH = "/search"
ADMIN = "/admin/login.aspx"
MISSING_ARTICLE_ID = 9_999_999

# Article URL shapes: two keep the id in the query string, two at the end of the path.
_QUERY_SHAPES = {"/Home/DetailController": "aspnet", "/Portal/DetailController.aspx": "vnportal"}
_PATH_SHAPES = (
    ("bootstrap", re.compile(r"/tin-tuc/DetailController/(?P<id>[0-9]{1,9})")),
    ("html5", re.compile(r"/bai-viet/(?P<category>[a-z-]+)/DetailController/(?P<id>[0-9]{1,9})\.html")),
)
_LISTING = re.compile(r"/chuyen-muc/(?P<slug>[a-z-]+)")
_IMAGE = re.compile(r"/Uploads/images/[0-9]{4}/[0-9]{2}/(?P<id>[0-9]{1,9})-[0-9]{1,3}\.(?:jpg|png)")
_THUMBNAIL = re.compile(r"/Uploads/thumbs/(?P<id>[0-9]{1,9})\.jpg")
_ATTACHMENT = re.compile(r"/Uploads/files/[0-9]{4}/(?P<id>[0-9]{1,9})-[0-9]{1,3}\.(?:pdf|doc)")
_NUMBER = re.compile(r"-?[0-9]{1,9}")
_STATIC = re.compile(r"/gioi-thieu/(?P<slug>[a-z-]+)")


@dataclass(frozen=True)
class ArticleAddress:
    template: str
    article_id: int
    category: str | None


def article_path(template: str, article_id: int, category: str) -> str:
    if template == "aspnet":
        return f"/Home/DetailController?id={article_id}"
    if template == "vnportal":
        return f"/Portal/DetailController.aspx?id={article_id}"
    if template == "bootstrap":
        return f"/tin-tuc/DetailController/{article_id}"
    return f"/bai-viet/{category}/DetailController/{article_id}.html"


def parse_article_path(path: str, query: dict[str, list[str]]) -> ArticleAddress | None:
    """The article an article-shaped URL names, or None when the URL has no such shape."""
    template = _QUERY_SHAPES.get(path)
    if template is not None:
        article_id = single_number(query.get("id", []))
        return ArticleAddress(template, article_id, None) if article_id is not None else None
    for template, pattern in _PATH_SHAPES:
        match = pattern.fullmatch(path)
        if match:
            return ArticleAddress(template, int(match["id"]), match.groupdict().get("category"))
    return None


def single_number(values: list[str]) -> int | None:
    """The number a query parameter given once holds: ASCII digits only, no signs or spaces int() would take."""
    if len(values) != 1 or not _NUMBER.fullmatch(values[0]):
        return None
    return int(values[0])


def split_target(target: str) -> tuple[str, str] | None:
    """(path, query) of a request target in origin form (/path?query) or absolute form; None if it is neither."""
    if target.startswith("/"):
        path, _, query = target.partition("#")[0].partition("?")
        return path, query
    if target.startswith(("http://", "https://")):
        try:
            parts = urlsplit(target)
        except ValueError:
            return None
        return parts.path or "/", parts.query
    return None


def legacy_path(article_id: int) -> str:
    """The address the site's previous CMS gave an article; it now answers 301."""
    return f"/index.php?option=com_content&view=article&id={article_id}"


def tracking_variant(path: str) -> str:
    """The same article under a second URL, as shared links carry it."""
    separator = "&" if "?" in path else "?"
    return f"{path}{separator}utm_source=zalo&utm_medium=social"


def listing_path(slug: str, page: int = 1) -> str:
    return f"/chuyen-muc/{slug}" if page == 1 else f"/chuyen-muc/{slug}?page={page}"


def parse_listing_path(path: str) -> str | None:
    match = _LISTING.fullmatch(path)
    return match["slug"] if match else None


def image_path(article_id: int, index: int, year: int, month: int, extension: str) -> str:
    return f"/Uploads/images/{year}/{month:02d}/{article_id}-{index}.{extension}"


def thumbnail_path(article_id: int) -> str:
    return f"/Uploads/thumbs/{article_id}.jpg"


def attachment_path(article_id: int, index: int, year: int, extension: str) -> str:
    return f"/Uploads/files/{year}/{article_id}-{index}.{extension}"


def parse_media_path(path: str) -> tuple[str, int] | None:
    """("image" | "attachment" | "thumbnail", article id) for a media path."""
    for kind, pattern in (("image", _IMAGE), ("attachment", _ATTACHMENT), ("thumbnail", _THUMBNAIL)):
        match = pattern.fullmatch(path)
        if match:
            return kind, int(match["id"])
    return None


def static_path(slug: str) -> str:
    return f"/gioi-thieu/{slug}"


def parse_static_path(path: str) -> str | None:
    match = _STATIC.fullmatch(path)
    return match["slug"] if match else None


def calendar_path(week: int) -> str:
    return f"{CALENDAR}?week={week}"


def search_path(term: str) -> str:
    return f"{SEARCH}?q={quote_plus(term)}"
