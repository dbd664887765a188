"""The mirror site: answers any request with a deterministic response and knows the ground truth of every article."""

from __future__ import annotations

import gzip
import hashlib
import itertools
import re
from dataclasses import replace
from datetime import datetime
from typing import Iterable
from urllib.parse import parse_qs, unquote

from mirror import charsets, media, pages, urls
from mirror.articles import Article, ArticleFactory
from mirror.catalogue import CATEGORIES, CATEGORY_BY_SLUG, Catalogue
from mirror.dates import today
from mirror.http import Response, http_date, parse_http_date, reason
from mirror.templates import TEMPLATE_CLASSES, Furniture, MenuItem, Template
from mirror.templates.base import page_bytes
from mirror.vocabulary import EXTERNAL_LINKS, SITE_NAME, STATIC_PAGES

__all__ = ["Response", "Site"]

SERVER = "hdnd-mirror/0.1"
SLOW_SECONDS = 1.5
RELATED_LINKS = 8
SITE_LOOK = "bootstrap"  # the look of pages that are not articles
_SITEMAP_PART = re.compile(r"/sitemap-([0-9]{1,6})\.xml")
_HTML = "text/html; charset=utf-8"
_HOST = re.compile(r"[A-Za-z0-9.\-]+(:\d{1,5})?|\[[0-9A-Fa-f:.]+\](:\d{1,5})?")


class _Edition:
    """Everything derived from (articles, seed, generation), built once per generation."""

    def __init__(self, articles: int, seed: int, generation: int) -> None:
        self.catalogue = Catalogue(articles, seed, generation)
        self.factory = ArticleFactory(self.catalogue)
        meta = self.factory.meta
        self.today = today(generation)
        furniture = Furniture(
            site_name=SITE_NAME,
            today=self.today,
            categories=CATEGORIES,
            menu=_menu(),
            newest=tuple(meta(i) for i in self.catalogue.newest(10)),
            popular=tuple(meta(i) for i in self.catalogue.popular(10)),
            documents=tuple(meta(i) for i in self.catalogue.listing(CATEGORY_BY_SLUG["nghi-quyet"], 1)[:8]),
            static_pages=tuple((urls.static_path(slug), label) for slug, label in STATIC_PAGES),
            external_links=EXTERNAL_LINKS,
        )
        self.templates: dict[str, Template] = {name: cls(furniture) for name, cls in TEMPLATE_CLASSES.items()}
        # The visit counter in every sidebar: frozen in generation 0 (pages stay byte-identical across fetches),
        # counting every request afterwards (page furniture changes while article content does not).
        self._visits = itertools.count(1_200_000 + 7_919 * seed + 100_000 * generation)
        self._frozen_visits = None if generation else next(self._visits)

    def visits(self) -> int:
        return self._frozen_visits if self._frozen_visits is not None else next(self._visits)


def _menu() -> tuple[MenuItem, ...]:
    listing = urls.listing_path
    about = tuple(MenuItem(label, urls.static_path(slug)) for slug, label in STATIC_PAGES[:-1])
    news = tuple(MenuItem(category.name, listing(category.slug)) for category in CATEGORIES)
    sessions = tuple(MenuItem(f"Kỳ họp thứ {n}", listing("ky-hop-hdnd")) for n in range(1, 15))
    documents = tuple(
        MenuItem(label, listing("nghi-quyet"))
        for label in (
            "Nghị quyết HĐND tỉnh", "Nghị quyết Thường trực HĐND", "Kế hoạch, thông báo", "Văn bản của các Ban",
        )
    )
    oversight = tuple(
        MenuItem(label, listing("giam-sat")) for label in ("Giám sát chuyên đề", "Giám sát thường xuyên", "Khảo sát")
    )
    voters = tuple(
        MenuItem(label, listing("tiep-xuc-cu-tri"))
        for label in ("Tiếp xúc cử tri", "Kiến nghị của cử tri", "Trả lời kiến nghị", "Tiếp công dân")
    )
    return (
        MenuItem("Trang chủ", urls.HOME),
        MenuItem("Giới thiệu", about[0].href, about),
        MenuItem("Tin tức - Sự kiện", news[0].href, news),
        MenuItem("Kỳ họp HĐND", listing("ky-hop-hdnd"), sessions),
        MenuItem("Văn bản", listing("nghi-quyet"), documents),
        MenuItem("Giám sát", listing("giam-sat"), oversight),
        MenuItem("Cử tri", listing("tiep-xuc-cu-tri"), voters),
        MenuItem("Lịch công tác", urls.CALENDAR),
        MenuItem("Liên hệ", urls.static_path(STATIC_PAGES[-1][0])),
    )


