"""hdnd bench: run the benchmark (bench/run.py) from a source checkout."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hdnd.options import HelpFormatter

# In a source checkout (or an editable install) the benchmark sits beside the hdnd package.
CHECKOUT = Path(__file__).resolve().parents[2]

HELP = "measure crawl speed, CPU and memory against wget and a bare Scrapy spider (in a source checkout)"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("bench", help=HELP, description=HELP + ".", formatter_class=HelpFormatter)
    if (CHECKOUT / "bench" / "main.py").is_file() and str(CHECKOUT) not in sys.path:
        sys.path.append(str(CHECKOUT))
    try:
        from bench.main import add_arguments
    except ImportError:  # an installed hdnd without its checkout: run() says where the benchmark is
        add_arguments = None
    if add_arguments is not None:
        add_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        from bench.main import run as run_benchmark
    except ImportError:
        print("hdnd bench: error: the benchmark lives in the source checkout: run 'python bench/run.py' "
              "(or 'hdnd bench') in the checkout's folder", file=sys.stderr)
        return 2
    return run_benchmark(args)
