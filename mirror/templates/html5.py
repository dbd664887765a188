"""A modern WordPress-like theme: HTML5 sectioning, schema.org microdata, figure/figcaption, tag links."""

from __future__ import annotations

from typing import Sequence

from mirror import urls
from mirror.articles import Article, ArticleMeta
from mirror.templates.base import (
    Crumbs, Fixed, Furniture, Template, attr, body_blocks, counter_text, date_markup, esc, footer_facts, gallery,
    list_date, menu_items, site_map,
)

_TAGS = (("dân vận", "dan van"), ("kỳ họp", "ky hop"), ("giám sát", "giam sat"), ("cử tri", "cu tri"))


class Html5Template(Template):
    name = "html5"
    css_path = "/static/css/style.css"
    stylesheet = """:root{--brand:#0b5394;--muted:#6b7280}*{box-sizing:border-box}
body{margin:0;font:16px/1.6 "Noto Serif",Georgia,serif;color:#111}
.site-header{background:var(--brand);color:#fff}
.site-header .brand a{color:#fff;font-size:1.6rem;font-weight:700;text-decoration:none}
.main-nav ul{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;margin:0;padding:0}.main-nav li{position:relative}
.main-nav .sub-menu{display:none;position:absolute;background:#fff;box-shadow:0 2px 8px #0003}
.main-nav li:hover .sub-menu{display:block}
.layout{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,1fr);gap:2rem;max-width:1200px;margin:auto}
.crumbs ol{list-style:none;display:flex;gap:.4rem;padding:0}.crumbs li+li:before{content:"/";margin-right:.4rem}
.entry-title{font-size:2rem;line-height:1.25}.entry-meta{color:var(--muted);font-size:.9rem}
.entry-summary{font-size:1.1rem;color:#333}figure.image{margin:1rem auto;text-align:center}
figure.image figcaption{font-size:.85rem;color:var(--muted)}
.widget h2{font-size:1.1rem;border-bottom:2px solid var(--brand)}
.widget time,.related time{color:var(--muted);font-size:.8rem;margin-left:.3rem}
.site-footer{background:#0a2540;color:#cbd5e1;padding:2rem}.site-footer a{color:#fff}"""

    def __init__(self, furniture: Furniture) -> None:
        super().__init__(furniture)
        f = furniture
        self._header = Fixed(
            '<a class="skip-link" href="#content">Bỏ qua nội dung</a>\n<header class="site-header">'
            f'<div class="brand"><a href="{urls.HOME}">{esc(f.site_name)}</a>'
            f'<p class="tagline">Cổng thông tin điện tử &middot; {esc(f.today_line)}</p></div>\n'
            '<nav class="main-nav" aria-label="Menu chính">'
            f'<ul>{menu_items(f.menu, "menu-item", "sub-menu")}</ul></nav>'
            '<nav class="mobile-nav" aria-label="Menu di động" hidden><ul>'
            f'{menu_items(f.menu, "mobile-item", "mobile-sub")}</ul></nav>'
            '</header>\n<div class="layout">\n<main id="content" class="site-main">\n'
        )
        external = "".join(
            f'<li><a href="{url}" rel="noopener">{esc(label)}</a></li>' for url, label in f.external_links
        )
        self._aside = Fixed(
            '\n</main>\n<aside class="sidebar" aria-label="Thanh bên">'
            f'<section class="widget widget-search"><form role="search" action="{urls.SEARCH}">'
            '<label>Tìm kiếm <input type="search" name="q" /></label></form></section>'
            f'<section class="widget"><h2>Tin mới</h2><ul>{self._links(f.newest)}</ul></section>'
            f'<section class="widget"><h2>Đọc nhiều nhất</h2><ol>{self._links(f.popular)}</ol></section>'
            f'<section class="widget"><h2>Văn bản mới</h2><ul>{self._links(f.documents)}</ul></section>'
            '<section class="widget widget-gallery"><h2>Ảnh hoạt động</h2>'
            f'{gallery(f.newest[:6], "gallery-item")}</section>'
            '<section class="widget"><h2>Lịch công tác</h2>'
            f'<p><a href="{urls.CALENDAR}">Lịch tuần này</a></p></section>'
            f'<section class="widget"><h2>Liên kết</h2><ul>{external}</ul></section>'
            '<section class="widget widget-stats"><h2>Thống kê truy cập</h2><p>Lượt truy cập: <strong>'
        )
        self._footer = Fixed(
            "</strong></p></section></aside>\n</div>\n"
            f'<footer class="site-footer">{site_map(f.menu)}{footer_facts(f)}</footer>\n</body>\n</html>\n'
        )

    @staticmethod
    def _links(metas: Sequence[ArticleMeta]) -> str:
        items = []
        for meta in metas:
            when = ""
            if meta.published:
                when = f'<time datetime="{meta.published.date().isoformat()}">{list_date(meta)}</time>'
            items.append(f'<li><a href="{meta.path}">{esc(meta.title)}</a>{when}</li>')
        return "".join(items)

    def shell(self, title: str, crumbs: Crumbs, main: str, counter: int, charset: str,
              canonical: str | None) -> list[str]:
        items = "".join(
            '<li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem">'
            + (f'<a itemprop="item" href="{href}"><span itemprop="name">{esc(label)}</span></a>' if href
               else f'<span itemprop="name">{esc(label)}</span>')
            + f'<meta itemprop="position" content="{position}" /></li>'
            for position, (label, href) in enumerate(crumbs, start=1)
        )
        head = (
            f'<!doctype html>\n<html lang="vi">\n<head>\n<meta charset="{charset}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)}</title>\n"
            + (f'<link rel="canonical" href="{canonical}">\n' if canonical else "")
            + f'<link rel="stylesheet" href="{self.css_path}">\n</head>\n<body class="single">\n'
        )
        crumb_trail = (
            '<nav class="crumbs" aria-label="breadcrumb">'
            f'<ol itemscope itemtype="https://schema.org/BreadcrumbList">{items}</ol></nav>\n'
        )
        return [head, self._header, crumb_trail, main, self._aside, counter_text(counter), self._footer]

    def article_main(self, article: Article, related: Sequence[ArticleMeta]) -> str:
        meta = article.meta
        summary = ""
        if article.lead:
            summary = f'<p class="entry-summary" itemprop="description"><em>{esc(article.lead)}</em></p>\n'
        byline = (
            f'<p class="author" style="text-align:right"><strong>{esc(article.byline)}</strong></p>\n'
            if article.byline else ""
        )
        attachments = ""
        if article.attachments:
            items = "".join(
                f'<li><a href="{item.url}" download>{esc(item.name)}</a></li>' for item in article.attachments
            )
            attachments = f'<section class="attachments"><h2>Tài liệu đính kèm</h2><ul>{items}</ul></section>'
        tags = " ".join(
            f'<a href="{urls.search_path(query)}" rel="tag">{esc(label)}</a>'
            for label, query in _TAGS[: 1 + meta.id % 3]
        )
        return (
            f'<article class="post type-post" itemscope itemtype="https://schema.org/NewsArticle">\n'
            f'<meta itemprop="mainEntityOfPage" content="{attr(meta.path)}">\n'
            '<header class="entry-header">'
            f'<h1 class="entry-title" itemprop="headline">{esc(meta.title)}</h1>\n'
            f'<div class="entry-meta">{date_markup(meta)}</div></header>\n{summary}'
            f'<div class="entry-content" itemprop="articleBody">\n{body_blocks(article)}\n{byline}</div>\n'
            f'<footer class="entry-footer">{attachments}<div class="tags">Từ khóa: {tags}</div></footer>\n</article>\n'
            f'<section class="related"><h2>Bài viết liên quan</h2><ul>{self._links(related)}</ul></section>'
        )
