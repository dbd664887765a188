"""hdnd runs: list the crawl runs with their pages, articles and errors."""

from __future__ import annotations

import argparse
import json
import sys

from db.engine import DatabaseError, session_factory
from db.queries import list_runs
from db.reports import RunFigures, run_figures
from hdnd.database import open_existing_database
from hdnd.display import duration, local_time, table
from hdnd.options import HelpFormatter, add_db_option

HELP = "list the crawl runs, newest first"
COLUMNS = ("RUN", "JOB", "STARTED", "FINISHED", "STATUS", "PAGES", "NEW", "CHANGED", "UNCHANGED", "ERRORS")
NUMBERS = ("RUN", "PAGES", "NEW", "CHANGED", "UNCHANGED", "ERRORS")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "runs", help=HELP, description=HELP + " ('hdnd report RUN' tells more about one).",
        formatter_class=HelpFormatter,
    )
    add_db_option(parser)
    parser.add_argument("--limit", type=int, default=20, metavar="N", help="show the N newest runs (0: all)")
    parser.add_argument("--json", action="store_true", help="one JSON object per line instead of a table")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.limit < 0:
        print("hdnd runs: error: --limit cannot be negative", file=sys.stderr)
        return 2
    try:
        with session_factory(open_existing_database(args.db))() as session:
            figures = run_figures(session, list_runs(session, limit=args.limit or None))
    except DatabaseError as error:
        print(f"hdnd runs: error: {error}", file=sys.stderr)
        return 2
    if args.json:
        for row in figures:
            print(json.dumps(_as_json(row), ensure_ascii=False))
    elif not figures:
        print("No crawl runs yet.")
    else:
        print(table(COLUMNS, [_as_row(row) for row in figures], right=NUMBERS))
    return 0


def _as_row(row: RunFigures) -> tuple[object, ...]:
    run = row.run
    return (run.id, run.job, local_time(run.started_at), _finished(row), run.status, row.pages, row.articles_new,
            row.articles_changed, _or_dash(row.articles_unchanged), _or_dash(row.errors))


def _as_json(row: RunFigures) -> dict[str, object]:
    run = row.run
    return {
        "id": run.id, "job": run.job, "status": run.status, "started_at": run.started_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None, "pages": row.pages,
        "articles_new": row.articles_new, "articles_changed": row.articles_changed,
        "articles_unchanged": row.articles_unchanged, "errors": row.errors,
    }


def _finished(row: RunFigures) -> str:
    """The end's clock time and how long the run took; the date too when it is not the start's."""
    run = row.run
    if run.finished_at is None or row.seconds is None:
        return "-"
    start, end = run.started_at.astimezone(), run.finished_at.astimezone()
    shown = f"{end:%H:%M}" if end.date() == start.date() else local_time(run.finished_at)
    return f"{shown} ({duration(row.seconds)})"


def _or_dash(value: int | None) -> object:
    return "-" if value is None else value
