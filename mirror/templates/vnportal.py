"""A VNPT vnPortal-like provincial portal: three table columns, MenuNavigation, SingleArticle, span-split words."""

from __future__ import annotations

import random
from typing import Sequence

from mirror import urls
from mirror.articles import Article, ArticleMeta, Paragraph
from mirror.templates.base import (
    Crumbs, Fixed, Furniture, Template, body_blocks, counter_text, date_markup, esc, footer_facts, gallery, list_date,
    menu_items, opaque_state, site_map,
)


def _split_into_spans(text: str, rng: random.Random) -> str:
    """Word-processor pastes cut the text into runs at arbitrary points, even inside words."""
    draw, length = rng.random, len(text)
    cuts = sorted({int(draw() * length) for _ in range(1 + int(draw() * 6))} - {0})
    pieces = [text[start:end] for start, end in zip([0, *cuts], [*cuts, length])]
    return "".join(f'<span style="font-size:14px;">{esc(piece)}</span>' for piece in pieces)


class VnPortalTemplate(Template):
    name = "vnportal"
    css_path = "/Portals/_default/Skins/vnPortal/skin.css"
    stylesheet = """body{margin:0;background:#f0f0f0 url(none);font-family:Tahoma,Arial;font-size:12px}
#wrapper{width:1004px;margin:0 auto;background:#fff}.Banner{height:140px;background:#b30000}
.BannerText{color:#fff200;font:bold 28px "Times New Roman";padding:40px 0 0 150px;text-transform:uppercase}
.MenuTop{background:#8a0000}.MenuTop ul.rmRootGroup{margin:0;padding:0;list-style:none}
.MenuTop li.rmItem{display:inline-block}.MenuTop li.rmItem>a{color:#fff;padding:7px 10px;display:block}
.MenuTop ul.rmGroup{display:none}.LeftBar,.RightBar{width:210px;background:#fbf7ea}
.UIMenuTree .Title,.UIHotNews .Title,.UIWebLink .Title,.UICounter .Title{
background:#b30000;color:#fff;padding:5px;font-weight:bold}
.MenuNavigation{padding:6px 0;color:#666}.MenuNavigation a{color:#b30000}
.SingleArticle .title{font-size:17px;font-weight:bold;color:#b30000}
.SingleArticle .PostDate{color:#777;font-style:italic}
.ArticleContent{line-height:1.5;text-align:justify}.OtherArticles .Title{font-weight:bold;border-bottom:1px solid #ccc}
.Footer{background:#8a0000;color:#fff;padding:10px;text-align:center}"""

    def __init__(self, furniture: Furniture) -> None:
        super().__init__(furniture)
        f = furniture
        self._top = Fixed(
            '<div id="wrapper"><div class="Header"><div class="Banner">'
            f'<div class="BannerText">{esc(f.site_name)}</div></div>'
            f'<div class="DateNow">{esc(f.today_line)}</div>'
            f'<div class="MenuTop"><ul class="rmRootGroup">{menu_items(f.menu, "rmItem", "rmGroup")}</ul></div></div>\n'
        )
        tree = menu_items(f.menu, "TreeItem", "TreeChildren")
        notices = "".join(
            f'<div class="HotItem"><a href="{meta.path}">{esc(meta.title)}</a></div>' for meta in f.newest[:5]
        )
        self._left = Fixed(
            '<table class="MainTable" width="100%" cellpadding="0" cellspacing="0"><tr>\n'
            '<td class="LeftBar" valign="top">'
            f'<div class="UIMenuTree"><div class="Title">DANH MỤC</div><ul>{tree}</ul></div>'
            f'<div class="UIHotNews"><div class="Title">THÔNG BÁO</div><marquee direction="up" scrollamount="2">'
            f"{notices}</marquee></div>"
            f'<div class="UIHotNews"><div class="Title">VĂN BẢN MỚI</div><ul>{self._links(f.documents)}</ul></div>'
            '</td>\n<td class="ContentBar" valign="top">\n'
        )
        links = "".join(f'<li><a href="{url}" target="_blank">{esc(label)}</a></li>' for url, label in f.external_links)
        self._right = Fixed(
            '\n</td>\n<td class="RightBar" valign="top">'
            f'<div class="UIHotNews"><div class="Title">TIN MỚI</div><ul>{self._links(f.newest)}</ul></div>'
            f'<div class="UIHotNews"><div class="Title">TIN XEM NHIỀU</div><ul>{self._links(f.popular)}</ul></div>'
            f'<div class="UIGallery"><div class="Title">HÌNH ẢNH</div>{gallery(f.newest[:6], "GalleryItem")}</div>'
            f'<div class="UIWebLink"><div class="Title">LIÊN KẾT WEBSITE</div><ul>{links}</ul></div>'
            f'<div class="UISchedule"><a href="{urls.CALENDAR}">Lịch công tác</a></div>'
            '<div class="UICounter"><div class="Title">THỐNG KÊ TRUY CẬP</div>'
            '<div class="CounterRow">Đang truy cập: 12</div><div class="CounterRow">Lượt truy cập: '
        )
        self._bottom = Fixed(
            "</div></div></td>\n</tr></table>\n"
            f'<div class="Footer">{site_map(f.menu)}{footer_facts(f)}</div></div>\n</form>\n</body>\n</html>\n'
        )

    @staticmethod
    def _links(metas: Sequence[ArticleMeta]) -> str:
        return "".join(
            f'<li><a href="{meta.path}">{esc(meta.title)}</a>'
            + (f' <span class="ArticleDate">- {list_date(meta)}</span>' if meta.published else "")
            + "</li>"
            for meta in metas
        )

    def shell(self, title: str, crumbs: Crumbs, main: str, counter: int, charset: str,
              canonical: str | None) -> list[str]:
        trail = " » ".join(f'<a href="{href}">{esc(label)}</a>' if href else esc(label) for label, href in crumbs)
        state = opaque_state(f"vnportal{title}{canonical}", 3000)
        head = (
            '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
            '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="vi" lang="vi">\n<head>'
            f'<meta http-equiv="Content-Type" content="text/html; charset={charset}" />'
            f"<title>{esc(title)}</title>\n"
            f'<link href="{self.css_path}" rel="stylesheet" type="text/css" />\n</head>\n<body>\n'
            f'<form method="post" action="{canonical or urls.HOME}" id="form1">\n'
            '<div class="aspNetHidden">'
            f'<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{state}" /></div>\n'
        )
        return [
            head, self._top, self._left, f'<div class="MenuNavigation">{trail}</div>\n', main,
            self._right, counter_text(counter), self._bottom,
        ]

    def article_main(self, article: Article, related: Sequence[ArticleMeta]) -> str:
        meta = article.meta
        rng = random.Random(meta.path)

        def paragraph(block: Paragraph) -> str:
            if block.subhead:
                return f'<p style="text-align: justify;"><b>{esc(block.text)}</b></p>'
            lead_space = "<span>&nbsp;</span>" if rng.random() < 0.2 else ""
            inner = _split_into_spans(block.text, rng) if rng.random() < 0.5 else esc(block.text)
            return f'<p style="text-align: justify;">{lead_space}{inner}</p>'

        byline = f'<p align="right"><b>{esc(article.byline)}</b></p>' if article.byline else ""
        date = f'<div class="PostDate">{date_markup(meta)}</div>' if meta.date_style else ""
        attachments = ""
        if article.attachments:
            files = "".join(
                f'<tr><td><a href="{item.url}">{esc(item.name)}</a></td><td>Tải về</td></tr>'
                for item in article.attachments
            )
            attachments = f'<div class="AttachFiles"><b>File đính kèm:</b><table>{files}</table></div>'
        return (
            '<div class="UIArticleInMenu_Default"><div class="ArticleInMenu"><div class="SingleArticle">\n'
            f'<div class="title">{esc(meta.title)}  </div>\n{date}\n'
            f'<div class="ArticleContent">\n{body_blocks(article, paragraph)}\n{byline}</div>\n{attachments}'
            '</div></div>\n<div class="UISocialShare"><a href="#">Chia sẻ</a> | <a href="#">In trang</a></div>\n'
            '<div class="OtherArticles"><div class="Title">Các tin khác</div>'
            f"<ul>{self._links(related)}</ul></div></div>"
        )
