"""Which articles exist in a generation, their categories, order and dates, and which ones are special.

Everything is arithmetic on article ids, so a listing page of a 100,000-article site costs the same as one
of a 100-article site: nothing is enumerated up front.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property

from mirror.dates import FIRST_DAY, PRESENT, VIETNAM

PAGE_SIZE = 20
NEW_PER_GENERATION = 5
EDITS_PER_GENERATION = 3
MIN_ARTICLES = 20
MAX_ARTICLES = 1_000_000
SEED_DATE = datetime(2022, 12, 21, tzinfo=VIETNAM)


@dataclass(frozen=True)
class Category:
    slug: str
    name: str


CATEGORIES = (
    Category("tin-hoat-dong", "Tin hoạt động"),
    Category("ky-hop-hdnd", "Kỳ họp HĐND"),
    Category("nghi-quyet", "Nghị quyết"),
    Category("giam-sat", "Giám sát"),
    Category("tiep-xuc-cu-tri", "Tiếp xúc cử tri"),
)
CATEGORY_BY_SLUG = {category.slug: category for category in CATEGORIES}
# One period of the category sequence along the ids: news dominates, as on real council sites.
_PATTERN = (0, 1, 0, 2, 0, 3, 1, 0, 4, 0, 2, 0)
_PERIOD = len(_PATTERN)

# Articles with a special behaviour, given the lowest ids in this order (the seed article has its own id).
SPECIAL_ARTICLES = (
    "gzip", "windows_1258", "nfd", "no_date", "error_once", "slow", "redirect_target", "duplicate", "sitemap_only",
)


class Catalogue:
    """The articles of one generation of a site: which exist, their categories, dates and order, the special ones."""

    def __init__(self, articles: int, seed: int, generation: int) -> None:
        if not MIN_ARTICLES <= articles <= MAX_ARTICLES:
            raise ValueError(f"articles must be between {MIN_ARTICLES} and {MAX_ARTICLES}, not {articles}")
        if generation < 0:
            raise ValueError(f"generation must be 0 or more, not {generation}")
        self.articles = articles
        self.seed = seed
        self.generation = generation
        self.latest = articles + NEW_PER_GENERATION * generation
        shift = random.Random(f"{seed}:pattern").randrange(_PERIOD)
        self._residues = tuple(
            tuple(r for r in range(_PERIOD) if _PATTERN[(r + shift) % _PERIOD] == index)
            for index in range(len(CATEGORIES))
        )
        self._shift = shift
        self.seed_id = self._seed_slot()
        ids = (i for i in range(2, articles + 1) if i != self.seed_id)
        self.special_ids = dict(zip(SPECIAL_ARTICLES, ids))
        self.special_of = {article_id: name for name, article_id in self.special_ids.items()}
        self.special_of[self.seed_id] = "seed"
        self.hidden = self.special_ids["sitemap_only"]

    def exists(self, article_id: int) -> bool:
        return 1 <= article_id <= self.latest

    def category(self, article_id: int) -> Category:
        return CATEGORIES[_PATTERN[(article_id + self._shift) % _PERIOD]]

    def moment(self, article_id: int) -> datetime:
        """Publication moment; ids grow with time, so newest first is highest id first."""
        if article_id == self.seed_id:
            return SEED_DATE
        if article_id > self.articles:
            new = article_id - self.articles - 1
            day, slot = divmod(new, NEW_PER_GENERATION)
            return PRESENT + timedelta(days=day + 1, hours=7, minutes=30 + 97 * slot)
        # A cheap hash places the article inside its own slot of the archive's span.
        jitter = 0.05 + 0.9 * (((article_id * 2654435761 + self.seed * 40503) % 1000) / 1000)
        span = PRESENT - FIRST_DAY
        raw = FIRST_DAY + span * ((article_id - 1 + jitter) / self.articles)
        # Squeeze the day into office hours (07:00-22:00); the mapping keeps the order of the ids.
        minutes = 420 + (raw.hour * 60 + raw.minute) * 900 // 1440
        return raw.replace(hour=minutes // 60, minute=minutes % 60, second=0, microsecond=0)

    def edits(self, article_id: int) -> tuple[int, ...]:
        """The generations (up to this one) that rewrote part of the article's body."""
        return self._edits.get(article_id, ())

    def last_modified(self, article_id: int) -> datetime:
        edits = self.edits(article_id)
        if edits:
            return PRESENT + timedelta(days=edits[-1], hours=16)
        return self.moment(article_id)

    @cached_property
    def _edits(self) -> dict[int, tuple[int, ...]]:
        protected = set(self.special_of)
        edits: dict[int, list[int]] = {}
        for generation in range(1, self.generation + 1):
            rng = random.Random(f"{self.seed}:edits:{generation}")
            chosen: set[int] = set()
            while len(chosen) < EDITS_PER_GENERATION:
                candidate = rng.randint(1, self.articles)
                if candidate not in protected:
                    chosen.add(candidate)
            for article_id in sorted(chosen):
                edits.setdefault(article_id, []).append(generation)
        return {article_id: tuple(generations) for article_id, generations in edits.items()}

    def newest(self, count: int) -> list[int]:
        """The latest listed articles, newest first."""
        ids = []
        article_id = self.latest
        while len(ids) < count and article_id >= 1:
            if article_id != self.hidden:
                ids.append(article_id)
            article_id -= 1
        return ids

    def popular(self, count: int) -> list[int]:
        """The "most read" articles of this generation."""
        rng = random.Random(f"{self.seed}:popular:{self.generation}")
        picks = rng.sample(range(1, self.latest + 1), count + 1)
        return [article_id for article_id in picks if article_id != self.hidden][:count]

    def pages(self, category: Category) -> int:
        return max(1, -(-self._listed_count(category) // PAGE_SIZE))

    def listing(self, category: Category, page: int) -> list[int]:
        """Article ids on one page of a category listing, newest first; empty past the last page."""
        total = self._listed_count(category)
        first = (page - 1) * PAGE_SIZE
        return [self._listed_nth_newest(category, k) for k in range(first, min(first + PAGE_SIZE, total))]

    def older_in_category(self, article_id: int, count: int) -> list[int]:
        """The listed articles just before this one in its category ("Các tin khác")."""
        category = self.category(article_id)
        index = self._count(category, article_id) - 1
        ids = []
        while len(ids) < count and index > 0:
            index -= 1
            candidate = self._nth(category, index)
            if candidate != self.hidden:
                ids.append(candidate)
        return ids

    def _seed_slot(self) -> int:
        """The id nearest the seed article's date that falls in the news category."""
        fraction = (SEED_DATE - FIRST_DAY) / (PRESENT - FIRST_DAY)
        slot = min(self.articles, int(fraction * self.articles) + 1)
        for distance in range(_PERIOD):
            for candidate in (slot - distance, slot + distance):
                if 1 <= candidate <= self.articles and self.category(candidate) is CATEGORIES[0]:
                    return candidate
        raise AssertionError("every period holds a news article")

    def _nth(self, category: Category, n: int) -> int:
        """The n-th smallest id (from 0) in the category, over all ids >= 1."""
        residues = self._residues[CATEGORIES.index(category)]
        if residues[0] == 0:
            n += 1  # id 0 does not exist
        return _PERIOD * (n // len(residues)) + residues[n % len(residues)]

    def _count(self, category: Category, upto: int) -> int:
        """How many ids in 1..upto are in the category."""
        residues = self._residues[CATEGORIES.index(category)]
        total = sum((upto - r) // _PERIOD + 1 for r in residues if r <= upto)
        return total - 1 if residues[0] == 0 else total

    def _listed_count(self, category: Category) -> int:
        count = self._count(category, self.latest)
        return count - 1 if self.category(self.hidden) is category else count

    def _listed_nth_newest(self, category: Category, k: int) -> int:
        count = self._count(category, self.latest)
        if self.category(self.hidden) is category:
            hidden_from_top = count - self._count(category, self.hidden)
            if k >= hidden_from_top:
                k += 1
        return self._nth(category, count - 1 - k)
