"""hdnd schedule: add, list and remove recurring crawls (``hdnd scheduler`` runs them)."""

from __future__ import annotations

import argparse
import shlex
import sys
from datetime import datetime, timezone

from db.engine import DatabaseError, open_database, session_factory
from db.models import Schedule
from db.schedules import add_schedule, list_schedules, remove_schedule
from hdnd.commands.crawl import add_crawl_arguments, settings_from_arguments
from hdnd.crawl_options import crawl_argv, stored_options
from hdnd.database import open_existing_database
from hdnd.display import local_time, table
from hdnd.options import add_db_option
from hdnd.processes import process_alive
from hdnd.recurrence import Recurrence

HELP = "add, list and remove recurring crawls"
ADD_HELP = "schedule a recurring crawl, with the options of 'hdnd crawl'"
EPILOG = """\
examples:
  hdnd schedule add nightly --at 02:00 --start-url https://hdnd.example.gov.vn/
  hdnd schedule add hourly-news --every 6h --start-url https://hdnd.example.gov.vn/ --incremental
  hdnd schedule add weekly --cron "30 1 * * sun" --start-url https://hdnd.example.gov.vn/

Times are the machine's local time, as for cron (set TZ, e.g. TZ=Asia/Ho_Chi_Minh).
Without --at or --cron the first crawl is due at once. 'hdnd scheduler' starts due crawls.
"""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("schedule", help=HELP, description=HELP + ".")
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)

    add = actions.add_parser(
        "add", help=ADD_HELP, description=ADD_HELP + ".", epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add.add_argument("name", metavar="NAME", help="name of the schedule, also the crawl's job unless --job is given")
    when = add.add_argument_group("when to crawl")
    when.add_argument("--every", metavar="INTERVAL", help="30m, 6h, 1d, 2w (with --at: from that time of day)")
    when.add_argument("--at", metavar="HH:MM", help="time of day (alone: every day at that time)")
    when.add_argument("--cron", metavar="EXPRESSION", help='five cron fields, e.g. "0 2 * * *"')
    add_crawl_arguments(add.add_argument_group("crawl options (as for 'hdnd crawl')"))
    add.set_defaults(run=run_add)

    listing = actions.add_parser("list", help="list the schedules", description="List the schedules.")
    add_db_option(listing)
    listing.set_defaults(run=run_list)

    remove = actions.add_parser("remove", help="remove a schedule", description="Remove a schedule; "
                                "a crawl it started goes on to its end.")
    remove.add_argument("name", metavar="NAME")
    add_db_option(remove)
    remove.set_defaults(run=run_remove)


def run_add(args: argparse.Namespace) -> int:
    try:
        recurrence = Recurrence.parse(args.every, args.at, args.cron)
        settings_from_arguments(args)
        options = stored_options(args, default_job=args.name)
        engine = open_database(args.db)
        with session_factory(engine)() as session:
            schedule = add_schedule(
                session, args.name, **recurrence.as_columns(), options=options,
                next_due_at=recurrence.first_due(datetime.now(timezone.utc)),
            )
    except (ValueError, DatabaseError) as error:
        print(f"hdnd schedule add: error: {error}", file=sys.stderr)
        return 2
    print(f"Schedule {schedule.name!r} added: {recurrence.describe()}, next crawl {local_time(schedule.next_due_at)}")
    print(f"  hdnd crawl {shlex.join(crawl_argv(options))}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    try:
        with session_factory(open_existing_database(args.db))() as session:
            schedules = list_schedules(session)
    except DatabaseError as error:
        print(f"hdnd schedule list: error: {error}", file=sys.stderr)
        return 2
    if not schedules:
        print("No schedules. Add one with 'hdnd schedule add NAME --at 02:00 --start-url URL'.")
        return 0
    rows = [
        (schedule.name, _when(schedule), local_time(schedule.next_due_at), _state(schedule),
         schedule.last_run_id or "-")
        for schedule in schedules
    ]
    print(table(("NAME", "WHEN", "NEXT", "STATE", "LAST RUN"), rows))
    for schedule in schedules:
        print(f"{schedule.name}: hdnd crawl {shlex.join(crawl_argv(schedule.options))}")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    try:
        with session_factory(open_existing_database(args.db))() as session:
            removed = remove_schedule(session, args.name)
    except DatabaseError as error:
        print(f"hdnd schedule remove: error: {error}", file=sys.stderr)
        return 2
    if not removed:
        print(f"hdnd schedule remove: error: no schedule named {args.name!r} (see 'hdnd schedule list')",
              file=sys.stderr)
        return 1
    print(f"Schedule {args.name!r} removed.")
    return 0


def _when(schedule: Schedule) -> str:
    try:
        return Recurrence.parse(schedule.every, schedule.at, schedule.cron).describe()
    except ValueError:
        return f"invalid: every={schedule.every!r} at={schedule.at!r} cron={schedule.cron!r}"


def _state(schedule: Schedule) -> str:
    if schedule.running_pid is not None:
        if process_alive(schedule.running_pid, schedule.running_host, schedule.running_since):
            return f"running since {local_time(schedule.running_since)} (process {schedule.running_pid})"
        return f"its crawl (process {schedule.running_pid}) is gone"
    return "enabled" if schedule.enabled else "disabled"
