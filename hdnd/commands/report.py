"""hdnd report: what one crawl run covered, fetched, stored and wrote."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from typing import Any

from db.engine import DatabaseError, session_factory
from db.queries import list_runs
from db.reports import RunReport, run_report, start_urls
from hdnd.database import open_existing_database
from hdnd.display import byte_size, duration, local_time
from hdnd.options import add_db_option

HELP = "report a crawl run's coverage: listing pages, articles, errors, WARC files"
LATEST = "last"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("report", help=HELP, description=HELP + ".")
    parser.add_argument("run_id", metavar="RUN", help=f"the run's id (see 'hdnd runs'), or '{LATEST}'")
    add_db_option(parser)
    parser.add_argument("--json", action="store_true", help="print the report as JSON, for programs")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.run_id != LATEST and not args.run_id.isdigit():
        print(f"hdnd report: error: RUN must be a run id (a number) or '{LATEST}', not {args.run_id!r}",
              file=sys.stderr)
        return 2
    try:
        with session_factory(open_existing_database(args.db))() as session:
            if args.run_id == LATEST:
                latest = list_runs(session, limit=1)
                report = run_report(session, latest[0].id) if latest else None
            else:
                report = run_report(session, int(args.run_id))
    except DatabaseError as error:
        print(f"hdnd report: error: {error}", file=sys.stderr)
        return 2
    if report is None:
        print(f"hdnd report: error: no crawl run {args.run_id} (see 'hdnd runs')", file=sys.stderr)
        return 1
    print(json.dumps(report.as_json(), ensure_ascii=False, indent=2) if args.json else render(report))
    return 0


def render(report: RunReport) -> str:
    """The report for people."""
    run, figures = report.run, report.figures
    took = f" ({duration(figures.seconds)})" if figures.seconds is not None else ""
    lines = [
        f"Run {run.id} of job {run.job!r}: {run.status}",
        f"  started          {local_time(run.started_at, seconds=True)}",
        f"  finished         {local_time(run.finished_at, seconds=True)}{took}",
        *(f"  start URL        {url}" for url in start_urls(run)),
    ]
    if report.listing_pages is not None:
        depth = f", {report.listing_depth} deep" if report.listing_depth is not None else ""
        lines.append(f"Listing pages      {report.listing_pages} walked{depth}")
    discovered = f"{_known(report.articles_discovered)} discovered: "
    lines += [
        f"Articles           {discovered}{figures.articles_new} new, {figures.articles_changed} changed, "
        f"{_known(figures.articles_unchanged)} unchanged, {_known(report.articles_failed)} failed",
        f"Captures           {figures.pages}" + (f" ({_listing(report.record_types)})" if figures.pages else ""),
        f"  by HTTP status   {_listing(report.statuses) or 'none'}",
        f"Errors             {_errors(report.errors)}",
        f"Robots-blocked     {_known(report.robots_blocked)} URLs",
        f"WARC files         {len(report.warc_files)} closed, {byte_size(report.warc_bytes)}, "
        f"{report.warc_records} records",
    ]
    lines += [f"  {warc.name}  {byte_size(warc.size)}  {warc.records} records  sha256 {warc.sha256[:16]}…"
              for warc in report.warc_files]
    if report.unclosed_warc_files:
        lines.append(f"  not closed (left by a killed crawl): {', '.join(report.unclosed_warc_files)}")
    if run.counts == {}:
        lines.append("This run stored no counts (still running, or killed): figures from its counts are unknown.")
    return "\n".join(lines)


def _known(value: int | None) -> str:
    return "?" if value is None else str(value)


def _errors(errors: Mapping[str, int] | None) -> str:
    if errors is None:
        return "unknown"
    return f"{_listing(errors)} (after retries)" if errors else "none"


def _listing(counts: Mapping[Any, int]) -> str:
    return ", ".join(f"{key}: {count}" for key, count in counts.items())
