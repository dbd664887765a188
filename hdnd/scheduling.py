"""The scheduler: start each due crawl as an ``hdnd crawl`` subprocess, never two of a job at once.

A schedule is claimed in a write transaction that moves it to its next due time and records the
crawl's process (id, host, start) in the schedule row; the claim is released when the crawl ends. A
job is busy, and its due run is skipped (as ``flock -n`` would), while a claim's process is alive or
another run of the job is marked running. A run left 'running' by a crawl process that is known to be
gone (killed, machine rebooted) is marked 'interrupted' instead of blocking its job for ever.
"""

from __future__ import annotations

import logging
import os
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import IO

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from db.engine import session_factory
from db.models import CrawlRun, Schedule
from db.schedules import due_schedule_ids, first_run_since, lock_schedule, running_runs
from db.sqlite import WRITE_TRANSACTION
from hdnd.crawl_options import crawl_argv
from hdnd.display import duration, local_time
from hdnd.processes import process_alive, this_host
from hdnd.recurrence import Recurrence

logger = logging.getLogger("hdnd.scheduler")

# How often finished crawls are noticed; due schedules are looked up every ``poll`` seconds.
REAP_SECONDS = 0.25


@dataclass
class Launch:
    """A crawl this scheduler started."""

    schedule_id: int
    name: str
    job: str
    process: subprocess.Popen[bytes]
    since: datetime
    log_path: Path | None
    log_file: IO[bytes] | None


@dataclass
class _Claim:
    schedule_id: int
    name: str
    job: str
    argv: list[str]


class Scheduler:
    """Runs due crawls of the schedules in ``engine``'s database; ``db_url`` is passed on to the crawls."""

    def __init__(self, engine: Engine, db_url: str, *, max_running: int = 2, log_dir: Path | None = None) -> None:
        if max_running < 1:
            raise ValueError(f"at least one crawl must be allowed to run, got {max_running}")
        self.engine = engine
        self._reading = session_factory(engine)
        self._writing = session_factory(engine.execution_options(**{WRITE_TRANSACTION: True}))
        self.db_url = db_url
        self.max_running = max_running
        self.log_dir = log_dir
        self.launches: list[Launch] = []
        self.started = 0
        self.failures = 0
        self._stopping = False

    def run(self, *, once: bool = False, poll: float = 30.0) -> int:
        """Start due crawls until ``stop()``; with ``once``, only those due now, then wait for them.

        Returns 0, or 1 when ``once`` and a crawl failed.
        """
        moment = _now()
        next_look = time.monotonic()
        while True:
            try:
                self.reap()
                if self._stopping:
                    if not self.launches:
                        break
                elif once:
                    self.start_due(moment)
                    if not self.launches:
                        break
                elif time.monotonic() >= next_look:
                    self.start_due(_now())
                    next_look = time.monotonic() + poll
            except SQLAlchemyError as error:
                self.failures += 1
                logger.error("database error, trying again: %s", getattr(error, "orig", None) or error)
                if once and not self.launches:
                    break
            time.sleep(REAP_SECONDS)
        if once and not self.started:
            logger.info("no crawl was started")
        return 1 if once and self.failures else 0

    def stop(self) -> None:
        """Start nothing more and ask the running crawls to stop cleanly (called from a signal handler).

        A second call asks again, which makes Scrapy stop at once.
        """
        self._stopping = True
        for launch in self.launches:
            logger.info("asking the crawl of schedule %r (process %d) to stop", launch.name, launch.process.pid)
            launch.process.terminate()

    def start_due(self, now: datetime) -> None:
        """Start the schedules due at ``now``, as many as free slots allow."""
        with self._reading() as session:
            due = due_schedule_ids(session, now)
        for schedule_id in due:
            if len(self.launches) >= self.max_running:
                return
            self._start(schedule_id, now)

    def reap(self) -> None:
        """Record the crawls that ended."""
        for launch in list(self.launches):
            code = launch.process.poll()
            if code is None:
                continue
            self.launches.remove(launch)
            if launch.log_file is not None:
                launch.log_file.close()
            self._finish(launch, code)

    def _start(self, schedule_id: int, now: datetime) -> None:
        claim = self._claim(schedule_id, now)
        if claim is None:
            return
        command = [sys.executable, "-m", "hdnd", "crawl", *claim.argv, "--db", self.db_url]
        since = _now()
        log_path, log_file = self._open_log(claim.name, since)
        try:
            process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT if log_file else None,
                start_new_session=True,  # a Ctrl-C meant for the scheduler reaches the crawls through stop()
            )
        except OSError as error:
            logger.error("schedule %r: cannot start its crawl: %s", claim.name, error)
            if log_file is not None:
                log_file.close()
            self.failures += 1
            with self._writing() as session, session.begin():
                _release(session, schedule_id, os.getpid(), None)
            return
        self._record_process(schedule_id, process.pid, since)
        self.launches.append(Launch(schedule_id, claim.name, claim.job, process, since, log_path, log_file))
        self.started += 1
        logger.info("schedule %r: started crawl of job %r (process %d)%s: hdnd %s", claim.name, claim.job,
                    process.pid, f", output in {log_path}" if log_path else "", shlex.join(command[3:]))

    def _claim(self, schedule_id: int, now: datetime) -> _Claim | None:
        """Move a due schedule to its next time and take it, unless its job is busy; commits."""
        with self._writing() as session, session.begin():
            schedule = lock_schedule(session, schedule_id)
            if schedule is None or not schedule.enabled or schedule.next_due_at is None or schedule.next_due_at > now:
                return None  # another scheduler took it meanwhile
            try:
                recurrence = Recurrence.parse(schedule.every, schedule.at, schedule.cron)
            except ValueError as error:
                logger.error("schedule %r is disabled: it cannot say when it is due: %s", schedule.name, error)
                schedule.enabled = False
                return None
            schedule.next_due_at = recurrence.next_due(schedule.next_due_at, _now())
            job = schedule.options.get("job") or schedule.name
            busy = _busy(session, schedule, job)
            if busy is not None:
                logger.warning("schedule %r: not started: %s; next run %s", schedule.name, busy,
                               local_time(schedule.next_due_at))
                return None
            schedule.running_pid, schedule.running_host, schedule.running_since = os.getpid(), this_host(), _now()
            return _Claim(schedule.id, schedule.name, job, crawl_argv(schedule.options))

    def _record_process(self, schedule_id: int, pid: int, since: datetime) -> None:
        with self._writing() as session, session.begin():
            schedule = lock_schedule(session, schedule_id)
            if schedule is not None:
                schedule.running_pid, schedule.running_since = pid, since

    def _finish(self, launch: Launch, code: int) -> None:
        with self._writing() as session, session.begin():
            run = first_run_since(session, launch.job, launch.since)
            left_running = run is not None and run.status == "running"
            if left_running:
                run.status = "interrupted"
            _release(session, launch.schedule_id, launch.process.pid, run)
        elapsed = (_now() - launch.since).total_seconds()
        if code == 0 and run is not None and run.status == "finished":
            logger.info("schedule %r: %s", launch.name, summary(run, elapsed))
            return
        self.failures += 1
        if run is None:
            what = "no run was recorded"
        elif left_running:
            what = f"run {run.id} was left running and is now marked interrupted"
        else:
            what = f"run {run.id} is {run.status}"
        where = f"; its output is in {launch.log_path}" if launch.log_path else ""
        logger.error("schedule %r: crawl ended after %s with exit code %d, %s%s", launch.name, duration(elapsed),
                     code, what, where)

    def _open_log(self, name: str, since: datetime) -> tuple[Path | None, IO[bytes] | None]:
        if self.log_dir is None:
            return None, None
        self.log_dir.mkdir(parents=True, exist_ok=True)
        path = self.log_dir / f"{name}-{since:%Y%m%dT%H%M%SZ}.log"
        return path, path.open("ab")


