"""Undo an HTTP Content-Encoding (gzip, deflate, br) as a browser would: a body cut short decodes as far as it goes."""

from __future__ import annotations

import zlib

try:
    import brotli
except ImportError:  # br is optional, as in Scrapy
    brotli = None


class ContentDecodingError(ValueError):
    """The body cannot be decoded with the Content-Encoding its headers declare."""


def decode_content(body: bytes, content_encoding: str | None) -> bytes:
    """Decode ``body`` of every coding listed in ``content_encoding``, last applied first."""
    codings = [coding.strip().lower() for coding in (content_encoding or "").split(",")]
    for coding in reversed([coding for coding in codings if coding]):
        body = _decode(body, coding)
    return body


def _decode(body: bytes, coding: str) -> bytes:
    if coding == "identity":
        return body
    if coding in ("gzip", "x-gzip"):
        return _inflate(body, zlib.MAX_WBITS | 32, coding)  # | 32: accept a gzip or a zlib header
    if coding == "deflate":
        # Servers send deflate both with the zlib wrapper the RFC asks for and without it.
        try:
            return _inflate(body, zlib.MAX_WBITS, coding)
        except ContentDecodingError:
            return _inflate(body, -zlib.MAX_WBITS, coding)
    if coding == "br":
        return _unbrotli(body)
    raise ContentDecodingError(f"unsupported Content-Encoding {coding!r}")


def _inflate(body: bytes, wbits: int, coding: str) -> bytes:
    output: list[bytes] = []
    remaining = body
    while remaining:
        decompressor = zlib.decompressobj(wbits)
        try:
            output.append(decompressor.decompress(remaining))
        except zlib.error as error:
            if not output:
                raise ContentDecodingError(f"body is not valid {coding} data: {error}") from None
            break  # trailing garbage after complete data
        if not decompressor.eof:
            output.append(decompressor.flush())
            break  # stream cut short
        remaining = decompressor.unused_data
    return b"".join(output)


def _unbrotli(body: bytes) -> bytes:
    if brotli is None:
        raise ContentDecodingError("Content-Encoding br needs the brotli package (pip install brotli)")
    try:
        return brotli.decompress(body)
    except brotli.error as error:
        raise ContentDecodingError(f"body is not valid br data: {error}") from None
