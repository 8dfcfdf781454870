"""The contention row of `make bench-solver`: each run notes the load, a last line sums up."""

from __future__ import annotations

import contextlib

import bench.solver_bench as sb
from bench.solver import contention


def test_contention_rows_note_the_load_and_the_median_and_worst(monkeypatch) -> None:
    objectives = iter([995.0, 999.0, 990.0])

    def fake_run(row, method, limit, workers):
        if method == "lp":
            return {"bound": 1000.0, "seconds": 1.0}, 100.0
        return {"objective": next(objectives), "matched": 10, "seconds": 5.0}, 200.0

    monkeypatch.setattr(sb, "run", fake_run)
    monkeypatch.setattr(contention, "busy_cores", lambda: contextlib.nullcontext(4))
    monkeypatch.setattr(sb.os, "getloadavg", lambda: (2.5, 2.0, 1.0))
    lines = sb.contention_rows(workers=1, repeats=3)
    assert len(lines) == 4
    assert all("beside 4 busy" in line and "machine load 2.50 before" in line for line in lines[:3])
    assert "0.500 % / 1.000 %" in lines[3]
    assert "NOT within 0.5 %" in lines[3]
