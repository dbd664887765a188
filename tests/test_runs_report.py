"""hdnd runs and hdnd report: every figure agrees with the rows the run wrote."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import CrawledArchive
from db.engine import open_database
from db.store import ArchiveStore
from db_samples import capture
from hdnd.cli import main
from recrawled import Recrawled, recrawled


@pytest.fixture(scope="module")
def twice(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Recrawled]:
    with recrawled(tmp_path_factory.mktemp("report")) as archive:
        yield archive


def hdnd(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    code = main(list(arguments))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def report_json(capsys: pytest.CaptureFixture[str], db_url: str, run: int | str) -> dict:
    code, out, err = hdnd(capsys, "report", str(run), "--db", db_url, "--json")
    assert code == 0, err
    return json.loads(out)


def database_figures(db_path: Path, run_id: int) -> dict:
    """The same figures counted straight from the tables, independently of db.reports."""
    with sqlite3.connect(db_path) as connection:
        def rows(sql: str) -> list[tuple]:
            return connection.execute(sql, (run_id,)).fetchall()

        versions = "SELECT count(*) FROM article_versions v JOIN captures c ON c.id = v.capture_id WHERE c.run_id = ?"
        return {
            "by_status": {str(status): count for status, count in
                          rows("SELECT status, count(*) FROM captures WHERE run_id = ? GROUP BY status")},
            "by_type": dict(rows("SELECT warc_type, count(*) FROM captures WHERE run_id = ? GROUP BY warc_type")),
            "total": rows("SELECT count(*) FROM captures WHERE run_id = ?")[0][0],
            "new": rows(versions + " AND v.version = 1")[0][0],
            "changed": rows(versions + " AND v.version > 1")[0][0],
            "warc_files": sorted(rows("SELECT name, size, records, sha256 FROM warc_files WHERE run_id = ?")),
            "counts": json.loads(rows("SELECT counts FROM crawl_runs WHERE id = ?")[0][0]),
        }


def assert_report_matches_database(report: dict, expected: dict) -> None:
    assert report["captures"]["total"] == expected["total"]
    assert report["captures"]["by_status"] == expected["by_status"]
    assert report["captures"]["by_type"] == expected["by_type"]
    assert report["articles"]["new"] == expected["new"]
    assert report["articles"]["changed"] == expected["changed"]
    files = report["warc"]["files"]
    assert sorted((f["name"], f["size"], f["records"], f["sha256"]) for f in files) == expected["warc_files"]
    assert report["warc"]["bytes"] == sum(size for _, size, _, _ in expected["warc_files"])
    assert report["warc"]["records"] == sum(records for _, _, records, _ in expected["warc_files"])
    assert report["warc"]["unclosed"] == []
    counts = expected["counts"]
    assert report["articles"]["discovered"] == counts["articles_discovered"]
    assert report["articles"]["unchanged"] == counts["articles_unchanged"]
    assert report["articles"]["failed"] == counts["articles_failed"]
    assert report["robots_blocked"] == counts["robots_blocked"]
    assert report["errors"] == counts["errors"]
    assert report["listing"] == {"pages": counts.get("listing_pages"), "depth": counts.get("listing_depth")}
    # What the crawler counted agrees with what it stored.
    assert counts["articles_new"] == expected["new"] and counts["articles_updated"] == expected["changed"]
    assert counts["warc_bytes"] == report["warc"]["bytes"]


def test_the_report_of_a_full_crawl_matches_the_database(
    crawled_archive: CrawledArchive, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = crawled_archive.directory / "hdnd.sqlite"
    with sqlite3.connect(db_path) as connection:
        run_id = connection.execute("SELECT min(id) FROM crawl_runs").fetchone()[0]
    report = report_json(capsys, crawled_archive.db_url, run_id)
    expected = database_figures(db_path, run_id)
    assert_report_matches_database(report, expected)
    with sqlite3.connect(db_path) as connection:
        assert report["articles"]["new"] == connection.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert report["run"]["status"] == "finished"
    assert len(expected["by_status"]) > 1  # images, stylesheets, a 404: more than one status to count


def test_the_report_of_a_recrawl_counts_changed_articles(twice: Recrawled, capsys: pytest.CaptureFixture[str]) -> None:
    for run_id in (twice.first_run, twice.second_run):
        assert_report_matches_database(report_json(capsys, twice.db_url, run_id),
                                       database_figures(twice.db_path, run_id))
    second = report_json(capsys, twice.db_url, "last")
    assert second["run"]["id"] == twice.second_run
    assert second["articles"]["changed"] == 3  # the mirror edits three articles a day
    assert second["articles"]["new"] == 5  # and publishes five
    code, text, _ = hdnd(capsys, "report", str(twice.second_run), "--db", twice.db_url)
    assert code == 0
    assert f"Run {twice.second_run} of job 'default': finished" in text
    assert "5 new, 3 changed" in text
    assert f"Listing pages      {second['listing']['pages']} walked, {second['listing']['depth']} deep" in text
    assert f"Robots-blocked     {second['robots_blocked']} URLs" in text
    assert (f"Captures           {second['captures']['total']} "
            f"(response: {second['captures']['by_type']['response']}") in text
    for warc in second["warc"]["files"]:
        assert warc["name"] in text


def test_runs_lists_every_run_newest_first(twice: Recrawled, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = hdnd(capsys, "runs", "--db", twice.db_url, "--json")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [row["id"] for row in rows] == [twice.second_run, twice.first_run]
    for row in rows:
        expected = database_figures(twice.db_path, row["id"])
        assert (row["pages"], row["articles_new"], row["articles_changed"]) == (
            expected["total"], expected["new"], expected["changed"])
        assert row["articles_unchanged"] == expected["counts"]["articles_unchanged"]
        assert row["errors"] == sum(expected["counts"]["errors"].values())
        assert row["status"] == "finished"
    code, table, _ = hdnd(capsys, "runs", "--db", twice.db_url, "--limit", "1")
    header, line = table.splitlines()
    assert header.split() == ["RUN", "JOB", "STARTED", "FINISHED", "STATUS", "PAGES", "NEW", "CHANGED",
                              "UNCHANGED", "ERRORS"]
    assert line.split()[0] == str(twice.second_run) and "finished" in line


def test_a_run_that_was_killed_is_reported_from_its_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'hdnd.sqlite'}"
    with ArchiveStore(open_database(url)) as store:
        run_id = store.start_run("nightly")
        store.add_capture(run_id, capture(1))
        store.add_capture(run_id, capture(2, status=404))
    report = report_json(capsys, url, run_id)
    assert report["run"]["status"] == "running" and report["run"]["finished_at"] is None
    assert report["captures"] == {"total": 2, "by_status": {"200": 1, "404": 1}, "by_type": {"response": 2}}
    assert report["articles"]["unchanged"] is None and report["errors"] is None and report["listing"]["pages"] is None
    assert report["warc"]["unclosed"] == [capture(1)["warc_file"]]
    code, text, _ = hdnd(capsys, "report", str(run_id), "--db", url)
    assert code == 0
    assert "? discovered: 0 new, 0 changed, ? unchanged, ? failed" in text
    assert "not closed (left by a killed crawl)" in text
    code, table, _ = hdnd(capsys, "runs", "--db", url)
    assert " running " in table and table.splitlines()[1].split()[-2:] == ["-", "-"]


@pytest.mark.parametrize(("arguments", "code", "message"), [
    (["report", "999"], 1, "no crawl run 999"),
    (["report", "abc"], 2, "RUN must be a run id"),
    (["runs", "--limit", "-1"], 2, "--limit cannot be negative"),
])
def test_bad_requests_get_a_clear_message(
    twice: Recrawled, capsys: pytest.CaptureFixture[str], arguments: list[str], code: int, message: str
) -> None:
    returned, _, err = hdnd(capsys, *arguments, "--db", twice.db_url)
    assert returned == code
    assert message in err


def test_a_missing_database_is_an_error_not_a_new_archive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.sqlite"
    for command in ("runs", "report"):
        arguments = [command, "1"] if command == "report" else [command]
        code, _, err = hdnd(capsys, *arguments, "--db", f"sqlite:///{missing}")
        assert code == 2 and "no archive database" in err
    assert not missing.exists()
