"""hdnd export: write the archive's articles as JSON Lines or CSV."""

from __future__ import annotations

import argparse
import sys
from contextlib import nullcontext

from db.engine import DatabaseError, open_database
from db.export import iter_export_records, write_csv, write_jsonl
from hdnd.options import add_db_option

HELP = "export articles (one per line or row) with their capture"
WRITERS = {"jsonl": write_jsonl, "csv": write_csv}


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export", help=HELP, description=HELP + ".", formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    add_db_option(parser)
    parser.add_argument("--format", choices=sorted(WRITERS), default="jsonl", help="output format")
    parser.add_argument("--output", "-o", metavar="FILE", default="-", help="where to write ('-': standard output)")
    parser.add_argument("--bom", action="store_true", help="CSV only: start with a UTF-8 BOM for spreadsheet programs")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        engine = open_database(args.db)
    except DatabaseError as error:
        print(f"hdnd export: error: {error}", file=sys.stderr)
        return 2
    newline = "" if args.format == "csv" else None
    target = (nullcontext(sys.stdout) if args.output == "-"
              else open(args.output, "w", encoding="utf-8", newline=newline))
    with target as output:
        records = iter_export_records(engine)
        if args.format == "csv":
            count = write_csv(records, output, bom=args.bom)
        else:
            count = write_jsonl(records, output)
    if args.output != "-":
        print(f"exported {count} articles to {args.output}", file=sys.stderr)
    return 0
