"""Decode the raw bytes of an HTML page: BOM, then UTF-8, then the declared charset, then detection."""

from __future__ import annotations

import codecs
import re
import unicodedata

from bs4.dammit import UnicodeDammit

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_META_SCAN_BYTES = 32768
# Browsers read these labels as windows-1252 (WHATWG Encoding Standard); Python's latin-1 would differ.
_WINDOWS_1252_LABELS = {"latin1", "latin-1", "iso-8859-1", "iso8859-1", "iso_8859-1", "l1", "ascii", "us-ascii"}
# A page that is UTF-8 apart from a few broken bytes is still read as UTF-8 (with replacement characters).
_MOSTLY_UTF8_MAX_BAD_SHARE = 0.05
_FALLBACK_ENCODING = "windows-1258"


def decode_html(raw: bytes, content_type: str | None) -> tuple[str, str]:
    """The page as NFC text and the name of the charset it was decoded with; never raises."""
    text, encoding, _ = decode_page(raw, content_type)
    return text, encoding


def decode_page(raw: bytes, content_type: str | None) -> tuple[str, str, bool]:
    """Like ``decode_html``, also telling whether the text is the bytes as they are: UTF-8 without a BOM, a broken
    byte or a character to normalise (the parser can then take the bytes rather than the text encoded again)."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return _nfc(raw[len(bom):].decode(encoding, errors="replace")), encoding, False
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if unicodedata.is_normalized("NFC", text):
            return text, "utf-8", True
        return unicodedata.normalize("NFC", text), "utf-8", False
    text, encoding = _decode_other(raw, content_type)
    return text, encoding, False


def _decode_other(raw: bytes, content_type: str | None) -> tuple[str, str]:
    """A page that is not all UTF-8."""
    if _is_mostly_utf8(raw):
        return _nfc(raw.decode("utf-8", errors="replace")), "utf-8"
    for label in (_header_charset(content_type), _meta_charset(raw)):
        codec = _codec_name(label)
        if codec == "utf-8":  # declared UTF-8 with a few broken bytes: what a browser shows
            return _nfc(raw.decode("utf-8", errors="replace")), "utf-8"
        if codec is None:
            continue
        try:
            return _nfc(raw.decode(codec)), _display_name(codec)
        except UnicodeDecodeError:
            continue
    dammit = UnicodeDammit(raw, is_html=True)
    if dammit.unicode_markup is not None and dammit.original_encoding:
        return _nfc(dammit.unicode_markup), _display_name(_codec_name(dammit.original_encoding) or "utf-8")
    return _nfc(raw.decode(_FALLBACK_ENCODING, errors="replace")), _FALLBACK_ENCODING


def _nfc(text: str) -> str:
    # windows-1258 and some editors leave tone marks as combining characters
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _is_mostly_utf8(raw: bytes) -> bool:
    text = raw.decode("utf-8", errors="replace")
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    return non_ascii > 0 and text.count("\ufffd") <= non_ascii * _MOSTLY_UTF8_MAX_BAD_SHARE


def _header_charset(content_type: str | None) -> str | None:
    match = _HEADER_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def _meta_charset(raw: bytes) -> str | None:
    match = _META_CHARSET.search(raw[:_META_SCAN_BYTES])
    return match.group(1).decode("ascii", errors="ignore") if match else None


def _codec_name(label: str | None) -> str | None:
    """Python's codec for a charset label, or None for a label it does not know."""
    if not label:
        return None
    label = label.strip().lower()
    if label in _WINDOWS_1252_LABELS:
        label = "windows-1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _display_name(codec: str) -> str:
    """``cp1258`` -> ``windows-1258``; other codec names as Python spells them."""
    return f"windows-{codec[2:]}" if codec.startswith("cp125") else codec
