"""hdnd history: an article's versions with their capture times, and what changed between two of them."""

from __future__ import annotations

import argparse
import os
import sys

from db.engine import DatabaseError, session_factory
from db.history import diff_versions, paragraphs
from db.models import Article, ArticleVersion
from db.queries import find_article
from hdnd.database import open_existing_database
from hdnd.display import local_time
from hdnd.options import HelpFormatter, add_db_option

HELP = "list an article's versions and show what changed between two of them"
COLOURS = {"+++": "\033[1m", "---": "\033[1m", "@@": "\033[36m", "+": "\033[32m", "-": "\033[31m"}
RESET = "\033[0m"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "history", help=HELP, description=HELP + " (by default the last two).",
        formatter_class=HelpFormatter,
    )
    parser.add_argument("article", metavar="ARTICLE", help="the article's source id on its site, or its URL")
    parser.add_argument("--site", metavar="HOST", default=None,
                        help="the site (host[:port]) when several sites use the same source id")
    add_db_option(parser)
    parser.add_argument("--diff", nargs=2, type=int, metavar=("A", "B"), help="compare version A with version B")
    parser.add_argument("--context", type=int, default=1, metavar="N",
                        help="unchanged paragraphs shown around a change")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                        help="colour the diff (auto: when writing to a terminal and NO_COLOR is not set)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.context < 0:
        print("hdnd history: error: --context cannot be negative", file=sys.stderr)
        return 2
    try:
        with session_factory(open_existing_database(args.db))() as session:
            article = find_article(session, args.article, site=args.site)
            if article is None:
                print(f"hdnd history: error: no article {args.article!r} in the database", file=sys.stderr)
                return 1
            versions = {version.version: version for version in article.history}
            print(describe(article))
            if args.diff is not None:
                missing = [number for number in args.diff if number not in versions]
                if missing:
                    print(f"hdnd history: error: the article has no version {missing[0]} "
                          f"(it has {', '.join(map(str, versions))})", file=sys.stderr)
                    return 1
                old, new = (versions[number] for number in args.diff)
            elif len(versions) < 2:
                print("\nOnly one version: nothing to compare.")
                return 0
            else:
                old, new = article.history[-2:]
            print()
            print(_diff(old, new, args.context, _use_colour(args.color)))
    except DatabaseError as error:
        print(f"hdnd history: error: {error}", file=sys.stderr)
        return 2
    return 0


def describe(article: Article) -> str:
    """The article and one line per version: when it was captured, by which run, how big."""
    lines = [
        article.title or "(no title)",
        f"  site {article.site}, source id {article.source_id}",
        f"  URL       {article.url}",
        f"  last seen {local_time(article.last_seen_at)}",
        f"Versions ({len(article.history)}):",
    ]
    lines += [_version_line(version) for version in article.history]
    return "\n".join(lines)


def _version_line(version: ArticleVersion) -> str:
    captions = sum(1 for image in version.images if image.caption)
    capture = version.capture
    return (f"  {version.version:>3}  captured {local_time(capture.fetched_at, seconds=True)}  run {capture.run_id}"
            f"  {len(paragraphs(version.body))} paragraphs, {captions} captions  sha256 {version.content_hash[:12]}")


def _diff(old: ArticleVersion, new: ArticleVersion, context: int, colour: bool) -> str:
    lines = diff_versions(old, new, context=context)
    if not lines:
        return f"Versions {old.version} and {new.version} have the same content."
    return "\n".join(_coloured(line) if colour else line for line in lines)


def _coloured(line: str) -> str:
    for prefix, colour in COLOURS.items():
        if line.startswith(prefix):
            return f"{colour}{line}{RESET}"
    return line


def _use_colour(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")
