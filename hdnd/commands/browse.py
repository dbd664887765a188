"""hdnd browse: open the archive database in Datasette, read-only, with search and facets set up."""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, make_url
from sqlalchemy.exc import ArgumentError

from db.engine import DatabaseError
from db.extras import MissingExtraError, import_extra
from db.search_index import EXACT_INDEX, FOLDED_INDEX
from hdnd.database import open_existing_database
from hdnd.options import HelpFormatter, add_db_option

HELP = "browse and search the archive in Datasette (read-only; needs the 'browse' extra)"
DEFAULT_PORT = 8001
SEARCH_SQL = """\
select a.id, a.source_id, a.published, a.title, a.category,
       json_extract(hit.value, '$.snippet') as snippet,
       json_extract(hit.value, '$.score') as score, a.url
from json_each(hdnd_search(:q)) as hit
join article_overview as a on a.id = json_extract(hit.value, '$.id')
order by hit.key"""
# The plugin module Datasette loads from --plugins-dir; the code lives in the hdnd package.
PLUGIN_SHIM = "from hdnd.datasette_plugin import prepare_connection  # noqa: F401 (a Datasette hook)\n"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "browse", help=HELP, description=HELP + ".", formatter_class=HelpFormatter,
    )
    add_db_option(parser)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0: every interface)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port to listen on")
    parser.add_argument("--no-open", dest="open_browser", action="store_false",
                        help="do not open a web browser")
    parser.add_argument("--live", action="store_true",
                        help="follow a database that is still being written (a crawl running); "
                             "by default Datasette gets an immutable snapshot, which is faster")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        import_extra("datasette", "browse", "hdnd browse")
        path = _sqlite_path(args.db)
        engine = open_existing_database(args.db)
        if not args.live:
            _checkpoint(engine)
        engine.dispose()
    except (DatabaseError, MissingExtraError) as error:
        print(f"hdnd browse: error: {error}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="hdnd-browse-") as workspace:
        command = _datasette_command(Path(workspace), path, args)
        print(f"hdnd browse: serving {path} at http://{args.host}:{args.port}/ (Ctrl-C stops)", file=sys.stderr)
        server = subprocess.Popen(command)
        # Stopping hdnd browse stops Datasette: on Ctrl-C both get SIGINT, on SIGTERM pass it on.
        signal.signal(signal.SIGTERM, lambda *_: server.terminate())
        try:
            return server.wait()
        except KeyboardInterrupt:
            server.send_signal(signal.SIGINT)
            server.wait()
            return 130


def datasette_metadata(database_name: str) -> dict[str, Any]:
    """Datasette metadata: descriptions, facets on category and year, full-text search, the 'search' query."""
    search = {"fts_table": FOLDED_INDEX, "fts_pk": "id"}
    return {
        "title": "HĐND archive",
        "description": "Articles archived from the websites of Vietnam's provincial People's Councils (HĐND), "
                       "with the WARC capture each one was read from. Read-only. Use the 'search' query for "
                       "Vietnamese search with or without marks; a table's own search box folds marks but "
                       "needs đ typed as d.",
        "databases": {database_name: {
            "queries": {
                "search": {
                    "title": "Search articles",
                    "description": "Words typed with marks match exactly (dân vận), without marks they match "
                                   "any marks (dan van, dong chi). \"Quoted words\" must be side by side; "
                                   "ngân* matches a beginning. The best 100 articles, ranked.",
                    "sql": SEARCH_SQL,
                },
            },
            "tables": {
                "article_overview": {
                    **search,
                    "description": "One row per article: its current version, dates in Vietnam time, "
                                   "a year column to facet on.",
                    "facets": ["category", "year"],
                    "sort_desc": "published",
                    "label_column": "title",
                },
                "articles": {
                    **search,
                    "description": "One row per article with its current version's fields; dates in UTC.",
                    "facets": ["category", "site"],
                    "label_column": "title",
                    "columns": {
                        "source_id": "The article's id on its site",
                        "captions": "The current version's image captions, one per line",
                        "versions": "How many different versions were captured",
                        "capture_id": "The capture the current version was read from",
                    },
                },
                "article_versions": {"description": "Every version of every article, each with its capture."},
                "images": {"description": "Images of each version, with their captions, in page order."},
                "attachments": {"description": "Documents attached to each version (PDF, DOC, …)."},
                "captures": {
                    "description": "Every fetch as written to the WARC files: file, offset and length of its record.",
                },
                "crawl_runs": {"description": "One row per crawl, with its options and counts."},
                "warc_files": {"description": "Closed WARC files with their SHA-256 and size."},
                EXACT_INDEX: {"hidden": True},
                FOLDED_INDEX: {"hidden": True},
            },
        }},
    }


def _datasette_command(workspace: Path, path: Path, args: argparse.Namespace) -> list[str]:
    metadata = workspace / "metadata.json"
    metadata.write_text(json.dumps(datasette_metadata(path.stem), ensure_ascii=False, indent=2), encoding="utf-8")
    plugins = workspace / "plugins"
    plugins.mkdir()
    (plugins / "hdnd_search.py").write_text(PLUGIN_SHIM, encoding="utf-8")
    command = [sys.executable, "-m", "datasette", "serve", "--metadata", str(metadata),
               "--plugins-dir", str(plugins), "--host", args.host, "--port", str(args.port),
               "--setting", "default_page_size", "50"]
    command += [str(path)] if args.live else ["-i", str(path)]
    if args.open_browser:
        command.append("--open")
    return command


def _sqlite_path(url: str) -> Path:
    try:
        parsed = make_url(url.strip())
    except ArgumentError as exc:
        raise DatabaseError(f"invalid database URL {url!r}: {exc}") from exc
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        raise DatabaseError(f"Datasette browses SQLite files; {url!r} is not one (export the articles instead)")
    return Path(parsed.database).resolve()


def _checkpoint(engine: Engine) -> None:
    """Fold the write-ahead log into the database file: an immutable reader ignores the log."""
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
