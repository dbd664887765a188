"""Extraction in worker processes hands back the same articles, in order, as extraction in this process."""

from __future__ import annotations

from datetime import datetime, timezone

from archive.reextract import ArchivedPage, ExtractionFailed, extract, extract_in_order
from crawler.urls import ArticleUrlRules

RULES = ArticleUrlRules()
MOMENT = datetime(2026, 11, 27, 3, 4, 5, tzinfo=timezone.utc)


def page(number: int) -> ArchivedPage:
    paragraph = f"<p>Kỳ họp thứ {number} của Hội đồng nhân dân tỉnh thông qua các nghị quyết quan trọng.</p>"
    body = (f"<html><body><div class='content'><h1>Bài số {number}</h1><p>Ngày {number % 28 + 1}/03/2024</p>"
            f"{paragraph * 4}</div></body></html>").encode("utf-8")
    return ArchivedPage(body, f"http://hdnd.example.vn/DetailController?id={number}", "text/html; charset=utf-8",
                        MOMENT, RULES)


def test_workers_give_the_results_of_inline_extraction_in_order() -> None:
    pages = [(number, page(number)) for number in range(100)]  # enough to start the worker processes
    inline = list(extract_in_order(pages, workers=1))
    pooled = list(extract_in_order(pages, workers=2))
    assert [tag for tag, _ in pooled] == list(range(100))
    assert pooled == inline
    assert [item.title for _, item in pooled[:2]] == ["Bài số 0", "Bài số 1"]


def test_an_extraction_that_raises_is_a_failure_handed_back_not_an_exception() -> None:
    broken = ArchivedPage(page(1).body, page(1).url, "text/html", MOMENT, rules=None)  # type: ignore[arg-type]
    result = extract(broken)
    assert isinstance(result, ExtractionFailed)
    assert result.message.startswith("AttributeError:") and "Traceback" in result.details
