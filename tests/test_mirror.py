"""The mirror site, served by a real server on a free loopback port and fetched over real sockets."""

from __future__ import annotations

import gzip
import html
import http.client
import re
import socket
import threading
import tracemalloc
import unicodedata
from datetime import datetime
from email.utils import format_datetime
from html.parser import HTMLParser
from importlib import resources
from urllib.parse import urljoin, urlsplit

import pytest

from conftest import SHARED_DIR

from mirror import prose
from mirror.server import MirrorServer
from mirror.site import Site

SHARED_SEED = SHARED_DIR / "seed_article.txt"
TRUTH_KEYS = {
    "url", "source_id", "title", "published_at", "lead", "body", "captions", "images", "attachments", "byline",
    "category", "encoding", "template", "special", "version", "last_modified",
}


@pytest.fixture(scope="module")
def site() -> Site:
    return Site(articles=200)


@pytest.fixture(scope="module")
def server(site: Site):
    with MirrorServer(site) as running:
        yield running


@pytest.fixture()
def fresh_server():
    """A server of its own, for tests that depend on per-server state or change the generation."""
    with MirrorServer(Site(articles=60)) as running:
        yield running


class Fetched:
    def __init__(self, response: http.client.HTTPResponse) -> None:
        self.status = response.status
        self.headers = {name.lower(): value for name, value in response.getheaders()}
        self.body = response.read()

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def fetch(server: MirrorServer, target: str, headers: dict[str, str] | None = None, method: str = "GET") -> Fetched:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request(method, target, headers=headers or {})
        return Fetched(connection.getresponse())
    finally:
        connection.close()


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.srcs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and name == "href" and tag in ("a", "link"):
                self.hrefs.append(value)
            elif value and name == "src":
                self.srcs.append(value)


def links(page: str) -> Links:
    parser = Links()
    parser.feed(page)
    return parser


def visible_text(page: str) -> str:
    """Text of a page with tags removed (not replaced: words split across spans join) and whitespace collapsed."""
    without_scripts = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", "", without_scripts))
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


