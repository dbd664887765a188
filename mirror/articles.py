"""One article's content, derived from (seed, id, generation) alone, and its ground truth."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from importlib import resources

from mirror import prose, urls
from mirror.catalogue import Catalogue, Category
from mirror.dates import PRESENT, dmy, shown_moment


@dataclass(frozen=True)
class Traits:
    """What one CMS template offers its articles."""

    date_styles: tuple[str, ...]
    caption_styles: tuple[str, ...]
    has_lead: bool


TEMPLATES = {
    "aspnet": Traits(("dmy_hm",), ("table", "centered_em"), has_lead=False),
    "bootstrap": Traits(("weekday_dmy_hm", "dmy_dash"), ("centered_em", "figure"), has_lead=True),
    "html5": Traits(("time_element", "long"), ("figure",), has_lead=True),
    "vnportal": Traits(("posted_label", "updated_label"), ("centered_em", "table"), has_lead=False),
}
TEMPLATE_NAMES = tuple(TEMPLATES)
SPECIAL_TEMPLATES = {
    "seed": "aspnet", "windows_1258": "aspnet", "nfd": "html5", "gzip": "bootstrap", "no_date": "vnportal",
}


@dataclass(frozen=True)
class Paragraph:
    text: str
    subhead: bool = False


@dataclass(frozen=True)
class Image:
    src: str
    alt: str
    caption: str | None
    style: str  # caption markup: "figure", "table" or "centered_em"
    width: int
    height: int


@dataclass(frozen=True)
class Attachment:
    url: str
    name: str


Block = Paragraph | Image


@dataclass(frozen=True)
class ArticleMeta:
    """What listings and sidebars need: cheap to derive."""

    id: int
    category: Category
    template: str
    path: str
    title: str
    moment: datetime
    date_style: str | None  # None: the page shows no date
    summary: str
    published: datetime | None  # the moment the page shows: None without a date, 00:00 when it shows no time
    published_day: str  # dd/mm/yyyy as link lists show it, "" without a date


@dataclass(frozen=True)
class Article:
    meta: ArticleMeta
    lead: str | None
    blocks: tuple[Block, ...]
    byline: str | None
    attachments: tuple[Attachment, ...]
    version: int
    special: str | None
    last_modified: datetime

    @property
    def charset(self) -> str:
        return "windows-1258" if self.special == "windows_1258" else "utf-8"

    @property
    def images(self) -> list[Image]:
        return [block for block in self.blocks if isinstance(block, Image)]

    @property
    def body(self) -> list[str]:
        return [block.text for block in self.blocks if isinstance(block, Paragraph)]

    def truth(self) -> dict:
        meta = self.meta
        return {
            "url": meta.path,
            "source_id": str(meta.id),
            "title": meta.title,
            "published_at": meta.published.isoformat() if meta.published else None,
            "lead": self.lead,
            "body": self.body,
            "captions": [image.caption for image in self.images if image.caption],
            "images": [{"src": image.src, "alt": image.alt, "caption": image.caption} for image in self.images],
            "attachments": [{"url": item.url, "name": item.name} for item in self.attachments],
            "byline": self.byline,
            "category": meta.category.name,
            "encoding": self.charset,
            "template": meta.template,
            "special": self.special,
            "version": self.version,
            "last_modified": self.last_modified.isoformat(),
        }


@dataclass(frozen=True)
class SeedText:
    """The one real article of the site, from mirror/data/seed_article.txt."""

    site_name: str
    title: str
    date_line: str
    lines: tuple[str, ...]  # paragraphs and captions in page order

    @classmethod
    def load(cls) -> SeedText:
        text = (resources.files("mirror") / "data" / "seed_article.txt").read_text(encoding="utf-8")
        lines = text.split("\n")
        content = tuple(line for line in lines[7:] if line.strip())
        return cls(site_name=lines[2], title=lines[4], date_line=lines[6], lines=content)

    @property
    def caption_positions(self) -> tuple[int, int]:
        """The line after the first paragraph and the line before the last one are image captions."""
        return 1, len(self.lines) - 2


SEED = SeedText.load()


class ArticleFactory:
    """Builds article metadata and content on demand, with small caches for the pages being served."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.meta = lru_cache(maxsize=4096)(self._meta)
        self.article = lru_cache(maxsize=256)(self._article)

    def _meta(self, article_id: int) -> ArticleMeta:
        catalogue = self.catalogue
        special = catalogue.special_of.get(article_id)
        category = catalogue.category(article_id)
        moment = catalogue.moment(article_id)
        rng = random.Random(f"{catalogue.seed}:{article_id}")
        template = SPECIAL_TEMPLATES.get(special) or rng.choice(TEMPLATE_NAMES)
        date_style: str | None = rng.choice(TEMPLATES[template].date_styles)
        title = prose.title(rng, category.slug, moment.year)
        summary = prose.lead(rng, moment)
        if special == "seed":
            title, date_style, summary = SEED.title, "dmy_hm", SEED.lines[0][:220].rsplit(" ", 1)[0] + "…"
        elif special == "no_date":
            date_style = None
        path = urls.article_path(template, article_id, category.slug)
        published = shown_moment(date_style, moment) if date_style else None
        day = dmy(published) if published else ""
        return ArticleMeta(article_id, category, template, path, title, moment, date_style, summary, published, day)

    def _article(self, article_id: int) -> Article:
        meta = self.meta(article_id)
        special = self.catalogue.special_of.get(article_id)
        edits = self.catalogue.edits(article_id)
        last_modified = self.catalogue.last_modified(article_id)
        if special == "seed":
            return Article(meta, None, self._seed_blocks(meta), None, (), 0, special, last_modified)
        rng = random.Random(f"{self.catalogue.seed}:{article_id}:body")
        traits = TEMPLATES[meta.template]
        lead = meta.summary if traits.has_lead and rng.random() < 0.7 else None  # listings show it too
        writer = prose.writer(self.catalogue.seed)
        blocks = _with_images(writer, rng, _paragraphs(writer, rng, meta.moment), meta, traits)
        byline = prose.byline(rng) if rng.random() < 0.5 else None
        attachments = _attachments(rng, meta)
        for generation in edits:  # after every other draw, so that an edit changes nothing but the text
            _edit(writer, random.Random(f"{self.catalogue.seed}:{article_id}:edit:{generation}"), blocks, generation)
        return Article(meta, lead, tuple(blocks), byline, attachments, len(edits), special, last_modified)

    def _seed_blocks(self, meta: ArticleMeta) -> tuple[Block, ...]:
        captions = SEED.caption_positions
        blocks: list[Block] = []
        for index, line in enumerate(SEED.lines):
            if index in captions:
                number = captions.index(index) + 1
                src = urls.image_path(meta.id, number, meta.moment.year, meta.moment.month, "jpg")
                blocks.append(Image(src, "", line, ("table", "centered_em")[number - 1], 640, 424))
            else:
                blocks.append(Paragraph(line))
        return tuple(blocks)


