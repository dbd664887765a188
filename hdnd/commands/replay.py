"""hdnd replay: serve the archive with pywb, its start page listing the archived articles."""

from __future__ import annotations

import argparse
import signal
import sys

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.index import index_path_for
from archive.replay import ReplayError, ReplayServer, StartPageEntry
from archive.verify import warc_paths
from db.engine import DatabaseError
from db.models import Article, Capture
from hdnd.database import open_existing_database
from hdnd.options import HelpFormatter, add_storage_options

HELP = "replay the archive in a browser with pywb (pip install 'hdnd-archive[replay]')"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "replay", help=HELP, description=HELP + ".", formatter_class=HelpFormatter,
    )
    add_storage_options(parser)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8080, help="port to listen on")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        with Session(open_existing_database(args.db)) as session:
            entries = [
                StartPageEntry(title, published_at, fetched_at, url)
                for title, published_at, fetched_at, url in session.execute(
                    select(Article.title, Article.published_at, Capture.fetched_at, Capture.url)
                    .join(Capture, Capture.id == Article.capture_id)
                )
            ]
        server = ReplayServer(args.warc_dir, entries, host=args.host, port=args.port, quiet=False)
        unindexed = [path.name for path in warc_paths(args.warc_dir) if not index_path_for(path).is_file()]
        if unindexed:
            print(f"hdnd replay: warning: {len(unindexed)} WARC files have no index and cannot be replayed "
                  "(run 'hdnd index')", file=sys.stderr)
        server.start()
    except (DatabaseError, ReplayError) as error:
        print(f"hdnd replay: error: {error}", file=sys.stderr)
        return 2
    print(f"Replaying {len(entries)} articles at {server.base_url}/ (Ctrl-C to stop)", flush=True)
    # Stopped by a service manager, still stop pywb: the default SIGTERM would leave it running.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        return server.wait()
    finally:
        server.stop()
