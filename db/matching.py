"""Find a query's clauses in article text on the Python side, with the same rules as the FTS5 index.

The text is compared through two views of the same length as the original, one lowercased and
one folded character by character with ``fold_vietnamese``, so every match is a span of the
original text. Snippets mark these spans; databases without the FTS5 index check candidates here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from crawler.extraction.text import fold_vietnamese
from db.search_query import SearchQuery

Span = tuple[int, int, int]  # start, end, number of the clause matched

_WORD_CHAR = r"[^\W_]"


def find_spans(query: SearchQuery, text: str) -> list[Span]:
    """Every match of every clause of ``query`` in ``text``, in text order."""
    view = _view(text, query.folded)
    found = []
    for number, clause in enumerate(query.clauses):
        pattern = _pattern(clause.words, clause.prefix)
        position = 0
        while match := pattern.search(view, position):
            start = match.start()
            # Checked here rather than by a lookbehind, which would stop re from scanning for the literal.
            if start == 0 or not view[start - 1].isalnum():
                found.append((start, match.end(), number))
                position = match.end()
            else:
                position = start + 1
    found.sort()
    return found


def matches_all(query: SearchQuery, texts: Sequence[str | None]) -> bool:
    """Whether every clause of ``query`` occurs in at least one of ``texts``."""
    missing = set(range(len(query.clauses)))
    for text in texts:
        if text:
            missing -= {number for _, _, number in find_spans(query, text)}
    return not missing


class _FoldTable(dict[int, str]):
    """``str.translate`` table folding each character alone, filled as characters are met."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char.isspace():
            folded = char
        else:
            folded = fold_vietnamese(char)
            if len(folded) != 1:
                folded = _lower_char(char)
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def _view(text: str, folded: bool) -> str:
    """``text`` lowercased or folded character by character: same length, same offsets."""
    if folded:
        return text.translate(_FOLD)
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else "".join(_lower_char(char) for char in text)


def _lower_char(char: str) -> str:
    lowered = char.lower()
    return lowered if len(lowered) == 1 else char


@lru_cache(maxsize=1024)
def _pattern(words: tuple[str, ...], prefix: bool) -> re.Pattern[str]:
    """The clause's words in order, separated by anything but letters and digits, ending on a word boundary."""
    body = r"[\W_]+".join(re.escape(word) for word in words)
    tail = f"{_WORD_CHAR}*" if prefix else f"(?!{_WORD_CHAR})"
    return re.compile(body + tail)
