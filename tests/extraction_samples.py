"""Helpers shared by the extraction tests."""

from __future__ import annotations

import re
import unicodedata

_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_CLUSTER = re.compile(r".[\u0300-\u036f]*", re.DOTALL)


def to_windows_1258(text: str) -> bytes:
    """Windows-1258 as legacy editors wrote it: letters with their vowel marks, tone marks combining."""
    out = []
    for cluster in _CLUSTER.findall(unicodedata.normalize("NFD", text)):
        letter = unicodedata.normalize("NFC", "".join(char for char in cluster if char not in _TONE_MARKS))
        out.append(letter + "".join(char for char in cluster if char in _TONE_MARKS))
    return "".join(out).encode("windows-1258")
