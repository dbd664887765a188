"""Schedules: cron expressions, recurrences, and a scheduler that starts real crawls of the mirror, one per job."""

from __future__ import annotations

import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import run_hdnd
from db.engine import open_database
from db.store import ArchiveStore
from hdnd.cli import build_parser, main
from hdnd.crawl_options import crawl_argv, crawl_parser, stored_options
from hdnd.cron import CronError, CronExpression
from hdnd.processes import this_host
from hdnd.recurrence import Recurrence
from mirror.server import MirrorServer
from mirror.site import Site

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


# --- cron expressions -----------------------------------------------------------------------------


@pytest.mark.parametrize(("expression", "after", "expected"), [
    ("0 2 * * *", datetime(2026, 11, 27, 10, 0), datetime(2026, 11, 28, 2, 0)),
    ("0 2 * * *", datetime(2026, 11, 27, 1, 59, 30), datetime(2026, 11, 27, 2, 0)),
    ("0 2 * * *", datetime(2026, 11, 27, 2, 0), datetime(2026, 11, 28, 2, 0)),  # strictly after
    ("*/15 9-17 * * mon-fri", datetime(2026, 11, 27, 17, 50), datetime(2026, 11, 30, 9, 0)),  # Fri → Mon
    ("*/15 9-17 * * 1-5", datetime(2026, 11, 25, 9, 1), datetime(2026, 11, 25, 9, 15)),
    ("30 1 * * sun", datetime(2026, 11, 27, 0, 0), datetime(2026, 11, 29, 1, 30)),
    ("30 1 * * 7", datetime(2026, 11, 27, 0, 0), datetime(2026, 11, 29, 1, 30)),  # 7 is Sunday too
    ("0 0 13 * fri", datetime(2026, 11, 1, 0, 0), datetime(2026, 11, 6, 0, 0)),  # a Friday before the 13th
    ("0 0 13 * fri", datetime(2026, 11, 12, 0, 0), datetime(2026, 11, 13, 0, 0)),
    ("0 0 13 * *", datetime(2026, 11, 13, 0, 0), datetime(2026, 12, 13, 0, 0)),
    ("0 0 29 2 *", datetime(2025, 3, 1), datetime(2028, 2, 29, 0, 0)),
    ("5,35 */6 1-7 jan,jul *", datetime(2026, 7, 7, 18, 40), datetime(2027, 1, 1, 0, 5)),
    ("0 12 1/10 * *", datetime(2026, 11, 11, 12, 0), datetime(2026, 11, 21, 12, 0)),
    ("@hourly", datetime(2026, 11, 27, 10, 0, 1), datetime(2026, 11, 27, 11, 0)),
    ("@daily", datetime(2026, 12, 31, 23, 59), datetime(2027, 1, 1, 0, 0)),
    ("@weekly", datetime(2026, 11, 27, 10, 0), datetime(2026, 11, 29, 0, 0)),
])
def test_cron_finds_the_next_matching_minute(expression: str, after: datetime, expected: datetime) -> None:
    cron = CronExpression.parse(expression)
    found = cron.next_after(after)
    assert found == expected
    assert cron.matches(found)
    assert not cron.matches(found - timedelta(minutes=1)) or expression.startswith("*")


@pytest.mark.parametrize(("expression", "message"), [
    ("", "empty cron expression"),
    ("* * * *", "has 4 fields; expected 5"),
    ("60 * * * *", "60 in the minute field of '60 * * * *' is out of range 0-59"),
    ("0 24 * * *", "out of range 0-23"),
    ("0 0 0 * *", "out of range 1-31"),
    ("*/0 * * * *", "step '0' in the minute field"),
    ("5-1 * * * *", "range '5-1' in the minute field"),
    ("x * * * *", "'x' in the minute field"),
    ("0 0 * foo *", "is not a number or a name (jan, feb"),
    ("@often", "unknown cron macro '@often'"),
    ("0 0 31 2 *", "never matches a real date"),
])
def test_bad_cron_expressions_are_refused_with_the_reason(expression: str, message: str) -> None:
    with pytest.raises(CronError, match=message.replace("(", r"\(").replace("*", r"\*")):
        CronExpression.parse(expression)


# --- recurrences ---------------------------------------------------------------------------------


def hanoi(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=HANOI)


