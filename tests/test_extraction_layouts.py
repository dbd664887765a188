"""Extraction from small pages in markups the seed fixtures do not cover.

Each page puts one structural difficulty next to the usual furniture: Joomla and WordPress themes, a lead set
apart by emphasis, dates above the title or after the text, bylines, related-article lists inside the article
container, teaser sidebars longer than the article, the caption markups, attachments and breadcrumbs.
"""

from __future__ import annotations

from datetime import datetime, timezone

from crawler.extraction import SiteHints, extract_article

URL = "http://hdnd.example.gov.vn/tin-tuc/DetailController/812"
CRAWLED_AT = datetime(2023, 1, 10, 3, 0, tzinfo=timezone.utc)
TITLE = "Thường trực HĐND tỉnh giám sát việc thực hiện chính sách hỗ trợ đồng bào dân tộc thiểu số"
PARAGRAPHS = [
    "Sáng 20/12, Đoàn giám sát của Thường trực HĐND tỉnh do đồng chí Nguyễn Văn Chương, Phó Chủ tịch HĐND tỉnh "
    "làm trưởng đoàn đã có buổi làm việc với Ban Dân tộc tỉnh về việc thực hiện chính sách hỗ trợ đồng bào.",
    "Theo báo cáo, giai đoạn 2021 - 2022, toàn tỉnh đã bố trí hơn 120 tỷ đồng để hỗ trợ nhà ở, đất sản xuất, "
    "nước sinh hoạt cho 3.450 hộ đồng bào dân tộc thiểu số; nhiều công trình hạ tầng thiết yếu được đầu tư.",
    "Phát biểu kết luận, đồng chí Phó Chủ tịch HĐND tỉnh đề nghị Ban Dân tộc phối hợp với các sở, ngành rà soát, "
    "tham mưu UBND tỉnh tháo gỡ khó khăn, vướng mắc, giải ngân kịp thời nguồn vốn năm 2023./.",
]
SIDEBAR = """<div class="sidebar"><h3>Tin mới</h3><ul>
<li><a href="/tin-tuc/DetailController/811">Kỳ họp thứ 10 HĐND tỉnh khóa XVI bế mạc</a> <span>(22/12/2022)</span></li>
<li><a href="/tin-tuc/DetailController/810">Tiếp xúc cử tri sau kỳ họp tại huyện Lạc Sơn</a>
 <span>(18/12/2022)</span></li>
<li><a href="/tin-tuc/DetailController/809">Thẩm tra dự thảo nghị quyết về ngân sách</a> <span>(12/12/2022)</span></li>
</ul></div>"""
FOOTER = """<div class="footer">© Hội đồng nhân dân tỉnh. Giấy phép số 12/GP-TTĐT ngày 05/05/2020.
Cập nhật lúc 10:00 ngày 30/12/2022</div>"""


def _paragraphs(template: str = "<p>{}</p>") -> str:
    return "\n".join(template.format(text) for text in PARAGRAPHS)


def _page(content: str, head: str = "", sidebar: str = SIDEBAR) -> bytes:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>DetailController</title>{head}</head><body>
<div class="top"><div class="logo">HỘI ĐỒNG NHÂN DÂN TỈNH HÒA BÌNH</div>
<ul class="menu"><li><a href="/">Trang chủ</a></li><li><a href="/gioi-thieu">Giới thiệu</a></li>
<li><a href="/tin-tuc">Tin tức</a></li><li><a href="/ky-hop">Kỳ họp</a></li>
<li><a href="/lien-he">Liên hệ</a></li></ul></div>
<div class="wrap"><div class="left">{content}</div><div class="right">{sidebar}</div></div>
{FOOTER}</body></html>""".encode()


def _extract(page: bytes, **kwargs: object):
    return extract_article(page, URL, reference_time=CRAWLED_AT, **kwargs)


def test_joomla_item_page() -> None:
    article = _extract(_page(f"""<div class="item-page" itemscope itemtype="https://schema.org/Article">
