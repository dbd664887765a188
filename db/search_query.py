"""Read a search query as people type it into clauses, and write them as safe FTS5 expressions.

A clause is a word, a word ending in ``*`` (prefix), or a ``"quoted phrase"``; clauses are all
required. A query typed with any Vietnamese mark (or ``đ``) matches exactly, case aside
(``tiếp xúc cử tri`` does not find ``trí``); a query typed without marks matches the folded text,
so ``dong chi`` finds ``Đồng chí``. Punctuation inside a clause only separates words
(``12/2022/NQ-HĐND`` is the phrase ``12 2022 nq hđnd``), an unbalanced quote runs to the end of
the query, and every clause is quoted in the FTS5 expression, so no input can make a syntax error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.extraction.text import fold_vietnamese, normalize_text

# A word as FTS5's unicode61 tokenizer sees it: a run of letters and digits.
WORD = re.compile(r"[^\W_]+")
_CLAUSE = re.compile(r'"(?P<phrase>[^"]*)"(?P<phrase_star>\*?)|(?P<word>[^\s"]+)')


class SearchQueryError(ValueError):
    """The query has nothing to search for; the message says why."""


@dataclass(frozen=True)
class Clause:
    """One required part of a query: its words (lowercased; folded when the query is), in order."""

    words: tuple[str, ...]
    prefix: bool = False
    phrase: bool = False

    def fts(self) -> str:
        """The clause as an FTS5 phrase: quoted, so operators and punctuation lose their meaning."""
        return '"' + " ".join(self.words) + '"' + ("*" if self.prefix else "")


@dataclass(frozen=True)
class SearchQuery:
    text: str
    clauses: tuple[Clause, ...]
    # Typed without any mark: matched against the folded text.
    folded: bool

    def fts(self) -> str:
        """The FTS5 expression: every clause required."""
        return " AND ".join(clause.fts() for clause in self.clauses)


def parse_query(text: str) -> SearchQuery:
    """Split ``text`` into clauses; ``SearchQueryError`` when it holds no word or number."""
    if not isinstance(text, str):
        raise SearchQueryError(f"a search query is text, got {type(text).__name__}")
    normalized = normalize_text(text)
    if normalized.count('"') % 2:
        normalized += '"'  # an unbalanced quote: the phrase runs to the end
    folded = fold_vietnamese(normalized) == normalized.lower()
    clauses = []
    for match in _CLAUSE.finditer(normalized):
        if match["word"] is not None:
            raw, phrase = match["word"], False
            prefix = raw.endswith("*")
        else:
            raw, phrase, prefix = match["phrase"], True, bool(match["phrase_star"])
        words = tuple(fold_vietnamese(word) if folded else word.lower() for word in WORD.findall(raw))
        clause = Clause(words, prefix=prefix, phrase=phrase)
        if words and clause not in clauses:
            clauses.append(clause)
    if not clauses:
        shown = text.strip()
        reason = "the query is empty" if not shown else f"{shown!r} has no letters or digits to search for"
        raise SearchQueryError(f"{reason}: type a word, a \"phrase in quotes\" or a prefix such as ngân*")
    return SearchQuery(normalized, tuple(clauses), folded)