def _busy(session: Session, schedule: Schedule, job: str) -> str | None:
    """Why ``job`` cannot start now, or None; marks the runs of a crawl process that is gone interrupted."""
    claimed_since = schedule.running_since
    if schedule.running_pid is not None:
        if process_alive(schedule.running_pid, schedule.running_host, claimed_since):
            return (f"its crawl (process {schedule.running_pid} on {schedule.running_host}) has been running "
                    f"since {local_time(claimed_since)}")
        logger.warning("schedule %r: its crawl process %d on %s is gone", schedule.name, schedule.running_pid,
                       schedule.running_host)
    for run in running_runs(session, job):
        if schedule.running_pid is not None and claimed_since is not None and run.started_at >= claimed_since:
            logger.warning("run %d of job %r was left running by that process; marking it interrupted", run.id, job)
            run.status = "interrupted"
            continue
        return f"run {run.id} of job {job!r} is marked running since {local_time(run.started_at)}"
    return None


def _release(session: Session, schedule_id: int, pid: int, run: CrawlRun | None) -> None:
    """Clear the claim made for process ``pid`` (if it is still the schedule's) and remember the run it made."""
    schedule = lock_schedule(session, schedule_id)
    if schedule is None:
        return
    if schedule.running_pid == pid and schedule.running_host == this_host():
        schedule.running_pid = schedule.running_host = schedule.running_since = None
    if run is not None:
        schedule.last_run_id = run.id


def summary(run: CrawlRun, seconds: float) -> str:
    """One line on how a run went, from its counts."""
    counts = run.counts
    errors = sum(counts.get("errors", {}).values())
    return (f"run {run.id} {run.status} in {duration(seconds)}: {counts.get('pages_fetched', 0)} pages, "
            f"articles {counts.get('articles_new', 0)} new, {counts.get('articles_updated', 0)} changed, "
            f"{counts.get('articles_unchanged', 0)} unchanged, {errors} errors")


def _now() -> datetime:
    return datetime.now(timezone.utc)
