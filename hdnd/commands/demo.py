"""hdnd demo: crawl the bundled mirror into ./demo/ and show what to try next."""

from __future__ import annotations

import argparse
import socket
from pathlib import Path

from hdnd.options import HelpFormatter
from mirror.server import MirrorServer
from mirror.site import Site

HELP = "start the bundled mirror site, crawl it into ./demo/ and print the summary"
# Repeated demos reuse this port when it is free, so they re-crawl the same site rather than a new one.
PREFERRED_PORT = 8421


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo", help=HELP, description=HELP + ".", formatter_class=HelpFormatter,
    )
    parser.add_argument("--articles", type=int, default=200, help="number of articles on the mirror")
    parser.add_argument("--directory", default="demo", help="where the demo archive goes")
    parser.set_defaults(run=run)


def _free_port(preferred: int) -> int:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", preferred))
        except OSError:
            return 0
    return preferred


def run(args: argparse.Namespace) -> int:
    from hdnd.crawling import format_summary, project_settings, run_crawl  # Scrapy: loaded only to crawl

    directory = Path(args.directory)
    db_url = f"sqlite:///{directory / 'hdnd.sqlite'}"
    warc_dir = str(directory / "warc")
    with MirrorServer(Site(articles=args.articles), port=_free_port(PREFERRED_PORT)) as server:
        print(f"Mirror of a council site ({args.articles} articles) at {server.base_url}/", flush=True)
        result = run_crawl(project_settings({
            "HDND_START_URLS": [server.base_url + "/"],
            "HDND_DB_URL": db_url,
            "HDND_WARC_DIR": warc_dir,
            "HDND_JOB": "demo",
            # Our own mirror on loopback: no need for the delay a real council site deserves.
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 4,
            "LOG_LEVEL": "WARNING",
        }))
    print(format_summary(result, warc_dir))
    print(f"""
Next, try:
  hdnd search "dan van" --db {db_url}
  hdnd export --db {db_url} --format csv --bom --output {directory / 'articles.csv'}
  hdnd report last --db {db_url}
  hdnd verify --db {db_url} --warc-dir {warc_dir}
  hdnd replay --db {db_url} --warc-dir {warc_dir}     # needs: pip install '.[replay]'
  hdnd crawl --help
""")

    return 0 if result.ok else 1
