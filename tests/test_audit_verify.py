"""hdnd verify on a crawled mirror: it passes as crawled, and names file, offset and record of every tampering."""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
import subprocess
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from archive.lifecycle import sha256_of
from hdnd.cli import main

WARCIO = Path(sys.executable).with_name("warcio")


@dataclass
class ArchiveCopy:
    """A private copy of the crawled archive that a test may damage."""

    db_path: Path
    warc_dir: Path

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.db_path}"

    def sql(self, statement: str, *parameters: object) -> list[tuple]:
        with sqlite3.connect(self.db_path) as connection:
            return connection.execute(statement, parameters).fetchall()

    def article_capture(self, source_id: str) -> tuple[Path, int, str]:
        """(WARC path, offset, record id) of an article's current capture."""
        ((warc_file, offset, record_id),) = self.sql(
            "SELECT c.warc_file, c.warc_offset, c.warc_record_id FROM articles a JOIN captures c "
            "ON c.id = a.capture_id WHERE a.source_id = ?", source_id,
        )
        return self.warc_dir / warc_file, offset, record_id


@pytest.fixture
def archive(crawled_archive, tmp_path: Path) -> ArchiveCopy:
    copy = ArchiveCopy(tmp_path / "hdnd.sqlite", tmp_path / "warc")
    shutil.copytree(crawled_archive.warc_dir, copy.warc_dir)
    with sqlite3.connect(make_url(crawled_archive.db_url).database) as source, sqlite3.connect(copy.db_path) as target:
        source.backup(target)
    return copy


def verify(archive: ArchiveCopy, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict]:
    """Run ``hdnd verify --json`` and return its exit status and report."""
    status = main(["verify", "--db", archive.db_url, "--warc-dir", str(archive.warc_dir), "--json", *extra])
    return status, json.loads(capsys.readouterr().out)


def found(report: dict, kind: str) -> list[dict]:
    return [problem for problem in report["problems"] if problem["kind"] == kind]


def rewrite_record(path: Path, offset: int, edit: Callable[[bytes], bytes]) -> None:
    """Change the uncompressed bytes of the record at ``offset`` and compress it again as one valid gzip member,
    so that only the digests (not gzip) can tell. The member's length may change, and the offsets of the
    records after it with it: captures of those are then reported too."""
    data = path.read_bytes()
    decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
    record = decompressor.decompress(data[offset:])
    edited = edit(record)
    assert edited != record and len(edited) == len(record)
    path.write_bytes(data[:offset] + gzip.compress(edited, mtime=0) + decompressor.unused_data)


def http_parts(record: bytes) -> tuple[int, int]:
    """Where the HTTP headers and the HTTP payload start in an uncompressed response record."""
    headers = record.index(b"\r\n\r\n") + 4
    return headers, record.index(b"\r\n\r\n", headers) + 4


def flip(data: bytes, position: int, mask: int = 0x01) -> bytes:
    return data[:position] + bytes([data[position] ^ mask]) + data[position + 1:]


# --- an untouched archive ----------------------------------------------------------------------------------------


def test_a_crawled_archive_verifies(crawled_archive, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["verify", "--db", crawled_archive.db_url, "--warc-dir", str(crawled_archive.warc_dir)])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "OK: everything holds" in out
    assert "article versions extracted again" in out


def test_the_json_report_counts_what_was_checked(archive: ArchiveCopy, capsys: pytest.CaptureFixture[str]) -> None:
    status, report = verify(archive, capsys)
    assert status == 0 and report["ok"] is True and report["problems"] == []
    (articles,) = archive.sql("SELECT count(*) FROM article_versions")[0]
    (captures,) = archive.sql("SELECT count(*) FROM captures")[0]
    assert report["checked"]["article_versions"] == articles > 0
    assert report["checked"]["captures"] == captures
    assert report["checked"]["records"] == 2 * captures + report["checked"]["warc_files"]  # + one warcinfo each


def test_closing_a_file_recorded_its_sha256_and_size(archive: ArchiveCopy) -> None:
    rows = archive.sql("SELECT name, sha256, size FROM warc_files")
    assert rows and sorted(name for name, _, _ in rows) == sorted(p.name for p in archive.warc_dir.glob("*.warc.gz"))
    for name, sha256, size in rows:
        path = archive.warc_dir / name
        assert (sha256, size) == (sha256_of(path), path.stat().st_size)


# --- tampering with the WARC files ---------------------------------------------------------------------------------


