"""hdnd index: rebuild the sorted CDXJ index of every closed WARC file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from archive.index import index_path_for, write_cdxj
from archive.verify import warc_paths
from hdnd.options import HelpFormatter, add_warc_dir_option

HELP = "rebuild the CDXJ index (for replay) of every closed WARC file"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "index", help=HELP, description=HELP + ", into the 'indexes' folder beside them.",
        formatter_class=HelpFormatter,
    )
    add_warc_dir_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    warc_dir = Path(args.warc_dir)
    if not warc_dir.is_dir():
        print(f"hdnd index: error: no WARC folder at {warc_dir}", file=sys.stderr)
        return 2
    failed = 0
    paths = warc_paths(warc_dir)
    for path in paths:
        try:
            write_cdxj(path, index_path_for(path))
        except Exception as error:  # cdxj-indexer and warcio fail in many ways on a damaged file
            failed += 1
            print(f"hdnd index: cannot index {path.name}: {error} (run 'hdnd verify' to see what is wrong)",
                  file=sys.stderr)
    print(f"Indexed {len(paths) - failed} of {len(paths)} WARC files into {warc_dir / 'indexes'}")
    return 1 if failed else 0
