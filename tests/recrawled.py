"""An archive of our own crawled twice: the mirror as it is, then a day later (new and edited articles)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from conftest import crawl_arguments, run_hdnd
from mirror.server import MirrorServer
from mirror.site import Site

ARTICLES = 20


@dataclass
class Recrawled:
    site: Site
    db_path: Path
    db_url: str
    first_run: int
    second_run: int

    def query(self, sql: str, *parameters: object) -> list[tuple]:
        with sqlite3.connect(self.db_path) as connection:
            return connection.execute(sql, parameters).fetchall()


@contextmanager
def recrawled(directory: Path) -> Iterator[Recrawled]:
    """Crawl generation 0 of a mirror, then generation 1, into ``directory``."""
    db_path = directory / "hdnd.sqlite"
    db_url = f"sqlite:///{db_path}"
    with MirrorServer(Site(articles=ARTICLES)) as server:
        runs = []
        for generation in (0, 1):
            server.set_generation(generation)
            run_hdnd(*crawl_arguments(server.base_url, db_url, directory / "warc", "--no-assets"))
            with sqlite3.connect(db_path) as connection:
                runs.append(connection.execute("SELECT max(id) FROM crawl_runs").fetchone()[0])
        yield Recrawled(server.site, db_path, db_url, *runs)
