"""Extraction from three real Vietnamese government pages (markup nobody on this project wrote)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from conftest import SHARED_DIR
from metrics import token_f1

from crawler.extraction import extract_article

CORPUS = SHARED_DIR / "corpus" / "real-gov"
PAGES = ["hdnd-hochiminhcity-2025-10-09.html", "dost-hochiminhcity-2026-07-17.html",
         "gialoc-tayninh-dieu-kien-tu-nhien.html"]
CRAWLED_AT = datetime(2026, 11, 1, tzinfo=timezone.utc)


def _truth() -> dict:
    if not (CORPUS / "truth.json").is_file():
        pytest.skip(f"real pages not available at {CORPUS}")
    return json.loads((CORPUS / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=PAGES)
def page(request: pytest.FixtureRequest) -> tuple:
    truth = _truth()[request.param]
    raw = (CORPUS / request.param).read_bytes()
    return extract_article(raw, truth["original_url"], content_type="text/html", reference_time=CRAWLED_AT), truth


def test_title(page: tuple) -> None:
    article, truth = page
    assert article.title == truth["title"]


def test_published_at_is_the_date_shown(page: tuple) -> None:
    article, truth = page
    assert (article.published_at.isoformat() if article.published_at else None) == truth["published_at"]
    assert article.date_text == truth["date_text"]


def test_lead_captions_and_byline(page: tuple) -> None:
    article, truth = page
    assert article.lead == truth["lead"]
    assert article.captions == truth["captions"]
    assert article.byline == truth["byline"]


def test_body(page: tuple) -> None:
    article, truth = page
    assert token_f1(article.body, "\n\n".join(truth["body"])) >= 0.98
    assert len(article.paragraphs) == len(truth["body"])


def test_images_are_absolute_and_credits_are_not_body(page: tuple) -> None:
    article, truth = page
    assert all(image.src.startswith(("http://", "https://")) for image in article.images)
    for caption in truth["captions"]:
        assert caption not in article.paragraphs


def test_category_from_breadcrumb() -> None:
    truth = _truth()
    expected = {
        # Trang chủ > Tin hoạt động Sở > <title>
        "dost-hochiminhcity-2026-07-17.html": "Tin hoạt động Sở",
        # Trang chủ > Điều kiện tự nhiên, which is the title itself
        "gialoc-tayninh-dieu-kien-tu-nhien.html": None,
        # no breadcrumb at all
        "hdnd-hochiminhcity-2025-10-09.html": None,
    }
    for name, category in expected.items():
        raw = (CORPUS / name).read_bytes()
        assert extract_article(raw, truth[name]["original_url"]).category == category, name
