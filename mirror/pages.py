"""The main content of the pages that are not articles, and the site's robots.txt and sitemaps."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from mirror import prose, urls
from mirror.articles import ArticleFactory, ArticleMeta
from mirror.catalogue import CATEGORIES, Catalogue, Category
from mirror.dates import FIRST_DAY, WEEKDAYS, dmy
from mirror.templates.base import esc
from mirror.vocabulary import EXTERNAL_LINKS, STATIC_PAGES

SITEMAP_CHUNK = 10_000
STATIC_LABELS = dict(STATIC_PAGES)
MISSING_ARTICLE_TITLE = "Thông báo kết luận của Thường trực HĐND tỉnh (bài đã gỡ)"


def _item(meta: ArticleMeta, with_summary: bool) -> str:
    when = f'<span class="date">{dmy(meta.published)}</span>' if meta.published else ""
    summary = f'<p class="summary">{esc(meta.summary)}</p>' if with_summary else ""
    return (
        f'<div class="news-item"><a class="thumb" href="{meta.path}"><img src="{urls.thumbnail_path(meta.id)}" '
        f'alt="" width="120" height="80" /></a><h3><a href="{meta.path}">{esc(meta.title)}</a></h3>'
        f"{when}{summary}</div>"
    )


def home(catalogue: Catalogue, factory: ArticleFactory) -> str:
    newest = [factory.meta(article_id) for article_id in catalogue.newest(10)]
    blocks = []
    for category in CATEGORIES:
        items = "".join(_item(factory.meta(i), False) for i in catalogue.listing(category, 1)[:4])
        more = f'<a class="more" href="{urls.listing_path(category.slug)}">Xem tiếp</a>'
        blocks.append(f'<section class="home-block"><h2><a href="{urls.listing_path(category.slug)}">'
                      f"{esc(category.name)}</a></h2>{items}{more}</section>")
    moved = factory.meta(catalogue.special_ids["redirect_target"])
    shared = factory.meta(catalogue.special_ids["duplicate"])
    missing = urls.article_path("aspnet", urls.MISSING_ARTICLE_ID, CATEGORIES[0].slug)
    external_url, external_label = EXTERNAL_LINKS[0]
    others = (
        f'<li><a href="{urls.legacy_path(moved.id)}">{esc(moved.title)}</a></li>'
        f'<li><a href="{urls.tracking_variant(shared.path)}">{esc(shared.title)}</a></li>'
        f'<li><a href="{missing}">{esc(MISSING_ARTICLE_TITLE)}</a></li>'
        f'<li><a href="{external_url}">{esc(external_label)}</a></li>'
        f'<li><a href="{urls.search_path("dân vận")}">Tìm các bài về dân vận</a></li>'
    )
    return (
        '<div class="home">'
        f'<section class="featured">{_item(newest[0], True)}</section>'
        f'<section class="latest"><h2>Tin mới</h2>{"".join(_item(meta, True) for meta in newest[1:])}</section>'
        f'{"".join(blocks)}<section class="others"><h2>Bài viết khác</h2><ul>{others}</ul></section></div>'
    )


def listing(catalogue: Catalogue, factory: ArticleFactory, category: Category, page: int) -> str:
    items = "".join(_item(factory.meta(i), True) for i in catalogue.listing(category, page))
    return (
        f'<div class="category-page"><h1 class="category-title">{esc(category.name)}</h1>'
        f'<div class="list-news">{items}</div>{_pagination(category, page, catalogue.pages(category))}</div>'
    )


def _pagination(category: Category, page: int, last: int) -> str:
    links = []
    if page > 1:
        links.append(f'<a class="first" href="{urls.listing_path(category.slug)}">« Đầu</a>')
        links.append(f'<a class="prev" href="{urls.listing_path(category.slug, page - 1)}">‹ Trang trước</a>')
    for number in range(max(1, page - 3), min(last, page + 3) + 1):
        if number == page:
            links.append(f'<span class="current">{number}</span>')
        else:
            links.append(f'<a href="{urls.listing_path(category.slug, number)}">{number}</a>')
    if page < last:
        links.append(f'<a class="next" href="{urls.listing_path(category.slug, page + 1)}">Trang sau ›</a>')
        links.append(f'<a class="last" href="{urls.listing_path(category.slug, last)}">Cuối »</a>')
    return f'<div class="pagination">{" ".join(links)}</div>'


def week_of(moment: datetime) -> int:
    """Week number of the work calendar; week 0 starts on Monday 1 January 2018."""
    return (moment.date() - FIRST_DAY.date()).days // 7


def calendar(seed: int, week: int) -> str:
    """One week of the work calendar; it links to the next week forever."""
    monday = FIRST_DAY + timedelta(weeks=week)
    rng = random.Random(f"{seed}:week:{week}")
    rows = []
    for offset in range(5):
        day = monday + timedelta(days=offset)
        for _ in range(rng.randint(1, 3)):
            hour = rng.choice(("07:30", "08:00", "09:00", "14:00", "15:30"))
            rows.append(f"<tr><td>{WEEKDAYS[offset]}, {dmy(day)}</td><td>{hour}</td>"
                        f"<td>{esc(prose.schedule_item(rng))}</td></tr>")
    return (
        f'<div class="calendar"><h1>Lịch công tác tuần từ {dmy(monday)} đến {dmy(monday + timedelta(days=4))}</h1>'
        f'<p><a href="{urls.calendar_path(week - 1)}">« Tuần trước</a> | '
        f'<a href="{urls.calendar_path(week + 1)}">Tuần sau »</a></p>'
        f'<table class="schedule"><tr><th>Ngày</th><th>Giờ</th><th>Nội dung</th></tr>{"".join(rows)}</table></div>'
    )


def static_page(seed: int, slug: str, label: str) -> str:
    rng = random.Random(f"{seed}:page:{slug}")
    writer = prose.writer(seed)
    paragraphs = "".join(f"<p>{esc(writer.paragraph(rng, FIRST_DAY, 3))}</p>" for _ in range(3))
    return f'<div class="static-page"><h1>{esc(label)}</h1>{paragraphs}</div>'


def search(query: str) -> str:
    return (
        f'<div class="search-page"><h1>Kết quả tìm kiếm</h1><p>Từ khóa: <b>{esc(query)}</b></p>'
        "<p>Chức năng tìm kiếm đang được bảo trì.</p></div>"
    )


def admin_login() -> str:
    return (
        '<div class="login"><h1>Đăng nhập quản trị</h1><form method="post" action="/admin/login.aspx">'
        '<input name="user" /><input name="password" type="password" /><button>Đăng nhập</button></form></div>'
    )


def message(heading: str, text: str) -> str:
    home = f'<a href="{urls.HOME}">Về trang chủ</a>'
    return f'<div class="message"><h1>{esc(heading)}</h1><p>{esc(text)} {home}</p></div>'


def not_found() -> str:
    return message("Không tìm thấy trang", "Trang bạn yêu cầu không tồn tại hoặc đã bị gỡ bỏ.")


SERVER_ERROR = (
    "<html><head><title>Runtime Error</title></head><body><h1>Server Error in '/' Application.</h1>"
    "<h2><i>Runtime Error</i></h2><p>An application error occurred on the server.</p></body></html>"
)


def robots_txt(base_url: str) -> str:
    return (
        "User-agent: *\n"
        "Disallow: /admin/\n"
        f"Disallow: {urls.SEARCH}\n"
        "\n"
        "User-agent: BadBot\n"
        "Disallow: /\n"
        "\n"
        f"Sitemap: {base_url}{urls.SITEMAP}\n"
    )


def sitemap_chunks(catalogue: Catalogue) -> int:
    """How many article sitemaps the index lists; 0 when /sitemap.xml lists the articles itself."""
    return 0 if catalogue.latest <= SITEMAP_CHUNK else -(-catalogue.latest // SITEMAP_CHUNK)


def sitemap(catalogue: Catalogue, factory: ArticleFactory, base_url: str, chunk: int | None) -> str:
    """/sitemap.xml (chunk None) or one of its parts; every article is listed, the unlinked one included."""
    chunks = sitemap_chunks(catalogue)
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    if chunk is None and chunks:
        parts = "".join(f"<sitemap><loc>{base_url}/sitemap-{k}.xml</loc></sitemap>\n" for k in range(1, chunks + 1))
        return f'{head}<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{parts}</sitemapindex>\n'
    if chunk is None:
        first, last = 1, catalogue.latest
    else:
        first, last = (chunk - 1) * SITEMAP_CHUNK + 1, min(catalogue.latest, chunk * SITEMAP_CHUNK)
    entries = []
    if chunk in (None, 1):
        entries.append(f"<url><loc>{base_url}{urls.HOME}</loc><changefreq>daily</changefreq></url>\n")
    for article_id in range(last, first - 1, -1):
        meta = factory.meta(article_id)
        lastmod = catalogue.last_modified(article_id).isoformat() if meta.published else None
        entries.append(f"<url><loc>{esc(base_url + meta.path)}</loc>"
                       + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + "</url>\n")
    return f'{head}<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{"".join(entries)}</urlset>\n'
