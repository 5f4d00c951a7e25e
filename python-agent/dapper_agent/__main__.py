"""`python -m dapper_agent --listen …` (see dapper_agent/attach/cli.py)."""

import sys

from .attach.cli import main

if __name__ == "__main__":
    sys.exit(main())