def local_target(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def decode_page(site: Site, article_id: int, body: bytes) -> str:
    truth = site.truth(article_id)
    return unicodedata.normalize("NFC", body.decode(truth["encoding"]))


# --- robots, listings, sitemap, crawlability -------------------------------------------------------------------


def test_robots_txt_disallows_admin_and_search_and_names_the_sitemap(server: MirrorServer) -> None:
    response = fetch(server, "/robots.txt")
    assert response.status == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    lines = response.text.splitlines()
    assert "Disallow: /admin/" in lines
    assert "Disallow: /search" in lines
    assert f"Sitemap: {server.base_url}/sitemap.xml" in lines


def test_listing_pages_are_paginated_newest_first_and_cover_the_category(site: Site, server: MirrorServer) -> None:
    category = "Tin hoạt động"
    hidden = site.special_pages()["sitemap_only"]
    expected = [
        site.truth(i)["url"] for i in reversed(site.article_ids())
        if site.truth(i)["category"] == category and site.truth(i)["url"] != hidden
    ]
    seen: list[str] = []
    target: str | None = "/chuyen-muc/tin-hoat-dong"
    pages = 0
    while target:
        response = fetch(server, target)
        assert response.status == 200
        listing = response.text[response.text.index('class="list-news"'):response.text.index('class="pagination"')]
        listed = [href for href in dict.fromkeys(links(listing).hrefs) if "DetailController" in href]
        assert 0 < len(listed) <= 20
        seen.extend(listed)
        pages += 1
        next_links = re.findall(r'<a class="next" href="([^"]+)">', response.text)
        target = html.unescape(next_links[0]) if next_links else None
    assert seen == expected
    assert pages == -(-len(expected) // 20)
    assert fetch(server, f"/chuyen-muc/tin-hoat-dong?page={pages + 1}").status == 404
    assert f'href="/chuyen-muc/tin-hoat-dong?page={pages}"' in fetch(server, "/chuyen-muc/tin-hoat-dong").text


def test_sitemap_lists_every_article_including_the_unlinked_one(site: Site, server: MirrorServer) -> None:
    response = fetch(server, "/sitemap.xml")
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/xml")
    locations = set(re.findall(r"<loc>([^<]+)</loc>", response.text))
    for article_id in site.article_ids():
        assert server.url(site.truth(article_id)["url"]) in locations
    assert server.url(site.special_pages()["sitemap_only"]) in locations


def test_a_crawl_from_the_home_page_reaches_every_article_but_the_sitemap_only_one(site: Site) -> None:
    """Breadth-first over same-site links, obeying robots.txt and skipping the endless calendar."""
    specials = site.special_pages()
    seen: set[str] = set()
    queue = ["/"]
    articles: set[str] = set()
    statuses: dict[str, int] = {}
    while queue:
        target = queue.pop()
        if target in seen:
            continue
        seen.add(target)
        response = site.respond("GET", target, {"Host": "mirror.test"})
        statuses[target] = response.status
        if response.status == 301:
            queue.append(local_target(response.header("Location")))
            continue
        if response.status != 200 or not (response.header("Content-Type") or "").startswith("text/html"):
            continue
        body = response.body
        if response.header("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        charset = (response.header("Content-Type") or "").split("charset=")[-1]
        if "DetailController" in target:
            articles.add(target)
        for href in links(body.decode(charset)).hrefs:
            absolute = urljoin("http://mirror.test" + target, href)
            if urlsplit(absolute).netloc != "mirror.test":
                continue
            local = local_target(absolute)
            if not local.startswith(("/admin/", "/search", "/lich-cong-tac")):
                queue.append(local)
    every = {site.truth(i)["url"] for i in site.article_ids()}
    assert every - articles == {specials["sitemap_only"]}
    assert articles - every == {specials["duplicate_alt"]}
    assert statuses[specials["redirect_old"]] == 301
    assert statuses[specials["not_found"]] == 404
    assert not any(path.startswith(("/admin/", "/search")) for path in seen)


def test_pages_link_to_disallowed_paths_another_host_and_the_calendar(site: Site, server: MirrorServer) -> None:
    specials = site.special_pages()
    home = links(fetch(server, "/").text)
    article = links(fetch(server, specials["seed"]).text)
    for parsed in (home, article):
        assert any(href.startswith("/search") for href in parsed.hrefs)
        assert specials["disallowed"] in parsed.hrefs
        assert specials["external"] in parsed.hrefs
        assert specials["calendar"] in parsed.hrefs
    assert urlsplit(specials["external"]).netloc not in ("", "127.0.0.1")
    assert fetch(server, specials["disallowed"]).status == 200  # only robots.txt keeps polite crawlers out


def test_the_work_calendar_never_ends(server: MirrorServer) -> None:
    target = "/lich-cong-tac"
    weeks = []
    for _ in range(4):
        response = fetch(server, target)
        assert response.status == 200
        following = re.findall(r'href="(/lich-cong-tac\?week=(-?\d+))">Tuần sau', response.text)
        assert len(following) == 1
        target, week = following[0]
        weeks.append(int(week))
    assert weeks == list(range(weeks[0], weeks[0] + 4))
    assert fetch(server, "/lich-cong-tac?week=abc").status == 404


# --- articles ---------------------------------------------------------------------------------------------------


def test_article_page_has_detailcontroller_title_and_the_truth(site: Site, server: MirrorServer) -> None:
    article_id = 150
    truth = site.truth(article_id)
    assert "DetailController" in truth["url"]
    response = fetch(server, truth["url"])
    assert response.status == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert int(response.headers["content-length"]) == len(response.body)
    assert response.headers["server"]
    assert re.search(r"<title>DetailController</title>", response.text)
    text = visible_text(response.text)
    assert truth["title"] in text
    for paragraph in truth["body"] + truth["captions"]:
        assert collapse(paragraph) in text
    assert truth["category"] in text


def test_every_article_has_complete_ground_truth_found_in_its_page(site: Site) -> None:
    templates, shapes = set(), set()
    for article_id in site.article_ids():
        truth = site.truth(article_id)
        assert set(truth) == TRUTH_KEYS
        assert truth["source_id"] == str(article_id)
        assert truth["body"] and all(unicodedata.is_normalized("NFC", p) for p in truth["body"])
        if truth["published_at"] is not None:
            assert datetime.fromisoformat(truth["published_at"]).utcoffset().total_seconds() == 7 * 3600
        assert truth["captions"] == [image["caption"] for image in truth["images"] if image["caption"]]
        response = site.respond("GET", truth["url"], {})
        assert response.status == 200
        text = visible_text(decode_page(site, article_id, response.body))
        for paragraph in [truth["title"], *truth["body"], *truth["captions"], truth["lead"] or ""]:
            assert collapse(paragraph) in text, (article_id, paragraph[:60])
        for attachment in truth["attachments"]:
            assert attachment["url"] in decode_page(site, article_id, response.body)
        templates.add(truth["template"])
        shapes.add("query" if "?id=" in truth["url"] else "path")
    assert templates == {"aspnet", "bootstrap", "html5", "vnportal"}
    assert shapes == {"query", "path"}


def test_articles_vary_their_date_forms_and_caption_markup(site: Site) -> None:
    pages = "\n".join(
        decode_page(site, i, site.respond("GET", site.truth(i)["url"], {}).body) for i in site.article_ids()
    )
    forms = {
        "21/12/2022 08:30": r'class="ArticleDate">\d{2}/\d{2}/\d{4} \d{2}:\d{2}<',
        "Thứ Tư, 21/12/2022 - 08:30": r"(Thứ \w+|Chủ nhật), \d{2}/\d{2}/\d{4} - \d{2}:\d{2}",
        "21-12-2022": r"</i> \d{2}-\d{2}-\d{4}<",
        "<time datetime>": r'<time class="entry-date" itemprop="datePublished" datetime="[\d-]{10}T[\d:]{8}\+07:00">',
        "ngày 21 tháng 12 năm 2022": r'"entry-meta">ngày \d{1,2} tháng \d{1,2} năm \d{4}<',
        "Ngày đăng: 05/06/2022": r"Ngày đăng: \d{2}/\d{2}/\d{4}",
        "Cập nhật lúc 08:30 ngày 21/12/2022": r"Cập nhật lúc \d{2}:\d{2} ngày \d{2}/\d{2}/\d{4}",
    }
    for form, pattern in forms.items():
        assert re.search(pattern, pages), form
    assert re.search(r"<figure[^>]*><img [^>]+><figcaption>", pages)
    assert re.search(r"<img [^>]+></td></tr><tr><td[^>]*><span[^>]*><em>", pages)
    assert re.search(r'<p style="text-align: center;"><img [^>]+></p><p style="text-align: center;"><em>', pages)
    assert re.search(r"<figure[^>]*><img [^>]+></figure>", pages)  # and images without a caption


def test_generated_text_holds_the_words_search_tests_look_for(site: Site) -> None:
    text = " ".join(" ".join([site.truth(i)["title"], *site.truth(i)["body"]]) for i in site.article_ids())
    for needle in ("dân vận", "Hòa Bình", "Hoà Bình", "Đồng chí", "Đức", "/NQ-HĐND", "./."):
        assert needle in text, needle
    assert re.search(r"\b\d{1,2}/\d{4}/NQ-HĐND", text)


def test_seed_article_is_served_verbatim(site: Site, server: MirrorServer) -> None:
    seed_text = (resources.files("mirror") / "data" / "seed_article.txt").read_text(encoding="utf-8")
    if SHARED_SEED.exists():
        assert seed_text == SHARED_SEED.read_text(encoding="utf-8")
    lines = seed_text.split("\n")
    content = [line for line in lines[7:] if line.strip()]
    path = site.special_pages()["seed"]
    page = fetch(server, path).text
    assert "<title>DetailController</title>" in page
    for line in [lines[2], lines[4], lines[6], *content]:
        assert line in page
    truth = site.truth(int(re.search(r"\d+", path).group()))
    assert truth["title"] == lines[4]
    assert truth["published_at"] == "2022-12-21T00:00:00+07:00"
    assert truth["captions"] == [content[1], content[-2]]
    assert truth["body"] == [line for index, line in enumerate(content) if index not in (1, len(content) - 2)]
    assert truth["body"][-1].endswith("./.")
    assert "15/15/2022" in " ".join(truth["body"])


def test_gzip_page_is_compressed_only_for_clients_that_accept_it(site: Site, server: MirrorServer) -> None:
    path = site.special_pages()["gzip"]
    compressed = fetch(server, path, {"Accept-Encoding": "gzip, deflate"})
    assert compressed.headers["content-encoding"] == "gzip"
    assert int(compressed.headers["content-length"]) == len(compressed.body)
    assert "accept-encoding" in compressed.headers["vary"].lower()
    plain = fetch(server, path)
    assert "content-encoding" not in plain.headers
    assert gzip.decompress(compressed.body) == plain.body
    refused = fetch(server, path, {"Accept-Encoding": "gzip;q=0, identity"})
    assert "content-encoding" not in refused.headers
    assert site.truth(int(re.search(r"\d+", path).group()))["title"] in plain.text


def test_windows_1258_page_decodes_to_the_truth(site: Site, server: MirrorServer) -> None:
    path = site.special_pages()["windows_1258"]
    truth = site.truth(int(re.search(r"\d+", path).group()))
    response = fetch(server, path)
    assert response.headers["content-type"] == "text/html; charset=windows-1258"
    assert truth["encoding"] == "windows-1258"
    with pytest.raises(UnicodeDecodeError):
        response.body.decode("utf-8")
    decoded = response.body.decode("cp1258")
    assert 'charset=windows-1258"' in decoded
    assert not unicodedata.is_normalized("NFC", decoded)  # cp1258 keeps tone marks combining
    text = visible_text(decoded)
    for paragraph in [truth["title"], *truth["body"]]:
        assert collapse(paragraph) in text


def test_nfd_page_is_decomposed_utf8(site: Site, server: MirrorServer) -> None:
    path = site.special_pages()["nfd"]
    truth = site.truth(int(re.search(r"\d+", path).group()))
    page = fetch(server, path).text
    assert unicodedata.is_normalized("NFD", page) and not unicodedata.is_normalized("NFC", page)
    assert truth["title"] not in page
    assert truth["title"] in unicodedata.normalize("NFC", page)


def test_article_without_a_date(site: Site) -> None:
    path = site.special_pages()["no_date"]
    truth = site.truth(int(re.search(r"\d+", path).group()))
    assert truth["published_at"] is None
    page = site.respond("GET", path, {}).body.decode()
    article_zone = page[page.index('class="SingleArticle"'):page.index('class="UISocialShare"')]
    assert not re.search(r"\d{1,2}[/-]\d{1,2}[/-]\d{4}", article_zone)


def test_duplicate_urls_serve_the_same_article(site: Site, server: MirrorServer) -> None:
    specials = site.special_pages()
    first, second = fetch(server, specials["duplicate"]), fetch(server, specials["duplicate_alt"])
    assert first.status == second.status == 200
    assert specials["duplicate"] != specials["duplicate_alt"]
    assert first.body == second.body


def test_500_once_then_200(fresh_server: MirrorServer) -> None:
    path = fresh_server.site.special_pages()["error_once"]
    assert fetch(fresh_server, path).status == 500
    assert fetch(fresh_server, path).status == 200
    assert fetch(fresh_server, path).status == 200
    assert [entry for entry in fresh_server.requests if entry[1] == path] == [
        ("GET", path, 500), ("GET", path, 200), ("GET", path, 200),
    ]


def test_old_url_answers_301_to_the_article(site: Site, server: MirrorServer) -> None:
    specials = site.special_pages()
    response = fetch(server, specials["redirect_old"])
    assert response.status == 301
    assert response.headers["location"] == server.url(specials["redirect_target"])
    assert int(response.headers["content-length"]) == len(response.body)


def test_missing_and_unknown_pages_are_404(site: Site, server: MirrorServer) -> None:
    for target in (site.special_pages()["not_found"], "/no/such/page", "/tin-tuc/DetailController/0",
                   "/Home/DetailController?id=abc", "/Uploads/images/2022/12/1-99.jpg"):
        response = fetch(server, target)
        assert response.status == 404, target
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert "Không tìm thấy trang" in response.text


def test_an_article_under_another_templates_url_shape_is_404(site: Site, server: MirrorServer) -> None:
    truth = site.truth(150)
    other = "/tin-tuc/DetailController/150" if truth["template"] != "bootstrap" else "/Home/DetailController?id=150"
    assert fetch(server, other).status == 404


def test_conditional_requests_answer_304(site: Site, server: MirrorServer) -> None:
    path = site.truth(120)["url"]
    first = fetch(server, path)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert etag.startswith('W/"')
    unchanged = fetch(server, path, {"If-None-Match": etag})
    assert unchanged.status == 304 and unchanged.body == b""
    assert unchanged.headers["etag"] == etag
    assert fetch(server, path, {"If-Modified-Since": modified}).status == 304
    assert fetch(server, path, {"If-None-Match": '"something-else"'}).status == 200
    long_ago = format_datetime(datetime(2001, 1, 1).astimezone(), usegmt=False)
    assert fetch(server, path, {"If-Modified-Since": long_ago}).status == 200


def test_head_sends_the_headers_of_get_without_a_body(site: Site, server: MirrorServer) -> None:
    path = site.truth(42)["url"]
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request("HEAD", path)
        head = connection.getresponse()
        assert head.read() == b""
        connection.request("GET", path)  # the same connection: HEAD left no stray body behind
        get = connection.getresponse()
        body = get.read()
    finally:
        connection.close()
    assert head.status == get.status == 200
    assert int(head.getheader("Content-Length")) == len(body)
    assert head.getheader("ETag") == get.getheader("ETag")


def test_keep_alive_with_pipelined_requests(site: Site, server: MirrorServer) -> None:
    paths = [site.truth(i)["url"] for i in (30, 31, 32)]
    request = "".join(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n" for path in paths).encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        connection.sendall(request)
        stream = connection.makefile("rb")
        for path in paths:
            status = stream.readline()
            assert status.startswith(b"HTTP/1.1 200")
            headers = {}
            while (line := stream.readline()) != b"\r\n":
                name, _, value = line.decode("latin-1").partition(":")
                headers[name.lower()] = value.strip()
            assert headers["connection"] == "keep-alive"
            body = stream.read(int(headers["content-length"]))
            assert site.truth(int(re.search(r"\d+", path).group()))["title"].encode() in body


def test_http_1_0_connection_is_closed_after_the_response(server: MirrorServer) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        connection.sendall(b"GET /robots.txt HTTP/1.0\r\n\r\n")
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    assert received.startswith(b"HTTP/1.1 200") and b"Connection: close" in received
    assert received.endswith(b"Sitemap: http://localhost/sitemap.xml\n")


def test_bad_requests_get_clear_errors(server: MirrorServer) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        connection.sendall(b"this is not http\r\n\r\n")
        reply = connection.makefile("rb").read()
    assert reply.startswith(b"HTTP/1.1 400") and b"malformed request line" in reply
    response = fetch(server, "/", method="POST")
    assert response.status == 405
    assert response.headers["allow"] == "GET, HEAD"


def test_slow_page_does_not_block_other_requests(site: Site, server: MirrorServer) -> None:
    slow_path = site.special_pages()["slow"]
    slow: list[Fetched] = []
    worker = threading.Thread(target=lambda: slow.append(fetch(server, slow_path)))
    worker.start()
    while not any(entry[1] == slow_path for entry in list(server.requests)):
        worker.join(0.01)
    fast = fetch(server, "/robots.txt")
    assert fast.status == 200 and worker.is_alive()
    worker.join()
    assert slow[0].status == 200


def test_images_attachments_and_stylesheets_are_served(site: Site, server: MirrorServer) -> None:
    truths = [site.truth(i) for i in site.article_ids()]
    jpeg = next(image["src"] for truth in truths for image in truth["images"] if image["src"].endswith(".jpg"))
    png = next(image["src"] for truth in truths for image in truth["images"] if image["src"].endswith(".png"))
    pdf = next(item["url"] for truth in truths for item in truth["attachments"] if item["url"].endswith(".pdf"))
    doc = next(item["url"] for truth in truths for item in truth["attachments"] if item["url"].endswith(".doc"))
    image = fetch(server, jpeg)
    assert image.headers["content-type"] == "image/jpeg"
    assert image.body.startswith(b"\xff\xd8\xff") and image.body.endswith(b"\xff\xd9")
    assert fetch(server, png).body.startswith(b"\x89PNG\r\n\x1a\n")
    document = fetch(server, pdf)
    assert document.headers["content-type"] == "application/pdf"
    assert document.body.startswith(b"%PDF-1.4") and document.body.rstrip().endswith(b"%%EOF")
    word = fetch(server, doc)
    assert word.headers["content-type"] == "application/msword" and word.body.startswith(b"{\\rtf1")
    page = fetch(server, site.special_pages()["seed"]).text
    stylesheet = next(href for href in links(page).hrefs if href.endswith(".css"))
    css = fetch(server, stylesheet)
    assert css.status == 200 and css.headers["content-type"] == "text/css; charset=utf-8"


# --- determinism, memory, generations ---------------------------------------------------------------------------


def test_two_sites_with_the_same_seed_give_identical_bytes() -> None:
    first, second = Site(articles=80, seed=7), Site(articles=80, seed=7)
    specials = first.special_pages()
    targets = ["/", "/robots.txt", "/sitemap.xml", "/chuyen-muc/nghi-quyet?page=2", "/lich-cong-tac?week=12",
               specials["seed"], specials["windows_1258"], specials["nfd"]]
    targets += [first.truth(i)["url"] for i in range(1, 81, 7)]
    targets += [image["src"] for i in range(30, 40) for image in first.truth(i)["images"]]
    for target in targets:
        assert first.respond("GET", target, {}) == second.respond("GET", target, {}), target
    assert first.respond("GET", specials["gzip"], {"Accept-Encoding": "gzip"}) == second.respond(
        "GET", specials["gzip"], {"Accept-Encoding": "gzip"})
    other_seed = Site(articles=80, seed=8)
    assert other_seed.truth(50) != first.truth(50)


def test_a_100000_article_site_costs_what_a_100_article_site_costs() -> None:
    prose.writer(3)  # the sentence pool is shared by every size: build it before measuring

    def peak(articles: int) -> int:
        tracemalloc.start()
        try:
            site = Site(articles=articles, seed=3)
            truth = site.truth(articles - 1)
            assert site.respond("GET", truth["url"], {}).status == 200
            assert site.respond("GET", "/chuyen-muc/tin-hoat-dong?page=3", {}).status == 200
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak(100), peak(100_000)
    assert large < small * 1.5


def test_next_generation_adds_articles_edits_a_few_and_changes_the_furniture(fresh_server: MirrorServer) -> None:
    site = fresh_server.site
    before = {i: site.truth(i) for i in site.article_ids()}
    stable_path = before[40]["url"]
    first = fetch(fresh_server, stable_path)
    assert fetch(fresh_server, stable_path).body == first.body  # generation 0 pages are byte-stable

    fresh_server.set_generation(1)
    after = {i: site.truth(i) for i in site.article_ids()}
    new_ids = sorted(set(after) - set(before))
    assert new_ids == list(range(61, 61 + len(new_ids))) and new_ids
    listing = fetch(fresh_server, "/chuyen-muc/tin-hoat-dong").text
    for article_id in new_ids:
        if after[article_id]["category"] == "Tin hoạt động":
            assert after[article_id]["url"] in listing
    edited = [i for i in before if after[i]["body"] != before[i]["body"]]
    assert edited and all(after[i]["version"] == 1 for i in edited) and 40 not in edited
    assert all(after[i]["title"] == before[i]["title"] for i in before)
    page = visible_text(fetch(fresh_server, after[edited[0]]["url"]).text)
    assert all(collapse(paragraph) in page for paragraph in after[edited[0]]["body"])

    once, twice = fetch(fresh_server, stable_path), fetch(fresh_server, stable_path)
    assert once.body != twice.body  # the visit counter moves on every request...
    assert collapse(before[40]["body"][-1]) in visible_text(once.text)  # ...while the article stays the same
    assert once.headers["etag"] == first.headers["etag"]
    assert fetch(fresh_server, stable_path, {"If-None-Match": first.headers["etag"]}).status == 304
    old_etag = Site(articles=60).respond("GET", after[edited[0]]["url"], {}).header("ETag")
    assert fetch(fresh_server, after[edited[0]]["url"], {"If-None-Match": old_etag}).status == 200


def test_site_rejects_impossible_sizes() -> None:
    with pytest.raises(ValueError, match="articles must be between"):
        Site(articles=3)
    with pytest.raises(KeyError):
        Site(articles=20).truth(21)


def test_server_reports_a_port_in_use() -> None:
    with MirrorServer(Site(articles=20)) as first:
        with pytest.raises(OSError):
            MirrorServer(Site(articles=20), port=first.port).start()
