"""A Scrapy scheduler whose queue and seen-set live in SQLite, so a crawl resumes after any stop.

Scrapy's own JOBDIR queues save their state only when the crawl closes cleanly; after SIGKILL or
a power cut they are lost. Here every request is a row: pending, taken, or done (its response
has been received, and so written to the WARC file). Each change is committed at once (in WAL
mode without fsync: a killed process loses nothing, a power cut at most the last moments). A
crawl of the same job that finds its frontier unfinished resumes it: pending and taken requests are queued again, except article and asset
requests already done; listing pages are walked again so that no link they led to is lost.
"""

from __future__ import annotations

import fcntl
import logging
import pickle
import sqlite3
from pathlib import Path
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.utils.request import request_from_dict

logger = logging.getLogger(__name__)

PENDING, TAKEN, DONE = 0, 1, 2
# Callbacks of leaf requests (fetched once, never walked again on resume); the rest are pages.
LEAF_CALLBACKS = frozenset({"parse_article", "parse_asset"})
ROW_META_KEY = "hdnd_frontier_row"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS requests (
    id INTEGER PRIMARY KEY,
    fingerprint BLOB UNIQUE,
    priority INTEGER NOT NULL,
    state INTEGER NOT NULL,
    leaf INTEGER NOT NULL,
    data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS requests_queue ON requests (state, priority, id);
CREATE TABLE IF NOT EXISTS frontier (key TEXT PRIMARY KEY, value TEXT);
"""


class FrontierBusyError(RuntimeError):
    """Another crawl of the same job holds the frontier."""


def frontier_path(settings: Any) -> Path:
    """Where a job's frontier lives: HDND_JOBS_DIR, else a ``jobs`` folder beside the WARC folder."""
    directory = settings.get("HDND_JOBS_DIR") or Path(settings.get("HDND_WARC_DIR")).parent / "jobs"
    return Path(directory) / f"{settings.get('HDND_JOB')}.frontier.sqlite"


def frontier_status(path: Path) -> str | None:
    """'running', 'interrupted' or 'finished' for an existing frontier; None when there is none."""
    if not path.exists():
        return None
    with sqlite3.connect(path) as connection:
        try:
            row = connection.execute("SELECT value FROM frontier WHERE key = 'status'").fetchone()
        except sqlite3.OperationalError:
            return None
    return row[0] if row else None


def frontier_busy(path: Path) -> bool:
    """Whether a crawl holds this frontier right now."""
    lock_path = path.with_suffix(".lock")
    if not lock_path.exists():
        return False
    with lock_path.open("w") as lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(lock_file, fcntl.LOCK_UN)
    return False


class FrontierScheduler:
    """Scrapy scheduler interface over a SQLite frontier (highest priority first, newest first within one)."""

    def __init__(self, crawler: Crawler, path: Path) -> None:
        self.crawler = crawler
        self.path = path
        self.spider: Spider | None = None
        self.pending = 0
        self.resumed = False
        self._connection: sqlite3.Connection | None = None
        self._lock_file: Any = None
        # Done once the response is through the downloader middlewares, so written to the WARC file.
        crawler.signals.connect(self.response_received, signal=signals.response_received)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FrontierScheduler:
        return cls(crawler, frontier_path(crawler.settings))

    # --- BaseScheduler interface ----------------------------------------------------------------

    def open(self, spider: Spider) -> None:
        self.spider = spider
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock()
        self._connection = sqlite3.connect(self.path, isolation_level=None)
        self._connection.execute("PRAGMA journal_mode=WAL")
        self._connection.execute("PRAGMA synchronous=NORMAL")
        self._connection.executescript(_SCHEMA)
        status = self._get("status")
        if status in ("running", "interrupted"):
            self._reopen()
        else:
            self._connection.execute("DELETE FROM requests")
        self._set("status", "running")

    def close(self, reason: str) -> None:
        if self._connection is None:
            return
        finished = reason == "finished" and self.pending == 0
        self._set("status", "finished" if finished else "interrupted")
        self._connection.close()
        self._connection = None
        self._unlock()

    def has_pending_requests(self) -> bool:
        return self.pending > 0

    def enqueue_request(self, request: Request) -> bool:
        fingerprint = None if request.dont_filter else self.crawler.request_fingerprinter.fingerprint(request)
        leaf = getattr(request.callback, "__name__", None) in LEAF_CALLBACKS
        data = pickle.dumps(request.to_dict(spider=self.spider), protocol=pickle.HIGHEST_PROTOCOL)
        cursor = self._connection.execute(
            "INSERT OR IGNORE INTO requests (fingerprint, priority, state, leaf, data) VALUES (?, ?, ?, ?, ?)",
            (fingerprint, request.priority, PENDING, leaf, data),
        )
        if cursor.rowcount == 0:
            self.crawler.stats.inc_value("scheduler/filtered")
            return False
        self.pending += 1
        self.crawler.stats.inc_value("scheduler/enqueued")
        return True

    def next_request(self) -> Request | None:
        row = self._connection.execute(
            "SELECT id, data FROM requests WHERE state = ? ORDER BY priority DESC, id DESC LIMIT 1", (PENDING,)
        ).fetchone()
        if row is None:
            return None
        self._connection.execute("UPDATE requests SET state = ? WHERE id = ?", (TAKEN, row[0]))
        self.pending -= 1
        request = request_from_dict(pickle.loads(row[1]), spider=self.spider)
        request.meta[ROW_META_KEY] = row[0]
        self.crawler.stats.inc_value("scheduler/dequeued")
        return request

    def __len__(self) -> int:
        return self.pending

    # --- signals ----------------------------------------------------------------------------------

    def response_received(self, response: Any, request: Request, spider: Spider) -> None:
        row = request.meta.get(ROW_META_KEY)
        if row is not None and self._connection is not None:
            self._connection.execute("UPDATE requests SET state = ? WHERE id = ?", (DONE, row))

    # --- internals --------------------------------------------------------------------------------

    def _reopen(self) -> None:
        """Queue again what an interrupted crawl had not finished, and every page to walk again."""
        self._connection.execute(
            "UPDATE requests SET state = ? WHERE state = ? OR (state = ? AND leaf = 0)", (PENDING, TAKEN, DONE)
        )
        self.pending = self._connection.execute(
            "SELECT count(*) FROM requests WHERE state = ?", (PENDING,)
        ).fetchone()[0]
        done = self._connection.execute("SELECT count(*) FROM requests WHERE state = ?", (DONE,)).fetchone()[0]
        self.resumed = True
        self.crawler.stats.set_value("hdnd/resumed", True)
        logger.info("Resuming job %s: %d requests pending, %d articles and assets done", self.path.stem, self.pending, done)

    def _get(self, key: str) -> str | None:
        row = self._connection.execute("SELECT value FROM frontier WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _set(self, key: str, value: str) -> None:
        self._connection.execute("INSERT OR REPLACE INTO frontier VALUES (?, ?)", (key, value))

    def _lock(self) -> None:
        self._lock_file = open(self.path.with_suffix(".lock"), "w")
        try:
            fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock_file.close()
            raise FrontierBusyError(f"job {self.path.stem.removesuffix('.frontier')!r} is already being crawled") from None

    def _unlock(self) -> None:
        fcntl.flock(self._lock_file, fcntl.LOCK_UN)
        self._lock_file.close()
