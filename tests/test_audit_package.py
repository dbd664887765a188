"""hdnd package: a WACZ that the real 'wacz validate' accepts and that pywb loads and replays."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from archive.reader import read_record
from hdnd.cli import main

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def wacz(crawled_archive, tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("package") / "archive.wacz"
    assert main(["package", "--all", "-o", str(output), "--db", crawled_archive.db_url,
                 "--warc-dir", str(crawled_archive.warc_dir)]) == 0
    return output


def articles(db_url: str) -> dict[str, tuple[str, str, int]]:
    """Title of each article by the URL of its current capture, with that capture's file and offset."""
    with sqlite3.connect(make_url(db_url).database) as connection:
        rows = connection.execute(
            "SELECT c.url, a.title, c.warc_file, c.warc_offset FROM articles a JOIN captures c ON c.id = a.capture_id"
        ).fetchall()
    return {url: (title, warc_file, offset) for url, title, warc_file, offset in rows}


def test_the_wacz_passes_wacz_validate(wacz: Path) -> None:
    completed = subprocess.run([str(BIN / "wacz"), "validate", "-f", str(wacz)], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "the passed WACZ is valid" in completed.stdout


def test_the_wacz_holds_warcs_index_pages_and_datapackage(crawled_archive, wacz: Path) -> None:
    with zipfile.ZipFile(wacz) as package:
        names = package.namelist()
        warcs = sorted(p.name for p in crawled_archive.warc_dir.glob("*.warc.gz"))
        assert sorted(name.removeprefix("archive/") for name in names if name.startswith("archive/")) == warcs
        assert all(package.getinfo(f"archive/{name}").compress_type == zipfile.ZIP_STORED for name in warcs)
        assert {"indexes/index.cdx", "pages/pages.jsonl", "datapackage.json", "datapackage-digest.json"} <= set(names)
        datapackage = json.loads(package.read("datapackage.json"))
        assert datapackage["wacz_version"] == "1.1.1" and datapackage["profile"] == "data-package"
        assert {resource["path"] for resource in datapackage["resources"]} == set(names) - {
            "datapackage.json", "datapackage-digest.json"}
        header, *pages = [json.loads(line) for line in package.read("pages/pages.jsonl").splitlines()]
    assert header["format"] == "json-pages-1.0"
    stored = articles(crawled_archive.db_url)
    assert {page["url"] for page in pages} == set(stored)
    for page in pages:
        assert page["title"] == stored[page["url"]][0]
        assert datetime.fromisoformat(page["ts"].replace("Z", "+00:00")).tzinfo is not None


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def pywb_with_the_wacz(wacz: Path, tmp_path: Path) -> Iterator[str]:
    """pywb serving a collection made with 'wb-manager add --unpack-wacz'; yields its base URL."""
    for command in (["init", "audit"], ["add", "--unpack-wacz", "audit", str(wacz)]):
        subprocess.run([str(BIN / "wb-manager"), *command], cwd=tmp_path, check=True, capture_output=True)
    # 'wb-manager add' exits 0 even when indexing fails: check that the index is there.
    index = tmp_path / "collections" / "audit" / "indexes" / "index.cdxj"
    assert index.stat().st_size > 0
    config = tmp_path / "config.yaml"
    config.write_text("framed_replay: true\n")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "pywb.apps.cli", "-b", "127.0.0.1", "-p", str(port)],
        cwd=tmp_path, env={**os.environ, "PYWB_CONFIG_FILE": str(config)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not _listening(port):
            assert process.poll() is None and time.monotonic() < deadline, "pywb did not start"
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_pywb_replays_an_article_from_the_wacz(crawled_archive, wacz: Path, pywb_with_the_wacz: str) -> None:
    with zipfile.ZipFile(wacz) as package:
        page = json.loads(package.read("pages/pages.jsonl").splitlines()[1])
    title, warc_file, offset = articles(crawled_archive.db_url)[page["url"]]
    timestamp = page["ts"].replace("-", "").replace(":", "").replace("T", "").removesuffix("Z")
    request = urllib.request.Request(f"{pywb_with_the_wacz}/audit/{timestamp}id_/{page['url']}",
                                     headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=30) as response:
        replayed = response.read()
    record = read_record(crawled_archive.warc_dir / warc_file, offset).record
    assert replayed == record.raw_stream.read()
    with urllib.request.urlopen(f"{pywb_with_the_wacz}/audit/{timestamp}mp_/{page['url']}", timeout=30) as response:
        assert title in response.read().decode("utf-8")


def test_a_run_is_packaged_alone(crawled_archive, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "run.wacz"
    assert main(["package", "--run", "1", "-o", str(output), "--db", crawled_archive.db_url,
                 "--warc-dir", str(crawled_archive.warc_dir)]) == 0
    assert "article pages" in capsys.readouterr().out
    assert main(["package", "--run", "99", "-o", str(tmp_path / "none.wacz"), "--db", crawled_archive.db_url,
                 "--warc-dir", str(crawled_archive.warc_dir)]) == 2
    assert "there is no crawl run 99" in capsys.readouterr().err
    assert not (tmp_path / "none.wacz").exists()


def test_a_file_changed_since_closing_is_not_packaged(
    crawled_archive, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warc_dir = tmp_path / "warc"
    shutil.copytree(crawled_archive.warc_dir, warc_dir)
    path = sorted(warc_dir.glob("*.warc.gz"))[0]
    with open(path, "ab") as handle:
        handle.write(b"\0")
    output = tmp_path / "changed.wacz"
    status = main(["package", "--all", "-o", str(output), "--db", crawled_archive.db_url, "--warc-dir", str(warc_dir)])
    assert status == 2
    assert f"{path.name} changed since it was closed" in capsys.readouterr().err
    assert not output.exists() and not list(tmp_path.glob("*.partial"))
