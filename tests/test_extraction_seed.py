"""The seed article wrapped in four different plausible council CMS markups, with the usual page furniture.

Every page carries other titles and other dates (menus, "Tin mới" sidebars with dates, footers), and the
body itself holds dates (``26/11/2021``, an impossible ``15/15/2022``) that must never be taken.
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone

import pytest

from conftest import SHARED_DIR
from extraction_samples import to_windows_1258

from crawler.extraction import ExtractedArticle, extract_article
from crawler.extraction.text import normalize_text

SEED = SHARED_DIR / "seed_article.txt"
URL = "http://hdnd.example.gov.vn/Home/DetailController?id=4521"
CRAWLED_AT = datetime(2023, 1, 10, 3, 0, tzinfo=timezone.utc)
SIDEBAR_NEWS = [
    ("Kỳ họp thứ 10 HĐND tỉnh khóa XVI thành công tốt đẹp", "22/12/2022"),
    ("Thường trực HĐND tỉnh giám sát công tác cải cách hành chính", "19/12/2022"),
    ("Tiếp xúc cử tri trước kỳ họp cuối năm 2022", "15/12/2022"),
    ("Hội nghị triển khai nhiệm vụ năm 2023 của Văn phòng", "02/01/2023"),
]


@dataclass(frozen=True)
class Seed:
    site: str
    title: str
    date: str
    paragraphs: list[str]
    captions: list[str]


def _seed() -> Seed:
    if not SEED.is_file():
        pytest.skip(f"seed article not available at {SEED}")
    lines = SEED.read_text(encoding="utf-8").split("\n")
    items = [normalize_text(line) for line in lines[7:] if line.strip()]
    # first paragraph, its caption, five paragraphs, the caption of the second image, the closing paragraph
    return Seed(
        site=normalize_text(lines[2]),
        title=normalize_text(lines[4]),
        date=normalize_text(lines[6]),
        paragraphs=[items[0], *items[2:7], items[8]],
        captions=[items[1], items[7]],
    )


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _sidebar_items(template: str) -> str:
    return "".join(template.format(title=_escape(title), date=date, n=n) for n, (title, date) in
                   enumerate(SIDEBAR_NEWS))


def _split_in_spans(text: str, every: int = 37) -> str:
    """VNPT editors leave words cut across <span>s: 'p</span><span>hường'."""
    return "".join(f"<span>{_escape(text[i:i + every])}</span>" for i in range(0, len(text), every))


def table_layout(seed: Seed) -> bytes:
    """An old ASP site: nested layout tables, body as <br>-separated text in a cell, image tables."""
    p = [_escape(text) for text in seed.paragraphs]
    c = [_escape(text) for text in seed.captions]
    news = _sidebar_items('<tr><td class="news"><a href="/Home/DetailController?id={n}">{title}</a> '
                          '<span class="date">({date})</span></td></tr>')
    page = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1258">
<title>DetailController</title></head>
<body bgcolor="#ffffff"><table width="980" border="0" cellpadding="0" cellspacing="0" align="center">
<tr><td colspan="3"><img src="/images/banner.jpg" width="980" height="120"><br>
<h1>{_escape(seed.site)}</h1></td></tr>
<tr><td width="200" valign="top">
 <table width="100%"><tr><td><a href="/">Trang chủ</a></td></tr><tr><td><a href="/gioi-thieu">Giới thiệu</a></td></tr>
 <tr><td><a href="/ky-hop">Kỳ họp HĐND</a></td></tr><tr><td><a href="/van-ban">Văn bản</a></td></tr></table>
 <table width="100%"><tr><td><b>Tin mới</b></td></tr>{news}</table>
</td>
<td width="560" valign="top">
 <table width="100%" cellpadding="4">
 <tr><td><font size="4" color="#003399"><b>{_escape(seed.title)}</b></font></td></tr>
 <tr><td><font color="#888888"><i>{seed.date}</i></font></td></tr>
 <tr><td align="justify">{p[0]}<br><br>
 <table align="center" width="500"><tr><td><img src="../Uploads/2022/12/hoinghi1.jpg" width="500"></td></tr>
 <tr><td align="center">{c[0]}</td></tr></table>
 {p[1]}<br><br>{p[2]}<br><br>{p[3]}<br><br>{p[4]}<br><br>{p[5]}<br><br>
 <table align="center" width="500"><tr><td><img src="../Uploads/2022/12/hoinghi2.jpg" width="500"></td></tr>
 <tr><td align="center">{c[1]}</td></tr></table>
 {p[6]}</td></tr>
 <tr><td align="right"><a href="javascript:window.print()">In trang</a> | <a href="#top">Về đầu trang</a></td></tr>
 </table>
</td>
<td width="220" valign="top"><table><tr><td><b>Lịch làm việc</b></td></tr>
<tr><td>Thứ Hai, 26/12/2022: Thường trực HĐND họp giao ban</td></tr></table></td></tr>
<tr><td colspan="3" align="center">Bản quyền thuộc Hội đồng nhân dân tỉnh. Cập nhật lần cuối: 30/12/2022 16:45</td></tr>
</table></body></html>"""
    return to_windows_1258(page)


