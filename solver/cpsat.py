"""CP-SAT on a subset of pairs around fixed assignments, with hints, limits and cancellation."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from solver.problem import IntArray, Problem


@dataclass(frozen=True, slots=True, eq=False)
class SubResult:
    """Outcome of one CP-SAT call: pairs chosen (None if no solution), bound, optimality."""

    chosen: IntArray | None
    bound: float
    optimal: bool
    status: str
    seconds: float
    work: float


@dataclass(frozen=True, slots=True)
class CpOptions:
    """Limits of one CP-SAT call: wall seconds, deterministic work (None: none), workers, seed."""

    time_limit: float
    work_limit: float | None = None
    workers: int = 1
    seed: int = 0
    log: bool = False
    linearization: int = 1


def solve_sub(
    pr: Problem,
    free: IntArray,
    fixed: IntArray,
    hint: IntArray,
    *,
    opts: CpOptions,
    should_stop: Callable[[], bool] | None = None,
) -> SubResult:
    """Optimise over the `free` pair positions, with the `fixed` pairs kept as they are.

    `hint` (pair positions, subset of `free`) warm-starts the search. Returns a SubResult whose
    `chosen` holds the free pairs picked (fixed ones excluded) and whose `bound` bounds their
    weighted value. Never raises on infeasibility (status tells).
    """
    start = time.perf_counter()
    model, x = _model(pr, free, fixed)
    in_hint = np.isin(free, hint)
    for var, h in zip(x, in_hint.tolist(), strict=True):
        model.add_hint(var, h)
    solver = cp_model.CpSolver()
    _set_params(solver, opts)
    status = _run(solver, model, opts.time_limit, should_stop)
    seconds = time.perf_counter() - start
    if opts.log:
        print(f"dtime {solver.deterministic_time:.2f} wall {solver.wall_time:.2f}")
    name = solver.status_name(status)
    work = solver.deterministic_time
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return SubResult(None, float("inf"), False, name, seconds, work)
    values = np.array(list(solver.response_proto.solution), dtype=bool)[: len(x)]
    return SubResult(
        free[values], solver.best_objective_bound, status == cp_model.OPTIMAL, name, seconds, work
    )


def _model(pr: Problem, free: IntArray, fixed: IntArray) -> tuple[cp_model.CpModel, list]:
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{k}") for k in range(free.size)]
    need, offer = pr.need[free], pr.offer[free]
    used_cap = np.bincount(pr.offer[fixed], minlength=pr.n_offers)
    used_bud = np.bincount(pr.offer[fixed], weights=pr.cost[fixed], minlength=pr.n_offers)
    for group in _groups(need):
        model.add_at_most_one(x[k] for k in group)
    cost = pr.cost[free].tolist()
    for group in _groups(offer):
        j = int(offer[group[0]])
        model.add(sum(x[k] for k in group) <= int(pr.capacity[j] - used_cap[j]))
        if sum(cost[k] for k in group) > pr.budget[j] - used_bud[j]:
            model.add(sum(cost[k] * x[k] for k in group) <= int(pr.budget[j] - used_bud[j]))
    if pr.state_cap is not None:
        used_state = np.bincount(pr.need_state[pr.need[fixed]], minlength=pr.n_states)
        state = pr.need_state[need]
        for group in _groups(state):
            s = int(state[group[0]])
            room = int(pr.state_cap - used_state[s])
            if len(group) > room:
                model.add(sum(x[k] for k in group) <= room)
    for k in np.flatnonzero(np.isin(free, pr.pinned)).tolist():
        model.add(x[k] == 1)
    weight = pr.weight[free].tolist()
    model.maximize(sum(w * v for w, v in zip(weight, x, strict=True)))
    return model, x


def _groups(keys: IntArray) -> list[list[int]]:
    """Return the positions of `keys` grouped by equal value (each group as a list)."""
    if keys.size == 0:
        return []
    order = np.argsort(keys, kind="stable")
    cuts = np.flatnonzero(np.diff(keys[order])) + 1
    return [g.tolist() for g in np.split(order, cuts)]


def _set_params(solver: cp_model.CpSolver, opts: CpOptions) -> None:
    p = solver.parameters
    p.num_workers = max(1, opts.workers)
    p.random_seed = opts.seed
    p.log_search_progress = opts.log
    p.max_time_in_seconds = max(0.01, opts.time_limit)
    p.linearization_level = opts.linearization
    if opts.work_limit is not None:
        p.max_deterministic_time = max(0.01, opts.work_limit)
        if opts.workers > 1:
            p.interleave_search = True


def _run(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    time_limit: float,
    should_stop: Callable[[], bool] | None,
) -> int:
    """Solve, with a watcher thread that calls stop_search() as soon as `should_stop()` is true."""
    if should_stop is None:
        return solver.solve(model)
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.05):
            if should_stop():
                solver.stop_search()
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        return solver.solve(model)
    finally:
        done.set()
        watcher.join()