def test_a_flipped_payload_byte_fails_the_payload_and_block_digests(
    archive: ArchiveCopy, capsys: pytest.CaptureFixture[str]
) -> None:
    path, offset, record_id = archive.article_capture("19")
    rewrite_record(path, offset, lambda record: flip(record, http_parts(record)[1] + 200))
    status, report = verify(archive, capsys)
    assert status == 1 and not report["ok"]
    (payload,) = found(report, "payload-digest")
    assert (payload["file"], payload["offset"], payload["record_id"]) == (path.name, offset, record_id)
    assert "payload digest mismatch" in payload["message"]
    (block,) = found(report, "block-digest")
    assert (block["file"], block["offset"], block["record_id"]) == (path.name, offset, record_id)
    assert found(report, "changed-file")[0]["file"] == path.name


def test_a_flipped_http_header_byte_fails_the_block_digest_only(
    archive: ArchiveCopy, capsys: pytest.CaptureFixture[str]
) -> None:
    path, offset, record_id = archive.article_capture("19")

    def lower_a_header_name(record: bytes) -> bytes:
        headers, payload = http_parts(record)
        position = record.index(b"\r\nServer:", headers, payload) + 2
        return flip(record, position, 0x20)  # 'Server' -> 'server': still valid HTTP, other bytes

    rewrite_record(path, offset, lower_a_header_name)
    status, report = verify(archive, capsys)
    assert status == 1
    (block,) = found(report, "block-digest")
    assert (block["file"], block["offset"], block["record_id"]) == (path.name, offset, record_id)
    assert "block digest mismatch: the record says sha1:" in block["message"]
    assert found(report, "payload-digest") == []
    assert found(report, "article-mismatch") == []


def test_a_flipped_warc_header_byte_is_caught_by_the_capture_it_no_longer_matches(
    archive: ArchiveCopy, capsys: pytest.CaptureFixture[str]
) -> None:
    path, offset, record_id = archive.article_capture("19")

    def change_the_target_uri(record: bytes) -> bytes:
        return flip(record, record.index(b"DetailController/19\r\n") + len("DetailController/1"))

    rewrite_record(path, offset, change_the_target_uri)
    status, report = verify(archive, capsys)
    assert status == 1
    (mismatch,) = [p for p in found(report, "capture-mismatch") if "url is" in p["message"]]
    assert (mismatch["file"], mismatch["offset"], mismatch["record_id"]) == (path.name, offset, record_id)
    assert "url is 'http://" in mismatch["message"] and "DetailController/18'" in mismatch["message"]


def test_a_file_cut_inside_a_record_is_caught_where_warcio_check_is_not(
    archive: ArchiveCopy, capsys: pytest.CaptureFixture[str]
) -> None:
    path, offset, record_id = archive.article_capture("19")
    with open(path, "r+b") as handle:
        handle.truncate(offset + 100)
    assert subprocess.run([str(WARCIO), "check", str(path)], capture_output=True).returncode == 0
    status, report = verify(archive, capsys)
    assert status == 1
    (cut,) = found(report, "bad-gzip")
    assert (cut["file"], cut["offset"]) == (path.name, offset)
    assert "file ends inside the gzip member" in cut["message"]
    lost = found(report, "capture-no-record")
    assert any(p["offset"] == offset and p["record_id"] == record_id for p in lost)
    assert found(report, "changed-file")


def test_a_record_whose_gzip_data_is_damaged_is_named(archive: ArchiveCopy, capsys: pytest.CaptureFixture[str]) -> None:
    path, offset, _ = archive.article_capture("19")
    data = bytearray(path.read_bytes())
    data[offset + 200] ^= 0xFF
    path.write_bytes(bytes(data))
    status, report = verify(archive, capsys)
    assert status == 1
    (damaged,) = found(report, "bad-gzip")
    assert (damaged["file"], damaged["offset"]) == (path.name, offset)


def test_a_deleted_file_is_missing(archive: ArchiveCopy, capsys: pytest.CaptureFixture[str]) -> None:
    path, _, _ = archive.article_capture("19")
    path.unlink()
    status, report = verify(archive, capsys)
    assert status == 1
    (missing,) = found(report, "missing-file")
    assert missing["file"] == path.name and "is missing" in missing["message"]
    assert any(p["file"] == path.name for p in found(report, "capture-no-file"))
    assert found(report, "article-unverifiable")


def test_a_file_unknown_to_the_database_is_reported(archive: ArchiveCopy, capsys: pytest.CaptureFixture[str]) -> None:
    path, _, _ = archive.article_capture("19")
    stranger = archive.warc_dir / ("x" + path.name)
    shutil.copy(path, stranger)
    status, report = verify(archive, capsys)
    assert status == 1
    assert [p["file"] for p in found(report, "unknown-file")] == [stranger.name]
    assert [p["file"] for p in found(report, "missing-index")] == [stranger.name]
    assert found(report, "duplicate-record-id")  # the copy repeats every record id