<div class="page-header"><h2 itemprop="headline"><a href="{URL}">{TITLE}</a></h2></div>
<dl class="article-info muted"><dt class="article-info-term">Chi tiết</dt>
<dd class="published"><span class="icon-calendar"></span>
<time datetime="2022-12-21T01:30:00+00:00" itemprop="datePublished">Đăng ngày: Thứ tư, 21 Tháng 12 2022 08:30</time>
</dd><dd class="hits">Lượt xem: 1204</dd></dl>
<div itemprop="articleBody">{_paragraphs()}</div></div>"""))
    assert article.title == TITLE
    assert article.published_at.isoformat() == "2022-12-21T08:30:00+07:00"
    assert article.date_text == "21 Tháng 12 2022 08:30"
    assert article.paragraphs == PARAGRAPHS


def test_wordpress_month_names_use_the_fallback_parser() -> None:
    article = _extract(_page(f"""<article class="post"><header class="entry-header">
<h1 class="entry-title">{TITLE}</h1><div class="entry-meta"><span class="posted-on">
<a href="{URL}" rel="bookmark">21 Tháng Mười Hai, 2022</a></span></div></header>
<div class="entry-content">{_paragraphs()}</div></article>"""))
    assert article.published_at.isoformat() == "2022-12-21T00:00:00+07:00"
    assert article.paragraphs == PARAGRAPHS


def test_bold_first_paragraph_is_the_lead_and_the_date_may_follow_it() -> None:
    lead = "Thường trực HĐND tỉnh vừa tổ chức giám sát chuyên đề về chính sách dân tộc tại Ban Dân tộc tỉnh."
    article = _extract(_page(f"""<h1 class="news-title">{TITLE}</h1>
<div class="news-body"><p><strong>{lead}</strong></p>
<p><em>Cập nhật lúc 08:30 ngày 21/12/2022</em></p>{_paragraphs()}</div>"""))
    assert article.lead == lead
    assert article.published_at.isoformat() == "2022-12-21T08:30:00+07:00"
    assert article.date_text == "08:30 ngày 21/12/2022"
    assert article.paragraphs == PARAGRAPHS


def test_a_text_set_wholly_in_bold_has_no_lead() -> None:
    article = _extract(_page(f"""<h1>{TITLE}</h1><div class="content description">
{_paragraphs("<p><strong>{}</strong></p>")}</div>"""))
    assert article.lead is None
    assert article.paragraphs == PARAGRAPHS


def test_sapo_element_between_title_and_text() -> None:
    lead = "Đoàn giám sát ghi nhận nhiều kết quả tích cực, đồng thời chỉ ra một số tồn tại cần khắc phục."
    article = _extract(_page(f"""<div class="detail"><div class="detail-title">{TITLE}</div>
<div class="detail-date">Thứ Tư, 21/12/2022 - 08:30</div><div class="detail-sapo">{lead}</div>
<div class="detail-content">{_paragraphs()}</div></div>"""))
    assert (article.title, article.lead) == (TITLE, lead)
    assert article.published_at.isoformat() == "2022-12-21T08:30:00+07:00"
    assert article.date_text == "21/12/2022 - 08:30"


def test_date_above_the_title() -> None:
    article = _extract(_page(f"""<div class="box"><div class="cat-date">Tin hoạt động | 20/12/2022</div>
<h2>{TITLE}</h2><div>{_paragraphs()}</div></div>"""))
    assert article.title == TITLE
    assert article.published_at.isoformat() == "2022-12-20T00:00:00+07:00"


def test_labelled_date_after_the_text() -> None:
    article = _extract(_page(f"""<div class="news"><h1>{TITLE}</h1><div class="content">{_paragraphs()}</div>
<div class="info">Người đăng: admin - Ngày đăng: 19/12/2022 16:05</div></div>"""))
    assert article.published_at.isoformat() == "2022-12-19T16:05:00+07:00"
    assert article.paragraphs == PARAGRAPHS


def test_no_date_shown_means_none_even_with_dates_all_around() -> None:
    article = _extract(_page(f"""<h1>{TITLE}</h1><div class="content">{_paragraphs()}</div>"""))
    assert article.title == TITLE
    assert article.published_at is None
    assert article.date_text is None


def test_yearless_and_relative_dates_use_the_crawl_time() -> None:
    yearless = _extract(_page(f"""<h1>{TITLE}</h1><div class="d">Thứ Ba, 20/12 - 15:10</div>
<div class="content">{_paragraphs()}</div>"""))
    assert yearless.published_at.isoformat() == "2022-12-20T15:10:00+07:00"
    relative = _extract(_page(f"""<h1>{TITLE}</h1><div class="d">3 ngày trước</div>
