"""Search over a crawled mirror: every query returns exactly the articles its ground truth says."""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest
from sqlalchemy import Engine

from conftest import CrawledArchive, run_hdnd
from crawler.extraction.text import fold_vietnamese
from db.engine import open_database
from db.filters import FilterError
from db.search import count_matches, search
from db.search_query import SearchQueryError

FOLDED_QUERIES = ["dan van", "dong chi", "duc", "hoa binh", "ky hop", "lac son", "ngan*", '"hoa binh"',
                  '"tiep xuc cu tri"', '"ky hop thu 1"', "hdnd"]
EXACT_QUERIES = ["dân vận", "Hoà Bình", "Hòa Bình", "Đồng chí", "Đức", "NQ-HĐND", "12/2022/NQ-HĐND", '"kỳ họp"',
                 '"Hoà Bình"', "ngân*", "Lạc Sơn", '"dân vận chính quyền"']
# Marks anywhere make the whole query exact: "tri" then finds only "tri", not "trí".
MIXED_QUERIES = ["tiếp xúc cử tri", 'Đức "hoa binh"', '"Hòa Bình" dong chi']
HOSTILE_QUERIES = ["NQ-HĐND", "12/2022/NQ-HĐND", "hội nghị:", '"dân vận', 'dân "vận', "a OR b", "NOT x", "NEAR(a b)",
                   "title:dân", "*", "(((", "dân^2", "'; DROP TABLE articles; --", "ｄａｎ", "e\u0301", "\u0000"]
# Typed at the command line too (each run starts a process: a few suffice).
COMMAND_LINE_HOSTILE = ["12/2022/NQ-HĐND", '"dân vận', "NEAR(a b):"]
_WORD = re.compile(r"[^\W_]+")


def _words(text: str | None, folded: bool) -> list[str]:
    words = _WORD.findall(text or "")
    return [fold_vietnamese(word) if folded else word.lower() for word in words]


def _clauses(query: str) -> tuple[list[tuple[list[str], bool]], bool]:
    """(words, prefix) per clause, and whether the query was typed without marks: the README's rules."""
    folded = fold_vietnamese(query) == " ".join(query.split()).lower()
    clauses = []
    for phrase, star, word in re.findall(r'"([^"]*)"(\*?)|([^\s"]+)', query):
        clauses.append((_words(phrase or word, folded), bool(star) or word.endswith("*")))
    return clauses, folded


def _contains(haystack: list[str], needle: list[str], prefix: bool) -> bool:
    for start in range(len(haystack) - len(needle) + 1):
        window = haystack[start:start + len(needle)]
        if window[:-1] == needle[:-1] and (
            window[-1].startswith(needle[-1]) if prefix else window[-1] == needle[-1]
        ):
            return True
    return False


def expected(truths: list[dict], query: str) -> set[str]:
    """Source ids of the mirror articles whose true title, lead, body or captions hold every clause."""
    clauses, folded = _clauses(query)
    found = set()
    for truth in truths:
        fields = [truth["title"], truth["lead"], "\n\n".join(truth["body"]), "\n".join(truth["captions"])]
        if all(any(_contains(_words(field, folded), words, prefix) for field in fields) for words, prefix in clauses):
            found.add(truth["source_id"])
    return found


@pytest.fixture(scope="module")
def truths(crawled_archive: CrawledArchive) -> list[dict]:
    return [crawled_archive.site.truth(article_id) for article_id in crawled_archive.site.article_ids()]


@pytest.fixture(scope="module")
def engine(crawled_archive: CrawledArchive) -> Engine:
    return open_database(crawled_archive.db_url)


def _found(engine: Engine, query: str, **filters: object) -> set[str]:
    return {hit.source_id for hit in search(engine, query, limit=None, **filters)}


@pytest.mark.parametrize("query", FOLDED_QUERIES + EXACT_QUERIES + MIXED_QUERIES)
def test_query_finds_exactly_the_articles_of_the_ground_truth(truths: list[dict], engine: Engine, query: str) -> None:
    wanted = expected(truths, query)
    assert _found(engine, query) == wanted
    assert count_matches(engine, query) == len(wanted)


def test_the_mirror_makes_the_queries_discriminate(truths: list[dict]) -> None:
    everything = {truth["source_id"] for truth in truths}
    sizes = {query: len(expected(truths, query)) for query in FOLDED_QUERIES + EXACT_QUERIES}
    assert 0 < sizes["Hoà Bình"] < sizes["hoa binh"]
    assert 0 < sizes["Đức"] < sizes["duc"]
    assert 0 < sizes['"kỳ họp"'] <= sizes["ky hop"]
    assert 0 < sizes['"tiep xuc cu tri"'] < len(everything)