def test_an_open_file_left_behind_is_reported(archive: ArchiveCopy, capsys: pytest.CaptureFixture[str]) -> None:
    path, _, _ = archive.article_capture("19")
    (archive.warc_dir / "hdnd-20260101000000000000-00000.warc.gz.open").write_bytes(path.read_bytes()[:5000])
    status, report = verify(archive, capsys)
    assert status == 1
    assert [p["kind"] for p in report["problems"]] == ["open-file"]


# --- tampering with the database -----------------------------------------------------------------------------------


def test_an_edited_article_row_is_caught_by_extracting_it_again(
    archive: ArchiveCopy, capsys: pytest.CaptureFixture[str]
) -> None:
    path, offset, record_id = archive.article_capture("19")
    archive.sql("UPDATE articles SET title = title || '!' WHERE source_id = '19'")
    status, report = verify(archive, capsys)
    assert status == 1
    (edited,) = found(report, "article-mismatch")
    assert (edited["file"], edited["offset"], edited["record_id"]) == (path.name, offset, record_id)
    assert "the article row's title is" in edited["message"] and "!'" in edited["message"]


def test_an_edited_version_body_is_caught_and_shown_where_it_differs(
    archive: ArchiveCopy, capsys: pytest.CaptureFixture[str]
) -> None:
    archive.sql("UPDATE article_versions SET body = replace(body, 'HĐND', 'HDND') "
                "WHERE article_id = (SELECT id FROM articles WHERE source_id = '19')")
    status, report = verify(archive, capsys)
    assert status == 1
    (edited,) = found(report, "article-mismatch")
    assert "the version 1 row's body is" in edited["message"] and "HDND" in edited["message"]


def test_a_capture_pointing_at_the_wrong_offset_is_caught(
    archive: ArchiveCopy, capsys: pytest.CaptureFixture[str]
) -> None:
    path, offset, record_id = archive.article_capture("19")
    archive.sql("UPDATE captures SET warc_offset = warc_offset + 1 WHERE warc_record_id = ?", record_id)
    status, report = verify(archive, capsys)
    assert status == 1
    (lost,) = found(report, "capture-no-record")
    assert (lost["file"], lost["offset"], lost["record_id"]) == (path.name, offset + 1, record_id)
    assert found(report, "article-unverifiable")[0]["record_id"] == record_id


def test_a_changed_fixity_row_is_caught(archive: ArchiveCopy, capsys: pytest.CaptureFixture[str]) -> None:
    path, _, _ = archive.article_capture("19")
    archive.sql("UPDATE warc_files SET sha256 = ? WHERE name = ?", "0" * 64, path.name)
    status, report = verify(archive, capsys)
    assert status == 1
    (changed,) = found(report, "changed-file")
    assert changed["file"] == path.name and "0" * 64 in changed["message"]


# --- the command line ----------------------------------------------------------------------------------------------


def test_the_text_report_names_file_offset_and_record(archive: ArchiveCopy, capsys: pytest.CaptureFixture[str]) -> None:
    path, offset, record_id = archive.article_capture("19")
    archive.sql("UPDATE articles SET byline = 'someone else' WHERE source_id = '19'")
    status = main(["verify", "--db", archive.db_url, "--warc-dir", str(archive.warc_dir)])
    out = capsys.readouterr().out
    assert status == 1
    assert f"article-mismatch: {path.name}, offset {offset}, record {record_id}: article 19 of" in out
    assert "FAILED: 1 problem" in out


def test_warc_only_needs_no_database(archive: ArchiveCopy, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["verify", "--warc-only", "--warc-dir", str(archive.warc_dir), "--db", "sqlite:///nowhere.db"])
    out = capsys.readouterr().out
    assert status == 0 and "OK" in out and "against the database" not in out


def test_a_missing_database_is_an_error_not_a_new_empty_one(
    archive: ArchiveCopy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    absent = tmp_path / "absent.sqlite"
    status = main(["verify", "--db", f"sqlite:///{absent}", "--warc-dir", str(archive.warc_dir)])
    assert status == 2
    assert "no archive database" in capsys.readouterr().err
    assert not absent.exists()


def test_a_missing_index_is_reported_and_hdnd_index_rebuilds_it(
    archive: ArchiveCopy, capsys: pytest.CaptureFixture[str]
) -> None:
    index = sorted((archive.warc_dir / "indexes").glob("*.cdxj"))[0]
    original = index.read_bytes()
    index.unlink()
    status, report = verify(archive, capsys)
    assert status == 1
    assert [(p["kind"], p["file"]) for p in report["problems"]] == [("missing-index", index.stem + ".warc.gz")]
    assert main(["index", "--warc-dir", str(archive.warc_dir)]) == 0
    files = len(list(archive.warc_dir.glob("*.warc.gz")))
    assert f"Indexed {files} of {files} WARC files" in capsys.readouterr().out
    assert index.read_bytes() == original
    assert verify(archive, capsys)[0] == 0
