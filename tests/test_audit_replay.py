"""hdnd replay and hdnd show over a crawled mirror, with a real pywb on loopback."""

from __future__ import annotations

import re
import signal
import socket
import sqlite3
import subprocess
import sys
import unicodedata
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from archive.replay import StartPageEntry, start_page
from hdnd.cli import main

# What Scrapy asked for: the mirror answers its gzip page compressed only when asked.
ACCEPT_ENCODING = "gzip, deflate"


@dataclass
class Replay:
    base_url: str
    process: subprocess.Popen[str]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def replay(crawled_archive) -> Iterator[Replay]:
    """The real ``hdnd replay`` command, stopped with Ctrl-C (SIGINT) at the end."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "hdnd", "replay", "--db", crawled_archive.db_url,
         "--warc-dir", str(crawled_archive.warc_dir), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    announced = process.stdout.readline()
    assert f"at http://127.0.0.1:{port}/" in announced, announced
    yield Replay(f"http://127.0.0.1:{port}", process)
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 130
    process.stdout.close()
    assert not _listening(port), "pywb outlived hdnd replay"


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """GET without decoding anything: the body exactly as the server sent it."""
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, dict(response.headers), response.read()


def show(crawled_archive, capsys: pytest.CaptureFixture[str], source_id: str, *extra: str) -> str:
    """The output of ``hdnd show`` (run in this process: it needs no reactor)."""
    status = main(["show", source_id, "--db", crawled_archive.db_url, "--warc-dir", str(crawled_archive.warc_dir),
                   *extra])
    assert status == 0
    return capsys.readouterr().out


def source_id_of(path: str) -> str:
    """The mirror's article id: the last number of the article's path."""
    return re.search(r"(\d+)(?!.*\d)", path).group(1)


def served_url(show_output: str) -> str:
    (url,) = re.findall(r"as served\s+(\S+)", show_output)
    return url


@pytest.mark.parametrize("special", ["gzip", "windows_1258"])
def test_id_replay_returns_the_bytes_the_mirror_sent(
    crawled_archive, replay: Replay, capsys: pytest.CaptureFixture[str], special: str
) -> None:
    path = crawled_archive.site.special_pages()[special]
    _, mirror_headers, sent = fetch(crawled_archive.server.url(path), {"Accept-Encoding": ACCEPT_ENCODING})
    url = served_url(show(crawled_archive, capsys, source_id_of(path), "--replay-url", replay.base_url))
    # pywb decompresses for a client that does not accept gzip; a browser does.
    status, headers, replayed = fetch(url, {"Accept-Encoding": ACCEPT_ENCODING})
    assert status == 200
    assert replayed == sent
    if special == "gzip":
        assert sent[:2] == b"\x1f\x8b" and mirror_headers["Content-Encoding"] == "gzip"
        assert headers.get("Content-Encoding") == "gzip"
    else:
        assert "windows-1258" in headers["Content-Type"].lower()
        with pytest.raises(UnicodeDecodeError):
            sent.decode("utf-8")


def test_show_raw_writes_the_body_as_served(
    crawled_archive, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = crawled_archive.site.special_pages()["gzip"]
    _, _, sent = fetch(crawled_archive.server.url(path), {"Accept-Encoding": ACCEPT_ENCODING})
    output = tmp_path / "page.gz"
    show(crawled_archive, capsys, "2", "--raw", "--output", str(output))
    assert output.read_bytes() == sent


@pytest.mark.parametrize("special", ["gzip", "windows_1258", "seed"])
def test_the_rewritten_page_shows_the_article_title(
    crawled_archive, replay: Replay, capsys: pytest.CaptureFixture[str], special: str
) -> None:
    path = crawled_archive.site.special_pages()[special]
    source_id = source_id_of(path)
    title = crawled_archive.site.truth(int(source_id))["title"]
    url = served_url(show(crawled_archive, capsys, source_id, "--replay-url", replay.base_url)).replace("id_/", "mp_/")
    status, headers, page = fetch(url)
    assert status == 200
    charset = re.search(r"charset=([\w-]+)", headers["Content-Type"]).group(1)
    # windows-1258 writes most tone marks as combining characters.
    assert title in unicodedata.normalize("NFC", page.decode(charset))


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        if tag == "a" and dict(attrs).get("href"):
            self.links.append(dict(attrs)["href"])

    def handle_data(self, data: str) -> None:
        if self.rows and data.strip():
            self.rows[-1].append(data.strip())


def test_the_start_page_lists_every_article_linked_to_its_replay(crawled_archive, replay: Replay) -> None:
    status, _, page = fetch(replay.base_url + "/")
    assert status == 200
    parser = _Links()
    parser.feed(page.decode("utf-8"))
    titles = {row[0] for row in parser.rows[1:]}
    truth = {crawled_archive.site.truth(i)["title"] for i in crawled_archive.site.article_ids()}
    (articles,) = sqlite3.connect(make_url(crawled_archive.db_url).database).execute(
        "SELECT count(*) FROM articles").fetchone()
    assert len(parser.rows) - 1 == articles
    assert titles <= truth and len(titles) > 0.8 * len(truth)
    replays = [link for link in parser.links if re.match(r"/hdnd/\d{14}/http", link)]
    assert len(replays) == len(parser.rows) - 1
    status, _, frame = fetch(replay.base_url + replays[0])
    assert status == 200 and b"<iframe" in frame


def test_show_lists_captures_with_their_location(crawled_archive, capsys: pytest.CaptureFixture[str]) -> None:
    output = show(crawled_archive, capsys, "9")  # the article also linked under a tracking URL
    assert "source id 9" in output
    assert re.search(r"hdnd-\d{20}-\d{5}\.warc\.gz offset \d+ \(\d+ bytes\)", output)
    assert re.search(r"record <urn:uuid:[0-9a-f-]{36}>  payload sha1:[A-Z2-7]{32}", output)
    assert "(current)" in output and "replay     http://127.0.0.1:8080/hdnd/" in output


def test_show_of_an_unknown_article_is_an_error(crawled_archive, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "does-not-exist", "--db", crawled_archive.db_url]) == 1
    assert "no article 'does-not-exist'" in capsys.readouterr().err


def test_start_page_text_cannot_break_out_of_html_or_the_template() -> None:
    moment = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    html = start_page([StartPageEntry("<b>{{ 7*7 }}{% endblock %}</b>", None, moment, "http://h/a?x=1&y={2}")])
    assert "&lt;b&gt;&#123;&#123; 7*7 &#125;&#125;&#123;% endblock %&#125;&lt;/b&gt;" in html
    assert 'href="/hdnd/20260102030405/http://h/a?x=1&amp;y=&#123;2&#125;"' in html
    assert html.count("{% block") == 2 and html.count("{% endblock %}") == 2


def test_a_port_in_use_is_a_clear_error(crawled_archive, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        status = main(["replay", "--db", crawled_archive.db_url, "--warc-dir", str(crawled_archive.warc_dir),
                       "--port", str(port)])
    assert status == 2
    assert f"cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err
