"""hdnd db: maintain the archive database (the search index)."""

from __future__ import annotations

import argparse
import sys

from db.engine import DatabaseError
from db.search_index import rebuild_search_index, stale_search_indexes
from hdnd.database import open_existing_database
from hdnd.options import add_db_option

HELP = "maintain the archive database: rebuild or check the search index"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("db", help=HELP, description=HELP + ".")
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    rebuild = actions.add_parser(
        "rebuild-index", help="recompute the captions column and rebuild the full-text index from the articles",
        description="Recompute every article's captions from its current version and rebuild the full-text "
                    "index. Triggers keep the index in step with every write; rebuild after restoring a "
                    "backup, after editing images by hand, or when 'hdnd db check-index' reports a problem.",
    )
    add_db_option(rebuild)
    rebuild.set_defaults(run=run_rebuild)
    check = actions.add_parser("check-index", help="check that the full-text index agrees with the articles",
                               description="Exit 0 when the full-text index agrees with the articles, 1 when not.")
    add_db_option(check)
    check.set_defaults(run=run_check)


def run_rebuild(args: argparse.Namespace) -> int:
    try:
        count = rebuild_search_index(open_existing_database(args.db))
    except DatabaseError as error:
        print(f"hdnd db rebuild-index: error: {error}", file=sys.stderr)
        return 2
    print(f"rebuilt the search index of {count} articles")
    return 0


def run_check(args: argparse.Namespace) -> int:
    try:
        stale = stale_search_indexes(open_existing_database(args.db))
    except DatabaseError as error:
        print(f"hdnd db check-index: error: {error}", file=sys.stderr)
        return 2
    if stale:
        print(f"the search index disagrees with the articles ({', '.join(stale)}): run 'hdnd db rebuild-index'")
        return 1
    print("the search index agrees with the articles")
    return 0
