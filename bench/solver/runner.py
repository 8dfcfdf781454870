"""Run one method on one benchmark row in this process; print one JSON line (for solver_bench)."""

from __future__ import annotations

import json
import math
import resource
import sys
import time

import numpy as np
from ortools.sat.python import cp_model

from bench.solver.rows import Row, gap_cases, round_of, row_named
from solver.assign import solve
from solver.cpsat import _model
from solver.instance import AssignSettings, Instance
from solver.lp import relax
from solver.problem import Problem, compile_instance, greedy

METHODS = ("solver", "greedy", "direct", "lp")


def run_method(method: str, inst: Instance, limit: float, workers: int) -> dict[str, float]:
    """Solve `inst` with `method`; return seconds, objective (score), matched, proven, bound."""
    start = time.perf_counter()
    if method == "solver":
        res = solve(inst, AssignSettings(time_limit=limit, workers=workers))
        out = {
            "objective": res.objective,
            "matched": res.matched,
            "proven": res.status == "OPTIMAL",
        }
        out["bound"] = res.bound
    else:
        pr, _, _ = compile_instance(inst, coverage_first=False)
        assert pr is not None
        if method == "greedy":
            chosen = greedy(pr)
            out = {"objective": pr.objective(chosen), "matched": chosen.size, "proven": False}
        elif method == "direct":
            out = _direct(pr, limit, workers)
        else:
            lp = relax(pr, 3600.0)
            out = {"objective": math.nan, "matched": math.nan, "proven": False}
            out["bound"] = lp.value if lp.solved else math.nan
    out["seconds"] = time.perf_counter() - start
    return out


def _direct(pr: Problem, limit: float, workers: int) -> dict[str, float]:
    """The plain CP-SAT model of all pairs: no hint, default parameters, same time limit."""
    everything = np.arange(pr.need.size)
    model, x = _model(pr, everything, everything[:0])
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = limit
    solver.parameters.num_workers = workers
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return {
            "objective": math.nan,
            "matched": math.nan,
            "proven": False,
            "status": "no solution",
        }
    values = np.array(list(solver.response_proto.solution), dtype=bool)[: len(x)]
    chosen = everything[values]
    return {
        "objective": pr.objective(chosen),
        "matched": chosen.size,
        "proven": status == cp_model.OPTIMAL,
        "bound": solver.best_objective_bound,
    }


def run_row(row: Row, method: str, limit: float, workers: int) -> dict[str, float]:
    """Run `method` on every instance of `row`; return the sums (GAP rows: costs too)."""
    if row.size is not None:
        return run_method(method, round_of(row), limit, workers)
    total: dict[str, float] = {"seconds": 0.0, "cost": 0.0, "unserved": 0, "proven": 0}
    total |= {"best_known": 0.0, "objective": 0.0, "matched": 0.0, "lp_cost": 0.0}
    for case in gap_cases(row):
        out = run_method(method, case.instance, limit, workers)
        total["seconds"] += out["seconds"]
        total["proven"] += int(out["proven"])
        total["best_known"] += case.best_known or math.nan
        if method == "lp":
            total["lp_cost"] += math.ceil(case.n_jobs * case.k - out["bound"] - 1e-6)
            continue
        matched = out["matched"]
        if matched == case.n_jobs:
            total["cost"] += case.n_jobs * case.k - out["objective"]
        else:
            total["cost"] = math.nan
            total["unserved"] += case.n_jobs - (0 if math.isnan(matched) else matched)
        total["objective"] += out["objective"]
        total["matched"] += out["matched"]
    return total


def main() -> None:
    """`python -m bench.solver.runner ROW METHOD TIME_LIMIT WORKERS`."""
    name, method, limit, workers = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
    result = run_row(row_named(name), method, limit, workers)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sys.stdout.write(json.dumps(result, default=float) + "\n")


if __name__ == "__main__":
    main()