def test_every_day_at_a_time_of_day() -> None:
    daily = Recurrence.parse(every="1d", at="02:00", zone=HANOI)
    assert daily.first_due(hanoi(2026, 11, 27, 10, 0)) == hanoi(2026, 11, 28, 2, 0)
    assert daily.first_due(hanoi(2026, 11, 27, 1, 0)) == hanoi(2026, 11, 27, 2, 0)
    due = hanoi(2026, 11, 28, 2, 0)
    assert daily.next_due(due, due + timedelta(seconds=5)) == hanoi(2026, 11, 29, 2, 0)
    # A scheduler that was down for days runs once, then keeps the cadence: missed runs are not made up.
    assert daily.next_due(due, hanoi(2026, 12, 1, 9, 0)) == hanoi(2026, 12, 2, 2, 0)
    assert Recurrence.parse(at="02:00", zone=HANOI) == daily
    assert daily.describe() == "every 1d at 02:00"


def test_intervals_without_a_time_of_day_start_at_once() -> None:
    now = hanoi(2026, 11, 27, 10, 7)
    every = Recurrence.parse(every="30m", zone=HANOI)
    assert every.first_due(now) == now
    assert every.next_due(now, now + timedelta(minutes=95)) == now + timedelta(minutes=120)
    assert Recurrence.parse(every="2w").as_columns() == {"every": "2w", "at": None, "cron": None}
    assert Recurrence.parse(every="90m").describe() == "every 90m"


def test_hours_from_a_time_of_day_follow_its_grid() -> None:
    six_hourly = Recurrence.parse(every="6h", at="02:00", zone=HANOI)
    assert six_hourly.first_due(hanoi(2026, 11, 27, 10, 0)) == hanoi(2026, 11, 27, 14, 0)
    assert six_hourly.first_due(hanoi(2026, 11, 27, 0, 30)) == hanoi(2026, 11, 27, 2, 0)


def test_days_keep_the_time_of_day_across_a_daylight_saving_change() -> None:
    new_york = ZoneInfo("America/New_York")
    daily = Recurrence.parse(every="1d", at="09:00", zone=new_york)
    due = datetime(2026, 10, 31, 9, 0, tzinfo=new_york)  # DST ends on 1 November
    following = daily.next_due(due, due + timedelta(minutes=1))
    assert following.astimezone(new_york).hour == 9
    assert following.astimezone(timezone.utc) - due.astimezone(timezone.utc) == timedelta(hours=25)


def test_cron_recurrence_is_in_the_zone() -> None:
    weekly = Recurrence.parse(cron="30 1 * * sun", zone=HANOI)
    assert weekly.first_due(datetime(2026, 11, 27, 0, 0, tzinfo=timezone.utc)) == hanoi(2026, 11, 29, 1, 30)
    assert weekly.describe() == "cron '30 1 * * sun'"


