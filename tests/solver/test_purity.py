"""solver/ stays pure: it never imports Flask, SQLAlchemy or the tamatch app."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

SOLVER = Path(__file__).resolve().parents[2] / "solver"
FORBIDDEN = ("flask", "sqlalchemy", "tamatch", "flask_sqlalchemy", "werkzeug")


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_no_module_imports_web_code() -> None:
    files = sorted(SOLVER.rglob("*.py"))
    assert files
    for path in files:
        assert not imported_roots(path) & set(FORBIDDEN), path


def test_importing_everything_loads_no_web_code() -> None:
    code = (
        "import json, sys, importlib, pkgutil, solver\n"
        "for m in pkgutil.iter_modules(solver.__path__):\n"
        "    importlib.import_module('solver.' + m.name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=SOLVER.parent,
        check=True,
        timeout=60,
    )
    loaded = json.loads(proc.stdout)
    assert not [m for m in loaded if m.split(".")[0] in FORBIDDEN]
