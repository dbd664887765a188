"""Text-overlap metrics for extraction tests."""

from __future__ import annotations

from collections import Counter

from crawler.extraction.text import normalize_text


def token_f1(extracted: str, expected: str) -> float:
    """F1 of the whitespace tokens of two texts (as bags), after normalisation; 1.0 for two empty texts."""
    got, want = Counter(normalize_text(extracted).split()), Counter(normalize_text(expected).split())
    if not got and not want:
        return 1.0
    overlap = sum((got & want).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(got.values()), overlap / sum(want.values())
    return 2 * precision * recall / (precision + recall)
