"""Snippets: the passage of an article where a query's clauses match, with the matched words marked.

Matches are spans of the original text (``db.matching``), so a snippet shows the words as the site
wrote them whether the query was typed with marks or without.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from db.matching import Span, find_spans
from db.search_query import SearchQuery

SNIPPET_CHARS = 220
# How much text to keep before the first match of the snippet.
_LEAD_IN = 60
# Long texts are searched for a passage in their first characters before in full.
_FIRST_LOOK = 2_000
_SPACE = re.compile(r"\s+")


def make_snippet(
    query: SearchQuery,
    texts: Sequence[str | None],
    *,
    marks: tuple[str, str] = ("**", "**"),
    width: int = SNIPPET_CHARS,
) -> str:
    """The passage of ``texts`` where most clauses match closest together (else the start of the first text)."""
    best: tuple[tuple[int, int], str, list[tuple[int, int]]] | None = None
    for text in texts:
        if not text:
            continue
        window = _passage(query, text, width)
        if window is None:
            continue
        if best is None or window[0] > best[0]:
            best = (window[0], text, window[1])
        if best[0][0] == len(query.clauses):
            break  # every clause in one passage: later texts cannot do better
    if best is None:
        first = next((text for text in texts if text), "")
        return _render(first, 0, [], width, marks)
    _, text, spans = best
    return _render(text, spans[0][0], spans, width, marks)


def _passage(query: SearchQuery, text: str, width: int) -> tuple[tuple[int, int], list[tuple[int, int]]] | None:
    """The best window of ``text``, looking at its beginning first: most passages are found there."""
    cut = text.rfind(" ", 0, _FIRST_LOOK) if len(text) > _FIRST_LOOK else -1
    if cut > 0:
        spans = find_spans(query, text[:cut])
        if spans:
            window = _best_window(spans, width)
            if window[0][0] == len(query.clauses):
                return window
    spans = find_spans(query, text)
    return _best_window(spans, width) if spans else None


def _best_window(spans: list[Span], width: int) -> tuple[tuple[int, int], list[tuple[int, int]]]:
    """The run of matches fitting in ``width`` characters with the most distinct clauses, then the most matches."""
    reach = width - _LEAD_IN
    best_score, best_range = (0, 0), (0, 1)
    in_window: Counter[int] = Counter()
    last = 0
    for first, (start, _, _) in enumerate(spans):
        while last < len(spans) and spans[last][1] <= start + reach:
            in_window[spans[last][2]] += 1
            last += 1
        score = (len(in_window), last - first)
        if score > best_score:
            best_score, best_range = score, (first, last)
        in_window[spans[first][2]] -= 1
        if not in_window[spans[first][2]]:
            del in_window[spans[first][2]]
    return best_score, [(start, end) for start, end, _ in spans[best_range[0]:best_range[1]]]


def _render(text: str, anchor: int, spans: list[tuple[int, int]], width: int, marks: tuple[str, str]) -> str:
    start = 0 if anchor <= _LEAD_IN else min(_word_start(text, anchor - _LEAD_IN), anchor)
    end = min(len(text), start + width)
    if end < len(text):
        end = max(_word_end(text, end), max((span[1] for span in spans), default=0))
    pieces, position = [], start
    for span_start, span_end in _merged(text, spans):
        if span_start < start or span_end > end:
            continue
        pieces += [text[position:span_start], marks[0], text[span_start:span_end], marks[1]]
        position = span_end
    pieces.append(text[position:end])
    snippet = " ".join("".join(pieces).split())
    return ("…" if start > 0 else "") + snippet + ("…" if end < len(text) else "")


def _merged(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans in order, those overlapping or only whitespace apart made one (``**Dân vận**``)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and (start <= merged[-1][1] or text[merged[-1][1]:start].isspace()):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _word_start(text: str, position: int) -> int:
    """The start of the first word at or after ``position``."""
    space = _SPACE.search(text, position)
    return position if space is None else space.end()


def _word_end(text: str, position: int) -> int:
    """``position`` moved back to the end of the word before it."""
    space = max(text.rfind(" ", 0, position), text.rfind("\n", 0, position))
    return position if space <= 0 else space
