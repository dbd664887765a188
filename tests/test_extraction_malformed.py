"""Bad input never raises: empty, binary, truncated, deeply nested or declared wrongly, and bad site hints."""

from __future__ import annotations

import os

import pytest

from crawler.extraction import ExtractedArticle, SiteHints, extract_article

URL = "http://hdnd.example.gov.vn/Home/DetailController?id=7"
ARTICLE = (
    "<html><head><title>DetailController</title></head><body><div class='menu'><a href='/'>Trang chủ</a></div>"
    "<h1>Kỳ họp thứ 7 HĐND tỉnh khóa XVI</h1><div class='date'>21/12/2022 08:30</div><div class='content'>"
    + "<p>Sáng 21/12, HĐND tỉnh khóa XVI khai mạc kỳ họp thứ 7, xem xét, thông qua nhiều nghị quyết quan trọng.</p>" * 4
    + "</div><div class='footer'>Bản quyền 2022</div></body></html>"
)


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"   \n\t ",
        b"\x00\x01\x02\xff\xfe\x00garbage\x00",
        os.urandom(4096),
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj",
        b"<html",
        b"<!-- only a comment -->",
        b"<?xml version='1.0' encoding='utf-8'?><rss><channel><title>x</title></channel></rss>",
        b"just some text without any markup",
        ARTICLE.encode("utf-8")[: len(ARTICLE.encode("utf-8")) // 2],
        ARTICLE.encode("utf-8")[:-1000] + b"\xe1\xbb",  # cut inside a character
        b"<div>" * 5000 + "<p>Văn bản lồng rất sâu.</p>".encode() + b"</div>" * 5000,
        b"<table>" + b"<tr><td>" * 3000 + b"x",
        ARTICLE.encode("utf-16-le"),  # no BOM, no declaration
        ARTICLE.replace("<html>", "<html><meta charset='no-such-charset'>").encode("windows-1258", "replace"),
    ],
)
def test_never_raises(raw: bytes) -> None:
    article = extract_article(raw, URL, content_type="text/html; charset=utf-8")
    assert isinstance(article, ExtractedArticle)
    assert isinstance(article.body, str)
    assert article.encoding


def test_empty_input_gives_an_empty_record() -> None:
    article = extract_article(b"", URL)
    assert (article.title, article.body, article.published_at, article.images) == (None, "", None, [])
    assert article.paragraphs == [] and article.captions == []


def test_truncated_page_keeps_what_arrived() -> None:
    raw = ARTICLE.encode("utf-8")
    cut = raw[: raw.index(b"</div><div class='footer'>") - 40]  # inside the last paragraph
    article = extract_article(cut, URL)
    assert article.title == "Kỳ họp thứ 7 HĐND tỉnh khóa XVI"
    assert article.published_at.isoformat() == "2022-12-21T08:30:00+07:00"
    assert len(article.paragraphs) == 4
    assert article.paragraphs[-1].startswith("Sáng 21/12")


def test_wrong_content_type_charset() -> None:
    article = extract_article(ARTICLE.encode("utf-8"), URL, content_type="text/html; charset=iso-8859-1")
    assert article.title == "Kỳ họp thứ 7 HĐND tỉnh khóa XVI"


def test_site_hints_from_mapping() -> None:
    hints = SiteHints.from_mapping({"title": "h1.tieu-de", "date": "", "body": None})
    assert hints == SiteHints(title="h1.tieu-de")


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"titel": "h1"}, "unknown site hint"),
        ({"title": "h1[["}, "not a valid CSS selector"),
        ({"date": 12}, "must be a CSS selector string"),
        (["h1"], "must be a mapping"),
    ],
)
def test_bad_site_hints_say_what_is_wrong(mapping: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SiteHints.from_mapping(mapping)


def test_hints_that_match_nothing_fall_back_to_the_defaults() -> None:
    hints = SiteHints(title=".nothing", date=".nothing", body=".nothing", caption=".nothing", breadcrumb=".nothing")
    article = extract_article(ARTICLE.encode("utf-8"), URL, hints=hints)
    assert article.title == "Kỳ họp thứ 7 HĐND tỉnh khóa XVI"
    assert len(article.paragraphs) == 4
