"""hdnd scheduler: run the scheduled crawls when they are due, in the foreground (for systemd or a container)."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from pathlib import Path
from types import FrameType

from sqlalchemy import make_url

from db.engine import DatabaseError, session_factory
from db.schedules import list_schedules
from hdnd.database import open_existing_database
from hdnd.options import add_db_option
from hdnd.scheduling import Scheduler

HELP = "run the scheduled crawls when they are due, in the foreground"
DESCRIPTION = """\
Run the crawls of 'hdnd schedule' when they are due, each as an 'hdnd crawl' process,
never two runs of one job at once (also across several schedulers on one database): a
due crawl whose job is still running is skipped until its next time. A failing crawl is
logged and the scheduler goes on. SIGTERM or Ctrl-C asks the running crawls to stop
cleanly (their runs are marked interrupted); a second one makes them stop at once.
"""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "scheduler", help=HELP, description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_db_option(parser)
    parser.add_argument("--once", action="store_true",
                        help="start the crawls due now, wait for them and exit (status 1 if one failed)")
    parser.add_argument("--poll", type=float, default=30.0, metavar="SECONDS",
                        help="how often to look for due schedules (default: %(default)s)")
    parser.add_argument("--max-running", type=int, default=2, metavar="N",
                        help="most crawls running at once, of different jobs (default: %(default)s)")
    parser.add_argument("--log-dir", metavar="DIR", type=Path,
                        help="write each crawl's output to DIR/NAME-TIME.log (default: the scheduler's own output)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.poll <= 0 or args.max_running < 1:
        print("hdnd scheduler: error: --poll must be positive and --max-running at least 1", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(name)s %(levelname)s: %(message)s")
    logger = logging.getLogger("hdnd.scheduler")
    logger.setLevel(logging.INFO)
    try:
        engine = open_existing_database(args.db)
        with session_factory(engine)() as session:
            schedules = list_schedules(session)
    except DatabaseError as error:
        print(f"hdnd scheduler: error: {error}", file=sys.stderr)
        return 2
    shown = make_url(args.db).render_as_string(hide_password=True)
    logger.info("process %d, database %s, %d schedules%s", os.getpid(), shown, len(schedules),
                "" if schedules else " (add one with 'hdnd schedule add')")
    scheduler = Scheduler(engine, args.db, max_running=args.max_running, log_dir=args.log_dir)

    def stop(signum: int, frame: FrameType | None) -> None:
        logger.info("%s received: stopping", signal.Signals(signum).name)
        scheduler.stop()

    previous = {signum: signal.signal(signum, stop) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        return scheduler.run(once=args.once, poll=args.poll)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        engine.dispose()