<div class="content">{_paragraphs()}</div>"""))
    assert relative.published_at.date().isoformat() == "2023-01-07"


def test_right_aligned_byline_and_closing_kept() -> None:
    article = _extract(_page(f"""<h1>{TITLE}</h1><div class="content">{_paragraphs()}
<p align="right"><b><i>Minh Anh - Văn phòng HĐND</i></b></p></div>"""))
    assert article.byline == "Minh Anh - Văn phòng HĐND"
    assert article.paragraphs == PARAGRAPHS
    assert article.paragraphs[-1].endswith("./.")


def test_author_block_right_after_the_text() -> None:
    article = _extract(_page(f"""<div class="article"><h1>{TITLE}</h1><div class="content">{_paragraphs()}</div>
<div class="author">Tác giả: Thu Hà</div><div class="source">Nguồn: Báo Hòa Bình</div></div>"""))
    assert article.byline == "Thu Hà"
    assert article.paragraphs == PARAGRAPHS


def test_section_label_above_the_title_is_not_the_title() -> None:
    for label in ("<h1>TIN HOẠT ĐỘNG</h1>", "<h1>Hoạt động giám sát</h1>"):
        article = _extract(_page(f"""{label}<h3>{TITLE}</h3><p class="date">21/12/2022 8:30:00 SA</p>
{_paragraphs()}"""))
        assert article.title == TITLE
        assert article.lead is None
        assert article.published_at.isoformat() == "2022-12-21T08:30:00+07:00"


def test_print_view_without_any_markup_but_br() -> None:
    article = _extract(f"""<html><body><b>{TITLE}</b><br/><i>21/12/2022</i><br/>{"<br/><br/>".join(PARAGRAPHS)}
</body></html>""".encode())
    assert (article.title, article.paragraphs) == (TITLE, PARAGRAPHS)
    assert article.published_at.isoformat() == "2022-12-21T00:00:00+07:00"


def test_teasers_of_other_articles_after_the_text_are_not_body() -> None:
    teasers = "".join(
        f"""<div class="it"><a href="/tin-tuc/DetailController/{n}">Giám sát chính sách giảm nghèo tại huyện số {n}</a>
<div class="dt">(1{n}/11/2022)</div><p>Đoàn giám sát đã làm việc với UBND huyện về kết quả thực hiện chính sách giảm
nghèo, đề nghị huyện tiếp tục rà soát, hỗ trợ kịp thời.</p></div>"""
        for n in range(3)
    )
    article = _extract(_page(f"""<h1>{TITLE}</h1><div class="content">{_paragraphs()}
<div class="box"><div class="hd">CÙNG CHUYÊN MỤC</div>{teasers}</div></div>"""))
    assert article.paragraphs == PARAGRAPHS
    assert article.published_at is None


def test_related_list_inside_the_container_is_not_body() -> None:
    article = _extract(_page(f"""<h1>{TITLE}</h1><div class="content">{_paragraphs()}
<p><b>Các tin khác:</b></p>
<p>- <a href="/tin-tuc/DetailController/700">Giám sát chính sách giảm nghèo tại huyện Mai Châu</a> (12/11/2022)</p>
<p>- <a href="/tin-tuc/DetailController/699">HĐND tỉnh chất vấn về công tác quản lý đất đai</a> (02/11/2022)</p>
</div>"""))
    assert article.paragraphs == PARAGRAPHS
    assert article.byline is None


def test_paragraphs_in_divs_and_text_split_by_br() -> None:
    in_divs = _extract(_page(f"""<h1>{TITLE}</h1>
<div class="noidung">{_paragraphs("<div><span>{}</span></div>")}</div>"""))
    assert in_divs.paragraphs == PARAGRAPHS
    with_br = _extract(_page(f"""<h1>{TITLE}</h1><td><font face="Arial">{"<br><br>".join(PARAGRAPHS)}</font></td>"""))
    assert with_br.paragraphs == PARAGRAPHS


def test_one_paragraph_article_beats_a_longer_teaser_sidebar() -> None:
    teasers = "".join(
        f"""<div class="item"><h4><a href="/tin-tuc/DetailController/{n}">Tin số {n} về hoạt động giám sát của
