"""The reported bounds never fall below the optimum, found by brute force on tiny rounds,
on every path of the solver (small, large-round, busy machine, LP-free prices) with and
without coverage first and a State cap."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

import solver.engine
from solver.assign import solve
from solver.instance import AssignSettings, Instance, NeedSlot, OfferSlot
from solver.lp import Relaxation


def tiny_round(seed: int, state_cap: int | None) -> Instance:
    """Six needs of two States, three offers with tight capacity and budget, 2-3 pairs each."""
    rng = np.random.default_rng(seed)
    needs = [NeedSlot(f"n{i}", "AB"[i % 2]) for i in range(6)]
    offers = [
        OfferSlot(f"o{j}", int(rng.integers(1, 3)), int(rng.integers(4, 12))) for j in range(3)
    ]
    pairs = []
    for i in range(6):
        for j in sorted(rng.choice(3, int(rng.integers(1, 4)), replace=False).tolist()):
            pairs.append((f"n{i}", f"o{j}", int(rng.integers(1, 40)), int(rng.integers(1, 7))))
    return Instance.build(needs, offers, pairs, max_per_state=state_cap)


def every_assignment(inst: Instance) -> list[tuple[int, int]]:
    """(needs served, score) of every assignment that keeps every rule."""
    options: list[list[int | None]] = [[None] for _ in inst.needs]
    for k, i in enumerate(inst.pairs.need.tolist()):
        options[i].append(k)
    out = []
    for pick in itertools.product(*options):
        chosen = [k for k in pick if k is not None]
        offer = inst.pairs.offer[chosen]
        load = np.bincount(offer, minlength=len(inst.offers))
        spend = np.bincount(offer, weights=inst.pairs.cost[chosen], minlength=len(inst.offers))
        if np.any(load > [o.capacity for o in inst.offers]):
            continue
        if np.any(spend > [o.budget for o in inst.offers]):
            continue
        states = [inst.needs[int(inst.pairs.need[k])].state for k in chosen]
        cap = inst.max_per_state
        if cap is not None and any(states.count(s) > cap for s in set(states)):
            continue
        out.append((len(chosen), int(inst.pairs.score[chosen].sum())))
    return out


def _no_lp(pr, time_limit, pairs=None) -> Relaxation:
    empty = np.zeros(0)
    return Relaxation(False, math.inf, empty, empty, empty, 0.0)


PATHS = ("small", "large-round", "busy", "lp-free")


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("coverage_first", [False, True])
@pytest.mark.parametrize("state_cap", [None, 1])
def test_reported_bounds_are_never_below_the_optimum(
    monkeypatch, path, coverage_first, state_cap
) -> None:
    if path != "small":  # the flows and the LP of a large round see one pair per need only
        monkeypatch.setattr(solver.engine, "DIRECT_LIMIT", 0)
        monkeypatch.setattr(solver.engine, "LP_TOP_K", 1)
        monkeypatch.setattr(solver.engine, "LP_KS", (1,))
    if path == "busy":  # any share of a core counts as busy: the busy machine's smaller LP
        monkeypatch.setattr(solver.engine, "BUSY", 2.0)
    if path == "lp-free":
        monkeypatch.setattr(solver.engine, "relax", _no_lp)
    settings = AssignSettings(time_limit=1.5, coverage_first=coverage_first)
    for seed in range(4):
        inst = tiny_round(seed, state_cap)
        res = solve(inst, settings)
        feasible = every_assignment(inst)
        most = max(n for n, _ in feasible)
        assert res.needs_bound >= most >= res.matched
        at_least = [s for n, s in feasible if n >= res.matched] if coverage_first else []
        best = max(at_least) if coverage_first else max(s for _, s in feasible)
        assert res.objective <= best <= res.bound, (seed, res)
        assert res.gap == pytest.approx((res.bound - res.objective) / max(res.bound, 1))
        if path == "small" and coverage_first:  # proven: the lexicographic optimum
            assert res.matched == most
            assert res.objective == max(s for n, s in feasible if n == most)


def test_coverage_first_gap_is_on_the_score_not_on_the_bonus() -> None:
    """A score far from its bound shows a large gap, whatever the coverage bonus is."""
    inst = tiny_round(3, None)
    res = solve(inst, AssignSettings(time_limit=1.5, coverage_first=True))
    assert res.bound < 10_000  # a score, never score plus a bonus per need
    assert 0 <= res.gap < 1
