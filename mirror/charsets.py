"""Turning a rendered page into bytes the way legacy Vietnamese sites did: windows-1258 and decomposed Unicode."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from itertools import combinations


def encode_windows_1258(text: str) -> bytes:
    """Encode with cp1258, which holds few precomposed Vietnamese letters: the rest become letter + combining mark.

    Decoding the result with cp1258 and normalizing to NFC gives `text` back (for NFC input).
    """
    return b"".join(_cp1258_character(character) for character in text)


@lru_cache(maxsize=None)
def _cp1258_character(character: str) -> bytes:
    try:
        return character.encode("cp1258")
    except UnicodeEncodeError:
        pass
    base, *marks = unicodedata.normalize("NFD", character)
    # Compose the base with as many of its marks as the code page has a letter for; send the others combining.
    for size in range(len(marks), -1, -1):
        for kept in combinations(marks, size):
            composed = unicodedata.normalize("NFC", base + "".join(kept))
            rest = [mark for mark in marks if mark not in kept]
            if len(composed) != 1:
                continue
            try:
                return composed.encode("cp1258") + "".join(rest).encode("cp1258")
            except UnicodeEncodeError:
                continue
    return character.encode("cp1258", "xmlcharrefreplace")


def to_nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)