class Site:
    """A council website of `articles` articles; `generation` > 0 is the same site some days later."""

    def __init__(self, articles: int = 200, seed: int = 1, generation: int = 0) -> None:
        self.articles = articles
        self.seed = seed
        self._edition = _Edition(articles, seed, generation)

    @property
    def generation(self) -> int:
        return self._edition.catalogue.generation

    @generation.setter
    def generation(self, value: int) -> None:
        self._edition = _Edition(self.articles, self.seed, value)

    def article_ids(self) -> Iterable[int]:
        """Every article that exists now, the one only the sitemap lists included."""
        return range(1, self._edition.catalogue.latest + 1)

    def truth(self, article_id: int) -> dict:
        """Ground truth of one article as its page shows it; paths are relative to the server root."""
        edition = self._edition
        if not edition.catalogue.exists(article_id):
            raise KeyError(f"article {article_id} does not exist in generation {edition.catalogue.generation}")
        return edition.factory.article(article_id).truth()

    def special_pages(self) -> dict[str, str]:
        """The path (or URL, for the external link) of each special case."""
        catalogue, meta = self._edition.catalogue, self._edition.factory.meta
        paths = {name: meta(article_id).path for name, article_id in catalogue.special_ids.items()}
        paths["seed"] = meta(catalogue.seed_id).path
        paths["redirect_old"] = urls.legacy_path(catalogue.special_ids["redirect_target"])
        paths["duplicate_alt"] = urls.tracking_variant(paths["duplicate"])
        paths["not_found"] = urls.article_path("aspnet", urls.MISSING_ARTICLE_ID, CATEGORIES[0].slug)
        paths["disallowed"] = urls.ADMIN
        paths["disallowed_search"] = urls.search_path("dân vận")
        paths["external"] = EXTERNAL_LINKS[0][0]
        paths["calendar"] = urls.CALENDAR
        return paths

    def respond(self, method: str, target: str, headers: dict[str, str]) -> Response:
        """The response to one request; `target` is the raw request target (path and query)."""
        headers = {name.lower(): value for name, value in headers.items()}
        edition = self._edition  # one generation for the whole request, even if it changes meanwhile
        if method not in ("GET", "HEAD"):
            message = pages.message("Phương thức không được hỗ trợ", f"Máy chủ không hỗ trợ {method}.")
            response = self._page(edition, 405, "Phương thức không được hỗ trợ", message, [("Allow", "GET, HEAD")])
        elif (split := urls.split_target(target)) is None:
            message = pages.message("Yêu cầu không hợp lệ", "Địa chỉ yêu cầu không hợp lệ.")
            response = self._page(edition, 400, "Yêu cầu không hợp lệ", message)
        else:
            path, query = split
            response = self._route(edition, unquote(path), parse_qs(query, keep_blank_values=True), headers)
        return replace(response, body=b"") if method == "HEAD" else response

    def server_error(self) -> Response:
        """The page a crashing ASP.NET application shows."""
        return _response(500, pages.SERVER_ERROR.encode("utf-8"), _HTML)

    def _route(self, edition: _Edition, path: str, query: dict[str, list[str]], headers: dict[str, str]) -> Response:
        catalogue, factory = edition.catalogue, edition.factory
        address = urls.parse_article_path(path, query)
        if address is not None:
            return self._article(edition, address, headers)
        if path == urls.HOME:
            return self._page(edition, 200, "Trang chủ", pages.home(catalogue, factory))
        slug = urls.parse_listing_path(path)
        if slug is not None:
            return self._listing(edition, slug, query)
        media_address = urls.parse_media_path(path)
        if media_address is not None:
            return self._media(edition, path, *media_address, headers)
        if path == urls.ROBOTS:
            return _response(200, pages.robots_txt(_base_url(headers)).encode(), "text/plain; charset=utf-8")
        if path == urls.SITEMAP or _SITEMAP_PART.fullmatch(path):
            return self._sitemap(edition, path, headers)
        if path == "/index.php":
            return self._legacy(edition, query, headers)
        if path == urls.CALENDAR:
            return self._calendar(edition, query)
        slug = urls.parse_static_path(path)
        if slug in pages.STATIC_LABELS:
            label = pages.STATIC_LABELS[slug]
            return self._page(edition, 200, label, pages.static_page(self.seed, slug, label))
        if path == urls.SEARCH:
            term = query.get("q", [""])[0]
            return self._page(edition, 200, "Tìm kiếm", pages.search(term))
        if path == urls.ADMIN:
            return self._page(edition, 200, "Quản trị", pages.admin_login())
        stylesheet = next((t.stylesheet for t in edition.templates.values() if t.css_path == path), None)
        if stylesheet is not None:
            return _response(200, stylesheet.encode("utf-8"), "text/css; charset=utf-8")
        return self._not_found(edition)

    def _article(self, edition: _Edition, address: urls.ArticleAddress, headers: dict[str, str]) -> Response:
        catalogue, factory = edition.catalogue, edition.factory
        if not catalogue.exists(address.article_id):
            return self._not_found(edition)
        meta = factory.meta(address.article_id)
        if meta.template != address.template or address.category not in (None, meta.category.slug):
            return self._not_found(edition)
        article = factory.article(address.article_id)
        behaviour = {
            "delay": SLOW_SECONDS if article.special == "slow" else 0.0,
            "fails_first": article.special == "error_once",
        }
        validators = [("ETag", _article_etag(self.seed, article)), ("Last-Modified", http_date(article.last_modified))]
        if _not_modified(headers, validators[0][1], article.last_modified):
            return replace(_not_modified_response(validators), **behaviour)
        related = [factory.meta(i) for i in catalogue.older_in_category(meta.id, RELATED_LINKS)]
        parts = edition.templates[meta.template].article_page(article, related, edition.visits(), article.charset)
        body = _encode(article, parts)
        extra = validators + [("Cache-Control", "private")]
        if article.special == "gzip":
            extra.append(("Vary", "Accept-Encoding"))
            if _accepts_gzip(headers.get("accept-encoding", "")):
                body = gzip.compress(body, compresslevel=6, mtime=0)
                extra.append(("Content-Encoding", "gzip"))
        return replace(_response(200, body, f"text/html; charset={article.charset}", extra), **behaviour)

    def _listing(self, edition: _Edition, slug: str, query: dict[str, list[str]]) -> Response:
        category = CATEGORY_BY_SLUG.get(slug)
        page = _positive_int(query.get("page", ["1"]))
        if category is None or page is None or page > edition.catalogue.pages(category):
            return self._not_found(edition)
        main = pages.listing(edition.catalogue, edition.factory, category, page)
        title = category.name if page == 1 else f"{category.name} - Trang {page}"
        return self._page(edition, 200, title, main, crumbs=(("Trang chủ", urls.HOME), (category.name, None)))

    def _media(self, edition: _Edition, path: str, kind: str, article_id: int, headers: dict[str, str]) -> Response:
        found = _media_file(edition, self.seed, path, kind, article_id)
        if found is None:
            return self._not_found(edition)
        body, content_type, etag = found
        modified = edition.catalogue.moment(article_id)
        validators = [("ETag", etag), ("Last-Modified", http_date(modified))]
        if _not_modified(headers, etag, modified):
            return _not_modified_response(validators)
        if kind == "attachment":
            validators.append(("Content-Disposition", f'attachment; filename="{path.rsplit("/", 1)[-1]}"'))
        return _response(200, body, content_type, validators)

    def _sitemap(self, edition: _Edition, path: str, headers: dict[str, str]) -> Response:
        match = _SITEMAP_PART.fullmatch(path)
        chunk = int(match[1]) if match else None
        if chunk is not None and not 1 <= chunk <= pages.sitemap_chunks(edition.catalogue):
            return self._not_found(edition)
        xml = pages.sitemap(edition.catalogue, edition.factory, _base_url(headers), chunk)
        return _response(200, xml.encode("utf-8"), "application/xml; charset=utf-8")

    def _legacy(self, edition: _Edition, query: dict[str, list[str]], headers: dict[str, str]) -> Response:
        article_id = _positive_int(query.get("id", []))
        if query.get("option") != ["com_content"] or article_id is None or not edition.catalogue.exists(article_id):
            return self._not_found(edition)
        location = _base_url(headers) + edition.factory.meta(article_id).path
        body = f'<html><body>Trang đã chuyển tới <a href="{location}">{location}</a></body></html>'.encode()
        return _response(301, body, _HTML, [("Location", location)])

    def _calendar(self, edition: _Edition, query: dict[str, list[str]]) -> Response:
        if "week" in query:
            week = urls.single_number(query["week"])
        else:
            week = pages.week_of(edition.today)
        if week is None or not -100_000 <= week <= 400_000:
            return self._not_found(edition)
        return self._page(edition, 200, "Lịch công tác", pages.calendar(self.seed, week))

    def _page(self, edition: _Edition, status: int, heading: str, main: str,
              extra: list[tuple[str, str]] | None = None,
              crumbs: tuple[tuple[str, str | None], ...] | None = None) -> Response:
        crumbs = crumbs or (("Trang chủ", urls.HOME), (heading, None))
        parts = edition.templates[SITE_LOOK].page(heading, crumbs, main, edition.visits())
        return _response(status, page_bytes(parts), _HTML, extra)

    def _not_found(self, edition: _Edition) -> Response:
        return self._page(edition, 404, "Không tìm thấy trang", pages.not_found())


