import sys

from hdnd.cli import main

sys.exit(main())
