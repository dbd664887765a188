"""Write every fetch to WARC at the download edge and hand its provenance to the response."""

from __future__ import annotations

import logging
import socket
from datetime import datetime, timezone
from http.client import responses as reason_phrases
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from archive.dedup import DedupIndex, PriorCapture
from archive.records import HttpExchange, RecordLocation
from archive.writer import ClosedWarc, WarcWriter, payload_digest_of
from crawler import __version__
from crawler import signals as hdnd_signals

logger = logging.getLogger(__name__)

# request.meta key under which the response's capture (a dict) is handed to the spider.
CAPTURE_META_KEY = "hdnd_capture"
# request.meta key by which the spider allows a conditional request (If-None-Match, If-Modified-Since).
CONDITIONAL_META_KEY = "hdnd_conditional"


def _header_pairs(headers: Any) -> list[tuple[str, str]]:
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()
        for value in values
    ]


class WarcCaptureMiddleware:
    """Records each request/response pair as the server sent it, before decompression or redirects.

    An unchanged re-fetch (same URL, same payload digest as its last full capture) becomes a revisit
    record; requests the spider marks conditional carry the validators of that last capture.

    It must sit closest to the downloader (highest order number) so that it sees raw bodies,
    redirects and error responses before other middlewares transform or swallow them.
    """

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.directory = settings.get("HDND_WARC_DIR")
        self.prefix = settings.get("HDND_WARC_PREFIX")
        self.max_size = settings.getint("HDND_WARC_MAX_SIZE")
        self.gzip_level = settings.getint("HDND_WARC_GZIP_LEVEL")
        self.warcinfo = {
            "software": f"hdnd-archive/{__version__} (Scrapy, warcio)",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "hostname": socket.gethostname(),
            "operator": settings.get("HDND_OPERATOR") or settings.get("HDND_CONTACT_URL"),
            "http-header-user-agent": settings.get("USER_AGENT"),
            "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "isPartOf": settings.get("HDND_JOB"),
            # What made a page an article in this crawl, so that a rebuild from the WARC alone agrees.
            "article-url-pattern": settings.get("HDND_ARTICLE_URL_PATTERN"),
            "source-id-pattern": settings.get("HDND_SOURCE_ID_PATTERN"),
        }
        self.writer: WarcWriter | None = None
        self.dedup: DedupIndex | None = None
        crawler.signals.connect(self.run_started, signal=hdnd_signals.run_started)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCaptureMiddleware:
        return cls(crawler)

    def run_started(self, run_id: int, job: str) -> None:
        self.warcinfo["isPartOf"] = job
        self.warcinfo["description"] = f"hdnd crawl run {run_id} of job {job}"

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None
        if self.dedup is not None:
            self.dedup.close()
            self.dedup = None

    def process_request(self, request: Request) -> None:
        """Ask only for what changed when the spider allows it and the server gave validators."""
        if not request.meta.get(CONDITIONAL_META_KEY):
            return
        prior = self._dedup().lookup(request.url)
        if prior is not None and prior.etag:
            request.headers.setdefault("If-None-Match", prior.etag)
        if prior is not None and prior.last_modified:
            request.headers.setdefault("If-Modified-Since", prior.last_modified)

    def process_response(self, request: Request, response: Response) -> Response:
        exchange = HttpExchange(
            url=response.url,
            method=request.method,
            request_headers=[("Host", urlsplit(request.url).netloc), *_header_pairs(request.headers)],
            request_body=request.body,
            status=response.status,
            reason=reason_phrases.get(response.status, ""),
            protocol=response.protocol or "HTTP/1.1",
            response_headers=_header_pairs(response.headers),
            body=response.body,
            ip_address=str(response.ip_address) if response.ip_address else None,
            fetched_at=datetime.now(timezone.utc),
        )
        request_location, response_location, prior = self._write(exchange)
        capture = self._capture(exchange, request_location, response_location, response)
        capture["refers_to_record_id"] = prior.record_id if prior is not None else None
        request.meta[CAPTURE_META_KEY] = capture
        self.crawler.stats.inc_value("hdnd/warc_records", 2)
        self.crawler.signals.send_catch_log(hdnd_signals.capture_written, capture=capture)
        return response

    def _write(self, exchange: HttpExchange) -> tuple[RecordLocation, RecordLocation, PriorCapture | None]:
        """A revisit record when the URL's last full capture had this payload, else a response record."""
        writer, dedup = self._writer(), self._dedup()
        if exchange.status != 200:
            return (*writer.write_exchange(exchange), None)
        digest = payload_digest_of(exchange.body)
        prior = dedup.lookup(exchange.url)
        if prior is not None and prior.payload_digest == digest:
            request_location, revisit_location = writer.write_revisit(
                exchange, refers_to_uri=prior.url, refers_to_date=prior.date, payload_digest=digest,
                refers_to_record_id=prior.record_id,
            )
            self.crawler.stats.inc_value("hdnd/revisits")
            return request_location, revisit_location, prior
        request_location, response_location = writer.write_exchange(exchange)
        headers = dict((name.lower(), value) for name, value in exchange.response_headers)
        dedup.record(PriorCapture(
            url=exchange.url, payload_digest=digest, record_id=response_location.record_id,
            date=response_location.date, etag=headers.get("etag"), last_modified=headers.get("last-modified"),
        ))
        return request_location, response_location, None

    def _dedup(self) -> DedupIndex:
        if self.dedup is None:
            self.dedup = DedupIndex(self.directory)
        return self.dedup

    def _writer(self) -> WarcWriter:
        if self.writer is None:
            self.writer = WarcWriter(
                self.directory,
                prefix=self.prefix,
                max_size=self.max_size,
                gzip_level=self.gzip_level,
                warcinfo=self.warcinfo,
                on_close=self._closed,
            )
        return self.writer

    def _closed(self, closed: ClosedWarc) -> None:
        self.crawler.stats.inc_value("hdnd/warc_files")
        self.crawler.stats.inc_value("hdnd/warc_bytes", closed.size)
        logger.info("Closed WARC file %s (%d bytes, %d records)", closed.name, closed.size, closed.records)
        self.crawler.signals.send_catch_log(hdnd_signals.warc_file_closed, closed=closed)

    @staticmethod
    def _capture(
        exchange: HttpExchange,
        request_location: RecordLocation,
        response_location: RecordLocation,
        response: Response,
    ) -> dict[str, Any]:
        content_type = response.headers.get(b"Content-Type")
        return {
            "url": exchange.url,
            "method": exchange.method,
            "status": exchange.status,
            "fetched_at": exchange.fetched_at,
            "content_type": content_type.decode("latin-1") if content_type else None,
            "payload_digest": response_location.payload_digest,
            "warc_type": response_location.warc_type,
            "warc_file": response_location.warc_file,
            "warc_offset": response_location.offset,
            "warc_length": response_location.length,
            "warc_record_id": response_location.record_id,
            "request_record_id": request_location.record_id,
            "ip_address": exchange.ip_address,
            "content_length": len(exchange.body),
        }
