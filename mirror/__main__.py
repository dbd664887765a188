"""`python -m mirror --port 8000 --articles 200`: serve a mirror site in the foreground for manual poking."""

from __future__ import annotations

import argparse

from mirror.server import MirrorServer
from mirror.site import Site


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m mirror", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    parser.add_argument("--port", type=int, default=8000, help="port, 0 for any free one (default: %(default)s)")
    parser.add_argument("--articles", type=int, default=200, help="number of articles (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=1, help="content seed (default: %(default)s)")
    parser.add_argument("--generation", type=int, default=0, help="days after the first crawl (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        site = Site(articles=args.articles, seed=args.seed, generation=args.generation)
    except ValueError as error:
        parser.error(str(error))
    server = MirrorServer(site, host=args.host, port=args.port)
    try:
        server.serve_forever(on_ready=_announce)
    except OSError as error:
        parser.exit(1, f"python -m mirror: cannot listen on {args.host}:{args.port}: {error}\n")


def _announce(server: MirrorServer) -> None:
    site = server.site
    print(f"Mirror of {site.articles} articles (seed {site.seed}, generation {site.generation}) "
          f"on {server.base_url}/ - Ctrl-C to stop", flush=True)


if __name__ == "__main__":
    main()
