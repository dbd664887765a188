"""What every page template shares: the page furniture's data, markup helpers and the template interface."""

from __future__ import annotations

import base64
import hashlib
import html
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, ClassVar, Sequence

from mirror import urls
from mirror.articles import Article, ArticleMeta, Image, Paragraph
from mirror.catalogue import Category
from mirror.dates import format_date, long_today

Crumbs = Sequence[tuple[str, str | None]]  # (label, href); the last one is the current page


@dataclass(frozen=True)
class MenuItem:
    label: str
    href: str
    children: tuple[MenuItem, ...] = ()


@dataclass(frozen=True)
class Furniture:
    """Everything around the main content of a page; the same on every page of a generation."""

    site_name: str
    today: datetime
    categories: tuple[Category, ...]
    menu: tuple[MenuItem, ...]
    newest: tuple[ArticleMeta, ...]
    popular: tuple[ArticleMeta, ...]
    documents: tuple[ArticleMeta, ...]  # the newest resolutions
    static_pages: tuple[tuple[str, str], ...]  # (path, label)
    external_links: tuple[tuple[str, str], ...]  # (absolute URL, label)

    @property
    def today_line(self) -> str:
        return long_today(self.today)


class Fixed(str):
    """Page text that is the same on every page of a generation: encoded to UTF-8 once, not per request."""

    utf8: bytes

    def __new__(cls, text: str) -> Fixed:
        fixed = super().__new__(cls, text)
        fixed.utf8 = text.encode("utf-8")
        return fixed


def page_bytes(parts: Sequence[str]) -> bytes:
    """UTF-8 bytes of a page given as parts, reusing the encoding of its fixed parts."""
    return b"".join(part.utf8 if type(part) is Fixed else part.encode("utf-8") for part in parts)


def esc(text: str) -> str:
    """`html.escape(text, quote=False)`, but skipping the replacements most text does not need."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def attr(text: str) -> str:
    return html.escape(text, quote=True)


def counter_text(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def opaque_state(key: str, size: int) -> str:
    """A deterministic stand-in for ASP.NET's __VIEWSTATE blob."""
    return base64.b64encode(hashlib.shake_256(key.encode()).digest(size)).decode("ascii")


def img_tag(image: Image) -> str:
    return f'<img src="{image.src}" alt="{attr(image.alt)}" width="{image.width}" height="{image.height}" />'


def image_html(image: Image) -> str:
    """The image with its caption in the markup its CMS uses."""
    img = img_tag(image)
    caption = esc(image.caption) if image.caption else None
    if image.style == "figure":
        figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
        return f'<figure class="image">{img}{figcaption}</figure>'
    if image.style == "table":
        caption_row = (
            f'<tr><td style="text-align: center;"><span style="font-size:12px;"><em>{caption}</em></span></td></tr>'
            if caption else ""
        )
        return (
            '<table align="center" border="0" cellpadding="3" cellspacing="0" style="width:100%;"><tbody>'
            f'<tr><td style="text-align: center;">{img}</td></tr>{caption_row}</tbody></table>'
        )
    caption_paragraph = f'<p style="text-align: center;"><em>{caption}</em></p>' if caption else ""
    return f'<p style="text-align: center;">{img}</p>{caption_paragraph}'


def date_markup(meta: ArticleMeta) -> str:
    """The article's date as shown; `<time>` carries the same moment as the text."""
    if meta.date_style is None or meta.published is None:
        return ""
    text = esc(format_date(meta.date_style, meta.published))
    if meta.date_style == "time_element":
        moment = meta.published.isoformat()
        return f'<time class="entry-date" itemprop="datePublished" datetime="{moment}">{text}</time>'
    return text


def list_date(meta: ArticleMeta) -> str:
    """The short date beside a title in link lists; articles that show no date show none there either."""
    return meta.published_day


def paragraph_html(paragraph: Paragraph) -> str:
    if paragraph.subhead:
        return f"<p><strong>{esc(paragraph.text)}</strong></p>"
    return f'<p style="text-align: justify;">{esc(paragraph.text)}</p>'


