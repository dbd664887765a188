"""hdnd export: write the archive's articles as JSON Lines, CSV or Parquet, optionally filtered."""

from __future__ import annotations

import argparse
import itertools
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from db.engine import DatabaseError
from db.export import iter_export_records, write_csv, write_jsonl, write_parquet
from db.extras import MissingExtraError
from db.filters import FilterError
from db.search_query import SearchQueryError
from hdnd.database import open_existing_database
from hdnd.filter_options import add_filter_options
from hdnd.options import HelpFormatter, add_db_option

HELP = "export articles (one per line or row) with their capture"
FORMATS = ("jsonl", "csv", "parquet")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export", help=HELP, description=HELP + ".", formatter_class=HelpFormatter,
    )
    add_db_option(parser)
    parser.add_argument("--format", choices=FORMATS, default="jsonl",
                        help="jsonl, csv (lists as JSON cells) or parquet (needs pyarrow: the 'parquet' extra)")
    parser.add_argument("--output", "-o", metavar="FILE", default="-",
                        help="where to write ('-': standard output; parquet needs a file)")
    parser.add_argument("--bom", action="store_true", help="CSV only: start with a UTF-8 BOM for spreadsheet programs")
    add_filter_options(parser)
    parser.add_argument("--query", "-q", metavar="QUERY", default=None,
                        help="only articles matching this search (as 'hdnd search' reads it)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.format == "parquet" and args.output == "-":
        print("hdnd export: error: Parquet is a binary file format: give a file with --output", file=sys.stderr)
        return 2
    try:
        engine = open_existing_database(args.db)
        records = iter_export_records(
            engine, site=args.site, published_since=args.since, published_until=args.until,
            category=args.category, query=args.query,
        )
        # Read the first record before opening the output: a bad filter fails without leaving a file.
        first = list(itertools.islice(records, 1))
        with _output(args.output, binary=args.format == "parquet") as output:
            count = _write(args.format, itertools.chain(first, records), output, args.bom)
    except (DatabaseError, FilterError, SearchQueryError, MissingExtraError, OSError) as error:
        print(f"hdnd export: error: {error}", file=sys.stderr)
        return 2
    if args.output != "-":
        print(f"exported {count} articles to {args.output}", file=sys.stderr)
    return 0


def _write(format_: str, records: Iterator[dict[str, Any]], output: IO[Any], bom: bool) -> int:
    if format_ == "parquet":
        return write_parquet(records, output)
    if format_ == "csv":
        return write_csv(records, output, bom=bom)
    return write_jsonl(records, output)


@contextmanager
def _output(path: str, *, binary: bool) -> Iterator[IO[Any]]:
    """Standard output, or a file that appears under its name only once it is complete."""
    if path == "-":
        if not binary:
            sys.stdout.reconfigure(newline="")  # type: ignore[attr-defined]
        yield sys.stdout
        return
    target = Path(path)
    partial = target.with_name(f".{target.name}.partial")
    mode = "wb" if binary else "w"
    options: dict[str, Any] = {} if binary else {"encoding": "utf-8", "newline": ""}
    try:
        with partial.open(mode, **options) as handle:
            yield handle
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
