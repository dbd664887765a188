"""``hdnd reindex`` speed: articles per second rebuilt from a crawl's WARC files into a fresh database."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from bench.processes import check_ran, command_works, python_command, run_measured


@dataclass(frozen=True)
class ReindexRun:
    articles: int
    exit_code: int  # 1 when it rebuilt what it could and reported problems
    wall_seconds: float
    cpu_seconds: float
    peak_rss_bytes: int

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.wall_seconds


def reindex_available() -> bool:
    """Whether this checkout has ``hdnd reindex`` yet."""
    return command_works(python_command("-m", "hdnd", "reindex", "--help"))


def time_reindex(warc_dir: Path, work_dir: Path, log_path: Path) -> ReindexRun:
    database = work_dir / "reindex.sqlite"
    usage = run_measured(
        python_command("-m", "hdnd", "reindex", "--warc-dir", str(warc_dir), "--db", f"sqlite:///{database}"),
        cwd=work_dir, log_path=log_path,
    )
    check_ran("hdnd reindex", usage, log_path, ok_exit_codes=(0, 1))
    return ReindexRun(count_articles(database), usage.exit_code, usage.wall_seconds, usage.cpu_seconds,
                      usage.peak_rss_bytes)


def count_articles(database: Path) -> int:
    """Articles stored in an archive's SQLite file."""
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as connection:
        return connection.execute("SELECT count(*) FROM articles").fetchone()[0]