def body_blocks(article: Article, paragraph: Callable[[Paragraph], str] = paragraph_html) -> str:
    return "\n".join(
        paragraph(block) if isinstance(block, Paragraph) else image_html(block) for block in article.blocks
    )


def menu_items(menu: Sequence[MenuItem], item_class: str, submenu_class: str) -> str:
    parts = []
    for item in menu:
        children = ""
        if item.children:
            inner = "".join(f'<li><a href="{child.href}">{esc(child.label)}</a></li>' for child in item.children)
            children = f'<ul class="{submenu_class}">{inner}</ul>'
        parts.append(f'<li class="{item_class}"><a href="{item.href}">{esc(item.label)}</a>{children}</li>')
    return "\n".join(parts)


def gallery(metas: Sequence[ArticleMeta], item_class: str) -> str:
    """The photo strip of recent events, linking to their articles."""
    return "".join(
        f'<a class="{item_class}" href="{meta.path}" title="{attr(meta.title)}">'
        f'<img src="{urls.thumbnail_path(meta.id)}" alt="{attr(meta.title)}" width="120" height="80" /></a>'
        for meta in metas
    )


def site_map(menu: Sequence[MenuItem]) -> str:
    """The footer's list of every section, as many portals repeat it."""
    columns = []
    for item in menu:
        links = "".join(f'<li><a href="{child.href}">{esc(child.label)}</a></li>' for child in item.children)
        heading = f'<h4><a href="{item.href}">{esc(item.label)}</a></h4>'
        columns.append(f'<div class="sitemap-col">{heading}<ul>{links}</ul></div>')
    return f'<div class="footer-sitemap">{"".join(columns)}</div>'


def footer_facts(furniture: Furniture) -> str:
    """Contact lines, licence and copyright, with their own dates."""
    return (
        f"<p><strong>{esc(furniture.site_name.upper())}</strong></p>"
        "<p>Địa chỉ: Số 1, đường Trần Hưng Đạo, phường Phương Lâm, thành phố Hòa Bình</p>"
        "<p>Điện thoại: (0218) 3 852 000 - Fax: (0218) 3 852 001 - Email: vanphong@example.gov.vn</p>"
        "<p>Giấy phép số 125/GP-STTTT do Sở Thông tin và Truyền thông cấp ngày 15/03/2018</p>"
        f"<p>Bản quyền &copy; 2018 - {furniture.today.year}. Ghi rõ nguồn khi phát hành lại thông tin từ website này. "
        f'<a href="{urls.ADMIN}">Quản trị</a></p>'
    )


class Template(ABC):
    """A CMS look: a page shell and an article layout. Subclasses precompute what does not change."""

    name: ClassVar[str]
    css_path: ClassVar[str]
    stylesheet: ClassVar[str]

    def __init__(self, furniture: Furniture) -> None:
        self.furniture = furniture

    def article_page(self, article: Article, related: Sequence[ArticleMeta], counter: int, charset: str) -> list[str]:
        """The article's page as parts to join (see `page_bytes`)."""
        crumbs = (("Trang chủ", urls.HOME), (article.meta.category.name, urls.listing_path(article.meta.category.slug)))
        main = self.article_main(article, related)
        return self.shell("DetailController", crumbs, main, counter, charset, canonical=article.meta.path)

    def page(self, heading: str, crumbs: Crumbs, main: str, counter: int) -> list[str]:
        """Any other page of the site in this look, as parts to join."""
        title = f"{heading} - {self.furniture.site_name}"
        return self.shell(title, crumbs, main, counter, "utf-8", canonical=None)

    @abstractmethod
    def shell(self, title: str, crumbs: Crumbs, main: str, counter: int, charset: str,
              canonical: str | None) -> list[str]:
        """The whole page around `main`, as parts; the furniture parts are `Fixed`."""

    @abstractmethod
    def article_main(self, article: Article, related: Sequence[ArticleMeta]) -> str:
        """The article itself: headline, date, body, captions, byline, attachments and related links."""