def bootstrap_layout(seed: Seed) -> bytes:
    """A PHP CMS with Bootstrap classes: navbar, breadcrumb, col-md-8 article and col-md-4 sidebar."""
    p = [_escape(text) for text in seed.paragraphs]
    c = [_escape(text) for text in seed.captions]
    news = _sidebar_items('<div class="media"><div class="media-body"><h4 class="media-heading">'
                          '<a href="/tin-tuc/{n}.html">{title}</a></h4><small>{date}</small></div></div>')
    body = "\n".join(f'<p style="text-align: justify;">{text}</p>' for text in p[1:6])
    page = f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>DetailController</title><meta property="og:title" content="DetailController"></head><body>
<div class="navbar navbar-default"><div class="container"><a class="navbar-brand" href="/">{_escape(seed.site)}</a>
<ul class="nav navbar-nav"><li><a href="/">Trang chủ</a></li><li><a href="/tin-tuc">Tin tức - Sự kiện</a></li>
<li><a href="/hoat-dong">Hoạt động HĐND</a></li><li><a href="/lien-he">Liên hệ</a></li></ul></div></div>
<div class="container"><div class="row">
<div class="col-md-8">
 <ol class="breadcrumb"><li><a href="/">Trang chủ</a></li><li><a href="/hoat-dong">Hoạt động HĐND</a></li>
 <li class="active">{_escape(seed.title[:60])}...</li></ol>
 <div class="panel panel-default"><div class="panel-body">
  <h3 class="text-primary">{_escape(seed.title)}</h3>
  <p class="text-muted small"><span class="glyphicon glyphicon-time"></span> Ngày đăng: {seed.date}
   | Lượt xem: 1.204</p>
  <div class="row"><div class="col-xs-12">
  <p style="text-align: justify;">{p[0]}</p>
  <p style="text-align: center;"><img class="img-responsive" src="/uploads/news/2022_12/hoi-nghi-1.jpg"
   alt="Hội nghị"></p>
  <p style="text-align: center;"><em>{c[0]}</em></p>
  {body}
  <p style="text-align: center;"><img class="img-responsive" src="/uploads/news/2022_12/hoi-nghi-2.jpg"></p>
  <p style="text-align: center;"><em>{c[1]}</em></p>
  <p style="text-align: justify;">{p[6]}</p>
  </div></div>
  <div class="share"><a href="https://facebook.com/share">Chia sẻ</a> <a href="#">In bài</a></div>
  <h4>Tin liên quan</h4>
  <ul class="list-unstyled"><li><a href="/tin-tuc/88.html">Hội nghị tổng kết công tác dân vận năm 2021</a>
  (28/12/2021)</li><li><a href="/tin-tuc/77.html">Triển khai Quy chế dân chủ ở cơ sở</a> (03/03/2022)</li></ul>
 </div></div>
</div>
<div class="col-md-4"><div class="panel panel-primary"><div class="panel-heading"><h3 class="panel-title">Tin mới
</h3></div><div class="panel-body">{news}</div></div></div>
</div></div>
<div class="footer"><div class="container"><p>© 2022 {_escape(seed.site)}. Địa chỉ: 01 Đường Trần Hưng Đạo.
Ngày cập nhật: 29/12/2022</p></div></div>
</body></html>"""
    return page.encode("utf-8")


def html5_layout(seed: Seed) -> bytes:
    """A modern theme: header/nav, main > article with figure/figcaption and <time>, aside, footer."""
    p = [_escape(text) for text in seed.paragraphs]
    c = [_escape(text) for text in seed.captions]
    news = _sidebar_items('<li><article><h3><a href="/bai-viet/{n}">{title}</a></h3>'
                          '<time datetime="2022-12-2{n}T09:00:00+07:00">{date}</time></article></li>')
    middle = "\n".join(f"<p>{text}</p>" for text in p[1:6])
    page = f"""<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>DetailController</title>
