"""The message template extracted afresh from the code and templates, once per test session.

Tests compare the committed catalogues with it, and build the pseudo-locale from it, so a
string marked but not yet in the catalogues is still checked.
"""

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TRANSLATIONS = REPO / "tamatch" / "translations"


def _options() -> list[str]:
    """The extraction options `make translations` uses (one home: the Makefile)."""
    text = (REPO / "Makefile").read_text().replace("\\\n", " ")
    for line in text.splitlines():
        if line.startswith("BABEL_EXTRACT_OPTIONS :="):
            return shlex.split(line.split(":=", 1)[1])
    raise AssertionError("BABEL_EXTRACT_OPTIONS not in the Makefile")


@pytest.fixture(scope="session")
def fresh_template(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("i18n") / "messages.pot"
    command = [sys.executable, "-m", "babel.messages.frontend", "--quiet", "extract",
               *_options(), "-o", str(target), "."]  # fmt: skip
    subprocess.run(command, cwd=REPO, check=True, timeout=300)
    return target
