"""A crawl's options as a schedule stores them (JSON), and back to an ``hdnd crawl`` command line.

Only options that differ from the defaults are stored, so a scheduled crawl follows the defaults of the
hdnd-archive that runs it (a new User-Agent version, say). Paths are stored absolute because the
scheduler may run from another folder. The database is not stored: a schedule's crawl writes to the
database the schedule lives in.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from typing import Any

from hdnd.commands.crawl import add_crawl_arguments

_NOT_STORED = ("db",)
_PATHS = ("warc_dir", "hints")
_ALWAYS_STORED = ("warc_dir", "job")
_PLACEHOLDER_URL = "http://example.invalid/"


def crawl_parser() -> argparse.ArgumentParser:
    """A parser of exactly ``hdnd crawl``'s options."""
    parser = argparse.ArgumentParser(prog="hdnd crawl", add_help=False)
    add_crawl_arguments(parser)
    return parser


def stored_options(args: argparse.Namespace, *, default_job: str) -> dict[str, Any]:
    """The crawl options of ``args`` worth storing; ``job`` defaults to ``default_job`` (the schedule's name)."""
    defaults = _defaults()
    defaults.pop("start_url")
    options: dict[str, Any] = {"start_url": list(args.start_url)}
    for dest, default in defaults.items():
        value = getattr(args, dest)
        if dest in _PATHS and value:
            value = os.path.abspath(value)
        if value != default or dest in _ALWAYS_STORED:
            options[dest] = value
    if args.job == defaults["job"]:
        options["job"] = default_job
    _check_round_trip(options)
    return options


def crawl_argv(options: Mapping[str, Any]) -> list[str]:
    """``hdnd crawl`` arguments for stored options (without ``--db``).

    Values are joined to their option (``--job=x``) so that one starting with '-' stays a value.
    """
    argv: list[str] = []
    for dest, value in options.items():
        flag = "--" + dest.replace("_", "-")
        if value is True:
            argv.append(flag)
        elif isinstance(value, list):
            argv += [f"{flag}={item}" for item in value]
        elif value is not None and value is not False:
            argv.append(f"{flag}={value}")
    return argv


def _defaults() -> dict[str, Any]:
    defaults = vars(crawl_parser().parse_args(["--start-url", _PLACEHOLDER_URL]))
    for dest in _NOT_STORED:
        defaults.pop(dest)
    return defaults


def _check_round_trip(options: Mapping[str, Any]) -> None:
    """Stored options must give the same crawl again: a new crawl option breaking the naming rule shows up here."""
    parsed = vars(crawl_parser().parse_args(crawl_argv(options)))
    for dest, value in options.items():
        if parsed.get(dest) != value:
            raise ValueError(f"the crawl option {dest}={value!r} cannot be stored in a schedule (read back as "
                             f"{parsed.get(dest)!r}); this is a bug in hdnd-archive, please report it")