<base href="http://hdnd.example.gov.vn/portal/">
<meta property="article:published_time" content="2022-12-21T08:15:00+07:00"></head><body>
<header class="site-header"><h1 class="site-title"><a href="/">{_escape(seed.site)}</a></h1>
<nav><ul><li><a href="/">Trang chủ</a></li><li><a href="/tin-tuc">Tin tức</a></li>
<li><a href="/ky-hop">Kỳ họp</a></li></ul></nav>
<form class="search"><input name="q" placeholder="Tìm kiếm"><button>Tìm</button></form></header>
<main><nav aria-label="breadcrumb"><ol><li><a href="/">Trang chủ</a></li>
<li><a href="/tin-tuc">Tin tức</a></li><li><a href="/tin-tuc/dan-van">Công tác dân vận</a></li></ol></nav>
<article class="entry">
<header class="entry-header"><h2 class="entry-title">{_escape(seed.title)}</h2>
<div class="entry-meta"><time datetime="2022-12-21T08:15:00+07:00">{seed.date}</time>
<span class="author">Ban biên tập</span></div></header>
<div class="entry-content">
<p>{p[0]}</p>
<figure class="wp-block-image"><img src="uploads/2022/12/hn1.jpg" alt="" loading="lazy">
<figcaption>{c[0]}</figcaption></figure>
{middle}
<figure><img data-src="uploads/2022/12/hn2.jpg" src="data:image/gif;base64,R0lGODlhAQABAAAAACw="
 alt="Trao kỷ niệm chương"><figcaption>{c[1]}</figcaption></figure>
<p>{p[6]}</p>
<p>Tài liệu: <a href="files/bao-cao-tong-ket-2022.pdf">Báo cáo tổng kết công tác dân vận năm 2022</a></p>
</div>
<footer class="entry-footer"><span class="tags">Từ khóa: dân vận</span></footer>
</article></main>
<aside class="sidebar"><h2>Tin mới</h2><ul>{news}</ul></aside>
<footer class="site-footer"><p>© {_escape(seed.site)} – Cập nhật lúc 17:00 ngày 30/12/2022</p></footer>
</body></html>"""
    return page.encode("utf-8")


def vnpt_layout(seed: Seed) -> bytes:
    """A VNPT-like ASP.NET portal: one big form, LeftBar/ContentBar/RightBar tables, words split in spans."""
    p = [_split_in_spans(text) for text in seed.paragraphs]
    c = [_escape(text) for text in seed.captions]
    news = _sidebar_items('<li><a href="/tin-moi/{n}">{title}</a><span class="date"> - {date}</span></li>')
    middle = "\n".join(f'<p style="margin: 6pt 0; text-align: justify">{text}</p>' for text in p[1:6])
    viewstate = "dDwtMTA4NzY" * 3000
    page = f"""<!DOCTYPE html><html><head><title>
