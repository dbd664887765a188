"""hdnd search: find articles by words, with or without Vietnamese marks, ranked, with snippets."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from db.engine import DatabaseError
from db.export import EXPORT_FIELDS, records_by_article, write_csv, write_jsonl
from db.filters import FilterError
from db.search import DEFAULT_LIMIT, RANKED_MATCHES, SearchHit, count_matches, search
from db.search_query import SearchQueryError, parse_query
from hdnd.database import open_existing_database
from hdnd.filter_options import add_filter_options, positive_int
from hdnd.options import add_db_option

HELP = "search the articles' titles, bodies and captions (with or without Vietnamese marks)"
DESCRIPTION = f"""\
{HELP}.

A query typed with Vietnamese marks matches exactly (dân vận, Hoà Bình); one typed without
any mark matches the text with its marks removed (dan van; dong chi finds Đồng chí; hoa binh
finds Hoà Bình and Hòa Bình). Every word must occur; put words in quotes to require them side
by side ("dân vận"); end a word with * to match its beginning (ngân*). Punctuation only
separates words, so 12/2022/NQ-HĐND finds that document number.
"""
FORMATS = ("table", "jsonl", "csv")
_ANSI_BOLD = ("\x1b[1m", "\x1b[0m")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "search", help=HELP, description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("query", metavar="QUERY", help="what to search for (quote it in the shell)")
    add_filter_options(parser)
    parser.add_argument("--limit", type=positive_int, default=DEFAULT_LIMIT,
                        help=f"how many articles to show, best first (default: {DEFAULT_LIMIT})")
    parser.add_argument("--format", choices=FORMATS, default="table",
                        help="table for reading; jsonl or csv: the export's fields plus score and snippet")
    parser.add_argument("--bom", action="store_true", help="CSV only: start with a UTF-8 BOM for spreadsheet programs")
    add_db_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    filters = {"since": args.since, "until": args.until, "category": args.category, "site": args.site}
    try:
        query = parse_query(args.query)
        engine = open_existing_database(args.db)
        marks = _ANSI_BOLD if args.format == "table" and _color(sys.stdout) else ("**", "**")
        hits = search(engine, query, limit=args.limit, marks=marks, **filters)
        if args.format == "table":
            total = count_matches(engine, query, **filters) if len(hits) == args.limit else len(hits)
            _print_table(hits, total, args.query)
        else:
            records = _records(engine, hits)
            if args.format == "jsonl":
                write_jsonl(records, sys.stdout)
            else:
                sys.stdout.reconfigure(newline="")  # type: ignore[attr-defined]
                write_csv(records, sys.stdout, bom=args.bom, fields=(*EXPORT_FIELDS, "score", "snippet"))
    except (SearchQueryError, FilterError, DatabaseError) as error:
        print(f"hdnd search: error: {error}", file=sys.stderr)
        return 2
    if not hits:
        print(f"hdnd search: no article matches {args.query!r}", file=sys.stderr)
    return 0


def _records(engine: Any, hits: list[SearchHit]) -> list[dict[str, Any]]:
    records = records_by_article(engine, [hit.article_id for hit in hits])
    return [{**records[hit.article_id], "score": hit.score, "snippet": hit.snippet}
            for hit in hits if hit.article_id in records]


def _print_table(hits: list[SearchHit], total: int, query: str) -> None:
    if not hits:
        return
    shown = f"; the best {len(hits)} shown" if total > len(hits) else ""
    print(f"{total} article{'s' if total != 1 else ''} match {query!r}{shown}")
    if hits[0].score is None and total > RANKED_MATCHES:
        print(f"(too many to rank by relevance: of the {RANKED_MATCHES} most recently archived, those with every "
              "word in the title come first, then in the lead; add words or filters to rank them)")
    print()
    for number, hit in enumerate(hits, 1):
        published = hit.published_at.strftime("%Y-%m-%d") if hit.published_at else "(no date)"
        score = f"  score {hit.score:.3g}" if hit.score is not None else ""
        print(f"{number:>3}. {hit.title or '(no title)'}")
        print(f"     {published}  {hit.category or '(no category)'}{score}")
        print(f"     {hit.snippet}")
        print(f"     {hit.url}\n")


def _color(stream: Any) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ
