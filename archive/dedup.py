"""The last archived capture of each URL, kept beside the WARC files to decide revisits.

A SQLite file (``dedup.sqlite`` in the WARC folder) maps a URL to the payload digest, record id,
date and HTTP validators (ETag, Last-Modified) of its last full response record. It is a cache
of what the WARC files hold: when it is missing it is rebuilt from their CDXJ indexes, and the
entries a killed crawl had not committed come back from the index of its repaired file.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

DEDUP_FILE = "dedup.sqlite"
# Entries written between two commits; losing them to a crash only costs a full record instead of a revisit.
COMMIT_EVERY = 100

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    url TEXT PRIMARY KEY,
    payload_digest TEXT NOT NULL,
    record_id TEXT,
    date TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT
)
"""


@dataclass(frozen=True)
class PriorCapture:
    url: str
    payload_digest: str
    record_id: str | None
    date: datetime
    etag: str | None
    last_modified: str | None


class DedupIndex:
    """URL → last full capture, read and written by one crawl at a time."""

    def __init__(self, warc_dir: str | Path) -> None:
        directory = Path(warc_dir)
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / DEDUP_FILE
        fresh = not path.exists()
        self._connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._connection.execute("PRAGMA journal_mode=WAL")
        self._connection.execute("PRAGMA synchronous=NORMAL")
        self._connection.execute(_SCHEMA)
        self._pending = 0
        self._connection.execute("BEGIN")
        if fresh:
            for index in sorted((directory / "indexes").glob("*.cdxj")):
                self.load_index(index)

    def lookup(self, url: str) -> PriorCapture | None:
        row = self._connection.execute(
            "SELECT url, payload_digest, record_id, date, etag, last_modified FROM entries WHERE url = ?", (url,)
        ).fetchone()
        if row is None:
            return None
        return PriorCapture(row[0], row[1], row[2], datetime.fromisoformat(row[3]), row[4], row[5])

    def record(self, capture: PriorCapture) -> None:
        self._connection.execute(
            "INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?, ?)",
            (capture.url, capture.payload_digest, capture.record_id, capture.date.isoformat(),
             capture.etag, capture.last_modified),
        )
        self._pending += 1
        if self._pending >= COMMIT_EVERY:
            self._commit()

    def close(self) -> None:
        if self._connection is not None:
            self._connection.execute("COMMIT")
            self._connection.close()
            self._connection = None

    def _commit(self) -> None:
        self._connection.execute("COMMIT")
        self._connection.execute("BEGIN")
        self._pending = 0

    def load_index(self, index: Path) -> None:
        """Record the full 200 captures a WARC file's CDXJ index lists (a newer file loaded later wins)."""
        for line in index.read_text(encoding="utf-8").splitlines():
            _, timestamp, block = line.split(" ", 2)
            fields = json.loads(block)
            if fields.get("status") != "200" or "digest" not in fields or fields.get("mime") == "warc/revisit":
                continue
            date = datetime.strptime(timestamp, "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)
            digest = fields["digest"] if ":" in fields["digest"] else "sha1:" + fields["digest"]
            self.record(PriorCapture(fields["url"], digest, None, date, None, None))
