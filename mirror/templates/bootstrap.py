"""A Bootstrap 3 theme of a PHP CMS: grid divs, a navbar mega-menu, panels, CKEditor body with entities."""

from __future__ import annotations

from html.entities import codepoint2name
from typing import Sequence

from mirror import urls
from mirror.articles import Article, ArticleMeta, Paragraph
from mirror.templates.base import (
    Crumbs, Fixed, Furniture, Template, body_blocks, counter_text, date_markup, esc, footer_facts, gallery, list_date,
    menu_items, site_map,
)

# Until its 2019 upgrade the site's CKEditor wrote Latin-1 letters as named entities (&agrave;), leaving the
# Vietnamese-only letters raw. A list indexed by code point translates twice as fast as a dict.
_EDITOR_UPGRADE_YEAR = 2019


def _entity_table() -> list[int | str]:
    table: list[int | str] = list(range(0x2000))
    for code, name in codepoint2name.items():
        if 0xC0 <= code <= 0xFF:
            table[code] = f"&{name};"
    return table


_ENTITIES = _entity_table()


def _paragraph(paragraph: Paragraph) -> str:
    if paragraph.subhead:
        return f"<p><strong>{esc(paragraph.text)}</strong></p>"
    return f'<p style="text-align:justify">{esc(paragraph.text)}</p>'


def _paragraph_with_entities(paragraph: Paragraph) -> str:
    return _paragraph(paragraph).translate(_ENTITIES)