def test_marks_typed_or_not_change_what_matches(engine: Engine) -> None:
    folded = search(engine, "dong chi", limit=None)
    assert folded and all("đồng" in hit.snippet.lower() or "chí" in hit.snippet.lower() for hit in folded[:5])
    hoa_binh = _found(engine, "hoa binh")
    assert _found(engine, "Hoà Bình") | _found(engine, "Hòa Bình") == hoa_binh
    assert _found(engine, "HOA BINH") == hoa_binh == _found(engine, "Hoa   Binh")


def test_hits_are_ranked_and_carry_a_highlighting_snippet(engine: Engine) -> None:
    hits = search(engine, '"tiếp xúc cử tri"', limit=5)
    assert hits and [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    for hit in hits:
        assert "**" in hit.snippet
        marked = re.findall(r"\*\*(.+?)\*\*", hit.snippet)
        assert any(fold_vietnamese(part) == "tiep xuc cu tri" for part in marked), hit.snippet
    assert all(isinstance(hit.published_at, datetime) for hit in hits)
    assert [hit.source_id for hit in search(engine, '"tiếp xúc cử tri"', limit=2, offset=1)] == \
        [hit.source_id for hit in hits[1:3]]


def test_title_matches_rank_first(truths: list[dict], engine: Engine) -> None:
    truth = truths[0]
    title_words = " ".join(f'"{word}"' for word in truth["title"].split()[:4])
    best = search(engine, title_words, limit=1)[0]
    assert fold_vietnamese(best.title).startswith(fold_vietnamese(" ".join(truth["title"].split()[:4])))


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_any_input_searches_what_was_typed_or_says_why_not(engine: Engine, query: str) -> None:
    try:
        hits = search(engine, query)
    except SearchQueryError as error:
        assert "search" in str(error) or "empty" in str(error)
        return
    assert isinstance(hits, list)


@pytest.mark.parametrize("query", ["", "   ", "::", '"', '""', "-", "*"])
def test_queries_without_words_are_refused_with_a_reason(engine: Engine, query: str) -> None:
    with pytest.raises(SearchQueryError, match="empty|no letters or digits"):
        search(engine, query)


def test_filters_by_date_and_category(truths: list[dict], engine: Engine) -> None:
    matching = expected(truths, "hoa binh")
    in_2020 = {t["source_id"] for t in truths if (t["published_at"] or "").startswith("2020")} & matching
    assert in_2020 and _found(engine, "hoa binh", since="2020", until="2020") == in_2020
    assert _found(engine, "hoa binh", since="2020-01-01", until="2020-12-31") == in_2020
    category = truths[0]["category"]
    in_category = {t["source_id"] for t in truths if t["category"] == category} & matching
    assert _found(engine, "hoa binh", category=fold_vietnamese(category).upper()) == in_category
    with pytest.raises(FilterError, match="the categories are: .*" + re.escape(category)):
        search(engine, "hoa binh", category="không có")
    with pytest.raises(FilterError, match="2022-05-21"):
        search(engine, "hoa binh", since="21/05/2022")
    with pytest.raises(FilterError, match="nothing can match"):
        search(engine, "hoa binh", since="2023", until="2022")


def test_command_line_table_jsonl_and_csv(crawled_archive: CrawledArchive, truths: list[dict]) -> None:
    wanted = expected(truths, "Hoà Bình")
    table = run_hdnd("search", "--db", crawled_archive.db_url, "Hoà Bình", "--limit", "3").stdout
    assert table.startswith(f"{len(wanted)} articles match 'Hoà Bình'")
    assert table.count("**Hoà Bình**") >= 3
    lines = run_hdnd("search", "--db", crawled_archive.db_url, "Hoà Bình", "--limit", "100",
                     "--format", "jsonl").stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert {record["source_id"] for record in records} == wanted
    assert {"url", "title", "body", "images", "capture", "score", "snippet"} <= set(records[0])
    csv_text = run_hdnd("search", "--db", crawled_archive.db_url, "Hoà Bình", "--format", "csv").stdout
    assert csv_text.splitlines()[0].endswith("capture,score,snippet")


def test_command_line_never_crashes_and_explains_refusals(crawled_archive: CrawledArchive) -> None:
    for query in COMMAND_LINE_HOSTILE:
        completed = run_hdnd("search", "--db", crawled_archive.db_url, query, check=False)
        assert completed.returncode == 0 and "Traceback" not in completed.stderr, query
    refused = run_hdnd("search", "--db", crawled_archive.db_url, '"::', check=False)
    assert refused.returncode == 2
    assert refused.stderr.startswith("hdnd search: error: ") and "no letters or digits" in refused.stderr


def test_command_line_errors_for_a_missing_database(tmp_path) -> None:
    completed = run_hdnd("search", "--db", f"sqlite:///{tmp_path / 'none.db'}", "dan van", check=False)
    assert completed.returncode == 2 and "no archive database" in completed.stderr
    assert not (tmp_path / "none.db").exists()
