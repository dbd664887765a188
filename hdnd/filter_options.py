"""The filter options shared by ``hdnd search`` and ``hdnd export``."""

from __future__ import annotations

import argparse


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    """--since, --until, --category and --site."""
    parser.add_argument("--since", metavar="DATE", default=None,
                        help="only articles published on or after DATE (2022, 2022-05 or 2022-05-21; Vietnam time)")
    parser.add_argument("--until", metavar="DATE", default=None,
                        help="only articles published on or before DATE (2022 means up to 31 December 2022)")
    parser.add_argument("--category", metavar="NAME", default=None,
                        help="only articles of this category (marks and case may be left out: 'tin hoat dong')")
    parser.add_argument("--site", metavar="HOST", default=None, help="only articles of this site (host[:port])")


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {value}")
    return value
