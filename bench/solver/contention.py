"""The contention row: the solver beside two CPU-bound processes per core, as on a busy server."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator

BUSY_PER_CORE = 2
ROW = "gen-5000x500"
LIMIT = 5.0
TARGET = 0.5  # % from the LP bound the solver must stay within there (issue 10)


@contextlib.contextmanager
def busy_cores(per_core: int = BUSY_PER_CORE) -> Iterator[int]:
    """Start `per_core` spinning processes per core; yield how many; stop exactly those."""
    count = per_core * (os.cpu_count() or 1)
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]
    try:
        yield count
    finally:
        for proc in spinners:
            proc.kill()
        for proc in spinners:
            proc.wait()
