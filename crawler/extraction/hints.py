"""Per-site CSS selectors that refine extraction where the defaults need help."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import lru_cache

from cssselect import SelectorError
from lxml.cssselect import CSSSelector
from lxml.etree import _Element


@dataclass(frozen=True)
class SiteHints:
    """CSS selectors for the parts of an article page; any may be None (the defaults then decide)."""

    title: str | None = None
    date: str | None = None
    body: str | None = None
    caption: str | None = None
    breadcrumb: str | None = None

    def __post_init__(self) -> None:
        for part in fields(self):
            selector = getattr(self, part.name)
            if selector is None:
                continue
            if not isinstance(selector, str):
                raise ValueError(f"site hint {part.name!r} must be a CSS selector string, not {selector!r}")
            try:
                _compiled(selector)
            except SelectorError as error:
                raise ValueError(f"site hint {part.name!r} is not a valid CSS selector {selector!r}: {error}") from None

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, object]) -> SiteHints:
        """Hints from a mapping such as one host's entry of a JSON file; empty selectors count as None."""
        if not isinstance(mapping, Mapping):
            raise ValueError(f"site hints must be a mapping of part to CSS selector, not {mapping!r}")
        known = {part.name for part in fields(cls)}
        unknown = sorted(set(mapping) - known)
        if unknown:
            raise ValueError(f"unknown site hint(s) {', '.join(map(repr, unknown))}; known: {', '.join(sorted(known))}")
        return cls(**{name: value or None for name, value in mapping.items()})


def select(root: _Element, selector: str) -> list[_Element]:
    """Elements matching a CSS selector, in document order."""
    return _compiled(selector)(root)


@lru_cache(maxsize=256)
def _compiled(selector: str) -> CSSSelector:
    return CSSSelector(selector, translator="html")
