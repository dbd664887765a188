"""hdnd reindex: build the database again from the WARC files alone, with no network."""

from __future__ import annotations

import argparse
import sys

from archive.reextract import article_rules
from archive.reindex import ReindexError, reindex_archive
from crawler.spiders.council import load_site_hints
from crawler.urls import ArticleUrlRules
from db.engine import DatabaseError, open_database
from hdnd.options import HelpFormatter, add_storage_options

HELP = "rebuild the database (runs, WARC files, captures, articles) from the WARC files alone"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "reindex", help=HELP,
        description=HELP + ". The database must be new (empty). Article rules default to those each WARC "
                           "file's warcinfo names, else to the crawl's defaults.",
        formatter_class=HelpFormatter,
    )
    add_storage_options(parser)
    parser.add_argument("--article-pattern", metavar="REGEX", default=None,
                        help="a URL matching this is an article page (overrides the warcinfo)")
    parser.add_argument("--source-id-pattern", metavar="REGEX", default=None,
                        help="regex whose first group is the article id in its URL (overrides the warcinfo)")
    parser.add_argument("--hints", metavar="FILE", default=None,
                        help="the JSON file of per-host extraction hints the crawl used")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        rules = _rules(args)
        hints = load_site_hints(args.hints or "")
        engine = open_database(args.db)
        result = reindex_archive(args.warc_dir, engine, rules=rules, hints=hints,
                                 progress=lambda name: print(f"Reading {name}", file=sys.stderr, flush=True))
    except (ValueError, ReindexError, DatabaseError) as error:
        print(f"hdnd reindex: error: {error}", file=sys.stderr)
        return 2
    for problem in result.problems:
        print(f"hdnd reindex: {problem}", file=sys.stderr)
    articles = result.articles
    print(
        f"Rebuilt the database from {result.files} WARC files ({result.records} records)\n"
        f"  runs        {result.runs}\n"
        f"  captures    {result.captures}\n"
        f"  articles    {articles['new']} new, {articles['updated']} updated, {articles['unchanged']} unchanged, "
        f"{articles['failed']} failed"
    )
    return 1 if result.problems else 0


def _rules(args: argparse.Namespace) -> ArticleUrlRules | None:
    """Rules given on the command line, completed by the defaults; None leaves them to the warcinfo."""
    if args.article_pattern is None and args.source_id_pattern is None:
        return None
    return article_rules(args.article_pattern, args.source_id_pattern)
