"""Propose matches: maximise the total score under capacities, budgets, State caps and pins."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

import numpy as np

from solver.bounds import needs_bound, score_bound
from solver.engine import Search, run
from solver.instance import AssignSettings, Instance, InstanceError, NeedSlot, OfferSlot, PairArrays
from solver.problem import IntArray, Problem, compile_instance
from solver.result import (
    Alternative,
    Assignment,
    AssignResult,
    Status,
    Unmatched,
    UnmatchedReason,
)

__all__ = [
    "Alternative",
    "AssignResult",
    "AssignSettings",
    "Assignment",
    "Instance",
    "InstanceError",
    "NeedSlot",
    "OfferSlot",
    "PairArrays",
    "Status",
    "Unmatched",
    "UnmatchedReason",
    "solve",
]

Cancel = threading.Event | Callable[[], bool] | None


def solve(
    instance: Instance, settings: AssignSettings | None = None, cancel: Cancel = None
) -> AssignResult:
    """Propose at most one offer per need, maximising the total score (coverage first if set).

    Takes the round and settings; `cancel` (a threading.Event or a callable returning True to
    stop) is checked between phases and while CP-SAT runs: the best assignment so far is
    returned. Returns an AssignResult; never raises on infeasible pins (status INFEASIBLE) or
    broken input (status MODEL_INVALID, `message` says what). Deterministic for the same input
    and settings (see AssignSettings.deterministic).
    """
    settings = settings or AssignSettings()
    start, cpu_start = time.perf_counter(), time.process_time()
    problem, status, message = compile_instance(instance, settings.coverage_first)
    if problem is None:
        return AssignResult(Status(status), message=message, seconds=time.perf_counter() - start)
    search = Search(problem, settings, _stopper(cancel), start=start, cpu_start=cpu_start)
    run(search)
    return _result(instance, problem, search, settings)


def _stopper(cancel: Cancel) -> Callable[[], bool]:
    if cancel is None:
        return lambda: False
    if isinstance(cancel, threading.Event):
        return cancel.is_set
    return cancel


def _result(inst: Instance, pr: Problem, search: Search, settings: AssignSettings) -> AssignResult:
    chosen = search.best
    weighted_bound = max(search.best_value, _floor(search.bound))
    if search.proven:
        weighted_bound = search.best_value
    objective = pr.objective(chosen)
    most = max(needs_bound(pr, weighted_bound), int(chosen.size))
    bound = weighted_bound - pr.bonus * chosen.size
    if pr.bonus:  # lexicographic: the best score of any assignment serving as many needs
        for duals in search.duals:
            bound = min(bound, _floor(score_bound(pr, duals, int(chosen.size))))
    bound = max(bound, objective)
    gap = (bound - objective) / max(bound, 1)
    optimal = gap == 0 and most == chosen.size if pr.bonus else gap == 0
    assignments = tuple(
        Assignment(inst.needs[i].id, inst.offers[j].id, s, c)
        for i, j, s, c in zip(
            pr.need[chosen].tolist(),
            pr.offer[chosen].tolist(),
            pr.score[chosen].tolist(),
            pr.cost[chosen].tolist(),
            strict=True,
        )
    )
    unmatched = _unmatched(inst, pr, chosen)
    alternatives = _alternatives(inst, pr, chosen, settings.alternatives)
    return AssignResult(
        status=Status.OPTIMAL if optimal else Status.FEASIBLE,
        objective=objective,
        bound=bound,
        needs_bound=most,
        gap=gap,
        seconds=time.perf_counter() - search.start,  # after building the result, all of it
        assignments=assignments,
        unmatched=unmatched,
        alternatives=alternatives,
        method=search.method,
        phases=tuple(search.phases),
    )


def _floor(value: float) -> int:
    """Round a floating bound down to an integer, keeping it valid despite rounding errors."""
    if not math.isfinite(value):
        return 2**62
    return math.floor(value + 1e-6 * max(1.0, abs(value)))


def _unmatched(inst: Instance, pr: Problem, chosen: IntArray) -> tuple[Unmatched, ...]:
    matched = np.zeros(pr.n_needs, dtype=bool)
    matched[pr.need[chosen]] = True
    has_pair = np.zeros(pr.n_needs, dtype=bool)
    has_pair[pr.need] = True
    full_state = np.zeros(pr.n_states, dtype=bool)
    if pr.state_cap is not None:
        per_state = np.bincount(pr.need_state[pr.need[chosen]], minlength=pr.n_states)
        full_state = per_state >= pr.state_cap
    out = []
    for i in np.flatnonzero(~matched).tolist():
        if not has_pair[i]:
            reason = UnmatchedReason.NO_ELIGIBLE_OFFER
        elif full_state[pr.need_state[i]]:
            reason = UnmatchedReason.STATE_CAP_REACHED
        else:
            reason = UnmatchedReason.TAKEN_BY_HIGHER_SCORING
        out.append(Unmatched(inst.needs[i].id, reason))
    return tuple(out)


def _alternatives(
    inst: Instance, pr: Problem, chosen: IntArray, k: int
) -> dict[str, tuple[Alternative, ...]]:
    if k <= 0 or pr.need.size == 0:
        return {}
    others = np.ones(pr.need.size, dtype=bool)
    others[chosen] = False
    idx = np.flatnonzero(others)
    order = idx[np.lexsort((pr.cost[idx], -pr.score[idx], pr.need[idx]))]
    need = pr.need[order]
    first = np.searchsorted(need, need, side="left")
    keep = order[(np.arange(order.size) - first) < k]
    out: dict[str, list[Alternative]] = {}
    for i, j, s, c in zip(
        pr.need[keep].tolist(),
        pr.offer[keep].tolist(),
        pr.score[keep].tolist(),
        pr.cost[keep].tolist(),
        strict=True,
    ):
        out.setdefault(inst.needs[i].id, []).append(Alternative(inst.offers[j].id, s, c))
    return {key: tuple(v) for key, v in out.items()}