def _response(status: int, body: bytes, content_type: str, extra: list[tuple[str, str]] | None = None) -> Response:
    headers = [("Server", SERVER), ("Content-Type", content_type), ("Content-Length", str(len(body)))]
    return Response(status, reason(status), headers + (extra or []), body)


def _not_modified_response(validators: list[tuple[str, str]]) -> Response:
    return Response(304, reason(304), [("Server", SERVER)] + validators, b"")


def _media_file(edition: _Edition, seed: int, path: str, kind: str, article_id: int) -> tuple[bytes, str, str] | None:
    """(body, content type, ETag) of an image, thumbnail or attachment; None if the article has no such file."""
    if not edition.catalogue.exists(article_id):
        return None
    key = int.from_bytes(hashlib.md5(f"{seed}:{path}".encode()).digest()[:4], "big")
    etag = f'"{key:08x}"'
    if kind == "thumbnail":
        return media.jpeg(120, 80, 60 + key % 150, path), "image/jpeg", etag
    article = edition.factory.article(article_id)
    if kind == "image":
        image = next((image for image in article.images if image.src == path), None)
        if image is None:
            return None
        width, height = image.width // 32 * 8, image.height // 32 * 8  # served small, shown large
        if path.endswith(".png"):
            return media.png(width, height, key.to_bytes(4, "big")[:3]), "image/png", etag
        return media.jpeg(width, height, key % 256, path), "image/jpeg", etag
    attachment = next((item for item in article.attachments if item.url == path), None)
    if attachment is None:
        return None
    lines = [article.meta.title, f"Ngày {article.meta.moment:%d/%m/%Y}"]
    if path.endswith(".pdf"):
        return media.pdf(attachment.name, lines), "application/pdf", etag
    return media.word_document(attachment.name, lines), "application/msword", etag