\tDetailController
</title><meta name="DC.Date" content=""></head><body>
<form method="post" action="./DetailController?id=4521" id="form1">
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{viewstate}" />
<div class="Header"><div class="PortalName">{_escape(seed.site)}</div></div>
<table width="100%"><tr>
<td id="LeftBar" class="LeftBar" width="250px"><div class="UIMenu"><ul>
<li><a href="/">Trang chủ</a></li><li><a href="/gioi-thieu">Giới thiệu</a></li><li><a href="/tin-tuc">Tin tức</a></li>
<li><a href="/hoat-dong-hdnd">Hoạt động HĐND</a></li><li><a href="/van-ban">Văn bản pháp luật</a></li></ul></div></td>
<td id="ContentBar" class="ContentBar" width="718px"><table width="100%"><tr><td valign="top">
<div class="UIMenuNavigation_Default"><div class="MenuNavigation"><ul>
<li class="Home"><span class="wrap"><a class="Text" href="/">Trang chủ</a></span></li>
<li class="Item"><span class="text"><a href="/hoat-dong-hdnd">Hoạt động HĐND</a></span></li></ul></div></div>
<div class="UIArticleInMenu_Default"><div class="ArticleInMenu"><div class="SingleArticle">
<div></div><div class="title">{_escape(seed.title)}  </div>
<div class="PublishDate">{seed.date}</div><div></div>
<p class="detail">
<p style="margin: 6pt 0; text-align: justify">{p[0]}</p>
<p style="text-align: center"><img src="/Portals/0/NewsImages/2022/hn1.jpg" style="width: 600px"></p>
<div>{c[0]}</div>
{middle}
<p style="text-align: center"><img src="/Portals/0/NewsImages/2022/hn2.jpg"></p>
<div>{c[1]}</div>
<p style="margin: 6pt 0; text-align: justify">{p[6]}</p>
</p>
<div class="UISocialShare"><div class="fb-share-button" data-href="{URL}"></div></div>
</div></div></div>
</td></tr></table></td>
<td id="RightBar" class="RightBar"><div class="HotNews"><div class="header">THÔNG BÁO</div><ul>{news}</ul></div>
<div class="Counter">Đang truy cập: 12 - Tổng lượt truy cập: 102.334</div></td>
</tr></table>
<div class="Footer">Cơ quan chủ quản: {_escape(seed.site)}. Ngày 01/01/2023.</div>
</form></body></html>"""
    return page.encode("utf-8")


LAYOUTS = {
    "table": (table_layout, "windows-1258", None),
    "bootstrap": (bootstrap_layout, "utf-8", "Hoạt động HĐND"),
    "html5": (html5_layout, "utf-8", "Công tác dân vận"),
    "vnpt": (vnpt_layout, "utf-8", "Hoạt động HĐND"),
}


@pytest.fixture(scope="module", params=sorted(LAYOUTS))
def extracted(request: pytest.FixtureRequest) -> tuple[str, Seed, ExtractedArticle]:
    seed = _seed()
    make_page, _, _ = LAYOUTS[request.param]
    article = extract_article(make_page(seed), URL, content_type="text/html", reference_time=CRAWLED_AT)
    return request.param, seed, article


def test_title_comes_from_the_body(extracted: tuple[str, Seed, ExtractedArticle]) -> None:
    _, seed, article = extracted
    assert article.title == seed.title


def test_date_is_the_article_date(extracted: tuple[str, Seed, ExtractedArticle]) -> None:
    _, seed, article = extracted
    assert article.published_at == datetime(2022, 12, 21, 0, 0, tzinfo=article.published_at.tzinfo)
    assert article.published_at.utcoffset().total_seconds() == 7 * 3600
    assert str(article.published_at.tzinfo) == "Asia/Ho_Chi_Minh"
    assert article.date_text == seed.date


def test_body_is_exactly_the_paragraphs(extracted: tuple[str, Seed, ExtractedArticle]) -> None:
    _, seed, article = extracted
    assert article.paragraphs == seed.paragraphs
    assert article.body.endswith("./.")
    assert article.lead is None
    assert article.byline is None


def test_captions_are_kept_apart(extracted: tuple[str, Seed, ExtractedArticle]) -> None:
    _, seed, article = extracted
    assert article.captions == seed.captions
    assert len(article.images) == 2
    assert all(image.src.startswith("http://hdnd.example.gov.vn/") for image in article.images)


def test_encoding_and_category(extracted: tuple[str, Seed, ExtractedArticle]) -> None:
    layout, _, article = extracted
    _, encoding, category = LAYOUTS[layout]
    assert article.encoding == encoding
    assert article.category == category


def test_every_string_is_nfc(extracted: tuple[str, Seed, ExtractedArticle]) -> None:
    _, _, article = extracted
    strings = [article.title, article.body, article.date_text, *article.captions]
    assert all(unicodedata.is_normalized("NFC", text) for text in strings)


def test_relative_links_resolve_against_base_href() -> None:
    seed = _seed()
    article = extract_article(html5_layout(seed), URL)
    assert [image.src for image in article.images] == [
        "http://hdnd.example.gov.vn/portal/uploads/2022/12/hn1.jpg",
        "http://hdnd.example.gov.vn/portal/uploads/2022/12/hn2.jpg",
    ]
    assert [image.alt for image in article.images] == [None, "Trao kỷ niệm chương"]
    assert [(a.url, a.name) for a in article.attachments] == [
        ("http://hdnd.example.gov.vn/portal/files/bao-cao-tong-ket-2022.pdf",
         "Báo cáo tổng kết công tác dân vận năm 2022"),
    ]
