"""Search latency over a fixed set of queries: folded ones (typed without marks) and exact ones (with them).

Queries go through ``db.search.search`` in this process, as a front end would call it, so a figure
is the query's own time without any command's start-up.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from sqlalchemy import Engine

from bench.processes import command_works, python_command
from db.engine import open_database
from db.search import search

FOLDED_QUERIES = ("dan van", "hoa binh", "dong chi", "duc", "ky hop", "tiep xuc cu tri", "ngan sach", "giam sat")
EXACT_QUERIES = ("dân vận", "Hòa Bình", "Hoà Bình", "Đồng chí", "Đức", "12/2022/NQ-HĐND", "kỳ họp", "tiếp xúc cử tri")
ROUNDS = 5  # each query is timed this many times, after one untimed round that warms the caches


@dataclass(frozen=True)
class Latency:
    timings: int
    median_ms: float
    p95_ms: float


def search_available() -> bool:
    """Whether this checkout has ``hdnd search``."""
    return command_works(python_command("-m", "hdnd", "search", "--help"))


def time_search(db_url: str) -> dict[str, Latency]:
    """Latency of the folded and of the exact queries (first page of results) against the archive at ``db_url``."""
    engine = open_database(db_url)
    try:
        return {"folded": _latency(engine, FOLDED_QUERIES), "exact": _latency(engine, EXACT_QUERIES)}
    finally:
        engine.dispose()


def _latency(engine: Engine, queries: tuple[str, ...]) -> Latency:
    for query in queries:
        search(engine, query)
    milliseconds = []
    for _ in range(ROUNDS):
        for query in queries:
            started = time.perf_counter()
            search(engine, query)
            milliseconds.append((time.perf_counter() - started) * 1000)
    p95 = statistics.quantiles(milliseconds, n=20, method="inclusive")[18]
    return Latency(len(milliseconds), statistics.median(milliseconds), p95)
