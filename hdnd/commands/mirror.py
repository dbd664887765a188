"""hdnd mirror: serve the bundled mirror of a council site on loopback."""

from __future__ import annotations

import argparse

from hdnd.options import HelpFormatter
from mirror.server import MirrorServer
from mirror.site import Site

HELP = "serve a generated council site (for tests, demos and benchmarks) on loopback"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "mirror", help=HELP, description=HELP + ".", formatter_class=HelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (0: any free port)")
    parser.add_argument("--articles", type=int, default=200, help="number of articles on the site")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated content")
    parser.add_argument("--generation", type=int, default=0,
                        help="site generation: later ones add and change articles (for re-crawls)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    server = MirrorServer(Site(articles=args.articles, seed=args.seed, generation=args.generation),
                          host=args.host, port=args.port)
    server.serve_forever(on_ready=lambda ready: print(
        f"Serving a council site of {args.articles} articles at {ready.base_url}/ ; press Ctrl-C to stop.", flush=True,
    ))
    return 0
