"""The ``hdnd`` command: one entry point for everything a user does with the archive."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from crawler import __version__

# Command modules in the order ``hdnd --help`` lists them.
COMMANDS = ("demo", "crawl", "export", "mirror", "verify", "show", "replay", "package", "index", "reindex",
            "schedule", "scheduler", "runs", "report", "history", "search", "db", "browse", "bench")

DESCRIPTION = """\
hdnd-archive preserves the websites of Vietnam's provincial People's Councils (HĐND):
it crawls a site politely, writes every fetch to WARC files and stores each article
(title, date, body, captions, attachments) in a database that points at its capture.
"""
EPILOG = "Run 'hdnd COMMAND --help' for a command's options. Start with 'hdnd demo'."


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hdnd", description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"hdnd-archive {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for name in COMMANDS:
        importlib.import_module(f"hdnd.commands.{name}").add_parser(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("hdnd: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (e.g. `head`) went away: stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
