"""An ASP.NET WebForms portal of the 2010s: one big layout table, a __VIEWSTATE blob, server-control ids."""

from __future__ import annotations

from typing import Sequence

from mirror import urls
from mirror.articles import Article, ArticleMeta, Paragraph
from mirror.templates.base import (
    Crumbs, Fixed, Furniture, Template, attr, body_blocks, counter_text, date_markup, esc, footer_facts, gallery,
    list_date, menu_items, opaque_state, site_map,
)

_PREFIX = "ctl00_ContentPlaceHolder1_"
_SENTENCE_BREAK = ".\r\n"


def _paragraph(paragraph: Paragraph) -> str:
    # The CMS's editor saved paragraphs with a hard line break (CRLF) after each sentence.
    text = esc(paragraph.text)
    if paragraph.subhead:
        return f"<p><b>{text}</b></p>"
    return f'<p style="text-align: justify;">{text.replace(". ", _SENTENCE_BREAK)}</p>'


def _verbatim_paragraph(paragraph: Paragraph) -> str:
    return f'<p style="text-align: justify;">{esc(paragraph.text)}</p>'


class AspNetTemplate(Template):
    name = "aspnet"
    css_path = "/App_Themes/HDND/Style.css"
    stylesheet = """body{margin:0;font-family:Arial,Helvetica,sans-serif;font-size:13px;background:#e8e8e8}
#tblMain{background:#fff}.banner{height:120px;background:#a50f0f;color:#ffde00}
.banner .site-title{font-size:30px;font-weight:bold;padding:30px 0 0 140px;text-transform:uppercase}
.banner .today{float:right;color:#fff;padding:4px 10px}.topmenu{background:#7b0b0b}
.topmenu ul{list-style:none;margin:0;padding:0}.topmenu li{display:inline-block;position:relative}
.topmenu li a{color:#fff;padding:8px 12px;display:block;text-decoration:none}
.topmenu li ul{display:none;position:absolute;background:#fff;min-width:220px;z-index:10}
.topmenu li:hover ul{display:block}.topmenu li ul li{display:block}.topmenu li ul li a{color:#333}
.leftcol,.rightcol{background:#f7f3e8;padding:6px}.BoxTitle{background:#a50f0f;color:#fff;padding:5px;font-weight:bold}
.BoxContent ul{margin:0;padding:0 0 0 16px}.BoxContent li{padding:3px 0}
.ArticleTitle{font-size:18px;font-weight:bold;color:#a50f0f}.ArticleDate{color:#888;font-size:11px}
.ArticleContent{text-align:justify;line-height:1.5}.ArticleContent img{max-width:100%}
.OtherNews{border-top:1px dotted #999;margin-top:10px}.OtherNewsTitle{font-weight:bold;color:#a50f0f}
.footer{background:#7b0b0b;color:#fff;text-align:center;padding:10px}.footer a{color:#ffde00}
.counter{font-weight:bold;color:#a50f0f}"""

    def __init__(self, furniture: Furniture) -> None:
        super().__init__(furniture)
        f = furniture
        self._banner = Fixed(
            '<table id="tblMain" width="1000" border="0" cellpadding="0" cellspacing="0" align="center">\n'
            '<tr><td colspan="3" class="banner"><div class="today">' + esc(f.today_line) + "</div>"
            f'<div class="site-title">{esc(f.site_name)}</div></td></tr>\n'
            '<tr><td colspan="3" class="topmenu"><ul id="ctl00_TopMenu">'
            + menu_items(f.menu, "TopItem", "SubMenu") + "</ul></td></tr>\n"
        )
        categories = "".join(
            f'<li><a href="{urls.listing_path(category.slug)}">{esc(category.name)}</a></li>'
            for category in f.categories
        )
        pages = "".join(f'<li><a href="{path}">{esc(label)}</a></li>' for path, label in f.static_pages)
        self._left = Fixed(
            '<tr><td class="leftcol" width="200" valign="top">'
            f'<div class="BoxTitle">Chuyên mục</div><div class="BoxContent"><ul>{categories}</ul></div>'
            f'<div class="BoxTitle">Giới thiệu</div><div class="BoxContent"><ul>{pages}</ul></div>'
            f'<div class="BoxTitle">Văn bản mới</div><div class="BoxContent"><ul>{self._links(f.documents)}</ul></div>'
            f'<div class="BoxTitle">Lịch công tác</div><div class="BoxContent">'
            f'<a href="{urls.CALENDAR}">Lịch công tác tuần của Thường trực HĐND tỉnh</a></div>'
            '<div class="BoxTitle">Hình ảnh hoạt động</div>'
            f'<div class="BoxContent">{gallery(f.newest[:6], "Photo")}</div>'
            "</td>\n"
        )
        options = "".join(f'<option value="{url}">{esc(label)}</option>' for url, label in f.external_links)
        banners = "".join(
            f'<li><a href="{url}" target="_blank">{esc(label)}</a></li>' for url, label in f.external_links[:2]
        )
        self._right = Fixed(
            '\n</td>\n<td class="rightcol" width="220" valign="top">'
            f'<div class="BoxTitle">Tìm kiếm</div><div class="BoxContent"><input name="ctl00$txtSearch" type="text" />'
            f'<a href="{urls.search_path("nghị quyết")}">Tìm</a></div>'
            f'<div class="BoxTitle">Tin mới</div><div class="BoxContent"><ul>{self._links(f.newest)}</ul></div>'
            f'<div class="BoxTitle">Tin đọc nhiều</div><div class="BoxContent"><ul>{self._links(f.popular)}</ul></div>'
            f'<div class="BoxTitle">Liên kết website</div><div class="BoxContent"><ul>{banners}</ul>'
            f'<select onchange="window.open(this.value)"><option>-- Chọn liên kết --</option>{options}</select></div>'
            '<div class="BoxTitle">Thống kê truy cập</div><div class="BoxContent"><span class="counter">Lượt truy cập: '
        )
        self._footer = Fixed(
            '</span></div></td></tr>\n<tr><td colspan="3" class="footer">'
            + site_map(f.menu) + footer_facts(f) + "</td></tr>\n</table>\n"
        )

    @staticmethod
    def _links(metas: Sequence[ArticleMeta]) -> str:
        return "".join(
            f'<li><a href="{meta.path}">{esc(meta.title)}</a> <span class="date">({list_date(meta)})</span></li>'
            for meta in metas
        )

    def shell(self, title: str, crumbs: Crumbs, main: str, counter: int, charset: str,
              canonical: str | None) -> list[str]:
        action = attr(canonical or urls.HOME)
        state = opaque_state(f"{title}{canonical}", 2400)
        trail = "<span> &gt; </span>".join(
            f'<a href="{href}">{esc(label)}</a>' if href else f"<span>{esc(label)}</span>" for label, href in crumbs
        )
        head = (
            '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
            '<html xmlns="http://www.w3.org/1999/xhtml">\n<head id="ctl00_Head1">'
            f'<meta http-equiv="Content-Type" content="text/html; charset={charset}" />'
            f"<title>{esc(title)}</title>\n"
            f'<link href="{self.css_path}" type="text/css" rel="stylesheet" />\n'
            '<script type="text/javascript">\n//<![CDATA[\nvar theForm = document.forms[\'aspnetForm\'];\n'
            "function __doPostBack(eventTarget, eventArgument) { theForm.__EVENTTARGET.value = eventTarget; "
            "theForm.submit(); }\n//]]>\n</script>\n</head>\n<body>\n"
            f'<form name="aspnetForm" method="post" action="{action}" id="aspnetForm">\n'
            f'<div><input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{state}" /></div>\n'
        )
        return [
            head, self._banner, self._left,
            '<td class="maincol" valign="top">\n<!-- Nội dung chính -->\n'
            f'<span id="ctl00_SiteMapPath1">{trail}</span>\n',
            main, self._right, counter_text(counter), self._footer,
            '<input type="hidden" name="__EVENTVALIDATION" id="__EVENTVALIDATION" value="'
            f'{opaque_state(title, 96)}" />\n</form>\n</body>\n</html>\n',
        ]

    def article_main(self, article: Article, related: Sequence[ArticleMeta]) -> str:
        meta = article.meta
        paragraph = _verbatim_paragraph if article.special else _paragraph
        byline = ""
        if article.byline:
            byline = f'<div class="ArticleAuthor" align="right"><b>{esc(article.byline)}</b></div>'
        attachments = ""
        if article.attachments:
            files = "<br />".join(
                f'<a href="{item.url}">{esc(item.name)}</a>'
                for item in article.attachments
            )
            attachments = f'<div class="ArticleAttach"><b>Tệp đính kèm:</b><br />{files}</div>'
        return (
            '<table class="ArticleDetail" width="100%" border="0" cellpadding="4" cellspacing="0">'
            f'<tr><td><span id="{_PREFIX}lblTitle" class="ArticleTitle">{esc(meta.title)}</span><br />'
            f'<span id="{_PREFIX}lblDate" class="ArticleDate">{date_markup(meta)}</span></td></tr>\n'
            f'<tr><td><div id="{_PREFIX}divContent" class="ArticleContent">\n{body_blocks(article, paragraph)}\n</div>'
            f"{byline}{attachments}</td></tr></table>\n"
            '<div class="OtherNews"><div class="OtherNewsTitle">Các tin khác</div><ul>'
            f"{self._links(related)}</ul></div>"
        )
