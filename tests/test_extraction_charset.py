"""Decoding pages: BOMs, UTF-8 first, declared charsets, windows-1258 and decomposed Unicode."""

from __future__ import annotations

import codecs
import unicodedata

import pytest
from extraction_samples import to_windows_1258

from crawler.extraction import decode_html, extract_article

TEXT = "Hội đồng nhân dân tỉnh Hòa Bình: Kỳ họp thứ 7, khóa XVI – “Dân vận khéo”"


def page(title: str, head: str = "") -> str:
    paragraph = "Sáng 20/12, Thường trực HĐND tỉnh tổ chức phiên họp thường kỳ tháng 12, cho ý kiến về nhiều nội dung."
    return (f"<html><head>{head}<title>DetailController</title></head>"
            f"<body><h1>{title}</h1><p>{paragraph}</p><p>{paragraph}</p></body></html>")


def test_utf8() -> None:
    text, encoding = decode_html(page(TEXT).encode("utf-8"), "text/html; charset=utf-8")
    assert (TEXT in text, encoding) == (True, "utf-8")


def test_utf8_declared_as_latin1_is_read_as_utf8() -> None:
    raw = page(TEXT, '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">').encode("utf-8")
    for content_type in ("text/html; charset=ISO-8859-1", None):
        text, encoding = decode_html(raw, content_type)
        assert TEXT in text
        assert encoding == "utf-8"


def test_windows_1258_keeps_tone_marks_combining_and_is_normalised() -> None:
    raw = to_windows_1258(page(TEXT, '<meta charset="windows-1258">'))
    assert raw.decode("windows-1258") != unicodedata.normalize("NFC", raw.decode("windows-1258"))  # really NFD-ish
    for content_type in ("text/html; charset=windows-1258", "text/html"):
        text, encoding = decode_html(raw, content_type)
        assert TEXT in text
        assert encoding == "windows-1258"
        assert unicodedata.is_normalized("NFC", text)


def test_header_charset_without_meta() -> None:
    raw = to_windows_1258(page(TEXT))
    text, encoding = decode_html(raw, 'text/html; charset="Windows-1258"')
    assert (TEXT in text, encoding) == (True, "windows-1258")


def test_undeclared_legacy_bytes_are_detected_without_raising() -> None:
    raw = to_windows_1258(page(TEXT))
    text, encoding = decode_html(raw, None)
    assert isinstance(text, str) and encoding


@pytest.mark.parametrize(
    ("bom", "codec"),
    [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
)
def test_bom_wins(bom: bytes, codec: str) -> None:
    raw = bom + page(TEXT, '<meta charset="windows-1252">').encode(codec)
    text, encoding = decode_html(raw, "text/html; charset=iso-8859-1")
    assert (TEXT in text, encoding, text.startswith("\ufeff")) == (True, codec, False)


def test_nfd_utf8_becomes_nfc() -> None:
    raw = page(unicodedata.normalize("NFD", TEXT)).encode("utf-8")
    text, _ = decode_html(raw, None)
    assert TEXT in text


def test_mostly_utf8_with_a_stray_byte_stays_utf8() -> None:
    raw = page(TEXT).encode("utf-8").replace(b"<h1>", b"<h1>\xa9 ")
    text, encoding = decode_html(raw, "text/html; charset=utf-8")
    assert (TEXT in text, encoding) == (True, "utf-8")


def test_extracted_article_reports_the_encoding_and_nfc_text() -> None:
    raw = to_windows_1258(page(TEXT, '<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">'))
    article = extract_article(raw, "http://hdnd.example.gov.vn/Home/DetailController?id=1")
    assert article.encoding == "windows-1258"
    assert article.title == TEXT


def test_unknown_declared_charset_falls_through() -> None:
    raw = to_windows_1258(page(TEXT))
    text, encoding = decode_html(raw, "text/html; charset=x-no-such-charset")
    assert isinstance(text, str) and encoding
