"""Entry point of `python -m solver` (see solver.cli)."""

import time

STARTED = time.perf_counter()

import sys  # noqa: E402

from solver.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(started=STARTED))
