"""URL rules of a council site: which pages are articles, their source ids and canonical URLs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that commonly carry an article's id on Vietnamese government CMSs.
ID_PARAMETERS = ("id", "itemid", "newsid", "articleid", "news_id", "article_id", "nid", "tinid", "postid", "p")
_LAST_NUMBER = re.compile(r"(\d+)(?!.*\d)")
ASSET_EXTENSIONS = frozenset(
    "jpg jpeg png gif webp bmp svg ico css js pdf doc docx xls xlsx ppt pptx zip rar 7z mp3 mp4 avi wmv flv".split()
)


@dataclass(frozen=True)
class ArticleUrlRules:
    """Recognizes article URLs and derives each article's id on the site."""

    article_pattern: str = r"DetailController"
    source_id_pattern: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_article_re", re.compile(self.article_pattern, re.IGNORECASE))
        source_re = re.compile(self.source_id_pattern) if self.source_id_pattern else None
        if source_re is not None and source_re.groups < 1:
            raise ValueError(f"source id pattern {self.source_id_pattern!r} needs a capturing group")
        object.__setattr__(self, "_source_re", source_re)

    def is_article(self, url: str) -> bool:
        parts = urlsplit(url)
        return bool(self._article_re.search(parts.path + ("?" + parts.query if parts.query else "")))

    def source_id(self, url: str) -> str | None:
        """The article's id on the site, or None when the URL carries none."""
        return self._locate_id(url)[0]

    def canonical_url(self, url: str) -> str:
        """The URL without fragment and without query parameters other than the id-bearing one."""
        parts = urlsplit(url)
        source_id, id_parameter = self._locate_id(url)
        query = ""
        if id_parameter is not None:
            query = urlencode([(id_parameter, source_id)])
        elif source_id is None:
            query = parts.query
        return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path, query, ""))

    def _locate_id(self, url: str) -> tuple[str | None, str | None]:
        """The id and the name of the query parameter it came from (None when it came from the path)."""
        if self._source_re is not None:
            match = self._source_re.search(url)
            return (match.group(1), None) if match else (None, None)
        parts = urlsplit(url)
        for name, value in parse_qsl(parts.query, keep_blank_values=False):
            if name.lower() in ID_PARAMETERS and value.strip():
                return value.strip(), name
        match = _LAST_NUMBER.search(parts.path)
        return (match.group(1), None) if match else (None, None)


def host_of(url: str) -> str:
    """The host (with port) a URL points at, lowercased."""
    return urlsplit(url).netloc.lower()


def is_asset(url: str) -> bool:
    """Whether the URL names a file (image, document, script) rather than a page."""
    path = urlsplit(url).path.lower()
    return "." in path.rsplit("/", 1)[-1] and path.rsplit(".", 1)[-1] in ASSET_EXTENSIONS
