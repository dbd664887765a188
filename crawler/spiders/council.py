"""The council spider: walks a People's Council site's listings and archives its article pages."""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.response import get_base_url
from scrapy.utils.sitemap import Sitemap
from sqlalchemy.orm import Session
from twisted.python.failure import Failure

from crawler.articles import article_from_page, is_extractable
from crawler.extraction import SiteHints
from crawler.items import ArticleItem
from crawler.middlewares.warc import CAPTURE_META_KEY, CONDITIONAL_META_KEY
from crawler.urls import ArticleUrlRules, host_of, is_asset
from db.engine import open_database
from db.queries import known_articles

logger = logging.getLogger(__name__)

# Request priorities: an article's assets right after it, articles before the next listing page,
# sitemaps last (by then most of their entries are known), so the pending queue stays small.
ASSET_PRIORITY = 20
ARTICLE_PRIORITY = 10
PAGE_PRIORITY = 0
SITEMAP_PRIORITY = -100
SKIPPED_SCHEMES = ("mailto:", "javascript:", "tel:", "data:", "#")


class CouncilSpider(Spider):
    """Crawls the hosts of its start URLs, following listings, sitemaps and article links."""

    name = "council"

    def __init__(self, start_url: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._start_url_argument = start_url

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> CouncilSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.configure(crawler)
        return spider

    def configure(self, crawler: Crawler) -> None:
        settings = crawler.settings
        urls = settings.getlist("HDND_START_URLS")
        if self._start_url_argument:
            urls = [u for u in self._start_url_argument.replace(",", " ").split() if u]
        if not urls:
            raise ValueError("no start URL: pass -a start_url=URL (or hdnd crawl --start-url URL)")
        for url in urls:
            if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
                raise ValueError(f"not an http(s) URL: {url!r}")
        self.start_urls = urls
        self.hosts = {host_of(url) for url in urls}
        self.allowed_domains = sorted({urlsplit(url).hostname or "" for url in urls})
        self.rules = ArticleUrlRules(
            article_pattern=settings.get("HDND_ARTICLE_URL_PATTERN"),
            source_id_pattern=settings.get("HDND_SOURCE_ID_PATTERN"),
        )
        self.hints = load_site_hints(settings.get("HDND_SITE_HINTS_FILE"))
        self.fetch_assets = settings.getbool("HDND_FETCH_ASSETS")
        self.barren_limit = settings.getint("HDND_TRAP_BARREN_PAGES")
        self.max_variants = settings.getint("HDND_MAX_QUERY_VARIANTS")
        self.incremental = settings.getbool("HDND_INCREMENTAL")
        self.recheck_after = datetime.now(timezone.utc) - timedelta(days=settings.getfloat("HDND_RECHECK_DAYS"))
        self.known = load_known_articles(settings.get("HDND_DB_URL"), self.hosts) if self.incremental else {}
        if self.incremental:
            # Incremental: a listing page that brings no article new to the archive ends its chain.
            self.barren_limit = 1
        self.articles_seen: set[tuple[str, str]] = set()
        self.pages_seen: set[str] = set()
        self.variants: Counter[tuple[str, str]] = Counter()

    async def start(self) -> AsyncIterator[Request]:
        for url in self.start_urls:
            yield Request(url, callback=self.parse_page, errback=self.start_failed, priority=PAGE_PRIORITY)
        for root in sorted({f"{urlsplit(u).scheme}://{urlsplit(u).netloc}" for u in self.start_urls}):
            yield Request(f"{root}/robots.txt", callback=self.parse_robots, errback=self.fetch_failed, priority=PAGE_PRIORITY)

    # --- callbacks --------------------------------------------------------------------------------

    def parse_robots(self, response: Response) -> Iterator[Request]:
        """Follow the sitemaps robots.txt names, or /sitemap.xml when it names none."""
        sitemaps = []
        if response.status == 200:
            for line in response.text.splitlines():
                name, _, value = line.partition(":")
                if name.strip().lower() == "sitemap" and value.strip():
                    sitemaps.append(response.urljoin(value.strip()))
        if not sitemaps:
            sitemaps = [response.urljoin("/sitemap.xml")]
        for url in sitemaps:
            if host_of(url) in self.hosts:
                yield Request(url, callback=self.parse_sitemap, errback=self.fetch_failed, priority=SITEMAP_PRIORITY)

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        if response.status != 200:
            return
        try:
            sitemap = Sitemap(response.body)
        except Exception as error:  # lxml raises several types on a broken or non-XML document
            self._count_error(response, f"unreadable sitemap: {error}")
            return
        for entry in sitemap:
            url = entry.get("loc", "")
            if sitemap.type == "sitemapindex":
                if host_of(url) in self.hosts:
                    yield Request(url, callback=self.parse_sitemap, errback=self.fetch_failed, priority=SITEMAP_PRIORITY)
            else:
                yield from self._follow([url], response, chained=False)

    def parse_page(self, response: Response) -> Iterator[Request]:
        """A listing, the home page or any other HTML page: follow its links."""
        if not self._usable_html(response):
            return
        self.crawler.stats.inc_value("hdnd/listing_pages")
        self.crawler.stats.max_value("hdnd/listing_depth", response.meta.get("hdnd_chain", 1))
        yield from self._follow(response.xpath("//a/@href").getall(), response)

    def parse_article(self, response: Response) -> Iterator[ArticleItem | Request]:
        if response.status == 304:
            self.crawler.stats.inc_value("hdnd/articles/unchanged")
            self.crawler.stats.inc_value("hdnd/not_modified")
            return
        content_type = response.headers.get(b"Content-Type")
        if not is_extractable(response.status, content_type.decode("latin-1") if content_type else None):
            if response.status >= 400:
                self._count_error(response, "article")
            return
        capture = response.meta.get(CAPTURE_META_KEY, {})
        try:
            item = article_from_page(
                response.body,
                response.url,
                content_type=content_type.decode("latin-1") if content_type else None,
                capture=capture,
                fetched_at=capture.get("fetched_at") or datetime.now(timezone.utc),
                rules=self.rules,
                hints=self.hints.get(host_of(response.url)),
            )
        except Exception:  # one unreadable page must not stop the crawl; its capture is archived already
            logger.exception("Extraction failed on %s", response.url)
            self.crawler.stats.inc_value("hdnd/articles/failed")
            item = None
        if item is not None:
            yield item
        if item is not None and self.fetch_assets:
            assets = [i["src"] for i in item.images] + [a["url"] for a in item.attachments]
            assets += response.xpath("//link[contains(@rel, 'stylesheet')]/@href").getall()
            for url in assets:
                url = urldefrag(response.urljoin(url))[0]
                if host_of(url) in self.hosts:
                    yield Request(url, callback=self.parse_asset, errback=self.fetch_failed, priority=ASSET_PRIORITY)
        yield from self._follow(response.xpath("//a/@href").getall(), response)

    def parse_asset(self, response: Response) -> None:
        """Assets need no parsing: the WARC middleware has archived them."""
        if response.status >= 400:
            self._count_error(response, "asset")

    # --- errors ---------------------------------------------------------------------------------

    def start_failed(self, failure: Failure) -> None:
        self.fetch_failed(failure)
        if not failure.check(IgnoreRequest):
            self.crawler.stats.set_value("hdnd/start_error", f"{failure.request.url}: {failure.getErrorMessage()}")

    def fetch_failed(self, failure: Failure) -> None:
        if failure.check(IgnoreRequest):
            return
        self.crawler.stats.inc_value(f"hdnd/errors/{failure.type.__name__}")
        logger.warning("Could not fetch %s: %s", failure.request.url, failure.getErrorMessage())

    def _count_error(self, response: Response, what: str) -> None:
        self.crawler.stats.inc_value(f"hdnd/errors/{response.status}")
        logger.warning("%s answered %s (%s)", response.url, response.status, what)

    def _usable_html(self, response: Response) -> bool:
        if response.status >= 400:
            self._count_error(response, "page")
            return False
        content_type = (response.headers.get(b"Content-Type") or b"text/html").lower()
        return b"html" in content_type

    # --- link following -------------------------------------------------------------------------

    def _follow(
        self, hrefs: Iterable[str], response: Response, chained: bool = True
    ) -> Iterator[Request]:
        """Requests for the in-scope article and page links among ``hrefs``.

        Pages under the same path as ``response`` inherit its count of barren pages (pages that
        led to no new article); a chain that stays barren too long is a trap and is cut. Links
        from a sitemap (``chained=False``) start no chain.
        """
        pages: list[str] = []
        new_articles = 0
        resolve = LinkResolver(get_base_url(response))
        for href in hrefs:
            href = href.strip()
            if not href or href.startswith(SKIPPED_SCHEMES):
                continue
            url = resolve(href)
            if host_of(url) not in self.hosts:
                self.crawler.stats.inc_value("hdnd/offsite_links")
                continue
            if self.rules.is_article(url):
                request = self._article_request(url)
                if request is not None:
                    new_articles += not request.meta["hdnd_known"]
                    yield request
            elif not is_asset(url):
                pages.append(url)
        if not chained:
            barren_chain = 0
        else:
            barren_chain = 0 if new_articles else response.meta.get("hdnd_barren", 0) + 1
        own_path = urlsplit(response.url).path
        chain = response.meta.get("hdnd_chain", 1)
        for url in pages:
            same_path = urlsplit(url).path == own_path
            request = self._page_request(url, barren_chain if same_path else 0, chain + 1 if same_path else 1)
            if request is not None:
                yield request

    def _article_request(self, url: str) -> Request | None:
        """A request for an article not yet requested in this crawl; in an incremental crawl, None for an
        archived article older than the re-check window, and a conditional request for a younger one."""
        key = (host_of(url), self.rules.source_id(url) or self.rules.canonical_url(url))
        if key in self.articles_seen:
            return None
        self.articles_seen.add(key)
        self.crawler.stats.inc_value("hdnd/articles_discovered")
        known = key in self.known
        if known:
            published_at = self.known[key]
            if published_at is None or published_at < self.recheck_after:
                self.crawler.stats.inc_value("hdnd/articles/skipped_known")
                return None
        return Request(
            url, callback=self.parse_article, errback=self.fetch_failed, priority=ARTICLE_PRIORITY,
            meta={CONDITIONAL_META_KEY: known, "hdnd_known": known},
        )

    def _page_request(self, url: str, barren_chain: int, chain: int) -> Request | None:
        if url in self.pages_seen:
            return None
        if barren_chain >= self.barren_limit:
            self.crawler.stats.inc_value("hdnd/trap_pruned")
            return None
        parts = urlsplit(url)
        if parts.query:
            key = (parts.netloc, parts.path)
            if self.variants[key] >= self.max_variants:
                self.crawler.stats.inc_value("hdnd/trap_pruned")
                return None
            self.variants[key] += 1
        self.pages_seen.add(url)
        return Request(
            url, callback=self.parse_page, errback=self.fetch_failed, priority=PAGE_PRIORITY,
            meta={"hdnd_barren": barren_chain, "hdnd_chain": chain},
        )


class LinkResolver:
    """Absolute URLs, without fragment, of the links of one page.

    A council page carries a couple of hundred links, mostly root-relative menu links: those are
    joined by concatenation, the rest by ``urljoin``.
    """

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.base_url = base_url
        self.root = f"{parts.scheme}://{parts.netloc}"

    def __call__(self, href: str) -> str:
        if href.startswith("/") and not href.startswith("//") and "\\" not in href and "/." not in href:
            url = self.root + href
        else:
            url = urljoin(self.base_url, href)
        return urldefrag(url)[0] if "#" in url else url


def load_known_articles(db_url: str, hosts: Iterable[str]) -> dict[tuple[str, str], datetime | None]:
    """The articles of these hosts already in the archive, for an incremental crawl to skip."""
    engine = open_database(db_url)
    try:
        with Session(engine) as session:
            return known_articles(session, hosts)
    finally:
        engine.dispose()


def load_site_hints(path: str) -> dict[str, SiteHints]:
    """Per-host extraction hints from a JSON file ``{"host": {"title": "css", ...}}``; empty when no file."""
    if not path:
        return {}
    try:
        mapping = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ValueError(f"cannot read site hints {path}: {error}") from error
    return {host.lower(): SiteHints.from_mapping(hints) for host, hints in mapping.items()}
