"""The page layout walk and its shortcuts: bulk text normalisation, the element index, decoding without a copy."""

from __future__ import annotations

import gc
import random
import unicodedata

import pytest

from crawler.extraction import extract_article, normalize_text
from crawler.extraction.blocks import lay_out
from crawler.extraction.charset import decode_page
from crawler.extraction.document import parse_document
from crawler.extraction.text import normalize_texts

URL = "http://hdnd.example.gov.vn/tin-tuc/DetailController/812"
PARAGRAPH = (
    "Sáng 20/12, Đoàn giám sát của Thường trực HĐND tỉnh đã có buổi làm việc với Ban Dân tộc tỉnh về việc "
    "thực hiện chính sách hỗ trợ đồng bào dân tộc thiểu số trên địa bàn."
)
# Whitespace of every kind, invisible characters, combining marks and characters NFC changes.
TRICKY = list(" \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u2000\u2001\u2028\u3000\u200b\u200c\u200d\u2060\ufeff\u00ad") + [
    "\u0301", "\u0323", "\u0302", "a", "e", "Đ", ".", "ạ", "e\u0302", "\u212b", "\u1100\u1161", "\U0001f600",
]


def _layout(body: str):
    document = parse_document(f"<html><head><title>x</title></head><body>{body}</body></html>".encode(), URL, None)
    return lay_out(document.root)


def test_normalize_texts_is_normalize_text_of_each() -> None:
    rng = random.Random(7)
    for _ in range(3000):
        texts = ["".join(rng.choice(TRICKY) for _ in range(rng.randint(0, 10))) for _ in range(rng.randint(1, 5))]
        assert normalize_texts(texts) == [normalize_text(text) for text in texts], texts
    assert normalize_texts([]) == []


def test_blocks_have_normalised_text() -> None:
    layout = _layout("<p>  Kỳ họp\n\tthứ 7 </p><p>Ho\u0300a Bi\u0300nh&nbsp;&nbsp;tỉnh</p><div><b>HĐND</b> <i>tỉnh</i></div>")
    assert [block.text for block in layout.blocks] == ["Kỳ họp thứ 7", "Hòa Bình tỉnh", "HĐND tỉnh"]
    assert all(unicodedata.is_normalized("NFC", block.text) for block in layout.blocks)


def test_runs_of_invisible_characters_are_no_blocks() -> None:
    layout = _layout(f"<p>{PARAGRAPH}</p><p>\u200b</p><p><span>&#8203;</span>&shy;</p><p>{PARAGRAPH}</p>")
    assert [block.text for block in layout.blocks] == [PARAGRAPH, PARAGRAPH]
    assert [block.index for block in layout.blocks] == [0, 1]
    article = extract_article(
        f"<html><body><h1>Giám sát chính sách dân tộc</h1><p>{PARAGRAPH}</p><p>\u200b</p><p>{PARAGRAPH}</p>"
        "</body></html>".encode(),
        URL,
    )
    assert article.paragraphs == [PARAGRAPH, PARAGRAPH]


def test_marked_elements_include_hidden_and_skipped_ones_in_document_order() -> None:
    layout = _layout(
        '<h1 class="sr-only">Cổng thông tin</h1><noscript><h2>Bật JavaScript</h2></noscript>'
        '<div hidden><span itemprop="headline">Tiêu đề ẩn</span></div><nav aria-label="breadcrumb">Trang chủ</nav>'
        '<p style="display:none"><b itemtype="https://schema.org/BreadcrumbList">x</b></p><h3>Tin mới</h3>'
    )
    assert [(element.tag, element.text) for element in layout.marked()] == [
        ("h1", "Cổng thông tin"), ("h2", "Bật JavaScript"), ("span", "Tiêu đề ẩn"), ("nav", "Trang chủ"),
        ("b", "x"), ("h3", "Tin mới"),
    ]


def test_named_matches_class_and_id_words_once_each_in_document_order() -> None:
    layout = _layout(
        '<div class="News-Title big-title" id="title-1">a</div><p id="BreadCrumb">b</p>'
        '<span class="x">c</span><h2 class="tieude">d</h2>'
    )
    assert [element.text for element in layout.named("title", "tieude")] == ["a", "d"]
    assert [element.text for element in layout.named("crumb")] == ["b"]
    assert layout.named("absent") == []


def test_breadcrumb_list_on_a_nav_without_a_label() -> None:
    page = (
        '<html><body><nav itemscope itemtype="https://schema.org/BreadcrumbList"><ul><li><a href="/">Trang chủ</a>'
        '</li><li><a href="/tin-tuc">Tin hoạt động</a></li></ul></nav><h1>Giám sát chính sách dân tộc</h1>'
        f"<p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></body></html>"
    )
    article = extract_article(page.encode(), URL)
    assert (article.title, article.category) == ("Giám sát chính sách dân tộc", "Tin hoạt động")


@pytest.mark.parametrize(
    ("raw", "unchanged"),
    [
        (PARAGRAPH.encode("utf-8"), True),
        (b"plain ASCII", True),
        (unicodedata.normalize("NFD", PARAGRAPH).encode("utf-8"), False),
        (b"\xef\xbb\xbf" + PARAGRAPH.encode("utf-8"), False),
        (PARAGRAPH.encode("utf-8") + "ạ".encode("utf-8")[:1], False),  # cut inside a character
        (PARAGRAPH.encode("utf-16"), False),
    ],
)
def test_decode_page_tells_when_the_bytes_are_the_text(raw: bytes, unchanged: bool) -> None:
    text, _, same = decode_page(raw, None)
    assert same is unchanged
    if same:
        assert text.encode("utf-8") == raw


@pytest.mark.parametrize("enabled", [True, False])
def test_extraction_leaves_the_garbage_collector_as_it_found_it(enabled: bool) -> None:
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        extract_article(f"<h1>Tiêu đề</h1><p>{PARAGRAPH}</p>".encode(), URL)
        extract_article(b"\x00\xff not a page", URL)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
