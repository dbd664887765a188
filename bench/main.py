"""The benchmark of issue 6: hdnd against wget and a bare Scrapy spider on the mirror, plus hdnd's own costs.

``python bench/run.py`` and ``hdnd bench`` both end up in ``main``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import Any

from bench.ceiling import article_paths, measure_ceiling
from bench.crawlers import (
    CrawlRun,
    CrawlSetup,
    Hdnd,
    available_crawlers,
    run_crawler,
    wget_version,
)
from bench.mirror_process import MirrorProcess
from bench.processes import RSS_SOURCE
from bench.reindex import count_articles, reindex_available, time_reindex
from bench.report import format_report, ratios, summarize_runs, targets
from bench.search import search_available, time_search
from bench.stages import time_stages
from mirror.site import Site

DESCRIPTION = "Benchmark hdnd crawl against wget and a bare Scrapy spider on the mirror, and time hdnd's stages."
DEFAULT_OUT = Path("bench", "out")  # relative to where it runs, like the archive's own data/ and demo/
DEFAULT_CONCURRENCY = 8  # Scrapy's own per-domain default; more changed nothing on loopback (notes/performance.md)
SEED = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The benchmark's options (``hdnd bench`` takes the same)."""
    parser.add_argument("--articles", type=int, default=10_000, metavar="N", help="articles on the mirror")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="DIR",
                        help="where results (JSON) and logs go, one folder per run")
    parser.add_argument("--repeat", type=int, default=3, metavar="N", help="runs of each crawler (median reported)")
    parser.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY, metavar="N",
                        help="requests in flight at once for hdnd and the bare spider (wget makes one at a time)")
    parser.add_argument("--memory-sizes", default="", metavar="N,N",
                        help="also crawl mirrors of these sizes with hdnd and report each one's peak RSS, "
                             "e.g. 10000,100000")
    parser.add_argument("--stage-sample", type=int, default=1000, metavar="N",
                        help="archived article pages to time hdnd's stages on")
    parser.add_argument("--ceiling-seconds", type=float, default=5.0, metavar="S",
                        help="how long to measure the mirror's own ceiling")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/run.py", description=DESCRIPTION,
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    add_arguments(parser)
    return run(parser.parse_args(argv))


def run(args: argparse.Namespace) -> int:
    try:
        memory_sizes = _check_arguments(args)
    except ValueError as error:
        print(f"bench: error: {error}", file=sys.stderr)
        return 2
    run_dir = args.out / datetime.now().strftime("%Y%m%d-%H%M%S")
    (run_dir / "logs").mkdir(parents=True, exist_ok=False)
    try:
        with tempfile.TemporaryDirectory(prefix="hdnd-bench-") as work:
            results = _benchmark(args, memory_sizes, Path(work), run_dir / "logs")
    except (RuntimeError, ValueError, OSError, subprocess.SubprocessError) as error:
        print(f"bench: error: {error}\n(logs in {run_dir / 'logs'})", file=sys.stderr)
        return 1
    print(format_report(results))
    results_path = run_dir / "results.json"
    results_path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nResults written to {results_path}")
    failed = [name for name, section in _sections(results) if "error" in section]
    if failed:
        print(f"bench: error: {', '.join(failed)} failed; see {run_dir / 'logs'}", file=sys.stderr)
        return 1
    return 0