def _encode(article: Article, parts: list[str]) -> bytes:
    if article.special == "windows_1258":
        return charsets.encode_windows_1258("".join(parts))
    if article.special == "nfd":
        return charsets.to_nfd("".join(parts)).encode("utf-8")
    return page_bytes(parts)


def _article_etag(seed: int, article: Article) -> str:
    """Weak: the furniture around the article may change while the article itself does not."""
    digest = hashlib.sha1(f"{seed}:{article.meta.id}:{article.version}".encode()).hexdigest()[:16]
    return f'W/"{digest}"'


def _not_modified(headers: dict[str, str], etag: str, last_modified: datetime) -> bool:
    if "if-none-match" in headers:
        tags = [tag.strip().removeprefix("W/") for tag in headers["if-none-match"].split(",")]
        return "*" in tags or etag.removeprefix("W/") in tags
    since = parse_http_date(headers.get("if-modified-since", ""))
    return since is not None and last_modified <= since


def _accepts_gzip(accept_encoding: str) -> bool:
    for part in accept_encoding.split(","):
        coding, _, parameters = part.partition(";")
        if coding.strip().lower() in ("gzip", "x-gzip", "*"):
            quality = parameters.strip().lower()
            return not (quality.startswith("q=") and _float(quality[2:]) == 0)
    return False


def _float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _positive_int(values: list[str]) -> int | None:
    number = urls.single_number(values)
    return number if number is not None and number >= 1 else None


def _base_url(headers: dict[str, str]) -> str:
    host = headers.get("host", "")
    return f"http://{host if _HOST.fullmatch(host) else 'localhost'}"