HĐND tỉnh trong năm</a></h4><p>Trong năm, Thường trực HĐND tỉnh đã tổ chức nhiều cuộc giám sát, khảo sát tại các
sở, ngành, địa phương, qua đó kiến nghị nhiều giải pháp thiết thực, hiệu quả cho cử tri.</p></div>"""
        for n in range(6)
    )
    article = _extract(_page(f"""<h1>{TITLE}</h1><div class="content"><p>{PARAGRAPHS[1]}</p></div>""",
                             sidebar=f'<div class="xem-nhieu"><h3>Xem nhiều</h3>{teasers}</div>'))
    assert article.title == TITLE
    assert article.paragraphs == [PARAGRAPHS[1]]


def test_short_notice_beats_a_wordy_page_footer() -> None:
    notice = [
        "Thường trực HĐND tỉnh thông báo lịch tiếp công dân định kỳ tháng 01/2023, cụ thể như sau:",
        "Thời gian: ngày 15/01/2023, địa điểm: Trụ sở tiếp công dân tỉnh, số 2, đường Trần Hưng Đạo.",
    ]
    colophon = """<div class="foot"><p>Cơ quan chủ quản: Văn phòng Đoàn ĐBQH và HĐND tỉnh Hòa Bình.</p>
<p>Địa chỉ: Số 1, đường Trần Hưng Đạo, phường Phương Lâm, thành phố Hòa Bình, tỉnh Hòa Bình.</p>
<p>Điện thoại: 0218.3852.123, Fax: 0218.3852.124, Email: vanphong@hoabinh.gov.vn, website: hdnd.hoabinh.gov.vn.</p>
<p>Giấy phép số 12/GP-TTĐT do Sở Thông tin và Truyền thông cấp ngày 05/05/2020, ghi rõ nguồn khi phát hành lại.</p>
</div>"""
    article = _extract(_page(f"""<h2 class="title">Thông báo lịch tiếp công dân tháng 01/2023</h2>
<div class="content">{"".join(f"<p>{text}</p>" for text in notice)}</div>""", sidebar="") + colophon.encode())
    assert article.title == "Thông báo lịch tiếp công dân tháng 01/2023"
    assert article.paragraphs == notice


def test_caption_markups() -> None:
    first, second, third, fourth = (
        "Quang cảnh buổi giám sát", "Đồng chí Phó Chủ tịch HĐND tỉnh phát biểu", "Ảnh minh họa",
        "Các đại biểu thảo luận tại hội nghị.",
    )
    article = _extract(_page(f"""<h1>{TITLE}</h1><div class="content"><p>{PARAGRAPHS[0]}</p>
<table class="image center"><tr><td><img src="/img/a.jpg" alt="a"></td></tr>
<tr><td class="image_caption">{first}</td></tr>
</table>
<p style="text-align:center"><img src="/img/b.jpg"><br><span style="font-style: italic">{second}</span></p>
<p>{PARAGRAPHS[1]}</p>
<div class="img"><img src="/img/c.jpg"></div><div>{third}</div>
<p><img src="/img/icon-print.gif" width="16" height="16"></p>
<p align="center"><img src="/img/d.jpg"> <em>{fourth}</em></p><p align="center"><em>Ảnh: Tuấn Anh</em></p>
<p>{PARAGRAPHS[2]}</p>
<p><img src="/img/e.jpg"></p>
</div>"""))
    assert [(image.src.rsplit("/", 1)[-1], image.caption) for image in article.images] == [
        ("a.jpg", first), ("b.jpg", second), ("c.jpg", third), ("d.jpg", f"{fourth} Ảnh: Tuấn Anh"), ("e.jpg", None),
    ]
    assert article.paragraphs == PARAGRAPHS


def test_attachments_in_the_text_and_in_a_block_after_it() -> None:
    article = _extract(_page(f"""<div class="news"><h1>{TITLE}</h1><div class="content">{_paragraphs()}
<p>Xem chi tiết: <a href="/Uploads/files/bao-cao.pdf">Báo cáo số 45/BC-HĐND</a></p></div>
<div class="files"><b>Tệp đính kèm</b><ul>
<li><a href="/DownloadFile.aspx?id=12">Tải về</a></li>
<li><a href="/Uploads/files/Nghi%20quyet%2012.docx">Nghị quyết số 12/2022/NQ-HĐND</a></li>
<li><a href="/Uploads/files/bao-cao.pdf">Báo cáo (bản chụp)</a></li></ul></div></div>"""))
    assert [(item.url, item.name) for item in article.attachments] == [
        ("http://hdnd.example.gov.vn/Uploads/files/bao-cao.pdf", "Báo cáo số 45/BC-HĐND"),
        ("http://hdnd.example.gov.vn/DownloadFile.aspx?id=12", "DownloadFile.aspx"),
        ("http://hdnd.example.gov.vn/Uploads/files/Nghi%20quyet%2012.docx", "Nghị quyết số 12/2022/NQ-HĐND"),
    ]
    assert article.paragraphs == PARAGRAPHS


def test_breadcrumb_as_text_separated_links() -> None:
    article = _extract(_page(f"""<div class="path"><a href="/">Trang chủ</a> » <a href="/tin-tuc">Tin tức</a> »
