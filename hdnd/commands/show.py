"""hdnd show: an article's captures, where they are in the WARC files, and how to replay them."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.reader import WarcReadError, read_record
from archive.replay import replay_path
from db.engine import DatabaseError
from db.models import Article, ArticleVersion, Capture
from db.queries import find_article
from hdnd.database import open_existing_database
from hdnd.options import HelpFormatter, add_storage_options

HELP = "show an article's captures (time, status, WARC file, offset, digest) and their replay URLs"
DEFAULT_REPLAY_URL = "http://127.0.0.1:8080"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "show", help=HELP, description=HELP + ".", formatter_class=HelpFormatter,
    )
    parser.add_argument("article", metavar="ARTICLE", help="the article's source id on its site, or its URL")
    parser.add_argument("--site", metavar="HOST", default=None,
                        help="the site (host[:port]) when several sites use the same source id")
    add_storage_options(parser)
    parser.add_argument("--replay-url", metavar="URL", default=DEFAULT_REPLAY_URL,
                        help="where 'hdnd replay' serves the archive")
    parser.add_argument("--raw", action="store_true",
                        help="write the HTTP body of the article's current capture exactly as the server sent it")
    parser.add_argument("--output", "-o", metavar="FILE", default="-",
                        help="with --raw: where to write the body ('-': standard output)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        engine = open_existing_database(args.db)
        with Session(engine) as session:
            article = find_article(session, args.article, site=args.site)
            if article is None:
                print(f"hdnd show: error: no article {args.article!r} in the database", file=sys.stderr)
                return 1
            if args.raw:
                return _write_raw(article.capture, Path(args.warc_dir), args.output)
            print(_describe(session, article, args.replay_url.rstrip("/")))
    except DatabaseError as error:
        print(f"hdnd show: error: {error}", file=sys.stderr)
        return 2
    return 0


def _describe(session: Session, article: Article, replay_url: str) -> str:
    versions = {version.capture_id: version.version for version in article.history}
    published = article.published_at.isoformat() if article.published_at else "unknown"
    lines = [
        f"{article.title or '(no title)'}",
        f"  site {article.site}, source id {article.source_id}",
        f"  URL        {article.url}",
        f"  published  {published}",
        f"  versions   {article.versions}",
    ]
    captures = _captures(session, article)
    lines.append(f"Captures ({len(captures)}):")
    for capture in captures:
        stored = f", version {versions[capture.id]}" if capture.id in versions else ""
        current = " (current)" if capture.id == article.capture_id else ""
        lines += [
            f"  {capture.fetched_at.isoformat()}  {capture.status}  {capture.warc_type}{stored}{current}",
            f"    {capture.url}",
            f"    {capture.warc_file} offset {capture.warc_offset} ({capture.warc_length} bytes)",
            f"    record {capture.warc_record_id}  payload {capture.payload_digest or '-'}",
            f"    replay     {replay_url}{replay_path(capture.url, capture.fetched_at)}",
            f"    as served  {replay_url}{replay_path(capture.url, capture.fetched_at, modifier='id_')}",
        ]
    return "\n".join(lines)


def _captures(session: Session, article: Article) -> list[Capture]:
    """Every fetch of any URL the article was stored from, oldest first (unchanged re-fetches included)."""
    urls = set(session.scalars(
        select(Capture.url).join(ArticleVersion, ArticleVersion.capture_id == Capture.id)
        .where(ArticleVersion.article_id == article.id)
    ))
    urls.add(article.url)
    return list(session.scalars(select(Capture).where(Capture.url.in_(urls)).order_by(Capture.fetched_at, Capture.id)))


def _write_raw(capture: Capture, warc_dir: Path, output: str) -> int:
    """The stored HTTP entity body, still in the server's Content-Encoding and charset."""
    try:
        record = read_record(warc_dir / capture.warc_file, capture.warc_offset).record
    except (OSError, WarcReadError) as error:
        print(f"hdnd show: error: cannot read the capture: {error}", file=sys.stderr)
        return 1
    if record.rec_headers.get_header("WARC-Record-ID") != capture.warc_record_id:
        print(f"hdnd show: error: {capture.warc_file} offset {capture.warc_offset} holds another record than "
              f"{capture.warc_record_id}; run 'hdnd verify'", file=sys.stderr)
        return 1
    if output == "-":
        shutil.copyfileobj(record.raw_stream, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    else:
        with open(output, "wb") as handle:
            shutil.copyfileobj(record.raw_stream, handle)
    return 0
