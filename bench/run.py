"""Script entry of the benchmark: ``python bench/run.py [--articles N] [--out DIR]`` (see ``--help``)."""

import sys
from pathlib import Path

# Run as a script, Python puts bench/ itself on the path; the project's packages live one level up.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.main import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
