"""Build standard WARC/1.1 records with warcio and encode each one as a single gzip member."""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from datetime import datetime, timezone
from importlib.metadata import version
from io import BytesIO
from urllib.parse import urlsplit

from warcio.recordbuilder import RecordBuilder
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from archive.records import HttpExchange

WARC_VERSION = "WARC/1.1"

DEFAULT_WARCINFO: Mapping[str, str] = {
    "software": f"hdnd-archive (warcio/{version('warcio')})",
    "format": "WARC File Format 1.1",
    "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
}

_builder = RecordBuilder(warc_version=WARC_VERSION)


class WireHeaders(StatusAndHeaders):
    """HTTP headers serialized back to the bytes that were on the wire.

    Header strings hold the wire bytes decoded as latin-1, so encoding them as latin-1 restores
    those bytes exactly (warcio would percent-encode a UTF-8 file name in Content-Disposition).
    Strings that are not latin-1 were real text and are sent as UTF-8, as a client would.
    """

    def compute_headers_buffer(self, header_filter=None) -> None:
        text = self.to_str(header_filter)
        try:
            self.headers_buff = text.encode("latin-1") + b"\r\n"
        except UnicodeEncodeError:
            self.headers_buff = text.encode("utf-8") + b"\r\n"


def warc_date(moment: datetime) -> str:
    """WARC-Date text of a tz-aware datetime: UTC, microseconds kept (WARC/1.1 allows them)."""
    utc = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return datetime_to_iso_date(utc, use_micros=True)


def new_record_id() -> str:
    return StatusAndHeadersParser.make_warc_id()


def build_warcinfo(filename: str, fields: Mapping[str, str]) -> ArcWarcRecord:
    """The warcinfo record that opens a file: warcio's defaults completed by the caller's fields."""
    return _builder.create_warcinfo_record(filename, {**DEFAULT_WARCINFO, **fields})


def build_response(exchange: HttpExchange, record_id: str) -> ArcWarcRecord:
    return _builder.create_warc_record(
        exchange.url,
        "response",
        payload=BytesIO(exchange.body),
        length=len(exchange.body),
        warc_headers_dict=_warc_headers("response", record_id, exchange),
        http_headers=_response_headers(exchange),
    )


def build_request(exchange: HttpExchange, concurrent_to: str) -> ArcWarcRecord:
    """The request record, linked by WARC-Concurrent-To to the record of its response (or revisit)."""
    target = urlsplit(exchange.url)
    request_target = (target.path or "/") + (f"?{target.query}" if target.query else "")
    headers = _warc_headers("request", new_record_id(), exchange)
    headers["WARC-Concurrent-To"] = concurrent_to
    return _builder.create_warc_record(
        exchange.url,
        "request",
        payload=BytesIO(exchange.request_body),
        length=len(exchange.request_body),
        warc_headers_dict=headers,
        http_headers=WireHeaders(
            f"{request_target} {exchange.protocol}", exchange.request_headers, protocol=exchange.method
        ),
    )


def build_revisit(
    exchange: HttpExchange,
    record_id: str,
    *,
    refers_to_uri: str,
    refers_to_date: datetime,
    payload_digest: str,
    refers_to_record_id: str | None,
) -> ArcWarcRecord:
    """A revisit record (identical-payload-digest profile) whose block is the new response's HTTP headers."""
    headers = _warc_headers("revisit", record_id, exchange)
    if refers_to_record_id:
        headers["WARC-Refers-To"] = refers_to_record_id
    return _builder.create_revisit_record(
        exchange.url,
        payload_digest,
        refers_to_uri,
        warc_date(refers_to_date),
        http_headers=_response_headers(exchange),
        warc_headers_dict=headers,
    )


def encode_member(record: ArcWarcRecord, gzip_level: int) -> bytes:
    """Serialize the record with warcio (computing its digests) and compress it as one gzip member."""
    buffer = BytesIO()
    WARCWriter(buffer, gzip=False, warc_version=WARC_VERSION).write_record(record)
    compressor = zlib.compressobj(gzip_level, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    return compressor.compress(buffer.getbuffer()) + compressor.flush()


def _warc_headers(warc_type: str, record_id: str, exchange: HttpExchange) -> dict[str, str]:
    headers = {
        "WARC-Type": warc_type,
        "WARC-Record-ID": record_id,
        "WARC-Target-URI": exchange.url,
        "WARC-Date": warc_date(exchange.fetched_at),
    }
    if exchange.ip_address:
        headers["WARC-IP-Address"] = exchange.ip_address
    return headers


def _response_headers(exchange: HttpExchange) -> WireHeaders:
    status_line = f"{exchange.status} {exchange.reason}".rstrip()
    return WireHeaders(status_line, _without_chunked(exchange.response_headers), protocol=exchange.protocol)


def _without_chunked(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Drop the 'chunked' transfer coding from the response headers.

    The body we are handed was already de-chunked by the HTTP client; a header still saying
    'chunked' would make replay tools (warcio, pywb) try to de-chunk it a second time.
    """
    kept = []
    for name, value in headers:
        if name.lower() == "transfer-encoding":
            codings = [coding.strip() for coding in value.split(",")]
            value = ", ".join(coding for coding in codings if coding and coding.lower() != "chunked")
            if not value:
                continue
        kept.append((name, value))
    return kept
