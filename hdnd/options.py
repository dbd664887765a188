"""Options shared by several commands, with defaults read from the one home of settings."""

from __future__ import annotations

import argparse
import os

from crawler import settings as defaults


def default_db_url() -> str:
    return os.environ.get("HDND_DB") or defaults.HDND_DB_URL


def default_warc_dir() -> str:
    return os.environ.get("HDND_WARC_DIR") or defaults.HDND_WARC_DIR


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", metavar="URL", default=default_db_url(),
        help="SQLAlchemy database URL (env HDND_DB; default: %(default)s)",
    )


def add_warc_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--warc-dir", metavar="DIR", default=default_warc_dir(),
        help="folder of the WARC files (env HDND_WARC_DIR; default: %(default)s)",
    )


def add_storage_options(parser: argparse.ArgumentParser) -> None:
    """--db and --warc-dir, taken by every command that reads or writes the archive."""
    add_db_option(parser)
    add_warc_dir_option(parser)


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Shows each option's default, unless it has none worth showing or its help already says it."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if "default" in text or not action.option_strings or action.default in (None, False, argparse.SUPPRESS):
            return text
        return text + " (default: %(default)s)"
