"""hdnd crawl: archive a council site into WARC files and the database."""

from __future__ import annotations

import argparse
import socket
import sys
from typing import Any
from urllib.parse import urlsplit

from crawler import settings as defaults
from db.engine import DatabaseError, open_database
from hdnd.options import HelpFormatter, add_storage_options

HELP = "crawl a council site into WARC files and the database"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "crawl", help=HELP, description=HELP + ".",
        formatter_class=HelpFormatter,
    )
    add_crawl_arguments(parser)
    parser.set_defaults(run=run)


def add_crawl_arguments(parser: argparse.ArgumentParser) -> None:
    """The crawl's options; ``hdnd schedule add`` takes the same."""
    parser.add_argument("--start-url", metavar="URL", action="append", required=True,
                        help="where to start (repeatable); the crawl stays on these URLs' hosts")
    add_storage_options(parser)
    parser.add_argument("--delay", type=float, default=defaults.DOWNLOAD_DELAY, metavar="SECONDS",
                        help="least time between two requests to a host")
    parser.add_argument("--concurrency", type=int, default=defaults.CONCURRENT_REQUESTS_PER_DOMAIN, metavar="N",
                        help="requests in flight at once per host")
    parser.add_argument("--no-autothrottle", action="store_true",
                        help="keep the delay fixed instead of adapting it to the server's latency")
    parser.add_argument("--user-agent", default=defaults.USER_AGENT, metavar="UA",
                        help="User-Agent header; name the project and a contact URL (env HDND_USER_AGENT)")
    parser.add_argument("--operator", default=defaults.HDND_OPERATOR or None, metavar="CONTACT",
                        help="who runs the crawl, recorded in each WARC file's warcinfo (env HDND_OPERATOR)")
    parser.add_argument("--max-pages", type=int, default=0, metavar="N",
                        help="stop after N responses (0: no limit)")
    parser.add_argument("--job", default=defaults.HDND_JOB, metavar="NAME",
                        help="name of the crawl job; a job that was interrupted resumes where it stopped")
    parser.add_argument("--resume", action="store_true",
                        help="continue the job's interrupted crawl (an error if there is none to continue)")
    parser.add_argument("--incremental", action="store_true",
                        help="skip archived articles and stop paging a listing at the first page with nothing new")
    parser.add_argument("--recheck-days", type=float, default=defaults.HDND_RECHECK_DAYS, metavar="N",
                        help="with --incremental: still re-check archived articles published in the last N days")
    parser.add_argument("--no-assets", action="store_true",
                        help="do not fetch the articles' images, attachments and stylesheets")
    parser.add_argument("--article-pattern", default=defaults.HDND_ARTICLE_URL_PATTERN, metavar="REGEX",
                        help="a URL matching this is an article page")
    parser.add_argument("--source-id-pattern", default=defaults.HDND_SOURCE_ID_PATTERN or None, metavar="REGEX",
                        help="regex whose first group is the article id in its URL "
                             "(default: an id-like query parameter, else the last number in the path)")
    parser.add_argument("--hints", metavar="FILE", default=defaults.HDND_SITE_HINTS_FILE or None,
                        help="JSON file of per-host CSS selector hints for extraction (env HDND_SITE_HINTS_FILE)")
    parser.add_argument("--warc-max-size", type=int, default=defaults.HDND_WARC_MAX_SIZE, metavar="BYTES",
                        help="start a new WARC file when the current one passes this size")
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"],
                        help="Scrapy's log level")


def settings_from_arguments(args: argparse.Namespace) -> dict[str, Any]:
    """Map validated crawl options onto Scrapy settings."""
    from crawler.spiders.council import load_site_hints

    for url in args.start_url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"--start-url {url!r} is not an http(s) URL")
    if args.delay < 0:
        raise ValueError("--delay cannot be negative")
    if args.concurrency < 1:
        raise ValueError("--concurrency must be at least 1")
    if args.hints:
        load_site_hints(args.hints)
    if args.warc_max_size < 1_000_000:
        raise ValueError("--warc-max-size must be at least 1000000 bytes")
    overrides: dict[str, Any] = {
        "HDND_START_URLS": args.start_url,
        "HDND_DB_URL": args.db,
        "HDND_WARC_DIR": args.warc_dir,
        "DOWNLOAD_DELAY": args.delay,
        "AUTOTHROTTLE_START_DELAY": max(args.delay, 0.1),
        "AUTOTHROTTLE_ENABLED": not args.no_autothrottle,
        "CONCURRENT_REQUESTS_PER_DOMAIN": args.concurrency,
        "CONCURRENT_REQUESTS": max(8, args.concurrency),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(args.concurrency),
        "USER_AGENT": args.user_agent,
        "CLOSESPIDER_PAGECOUNT": args.max_pages,
        "HDND_JOB": args.job,
        "HDND_FETCH_ASSETS": not args.no_assets,
        "HDND_INCREMENTAL": args.incremental,
        "HDND_RECHECK_DAYS": args.recheck_days,
        "HDND_ARTICLE_URL_PATTERN": args.article_pattern,
        "HDND_SOURCE_ID_PATTERN": args.source_id_pattern or "",
        "HDND_SITE_HINTS_FILE": args.hints or "",
        "HDND_WARC_MAX_SIZE": args.warc_max_size,
        "LOG_LEVEL": args.log_level,
    }
    if args.operator:
        overrides["HDND_OPERATOR"] = args.operator
    return overrides


def unreachable(url: str, timeout: float = 15.0) -> str | None:
    """Why the host of ``url`` cannot be connected to, or None; sends no HTTP request."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        socket.create_connection((parts.hostname, port), timeout=timeout).close()
    except OSError as error:
        return f"{url}: {error.strerror or error}"
    return None


def run(args: argparse.Namespace) -> int:
    # Scrapy loads in a second or so: only the commands that crawl pay for it.
    from crawler.frontier import frontier_busy, frontier_path, frontier_status
    from hdnd.crawling import format_summary, project_settings, run_crawl

    try:
        overrides = settings_from_arguments(args)
        open_database(args.db).dispose()
    except (ValueError, DatabaseError) as error:
        print(f"hdnd crawl: error: {error}", file=sys.stderr)
        return 2
    settings = project_settings(overrides)
    frontier = frontier_path(settings)
    if frontier_busy(frontier):
        print(f"hdnd crawl: error: job {args.job!r} is already being crawled by another process", file=sys.stderr)
        return 1
    status = frontier_status(frontier)
    if args.resume and status not in ("running", "interrupted"):
        print(f"hdnd crawl: error: job {args.job!r} has no interrupted crawl to resume", file=sys.stderr)
        return 2
    if status in ("running", "interrupted"):
        print(f"Resuming the interrupted crawl of job {args.job!r}.", file=sys.stderr)
    for url in args.start_url:
        if (problem := unreachable(url)) is not None:
            print(f"hdnd crawl: error: cannot reach {problem}", file=sys.stderr)
            return 1
    result = run_crawl(settings)
    print(format_summary(result, args.warc_dir))
    if not result.ok:
        print(f"hdnd crawl: error: cannot reach {result.start_error}", file=sys.stderr)
        return 1
    return 0
