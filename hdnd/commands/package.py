"""hdnd package: write the archive, or one crawl run of it, as a WACZ file."""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.orm import Session

from archive.package import PackageError, select_contents, write_wacz
from db.engine import DatabaseError
from hdnd.database import open_existing_database
from hdnd.options import HelpFormatter, add_storage_options

HELP = "package WARC files, their index and the article pages as one WACZ file"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "package", help=HELP,
        description=HELP + " (WACZ 1.1.1: opens in ReplayWeb.page, loads into pywb).",
        formatter_class=HelpFormatter,
    )
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--run", type=int, dest="run_id", metavar="N", help="package the WARC files of crawl run N")
    which.add_argument("--all", action="store_true", help="package every closed WARC file")
    parser.add_argument("--output", "-o", metavar="FILE.wacz", required=True, help="the WACZ file to write")
    parser.add_argument("--title", default=None, help="the package's title (default: says what it holds)")
    add_storage_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not args.output.endswith(".wacz"):
        print("hdnd package: error: the output file name must end with .wacz", file=sys.stderr)
        return 2
    title = args.title or ("hdnd-archive: all runs" if args.all else f"hdnd-archive: crawl run {args.run_id}")
    try:
        with Session(open_existing_database(args.db)) as session:
            selection = select_contents(session, args.warc_dir, None if args.all else args.run_id)
        write_wacz(args.output, selection.warc_files, selection.pages, title=title)
    except (DatabaseError, PackageError, OSError) as error:
        print(f"hdnd package: error: {error}", file=sys.stderr)
        return 2
    print(f"Wrote {args.output}: {len(selection.warc_files)} WARC files, {len(selection.pages)} article pages")
    return 0
