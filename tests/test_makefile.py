"""The Makefile's install stamps: make run needs the runtime set, make test the development set,
and both are reinstalled when the lock changes (checked with `make -n`, which runs nothing)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LOCK_FILES = ("pyproject.toml", "uv.lock", "requirements/uv.txt")
SETS = {"runtime": "requirements/runtime.txt", "dev": "requirements/dev.txt"}

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="no make")


@pytest.fixture
def project(tmp_path):
    """A copy of the Makefile beside lock files an hour old and an installed uv."""
    shutil.copy(REPO / "Makefile", tmp_path / "Makefile")
    (tmp_path / "requirements").mkdir()
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    for name in (*LOCK_FILES, *SETS.values(), ".venv/bin/uv"):
        (tmp_path / name).write_text("")
    _age(tmp_path, [*LOCK_FILES, *SETS.values()], seconds=3600)
    _age(tmp_path, [".venv/bin/uv"], seconds=1800)
    return tmp_path


def _age(root: Path, names: list[str], seconds: int) -> None:
    past = os.path.getmtime(root / "Makefile") - seconds
    for name in names:
        os.utime(root / name, (past, past))


def _installed(root: Path, *sets: str) -> None:
    """Stamps of installed sets, ten minutes old: newer than the lock, older than a change."""
    for name in sets:
        (root / ".venv" / f".{name}").write_text("")
    _age(root, [f".venv/.{name}" for name in sets], seconds=600)


def _plan(root: Path, target: str) -> str:
    """What `make TARGET` would run, without running it."""
    result = subprocess.run(
        ["make", "-n", target], cwd=root, capture_output=True, text=True, check=True, timeout=30
    )
    return result.stdout


def _syncs(plan: str) -> list[str]:
    """Which sets the plan installs."""
    lines = [line for line in plan.splitlines() if " sync " in line]
    return [name for name, path in SETS.items() if any(path in line for line in lines)]


def test_a_fresh_venv_gets_the_runtime_set_for_run_and_the_dev_set_for_test(project):
    run, test = _plan(project, "run"), _plan(project, "test")
    assert _syncs(run) == ["runtime"] and "flask db upgrade" in run and "flask seed demo" in run
    assert _syncs(test) == ["dev"] and "pytest" in test


def test_an_up_to_date_install_installs_nothing(project):
    _installed(project, "runtime")
    assert _syncs(_plan(project, "run")) == []
    assert _syncs(_plan(project, "test")) == ["dev"]
    _installed(project, "dev")
    assert _syncs(_plan(project, "run")) == [] and _syncs(_plan(project, "test")) == []


@pytest.mark.parametrize(
    ("changed", "run_syncs", "test_syncs"),
    [
        ("uv.lock", ["runtime"], ["dev"]),
        ("pyproject.toml", ["runtime"], ["dev"]),
        ("requirements/runtime.txt", ["runtime"], []),
        ("requirements/dev.txt", [], ["dev"]),
    ],
)
def test_a_changed_lock_reinstalls(project, changed, run_syncs, test_syncs):
    _installed(project, "runtime", "dev")
    os.utime(project / changed)
    assert _syncs(_plan(project, "run")) == run_syncs
    assert _syncs(_plan(project, "test")) == test_syncs


def test_a_new_installer_version_reinstalls_uv_first(project):
    _installed(project, "runtime")
    os.utime(project / "requirements/uv.txt")
    plan = _plan(project, "run")
    assert "-r requirements/uv.txt" in plan
    assert plan.index("requirements/uv.txt") < plan.index("sync")