<a href="/tin-tuc/giam-sat">Hoạt động giám sát</a></div><h1>{TITLE}</h1><div>{_paragraphs()}</div>"""))
    assert article.category == "Hoạt động giám sát"


def test_breadcrumb_from_json_ld() -> None:
    json_ld = """<script type="application/ld+json">{"@context": "https://schema.org", "@type": "BreadcrumbList",
"itemListElement": [{"@type": "ListItem", "position": 1, "name": "Trang chủ", "item": "/"},
{"@type": "ListItem", "position": 2, "name": "Kỳ họp HĐND", "item": "/ky-hop"}]}</script>"""
    article = _extract(_page(f"<h1>{TITLE}</h1><div>{_paragraphs()}</div>", head=json_ld))
    assert article.category == "Kỳ họp HĐND"


def test_site_hints_override_the_defaults() -> None:
    page = _page(f"""<div class="duong-dan">Trang chủ / Giám sát</div><h1>{TITLE}</h1>
<div class="content">{_paragraphs()}<p class="anh-mo-ta">Đoàn giám sát làm việc tại Ban Dân tộc</p></div>""",
                 sidebar=f'{SIDEBAR}<div class="right-info">Ngày đăng bài: <span class="ngay">21/12/2022</span></div>')
    default = _extract(page)
    assert default.published_at is None
    hinted = _extract(page, hints=SiteHints.from_mapping({
        "title": "h1", "date": ".ngay", "body": ".content", "caption": ".anh-mo-ta", "breadcrumb": ".duong-dan",
    }))
    assert hinted.title == TITLE
    assert hinted.published_at.isoformat() == "2022-12-21T00:00:00+07:00"
    assert hinted.paragraphs == PARAGRAPHS
    assert hinted.category == "Giám sát"


def test_caption_in_an_inline_element_beside_the_image() -> None:
    paragraphs = [
        f"<p>Đoạn {i}: Hội đồng nhân dân tỉnh thảo luận nhiều nội dung quan trọng của kỳ họp cuối năm.</p>"
        for i in range(6)
    ]
    figure = '<div class="image"><img src="/a.jpg"><span class="caption">Quang cảnh kỳ họp</span></div>'
    page = (
        "<html><head><title>DetailController</title></head><body><div class='main'>"
        "<h1>Kỳ họp thứ 10 HĐND tỉnh</h1><div>21/12/2022 08:30</div>"
        + "".join(paragraphs[:2]) + figure + "".join(paragraphs[2:]) + "</div></body></html>"
    )
    article = extract_article(page.encode(), "http://x.gov.vn/DetailController?id=1")
    assert [(image.src, image.caption) for image in article.images] == [("http://x.gov.vn/a.jpg", "Quang cảnh kỳ họp")]
    assert "Quang cảnh" not in article.body


def test_labelled_date_line_closing_the_text_is_the_date_not_text() -> None:
    paragraphs = "".join(
        f"<p>Đoạn {i}: Hội đồng nhân dân tỉnh thảo luận nhiều nội dung quan trọng của kỳ họp cuối năm.</p>"
        for i in range(6)
    )
    page = (
        "<html><head><title>DetailController</title></head><body><div id='header'><h1>HỘI ĐỒNG NHÂN DÂN TỈNH</h1></div>"
        "<div class='content'><h2>Giám sát chính sách đối với người có công</h2>" + paragraphs
        + "<p>Ngày đăng: 05/06/2022</p></div><div class='footer'>Cập nhật 01/01/2024</div></body></html>"
    )
    article = extract_article(page.encode(), "http://x.gov.vn/DetailController?id=1")
    assert article.title == "Giám sát chính sách đối với người có công"
    assert article.published_at.isoformat() == "2022-06-05T00:00:00+07:00"
    assert "Ngày đăng" not in article.body and len(article.paragraphs) == 6
