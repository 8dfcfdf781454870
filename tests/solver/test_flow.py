"""The priced flows' pieces (the bound over every pair, the repair, the greedy's refill) and how a
large round adapts to a busy machine."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest
from test_bounds import every_assignment, tiny_round

import solver.engine
from solver import flow
from solver.instance import AssignSettings
from solver.problem import Problem, compile_instance, default_order, greedy


def problem(seed: int, state_cap: int | None) -> Problem:
    pr, _, _ = compile_instance(tiny_round(seed, state_cap), coverage_first=False)
    assert pr is not None
    return pr


@pytest.mark.parametrize("state_cap", [None, 1])
@pytest.mark.parametrize("seed", range(6))
def test_flow_bound_over_every_pair_is_never_below_the_optimum(seed, state_cap) -> None:
    """Whatever the budget prices (>= 0), one flow over every pair bounds the best score."""
    pr = problem(seed, state_cap)
    best = max(s for _, s in every_assignment(tiny_round(seed, state_cap)))
    net = flow.Network(pr, np.arange(pr.need.size))
    rng = np.random.default_rng(seed)
    for price in [np.zeros(pr.n_offers), *rng.uniform(0, 8, (5, pr.n_offers))]:
        _, bound = net.solve(price)
        assert bound >= best - 1e-6


def test_flow_bound_is_exact_without_binding_budgets() -> None:
    """Budgets that never bind: the flow at zero prices is the optimum, bound and answer."""
    pr = problem(0, None)
    loose = dataclasses.replace(pr, budget=np.full(pr.n_offers, 10**6, dtype=np.int64))
    best = max(_all(loose))
    taken, bound = flow.Network(loose, np.arange(loose.need.size)).solve(np.zeros(loose.n_offers))
    assert loose.weighted(taken) == best
    assert bound == pytest.approx(best, abs=1e-3)


def _all(pr: Problem) -> list[int]:
    """Scores of every feasible assignment of a tiny problem (capacity and budget only)."""
    options = [[None, *np.flatnonzero(pr.need == i).tolist()] for i in range(pr.n_needs)]
    out = []
    for pick in itertools.product(*options):
        chosen = [k for k in pick if k is not None]
        load = np.bincount(pr.offer[chosen], minlength=pr.n_offers)
        spend = np.bincount(pr.offer[chosen], weights=pr.cost[chosen], minlength=pr.n_offers)
        if np.all(load <= pr.capacity) and np.all(spend <= pr.budget):
            out.append(pr.objective(np.array(chosen, dtype=np.int64)))
    return out


def _naive_greedy(pr: Problem, order: np.ndarray, start: np.ndarray) -> np.ndarray:
    """The greedy as it was: walk `start` then the whole `order`, taking what fits."""
    cap, bud = pr.capacity.copy(), pr.budget.copy()
    room = np.full(pr.n_states, pr.state_cap if pr.state_cap is not None else 10**9)
    done = np.zeros(pr.n_needs, dtype=bool)
    chosen = []
    for k in np.concatenate([start, order]).tolist():
        i, j, c = pr.need[k], pr.offer[k], pr.cost[k]
        s = pr.need_state[i]
        if done[i] or cap[j] <= 0 or bud[j] < c or room[s] <= 0:
            continue
        done[i], cap[j], bud[j], room[s] = True, cap[j] - 1, bud[j] - c, room[s] - 1
        chosen.append(k)
    return np.sort(np.array(chosen, dtype=np.int64))


@pytest.mark.parametrize("state_cap", [None, 1])
@pytest.mark.parametrize("seed", range(8))
def test_greedy_refills_only_unserved_needs_with_the_same_answer(seed, state_cap) -> None:
    """Skipping the pairs of needs served by `start` changes nothing in what the greedy takes."""
    pr = problem(seed, state_cap)
    rng = np.random.default_rng(seed)
    start = rng.permutation(pr.need.size)[: int(rng.integers(0, pr.need.size + 1))]
    order = default_order(pr)
    assert np.array_equal(greedy(pr, start=start), _naive_greedy(pr, order, start))
    assert np.array_equal(greedy(pr), _naive_greedy(pr, order, pr.pinned))


@pytest.mark.parametrize("seed", range(6))
def test_repair_keeps_every_rule(seed) -> None:
    """A flow's pairs over budget come back feasible: capacity, budget, State cap, one per need."""
    pr = problem(seed, 1)
    taken, _ = flow.Network(pr, np.arange(pr.need.size)).solve(np.zeros(pr.n_offers))
    chosen = flow._repair(pr, taken, default_order(pr))
    assert np.unique(pr.need[chosen]).size == chosen.size
    assert np.all(np.bincount(pr.offer[chosen], minlength=pr.n_offers) <= pr.capacity)
    spend = np.bincount(pr.offer[chosen], weights=pr.cost[chosen], minlength=pr.n_offers)
    assert np.all(spend <= pr.budget)
    assert np.all(np.bincount(pr.need_state[pr.need[chosen]], minlength=pr.n_states) <= 1)


def _sized(n_needs: int, n_pairs: int) -> Problem:
    """A problem whose sizes only count: `n_needs` needs, `n_pairs` pairs."""
    pr = problem(0, None)
    return dataclasses.replace(pr, n_needs=n_needs, need=np.zeros(n_pairs, dtype=np.int64))


@pytest.mark.parametrize(
    ("needs", "pairs", "limit", "share", "left", "k"),
    [
        (5_000, 200_000, 5.0, 1.0, 4.3, 16),  # quiet: by the work left, deterministic
        (5_000, 200_000, 5.0, 0.35, 4.0, 8),  # two busy processes per core
        (5_000, 200_000, 5.0, 0.1, 4.0, 4),  # a very busy machine
        (20_000, 800_000, 60.0, 1.0, 58.0, 16),  # a large round with time to spare
        (20_000, 800_000, 60.0, 0.4, 50.0, 8),  # the same, busy
    ],
)
def test_the_lp_sees_fewer_pairs_per_need_when_time_is_short(
    monkeypatch, needs, pairs, limit, share, left, k
) -> None:
    search = solver.engine.Search(_sized(needs, pairs), AssignSettings(time_limit=limit), bool)
    monkeypatch.setattr(solver.engine.Search, "share", lambda self: share)
    monkeypatch.setattr(solver.engine.Search, "work_left", lambda self: left)
    monkeypatch.setattr(solver.engine.Search, "remaining", lambda self: left)
    assert solver.engine._lp_pairs_per_need(search) == k


def test_the_result_margin_grows_when_the_solve_gets_a_small_share_of_a_core(monkeypatch) -> None:
    search = solver.engine.Search(_sized(6, 2_000_000), AssignSettings(time_limit=10.0), bool)
    monkeypatch.setattr(solver.engine.Search, "share", lambda self: 1.0)
    quiet = search.remaining()
    monkeypatch.setattr(solver.engine.Search, "share", lambda self: 0.1)
    assert search.remaining() < quiet - 5