class BootstrapTemplate(Template):
    name = "bootstrap"
    css_path = "/assets/css/main.css"
    stylesheet = """@charset "utf-8";body{font-family:"Roboto",Arial,sans-serif;font-size:15px;color:#222}
.site-header{background:#fff;border-bottom:3px solid #c4161c}
.logo-text{font-size:26px;font-weight:700;color:#c4161c;text-transform:uppercase}
.navbar-default{background:#c4161c;border:0;border-radius:0;margin-bottom:0}
.navbar-default .navbar-nav>li>a{color:#fff;font-weight:500}
.dropdown-menu.mega{width:100%;padding:15px}.dropdown-menu.mega li a{padding:4px 10px}
.breadcrumb{background:none;padding:10px 0}.news-title{font-size:28px;line-height:1.3;margin:10px 0}
.news-meta{color:#777;font-size:13px;margin-bottom:10px}.news-sapo{font-size:16px;margin-bottom:15px}
.news-content p{line-height:1.6;margin:0 0 12px}.news-content img{max-width:100%;height:auto}
.news-content figure{text-align:center;margin:10px 0}
.news-content figcaption{font-style:italic;font-size:13px;color:#555}
.share-tools a{margin-right:8px}.related-news .block-title{border-bottom:2px solid #c4161c;font-size:18px}
.sidebar .panel-heading{background:#c4161c;color:#fff;font-weight:700}
.sidebar .list-group-item .time{color:#999;font-size:12px}
.footer{background:#222;color:#ccc;padding:20px 0;margin-top:20px}.footer a{color:#fff}"""

    def __init__(self, furniture: Furniture) -> None:
        super().__init__(furniture)
        f = furniture
        desktop = menu_items(f.menu, "dropdown", "dropdown-menu mega")
        mobile = menu_items(f.menu, "mobile-item", "mobile-sub")
        self._header = Fixed(
            '<header class="site-header"><div class="topbar"><div class="container">'
            f'<span class="today">{esc(f.today_line)}</span></div></div>'
            '<div class="container"><div class="row"><div class="col-md-8">'
            f'<a class="logo" href="{urls.HOME}"><span class="logo-text">{esc(f.site_name)}</span></a></div>'
            '<div class="col-md-4 text-right">'
            f'<form class="form-inline search-form" action="{urls.SEARCH}" method="get">'
            '<input class="form-control" name="q" placeholder="Tìm kiếm..." /><button class="btn">Tìm</button>'
            "</form></div></div></div>\n"
            f'<nav class="navbar navbar-default"><div class="container"><ul class="nav navbar-nav">{desktop}</ul>'
            "</div></nav>\n"
            f'<div id="mobile-menu" class="offcanvas"><ul class="mobile-nav">{mobile}</ul></div></header>\n'
            '<div class="container main-content"><div class="row">\n<div class="col-md-8">\n'
        )
        external = "".join(
            f'<li class="list-group-item"><a href="{url}" target="_blank">{esc(label)}</a></li>'
            for url, label in f.external_links
        )
        self._sidebar = Fixed(
            '\n</div>\n<div class="col-md-4 sidebar">'
            f'<div class="panel panel-default"><div class="panel-heading">Tin mới nhất</div>'
            f'<ul class="list-group">{self._links(f.newest)}</ul></div>'
            f'<div class="panel panel-default"><div class="panel-heading">Xem nhiều</div>'
            f'<ul class="list-group">{self._links(f.popular)}</ul></div>'
            f'<div class="panel panel-default"><div class="panel-heading">Văn bản mới</div>'
            f'<ul class="list-group">{self._links(f.documents)}</ul></div>'
            f'<div class="panel panel-default"><div class="panel-heading">Hình ảnh</div>'
            f'<div class="panel-body gallery">{gallery(f.newest[:6], "thumbnail")}</div></div>'
            f'<div class="panel panel-default"><div class="panel-heading">Lịch công tác</div><div class="panel-body">'
            f'<a href="{urls.CALENDAR}">Xem lịch công tác tuần</a></div></div>'
            '<div class="panel panel-default"><div class="panel-heading">Liên kết</div>'
            f'<ul class="list-group">{external}</ul></div>'
            '<div class="panel panel-default"><div class="panel-heading">Thống kê</div><div class="panel-body">'
            '<p>Đang trực tuyến: 27</p><p>Lượt truy cập: '
        )
        self._footer = Fixed(
            '</p></div></div></div>\n</div></div>\n'
            f'<footer class="footer"><div class="container">{site_map(f.menu)}{footer_facts(f)}</div></footer>\n'
            "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}"
            "gtag('js',new Date());</script>\n</body>\n</html>\n"
        )

    @staticmethod
    def _links(metas: Sequence[ArticleMeta]) -> str:
        return "".join(
            f'<li class="list-group-item"><a href="{meta.path}">{esc(meta.title)}</a>'
            f' <span class="time">{list_date(meta)}</span></li>'
            for meta in metas
        )

    def shell(self, title: str, crumbs: Crumbs, main: str, counter: int, charset: str,
              canonical: str | None) -> list[str]:
        items = "".join(
            f'<li><a href="{href}">{esc(label)}</a></li>' if href else f'<li class="active">{esc(label)}</li>'
            for label, href in crumbs
        )
        head_canonical = f'<link rel="canonical" href="{canonical}" />' if canonical else ""
        head = (
            '<!DOCTYPE html>\n<html lang="vi">\n<head>\n'
            f'<meta charset="{charset}" />\n<meta http-equiv="X-UA-Compatible" content="IE=edge" />\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1" />\n'
            f"<title>{esc(title)}</title>\n{head_canonical}"
            f'<link rel="stylesheet" href="{self.css_path}" />\n</head>\n<body>\n'
        )
        return [
            head, self._header, f'<ol class="breadcrumb">{items}</ol>\n', main,
            self._sidebar, counter_text(counter), self._footer,
        ]

    def article_main(self, article: Article, related: Sequence[ArticleMeta]) -> str:
        meta = article.meta
        views = 150 + (meta.id * 7919) % 4000
        sapo = f'<div class="news-sapo"><strong>{esc(article.lead)}</strong></div>' if article.lead else ""
        byline = f'<p style="text-align:right"><strong>{esc(article.byline)}</strong></p>' if article.byline else ""
        attachments = ""
        if article.attachments:
            items = "".join(
                f'<li><i class="fa fa-paperclip"></i> <a href="{item.url}">{esc(item.name)}</a></li>'
                for item in article.attachments
            )
            attachments = f'<div class="news-attachments"><h4>Văn bản đính kèm</h4><ul>{items}</ul></div>'
        share = f"https://www.facebook.com/sharer/sharer.php?u={meta.path}"
        old_editor = meta.moment.year < _EDITOR_UPGRADE_YEAR and not article.special
        paragraph = _paragraph_with_entities if old_editor else _paragraph
        return (
            '<div class="news-detail">\n'
            f'<h1 class="news-title">{esc(meta.title)}</h1>\n'
            f'<div class="news-meta"><span class="news-date"><i class="fa fa-clock-o"></i> {date_markup(meta)}</span>'
            f' <span class="news-views">Lượt xem: {views}</span></div>\n{sapo}\n'
            f'<div class="news-content">\n{body_blocks(article, paragraph)}\n{byline}</div>\n{attachments}'
            f'<div class="share-tools">Chia sẻ: <a href="{share}" rel="nofollow">Facebook</a>'
            ' <a href="#" onclick="window.print();return false;">In bài viết</a></div>\n</div>\n'
            '<div class="related-news"><h3 class="block-title">Tin liên quan</h3>'
            f'<ul class="list-unstyled">{self._links(related)}</ul></div>'
        )
