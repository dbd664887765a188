"""One module per ``hdnd`` command: each has ``add_parser(subparsers)`` and ``run(args) -> int``."""
