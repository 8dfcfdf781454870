"""The command-line contract: `python -m solver solve INSTANCE.json [...]`, run as a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "solver", "solve", *args]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False, timeout=60)


def write(tmp_path: Path, data: object, name: str = "instance.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return str(path)


def test_small_round_to_stdout() -> None:
    proc = run_cli(str(FIXTURES / "small_round.json"), "--time-limit", "5")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) == {
        "status",
        "objective",
        "bound",
        "needs_bound",
        "gap",
        "seconds",
        "assignments",
        "unmatched",
    }
    assert out["status"] == "OPTIMAL"
    assert out["objective"] == 12 and out["bound"] == 12 and out["gap"] == 0
    assert sorted(out["assignments"]) == [["b", "o1"], ["c", "o1"]]
    assert out["needs_bound"] >= len(out["assignments"])  # no assignment serves more
    assert out["unmatched"] == [{"id": "a", "reason": "taken_by_higher_scoring"}]


def test_out_file_state_cap_pins_and_forbidden(tmp_path: Path) -> None:
    data = json.loads((FIXTURES / "small_round.json").read_text())
    data |= {"max_per_state": 1, "pinned": [["a", "o1"]], "forbidden": [["c", "o1"]]}
    out_path = tmp_path / "result.json"
    proc = run_cli(write(tmp_path, data), "--out", str(out_path), "--workers", "2")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    out = json.loads(out_path.read_text())
    assert out["assignments"] == [["a", "o1"]]
    reasons = {u["id"]: u["reason"] for u in out["unmatched"]}
    assert reasons == {"b": "state_cap_reached", "c": "no_eligible_offer"}


def test_conflicting_pins_report_infeasible(tmp_path: Path) -> None:
    data = json.loads((FIXTURES / "small_round.json").read_text())
    data["pinned"] = [["a", "o1"], ["b", "o1"]]
    proc = run_cli(write(tmp_path, data))
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["status"] == "INFEASIBLE"


BASE = {
    "needs": [{"id": "a", "state": "X"}],
    "offers": [{"id": "o", "capacity": 1, "budget": 5}],
    "pairs": [["a", "o", 3, 2]],
}


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ('{"needs": [', "malformed JSON"),
        (BASE | {"pairs": [["zz", "o", 3, 2]]}, "unknown need id 'zz'"),
        (BASE | {"pairs": [["a", "nope", 3, 2]]}, "unknown offer id 'nope'"),
        (BASE | {"offers": [{"id": "o", "capacity": -1, "budget": 5}]}, "invalid capacity"),
        (BASE | {"pairs": [["a", "o", 3, 2], ["a", "o", 4, 2]]}, "duplicate pair"),
        (BASE | {"pairs": [["a", "o", -3, 2]]}, "invalid score"),
        (BASE | {"pinned": [["a", "x"]]}, "unknown offer id 'x' in pinned"),
        ({"needs": []}, "'offers'"),
    ],
)
def test_invalid_input_exits_2_with_one_line(tmp_path: Path, data, words) -> None:
    proc = run_cli(write(tmp_path, data))
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0]
    assert proc.stdout == ""


def test_missing_file_exits_2(tmp_path: Path) -> None:
    proc = run_cli(str(tmp_path / "absent.json"))
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1


def test_time_limit_is_respected(tmp_path: Path) -> None:
    needs = [{"id": f"n{i}", "state": f"S{i % 9}"} for i in range(400)]
    offers = [{"id": f"o{j}", "capacity": 6, "budget": 150} for j in range(60)]
    pairs = [
        [f"n{i}", f"o{(i * 7 + k * 13) % 60}", (i * 31 + k * 17) % 90 + 10, (i + 3 * k) % 50 + 5]
        for i in range(400)
        for k in range(12)
    ]
    path = write(tmp_path, {"needs": needs, "offers": offers, "pairs": pairs})
    start = time.perf_counter()
    proc = run_cli(path, "--time-limit", "2")
    elapsed = time.perf_counter() - start
    assert proc.returncode == 0, proc.stderr
    assert elapsed < 2 + 1.0
    assert json.loads(proc.stdout)["status"] in ("OPTIMAL", "FEASIBLE")