def _sections(results: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The sections that may fail on their own, by name."""
    return [("stages", results["stages"]), ("reindex", results["reindex"]), ("search", results["search"]),
            *((f"memory at {size}", row) for size, row in results["memory"].items())]


def _check_arguments(args: argparse.Namespace) -> list[int]:
    """Validate the options; return the memory sizes asked for."""
    if args.repeat < 1 or args.concurrency < 1 or args.stage_sample < 1 or args.ceiling_seconds <= 0:
        raise ValueError("--repeat, --concurrency, --stage-sample and --ceiling-seconds must be positive")
    try:
        sizes = [int(size) for size in args.memory_sizes.replace(" ", "").split(",") if size]
    except ValueError:
        raise ValueError(f"--memory-sizes takes numbers separated by commas, not {args.memory_sizes!r}") from None
    for option, size in [("--articles", args.articles), *(("--memory-sizes", size) for size in sizes)]:
        try:
            Site(articles=size, seed=SEED)  # the mirror knows which sizes it can serve
        except ValueError as error:
            raise ValueError(f"{option}: {error}") from None
    return sizes


def _benchmark(args: argparse.Namespace, memory_sizes: list[int], work: Path, logs: Path) -> dict[str, Any]:
    started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    load_at_start = os.getloadavg()[0]
    crawlers = available_crawlers()
    runs: dict[str, list[CrawlRun]] = {crawler.name: [] for crawler in crawlers}
    with MirrorProcess(args.articles, logs / "mirror.log", seed=SEED) as mirror:
        _progress(f"mirror of {args.articles} articles at {mirror.base_url} (pid {mirror.pid})")
        ceiling = measure_ceiling(mirror.base_url, article_paths(args.articles, SEED), args.ceiling_seconds)
        _progress(f"mirror ceiling: {ceiling.requests_per_second:,.0f} article pages/s ({ceiling.method})")
        setup = CrawlSetup(mirror.base_url + "/", args.concurrency, deny=_trap_pattern(args.articles))
        # Crawlers take turns within each repeat, so that drift in the machine touches them all alike.
        for repeat in range(1, args.repeat + 1):
            for crawler in crawlers:
                directory = work / f"{crawler.name}-{repeat}"
                measured = run_crawler(crawler, setup, directory, logs / f"{crawler.name}-{repeat}.log", mirror)
                runs[crawler.name].append(measured)
                _progress(f"{crawler.name} run {repeat}/{args.repeat}: {measured.responses} pages in "
                          f"{measured.wall_seconds:.1f} s = {measured.pages_per_second:.0f} pages/s")
                if not (crawler.name == "hdnd" and repeat == args.repeat):
                    shutil.rmtree(directory)
    # Crawls first: without GNU time a child's peak RSS includes this process's, which the stages raise.
    memory = _memory(memory_sizes, setup.concurrency, work, logs)
    archive = work / f"hdnd-{args.repeat}"
    stages = _section("stages", logs, lambda: _stages(archive, work, args.stage_sample))
    reindex = _section("reindex", logs, lambda: _reindex(archive, work, logs))
    searched = work / f"memory-{max(memory_sizes)}" if memory_sizes else archive
    search = _section("search", logs, lambda: _search(searched / "hdnd.sqlite"))

    results: dict[str, Any] = {
        "config": {
            "articles": args.articles, "repeat": args.repeat, "concurrency": args.concurrency,
            "cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "wget": wget_version(), "peak_rss_source": RSS_SOURCE,
            "started_at": started_at, "load_average_at_start": load_at_start,
            "load_average_at_end": os.getloadavg()[0],
            "excluded_for_wget_and_bare_scrapy": f"{_trap_pattern(args.articles)} (an endless calendar: hdnd "
                                                 "cuts it by itself, the others cannot tell a trap)",
        },
        "mirror": {"ceiling_pages_per_second": ceiling.requests_per_second, "method": ceiling.method},
        "crawlers": {name: summarize_runs(measured) for name, measured in runs.items()},
        "stages": stages,
        "reindex": reindex,
        "search": search,
        "memory": memory,
    }
    if "wget" not in runs:
        results["crawlers"]["wget"] = {"skipped": "wget is not installed"}
    results["ratios"] = ratios(results["crawlers"])
    results["targets"] = targets(results)
    return results


def _section(name: str, logs: Path, measure: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """One section's results, or the error that stopped it (traceback in the logs): the rest still counts."""
    try:
        return measure()
    except Exception as error:  # a broken section must not throw away the crawls measured before it
        log_path = logs / f"{name}.error.log"
        log_path.write_text(traceback.format_exc(), encoding="utf-8")
        _progress(f"{name} failed: {error} (traceback in {log_path})")
        return {"error": f"{type(error).__name__}: {error}"}


def _stages(archive: Path, work: Path, sample: int) -> dict[str, Any]:
    stages = time_stages(archive / "warc", _fresh(work / "stages"), sample)
    _progress(f"stages timed on {stages.pages} pages")
    return asdict(stages)


def _reindex(archive: Path, work: Path, logs: Path) -> dict[str, Any]:
    if not reindex_available():
        return {"skipped": "this checkout has no 'hdnd reindex' yet"}
    measured = time_reindex(archive / "warc", _fresh(work / "reindex"), logs / "reindex.log")
    _progress(f"reindex: {measured.articles_per_second:.0f} articles/s")
    return {**asdict(measured), "articles_per_second": measured.articles_per_second}


def _memory(sizes: list[int], concurrency: int, work: Path, logs: Path) -> dict[str, dict[str, Any]]:
    """hdnd's peak RSS crawling mirrors of each size; the largest crawl's archive is kept for the search."""
    memory = {}
    for size in sorted(set(sizes)):
        memory[str(size)] = _section(f"memory-{size}", logs, partial(_memory_run, size, concurrency, work, logs))
        if size != max(sizes):
            shutil.rmtree(work / f"memory-{size}", ignore_errors=True)
    return memory


def _memory_run(size: int, concurrency: int, work: Path, logs: Path) -> dict[str, Any]:
    with MirrorProcess(size, logs / f"mirror-{size}.log", seed=SEED) as mirror:
        setup = CrawlSetup(mirror.base_url + "/", concurrency, deny=_trap_pattern(size))
        measured = run_crawler(Hdnd(), setup, work / f"memory-{size}", logs / f"memory-{size}.log", mirror)
    _progress(f"memory at {size} articles: peak RSS {measured.peak_rss_bytes / 1e6:.0f} MB")
    return measured.as_dict()


def _search(database: Path) -> dict[str, Any]:
    if not search_available():
        return {"skipped": "this checkout has no 'hdnd search' yet"}
    latencies = time_search(f"sqlite:///{database}")
    _progress(f"search: folded median {latencies['folded'].median_ms:.1f} ms, "
              f"exact median {latencies['exact'].median_ms:.1f} ms")
    return {"articles": count_articles(database), "method": "db.search.search in-process, first 20 hits",
            **{mode: asdict(latency) for mode, latency in latencies.items()}}


def _trap_pattern(articles: int) -> str:
    """A regex of the mirror's endless calendar, which wget and the bare spider must be kept out of."""
    return re.escape(Site(articles=articles, seed=SEED).special_pages()["calendar"])


def _fresh(directory: Path) -> Path:
    directory.mkdir(parents=True)
    return directory


def _progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)