@pytest.mark.parametrize(("arguments", "message"), [
    ({}, "say when to crawl"),
    ({"every": "1d", "cron": "0 2 * * *"}, "either --cron or --every/--at"),
    ({"every": "0d"}, "interval '0d'"),
    ({"every": "1 day"}, "interval '1 day'"),
    ({"at": "25:00"}, "time of day '25:00'"),
    ({"at": "2pm"}, "time of day '2pm'"),
])
def test_unusable_recurrences_are_refused(arguments: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Recurrence.parse(**arguments)


# --- the crawl's options in a schedule -----------------------------------------------------------


def test_stored_options_give_the_same_crawl_back(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    args = build_parser().parse_args([
        "schedule", "add", "nightly", "--every", "1d", "--start-url", "https://a.example/", "--start-url",
        "https://b.example/", "--delay", "2", "--no-assets", "--warc-dir", "relative/warc",
        "--article-pattern=-detail-",
    ])
    options = stored_options(args, default_job="nightly")
    assert options["job"] == "nightly"
    assert options["warc_dir"] == str(tmp_path / "relative" / "warc")
    assert "db" not in options and "concurrency" not in options  # defaults stay defaults
    crawl = vars(crawl_parser().parse_args(crawl_argv(options)))
    assert crawl["start_url"] == ["https://a.example/", "https://b.example/"]
    assert (crawl["delay"], crawl["no_assets"], crawl["job"]) == (2.0, True, "nightly")
    assert crawl["article_pattern"] == "-detail-"


# --- the scheduler, crawling the mirror ----------------------------------------------------------


class Archive:
    """A database of our own (the scheduler re-crawls, so not the shared session archive)."""

    def __init__(self, directory: Path, server: MirrorServer) -> None:
        self.directory = directory
        self.path = directory / "hdnd.sqlite"
        self.url = f"sqlite:///{self.path}"
        self.server = server

    def add(self, name: str, *when: str, start_url: str | None = None, extra: tuple[str, ...] = ()) -> None:
        code = main([
            "schedule", "add", name, *(when or ("--every", "1d")), "--db", self.url,
            "--start-url", start_url or self.server.base_url + "/", "--warc-dir", str(self.directory / "warc"),
            "--delay", "0", "--no-autothrottle", "--concurrency", "4", "--no-assets", "--log-level", "WARNING",
            "--max-pages", "8", *extra,  # what is crawled does not matter here, that a crawl runs does
        ])
        assert code == 0

    def scheduler(self, *extra: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return run_hdnd("scheduler", "--once", "--db", self.url, "--log-dir", str(self.directory / "logs"),
                        *extra, check=check)

    def query(self, sql: str, *parameters: object) -> list[tuple]:
        with sqlite3.connect(self.path) as connection:
            return connection.execute(sql, parameters).fetchall()

    def runs(self) -> list[tuple]:
        return self.query("SELECT id, job, status FROM crawl_runs ORDER BY id")

    def schedule(self, name: str) -> dict[str, object]:
        cursor = sqlite3.connect(self.path).execute("SELECT * FROM schedules WHERE name = ?", (name,))
        row = cursor.fetchone()
        return dict(zip([column[0] for column in cursor.description], row))


@pytest.fixture(scope="module")
def server() -> Iterator[MirrorServer]:
    with MirrorServer(Site(articles=20)) as running:
        yield running


@pytest.fixture()
def archive(tmp_path: Path, server: MirrorServer) -> Archive:
    return Archive(tmp_path, server)


def test_a_due_schedule_starts_a_real_crawl_and_waits_for_its_next_time(archive: Archive) -> None:
    archive.add("nightly")
    before = datetime.now(timezone.utc)
    completed = archive.scheduler()
    assert "schedule 'nightly': started crawl of job 'nightly'" in completed.stderr
    ((run_id, job, status),) = archive.runs()
    assert (job, status) == ("nightly", "finished")
    assert archive.query("SELECT count(*) FROM captures WHERE run_id = ?", run_id)[0][0] >= 8
    schedule = archive.schedule("nightly")
    assert schedule["last_run_id"] == run_id
    assert schedule["running_pid"] is None and schedule["running_host"] is None
    next_due = datetime.fromisoformat(str(schedule["next_due_at"])).replace(tzinfo=timezone.utc)
    assert before + timedelta(hours=23) < next_due < before + timedelta(hours=25)
    (log,) = (archive.directory / "logs").glob("nightly-*.log")
    assert f"Crawl run {run_id} " in log.read_text(encoding="utf-8")
    again = archive.scheduler()
    assert "no crawl was started" in again.stderr
    assert len(archive.runs()) == 1


def test_a_running_run_of_the_same_job_prevents_a_second_start(archive: Archive) -> None:
    archive.add("nightly")
    with ArchiveStore(open_database(archive.url)) as store:
        running = store.start_run("nightly")
    completed = archive.scheduler()
    assert f"schedule 'nightly': not started: run {running} of job 'nightly' is marked running" in completed.stderr
    assert archive.runs() == [(running, "nightly", "running")]
    next_due = datetime.fromisoformat(str(archive.schedule("nightly")["next_due_at"])).replace(tzinfo=timezone.utc)
    assert next_due > datetime.now(timezone.utc)  # this occurrence is skipped, as with flock -n


def test_two_schedulers_at_once_start_one_crawl(archive: Archive) -> None:
    archive.add("nightly")
    command = [sys.executable, "-m", "hdnd", "scheduler", "--once", "--db", archive.url]
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
    outputs = [process.communicate(timeout=300) for process in processes]
    assert [process.returncode for process in processes] == [0, 0]
    assert [job for _, job, _ in archive.runs()] == ["nightly"]
    assert sum("started crawl of job 'nightly'" in stderr for _, stderr in outputs) == 1


def test_a_failing_crawl_is_logged_and_the_others_still_run(archive: Archive) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    archive.add("broken", start_url=f"http://127.0.0.1:{closed_port}/")
    archive.add("working")
    completed = archive.scheduler(check=False)
    assert completed.returncode == 1
    assert "schedule 'broken': crawl ended after" in completed.stderr
    assert "exit code 1, no run was recorded" in completed.stderr
    assert [(job, status) for _, job, status in archive.runs()] == [("working", "finished")]
    assert archive.schedule("broken")["running_pid"] is None


def test_a_claim_left_by_a_killed_crawl_does_not_block_the_job(archive: Archive) -> None:
    archive.add("nightly")
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    since = datetime.now(timezone.utc) - timedelta(minutes=5)
    with sqlite3.connect(archive.path) as connection:
        connection.execute(
            "UPDATE schedules SET running_pid = ?, running_host = ?, running_since = ? WHERE name = 'nightly'",
            (gone.pid, this_host(), since.replace(tzinfo=None).isoformat(sep=" ")),
        )
    with ArchiveStore(open_database(archive.url)) as store:
        orphan = store.start_run("nightly")  # what the killed crawl left behind
    completed = archive.scheduler()
    assert "is gone" in completed.stderr
    runs = archive.runs()
    assert runs[0] == (orphan, "nightly", "interrupted")
    assert runs[1][1:] == ("nightly", "finished")


def test_sigterm_stops_the_scheduler_and_its_crawl_cleanly(archive: Archive) -> None:
    archive.add("slow", extra=("--delay", "0.5", "--max-pages", "0"))  # the last option wins: a crawl of seconds
    scheduler = subprocess.Popen(
        [sys.executable, "-m", "hdnd", "scheduler", "--poll", "0.2", "--db", archive.url],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        while not archive.query("SELECT count(*) FROM captures")[0][0]:
            assert scheduler.poll() is None, scheduler.communicate()
            time.sleep(0.1)
        scheduler.send_signal(signal.SIGTERM)
        _, stderr = scheduler.communicate(timeout=120)
    finally:
        if scheduler.poll() is None:
            scheduler.kill()
    assert scheduler.returncode == 0, stderr
    assert "SIGTERM received: stopping" in stderr
    assert [(job, status) for _, job, status in archive.runs()] == [("slow", "interrupted")]
    assert archive.schedule("slow")["running_pid"] is None


def test_schedules_are_listed_and_removed(archive: Archive, capsys: pytest.CaptureFixture[str]) -> None:
    archive.add("nightly", "--at", "02:00")
    archive.add("weekly", "--cron", "30 1 * * sun")
    capsys.readouterr()
    assert main(["schedule", "list", "--db", archive.url]) == 0
    listing = capsys.readouterr().out
    assert "every 1d at 02:00" in listing and "cron '30 1 * * sun'" in listing
    assert f"nightly: hdnd crawl --start-url={archive.server.base_url}/" in listing
    assert main(["schedule", "add", "nightly", "--every", "1d", "--start-url", "http://a.example/",
                 "--db", archive.url]) == 2
    assert "a schedule named 'nightly' exists" in capsys.readouterr().err
    assert main(["schedule", "remove", "nightly", "--db", archive.url]) == 0
    assert main(["schedule", "remove", "nightly", "--db", archive.url]) == 1
    assert "no schedule named 'nightly'" in capsys.readouterr().err
    assert [name for (name,) in archive.query("SELECT name FROM schedules")] == ["weekly"]


@pytest.mark.parametrize(("arguments", "message"), [
    (["--every", "1x"], "interval '1x'"),
    (["--cron", "0 2 * *"], "has 4 fields"),
    (["--every", "1d", "--delay", "-1"], "--delay cannot be negative"),
])
def test_schedule_add_refuses_bad_input(archive: Archive, capsys: pytest.CaptureFixture[str],
                                        arguments: list[str], message: str) -> None:
    code = main(["schedule", "add", "nightly", *arguments, "--start-url", "http://a.example/", "--db", archive.url])
    assert code == 2
    assert message in capsys.readouterr().err


def test_the_scheduler_needs_an_existing_archive(tmp_path: Path) -> None:
    completed = run_hdnd("scheduler", "--once", "--db", f"sqlite:///{tmp_path / 'missing.sqlite'}", check=False)
    assert completed.returncode == 2
    assert "no archive database" in completed.stderr
