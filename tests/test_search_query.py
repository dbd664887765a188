"""Reading queries, marking snippets, and the folded index agreeing with fold_vietnamese letter by letter."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from crawler.extraction.text import fold_vietnamese
from db.engine import open_database
from db.matching import matches_all
from db.search import search
from db.search_query import Clause, SearchQueryError, parse_query
from db.snippets import make_snippet
from db.store import ArchiveStore
from db_samples import article, capture

VIETNAMESE_LETTERS = sorted(
    {unicodedata.normalize("NFC", base + mark) for base in "aăâeêioôơuưy"
     for mark in ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")} | {"đ"}
)


def test_words_phrases_and_prefixes() -> None:
    query = parse_query('dan  van "hoa binh" ngan* "ky hop"*')
    assert query.folded
    assert query.clauses == (
        Clause(("dan",)), Clause(("van",)), Clause(("hoa", "binh"), phrase=True),
        Clause(("ngan",), prefix=True), Clause(("ky", "hop"), prefix=True, phrase=True),
    )
    assert query.fts() == '"dan" AND "van" AND "hoa binh" AND "ngan"* AND "ky hop"*'


def test_marks_anywhere_make_the_whole_query_exact() -> None:
    query = parse_query("Tiếp xúc cử TRI")
    assert not query.folded
    assert [clause.words for clause in query.clauses] == [("tiếp",), ("xúc",), ("cử",), ("tri",)]
    assert parse_query("ĐỨC").clauses[0].words == ("đức",)
    assert parse_query("DUC").folded


def test_input_is_normalized_to_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Hoà Bình")
    assert parse_query(decomposed) == parse_query("Hoà Bình")


def test_punctuation_only_separates_words_and_operators_are_plain_words() -> None:
    assert parse_query("12/2022/NQ-HĐND").fts() == '"12 2022 nq hđnd"'
    assert parse_query("hội nghị:").fts() == '"hội" AND "nghị"'
    assert parse_query("a OR b NOT c").fts() == '"a" AND "or" AND "b" AND "not" AND "c"'
    assert parse_query("NEAR(x y) title:z").fts() == '"near x" AND "y" AND "title z"'


def test_an_unbalanced_quote_runs_to_the_end_and_repeats_collapse() -> None:
    assert parse_query('"dân vận').clauses == (Clause(("dân", "vận"), phrase=True),)
    assert parse_query('dân "vận chính').fts() == '"dân" AND "vận chính"'
    assert parse_query("dan dan DAN").fts() == '"dan"'


@pytest.mark.parametrize("query", ["", "  \t", "::", '""', "-", "***", "\u200b"])
def test_nothing_to_search_for(query: str) -> None:
    with pytest.raises(SearchQueryError):
        parse_query(query)


def test_snippet_marks_the_words_as_written_for_a_folded_query() -> None:
    body = "Năm 2022, Ban Dân vận tỉnh Hoà Bình phối hợp với Đoàn ĐBQH. " * 6
    snippet = make_snippet(parse_query("dan van hoa binh"), [None, body])
    assert snippet.startswith("Năm 2022, Ban **Dân vận** tỉnh **Hoà Bình** phối hợp")
    assert snippet.endswith("…")


def test_snippet_window_prefers_the_passage_with_most_clauses() -> None:
    body = ("Mở đầu về ngân sách. " + "Nội dung khác không liên quan gì cả. " * 20
            + "Kỳ họp bàn về ngân sách địa phương.")
    snippet = make_snippet(parse_query("ngan sach ky hop"), [body], width=120)
    assert snippet.startswith("…") and "**Kỳ họp** bàn về **ngân sách**" in snippet


def test_snippet_marks_prefixes_and_phrases_only_on_word_boundaries() -> None:
    text = "Giáo dục và Đức, ngân hàng, ngăn chặn; hoà bình hoà."
    assert make_snippet(parse_query("duc"), [text]) == "Giáo **dục** và **Đức**, ngân hàng, ngăn chặn; hoà bình hoà."
    assert "**ngân** hàng" in make_snippet(parse_query("ngân*"), [text])
    assert "**ngăn** chặn" not in make_snippet(parse_query("ngân*"), [text])
    assert make_snippet(parse_query('"hoa binh"'), [text]).count("**") == 2
    assert make_snippet(parse_query("xyz"), ["Không có gì."]) == "Không có gì."


def test_matches_all_needs_every_clause_somewhere() -> None:
    query = parse_query('"dân vận" Đức')
    assert matches_all(query, ["Ban Dân vận", "ông Bùi Đức"])
    assert not matches_all(query, ["Ban Dân vận", "ông Bùi Dức"])
    assert not matches_all(query, ["vận dân", "Đức"])


def test_the_folded_index_folds_every_vietnamese_letter_as_fold_vietnamese(tmp_path: Path) -> None:
    """FTS5 drops marks itself (remove_diacritics 2) and the index replaces đ: equal to our folding."""
    engine = open_database(f"sqlite:///{tmp_path / 'letters.db'}")
    words = {letter: f"x{letter}x{letter.upper()}" for letter in VIETNAMESE_LETTERS}
    with ArchiveStore(engine) as store:
        run_id = store.start_run("letters", {})
        row = capture(1)
        store.add_capture(run_id, row)
        store.save_article(run_id, article("1", body=" ".join(words.values()), images=[]), row["warc_record_id"])
    for letter, word in words.items():
        assert [hit.source_id for hit in search(engine, fold_vietnamese(word))] == ["1"], letter
        if fold_vietnamese(word) != word.lower():
            assert [hit.source_id for hit in search(engine, word.upper())] == ["1"], letter
    assert search(engine, "xax" + "Ă") == []  # exact: ă is not a
