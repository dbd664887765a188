"""The framework's ceiling: a Scrapy spider that follows the links hdnd follows and does nothing else.

It fetches every in-host page linked from a page and, on article pages, the images and stylesheets
too (hdnd's assets), obeying robots.txt; it extracts, stores and archives nothing. Run it outside
any Scrapy project so that only its own settings apply::

    scrapy runspider bench/bare_spider.py -a start_url=http://127.0.0.1:8000/ -a stats_file=stats.json
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urldefrag, urlsplit

from scrapy import Request, Spider
from scrapy.http import Response, TextResponse

from crawler.urls import ArticleUrlRules

ARTICLES = ArticleUrlRules()


class BareSpider(Spider):
    name = "bare"
    custom_settings = {
        "ROBOTSTXT_OBEY": True,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
    }

    def __init__(self, start_url: str, stats_file: str, deny: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_url = start_url
        self.host = urlsplit(start_url).netloc
        self.stats_file = stats_file
        # Paths of crawler traps to leave alone: this spider, unlike hdnd, cannot tell one.
        self.deny = re.compile(deny) if deny else None
        # Links seen already: a page links to a hundred others, mostly known, and a Request built for
        # each would cost more than the rest of the spider (hdnd skips known links the same way).
        self.seen: set[str] = set()
        self.articles = 0

    async def start(self) -> AsyncIterator[Request]:
        self.seen.add(self.start_url)
        yield Request(self.start_url)

    def parse(self, response: Response) -> Iterator[Request]:
        if not isinstance(response, TextResponse) or b"html" not in (response.headers.get(b"Content-Type") or b""):
            return
        hrefs = response.xpath("//a/@href").getall()
        if ARTICLES.is_article(response.url):
            self.articles += 1
            hrefs += response.xpath("//img/@src | //link[contains(@rel, 'stylesheet')]/@href").getall()
        for href in hrefs:
            url = urldefrag(response.urljoin(href.strip()))[0]
            if url in self.seen:
                continue
            self.seen.add(url)
            if urlsplit(url).netloc == self.host and not (self.deny and self.deny.search(url)):
                yield Request(url)

    def closed(self, reason: str) -> None:
        stats = self.crawler.stats
        with open(self.stats_file, "w", encoding="utf-8") as output:
            json.dump({
                "responses": stats.get_value("downloader/response_count", 0),
                "articles": self.articles,
                "finish_reason": reason,
            }, output)