def _paragraphs(writer: prose.Writer, rng: random.Random, moment: datetime) -> list[Paragraph]:
    count = min(40, max(2, round(rng.lognormvariate(2.35, 0.55))))
    paragraphs = [
        Paragraph(writer.paragraph(rng, moment, rng.randint(2, 7), opening=index == 0)) for index in range(count)
    ]
    if count >= 8 and rng.random() < 0.5:
        for number, position in enumerate((1, count // 2 + 1, 3 * count // 4 + 2), start=1):
            paragraphs.insert(position, Paragraph(prose.subhead(rng, number), subhead=True))
    return paragraphs


def _edit(writer: prose.Writer, rng: random.Random, blocks: list[Block], generation: int) -> None:
    """A later revision: one paragraph rewritten and an update appended."""
    when = PRESENT + timedelta(days=generation)
    plain = [index for index, block in enumerate(blocks) if isinstance(block, Paragraph) and not block.subhead]
    blocks[rng.choice(plain)] = Paragraph(writer.paragraph(rng, when, rng.randint(2, 5)))
    blocks.append(Paragraph(writer.paragraph(rng, when, 2)))


def _with_images(writer: prose.Writer, rng: random.Random, paragraphs: list[Paragraph], meta: ArticleMeta,
                 traits: Traits) -> list[Block]:
    count = rng.choice((0, 1, 1, 2, 2, 3, 4))
    after = set(rng.sample(range(len(paragraphs)), min(count, len(paragraphs))))
    blocks: list[Block] = []
    number = 0
    for index, paragraph in enumerate(paragraphs):
        blocks.append(paragraph)
        if index in after:
            number += 1
            extension = "png" if rng.random() < 0.2 else "jpg"
            src = urls.image_path(meta.id, number, meta.moment.year, meta.moment.month, extension)
            caption = writer.caption(rng) if rng.random() < 0.75 else None
            alt = rng.choice(("", caption or "", meta.title))
            width, height = rng.choice(((640, 424), (800, 533), (600, 400), (480, 640)))
            blocks.append(Image(src, alt, caption, rng.choice(traits.caption_styles), width, height))
    return blocks


def _attachments(rng: random.Random, meta: ArticleMeta) -> tuple[Attachment, ...]:
    if meta.category.slug == "nghi-quyet":
        count = rng.choice((1, 1, 2))
    else:
        count = 1 if rng.random() < 0.2 else 0
    return tuple(
        Attachment(
            urls.attachment_path(meta.id, number, meta.moment.year, rng.choice(("pdf", "pdf", "doc"))),
            prose.attachment_name(rng, meta.moment.year),
        )
        for number in range(1, count + 1)
    )
