"""Assignment on tiny rounds with known optima: one test per rule, plus determinism and cancel."""

from __future__ import annotations

import itertools
import threading
import time

import numpy as np
import pytest

import solver.assign
import solver.engine
from solver.assign import solve
from solver.instance import AssignSettings, Instance, NeedSlot, OfferSlot, PairArrays
from solver.result import Status, UnmatchedReason

FAST = AssignSettings(time_limit=10.0)


def round_of(needs, offers, pairs, **kw) -> Instance:
    """needs: [(id, state)], offers: [(id, capacity, budget)], pairs: [(n, o, score, cost)]."""
    return Instance.build(
        [NeedSlot(*n) for n in needs], [OfferSlot(*o) for o in offers], pairs, **kw
    )


def picked(result) -> set[tuple[str, str]]:
    return {(a.need_id, a.offer_id) for a in result.assignments}


def test_capacity_keeps_the_best_two() -> None:
    inst = round_of(
        [("a", "X"), ("b", "Y"), ("c", "Z")],
        [("o", 2, 100)],
        [("a", "o", 5, 1), ("b", "o", 4, 1), ("c", "o", 3, 1)],
    )
    res = solve(inst, FAST)
    assert res.status == Status.OPTIMAL
    assert res.objective == 9 and res.bound == 9 and res.gap == 0
    assert picked(res) == {("a", "o"), ("b", "o")}
    assert [(u.id, u.reason) for u in res.unmatched] == [
        ("c", UnmatchedReason.TAKEN_BY_HIGHER_SCORING)
    ]


def test_budget_beats_greedy() -> None:
    # greedy takes a (10) and exhausts the budget; two cheaper needs give 12
    inst = round_of(
        [("a", "X"), ("b", "Y"), ("c", "Z")],
        [("o", 3, 10)],
        [("a", "o", 10, 6), ("b", "o", 6, 5), ("c", "o", 6, 5)],
    )
    res = solve(inst, FAST)
    assert res.status == Status.OPTIMAL
    assert res.objective == 12
    assert picked(res) == {("b", "o"), ("c", "o")}


def test_pair_dependent_cost() -> None:
    inst = round_of(
        [("a", "X"), ("b", "Y")],
        [("o1", 2, 10), ("o2", 2, 10)],
        [("a", "o1", 9, 10), ("a", "o2", 8, 3), ("b", "o1", 9, 7), ("b", "o2", 1, 9)],
    )
    res = solve(inst, FAST)
    assert res.objective == 17
    assert picked(res) == {("a", "o2"), ("b", "o1")}


def test_state_cap() -> None:
    inst = round_of(
        [("a", "X"), ("b", "X"), ("c", "Y")],
        [("o1", 1, 10), ("o2", 1, 10), ("o3", 1, 10)],
        [("a", "o1", 10, 1), ("b", "o2", 9, 1), ("c", "o3", 2, 1)],
        max_per_state=1,
    )
    res = solve(inst, FAST)
    assert res.status == Status.OPTIMAL
    assert picked(res) == {("a", "o1"), ("c", "o3")}
    assert res.unmatched[0].id == "b"
    assert res.unmatched[0].reason == UnmatchedReason.STATE_CAP_REACHED


def test_pinned_pair_is_kept() -> None:
    inst = round_of(
        [("a", "X"), ("b", "Y")],
        [("o", 1, 10)],
        [("a", "o", 10, 1), ("b", "o", 3, 1)],
        pinned=[("b", "o")],
    )
    res = solve(inst, FAST)
    assert res.status == Status.OPTIMAL
    assert picked(res) == {("b", "o")}
    assert res.objective == 3


def test_forbidden_pair_stays_out() -> None:
    inst = round_of(
        [("a", "X")],
        [("o1", 1, 10), ("o2", 1, 10)],
        [("a", "o1", 10, 1), ("a", "o2", 4, 1)],
        forbidden=[("a", "o1")],
    )
    res = solve(inst, FAST)
    assert picked(res) == {("a", "o2")}
    assert res.objective == 4
    assert res.alternatives.get("a", ()) == ()


def test_forbidding_the_only_pair_leaves_no_eligible_offer() -> None:
    inst = round_of([("a", "X")], [("o", 1, 10)], [("a", "o", 10, 1)], forbidden=[("a", "o")])
    res = solve(inst, FAST)
    assert res.assignments == ()
    assert res.unmatched[0].reason == UnmatchedReason.NO_ELIGIBLE_OFFER


def test_coverage_first_serves_more_needs() -> None:
    pairs = [("a", "o", 10, 10), ("b", "o", 6, 5), ("c", "o", 3, 5)]
    inst = round_of([("a", "X"), ("b", "Y"), ("c", "Z")], [("o", 2, 10)], pairs)
    by_score = solve(inst, FAST)
    assert picked(by_score) == {("a", "o")} and by_score.objective == 10
    covering = solve(inst, AssignSettings(time_limit=10.0, coverage_first=True))
    assert covering.status == Status.OPTIMAL
    assert picked(covering) == {("b", "o"), ("c", "o")}
    assert covering.objective == 9 and covering.bound == 9


@pytest.mark.parametrize(
    ("pinned", "why"),
    [
        ([("a", "o1"), ("a", "o2")], "pinned to two offers"),
        ([("a", "o1"), ("b", "o1")], "capacity"),
    ],
)
def test_conflicting_pins_are_infeasible(pinned, why) -> None:
    inst = round_of(
        [("a", "X"), ("b", "Y")],
        [("o1", 1, 100), ("o2", 1, 100)],
        [("a", "o1", 1, 1), ("a", "o2", 1, 1), ("b", "o1", 1, 1)],
        pinned=pinned,
    )
    res = solve(inst, FAST)
    assert res.status == Status.INFEASIBLE
    assert why in res.message
    assert res.assignments == ()


def test_pins_over_budget_or_state_cap_are_infeasible() -> None:
    over_budget = round_of(
        [("a", "X"), ("b", "Y")],
        [("o", 2, 5)],
        [("a", "o", 1, 3), ("b", "o", 1, 3)],
        pinned=[("a", "o"), ("b", "o")],
    )
    assert solve(over_budget, FAST).status == Status.INFEASIBLE
    over_cap = round_of(
        [("a", "X"), ("b", "X")],
        [("o", 2, 50)],
        [("a", "o", 1, 3), ("b", "o", 1, 3)],
        max_per_state=1,
        pinned=[("a", "o"), ("b", "o")],
    )
    assert solve(over_cap, FAST).status == Status.INFEASIBLE


def test_pin_and_forbid_same_pair_is_infeasible() -> None:
    inst = round_of(
        [("a", "X")], [("o", 1, 5)], [("a", "o", 1, 3)], pinned=[("a", "o")], forbidden=[("a", "o")]
    )
    assert solve(inst, FAST).status == Status.INFEASIBLE


def test_broken_instances_are_model_invalid_not_raised() -> None:
    needs, offers = (NeedSlot("a", "X"),), (OfferSlot("o", -1, 5),)
    negative = Instance(needs, offers, PairArrays.of([0], [0], [1], [1]))
    assert solve(negative, FAST).status == Status.MODEL_INVALID
    duplicate = Instance(
        needs, (OfferSlot("o", 1, 5),), PairArrays.of([0, 0], [0, 0], [1, 2], [1, 1])
    )
    res = solve(duplicate, FAST)
    assert res.status == Status.MODEL_INVALID and "duplicate pair" in res.message
    not_eligible = Instance(
        (*needs, NeedSlot("b", "Y")),
        (OfferSlot("o", 1, 5),),
        PairArrays.of([0], [0], [1], [1]),
        pinned=(("b", "o"),),
    )
    assert solve(not_eligible, FAST).status == Status.MODEL_INVALID


def test_empty_round() -> None:
    res = solve(round_of([], [], []), FAST)
    assert res.status == Status.OPTIMAL and res.objective == 0


def test_alternatives_are_the_next_best_offers() -> None:
    inst = round_of(
        [("a", "X")],
        [("o1", 1, 10), ("o2", 1, 10), ("o3", 1, 10), ("o4", 1, 10)],
        [("a", "o1", 9, 1), ("a", "o2", 7, 1), ("a", "o3", 8, 1), ("a", "o4", 1, 1)],
    )
    res = solve(inst, AssignSettings(time_limit=10.0, alternatives=2))
    assert picked(res) == {("a", "o1")}
    assert [x.offer_id for x in res.alternatives["a"]] == ["o3", "o2"]


def brute_force(inst: Instance) -> int:
    """Best total score by enumeration (tiny rounds only)."""
    p = inst.pairs
    best = 0
    for r in range(len(p) + 1):
        for combo in itertools.combinations(range(len(p)), r):
            chosen = np.array(combo, dtype=np.int64)
            need, offer = p.need[chosen], p.offer[chosen]
            if len(set(need.tolist())) < len(chosen):
                continue
            load = np.bincount(offer, minlength=len(inst.offers))
            spend = np.bincount(offer, weights=p.cost[chosen], minlength=len(inst.offers))
            caps = np.array([o.capacity for o in inst.offers])
            budgets = np.array([o.budget for o in inst.offers])
            states = [inst.needs[i].state for i in need.tolist()]
            if np.any(load > caps) or np.any(spend > budgets):
                continue
            too_many = states and max(states.count(s) for s in states) > (inst.max_per_state or 99)
            if too_many:
                continue
            best = max(best, int(p.score[chosen].sum()))
    return best


def random_round(seed: int, n: int = 5, m: int = 3, cap: int | None = None) -> Instance:
    rng = np.random.default_rng(seed)
    pairs = [
        (f"n{i}", f"o{j}", int(rng.integers(0, 20)), int(rng.integers(1, 10)))
        for i in range(n)
        for j in range(m)
        if rng.random() < 0.6
    ]
    return round_of(
        [(f"n{i}", f"S{i % 3}") for i in range(n)],
        [(f"o{j}", int(rng.integers(1, 3)), int(rng.integers(5, 15))) for j in range(m)],
        pairs[:11],
        max_per_state=cap,
    )


@pytest.mark.parametrize("seed", range(12))
def test_matches_brute_force_on_random_tiny_rounds(seed: int) -> None:
    inst = random_round(seed, cap=1 if seed % 3 == 0 else None)
    res = solve(inst, FAST)
    assert res.status == Status.OPTIMAL
    assert res.objective == brute_force(inst)


def medium_round(seed: int = 3) -> Instance:
    rng = np.random.default_rng(seed)
    n, m = 300, 30
    pairs = [
        (f"n{i}", f"o{j}", int(rng.integers(10, 100)), int(rng.integers(5, 60)))
        for i in range(n)
        for j in rng.choice(m, 8, replace=False).tolist()
    ]
    offers = [(f"o{j}", int(rng.integers(5, 15)), int(rng.integers(100, 600))) for j in range(m)]
    return round_of([(f"n{i}", f"S{i % 17}") for i in range(n)], offers, pairs, max_per_state=15)


@pytest.mark.parametrize("workers", [1, 2])
def test_same_input_same_answer(workers: int) -> None:
    # a generous limit keeps the wall-clock guard out of the way on a busy machine:
    # the deterministic work budget (or the proof) ends the search
    inst = medium_round()
    settings = AssignSettings(time_limit=20.0, workers=workers, seed=7)
    first, second = solve(inst, settings), solve(inst, settings)
    assert picked(first) == picked(second)
    assert first.objective == second.objective and first.bound == second.bound


def test_neighbourhood_path_is_feasible_and_beats_greedy(monkeypatch) -> None:
    monkeypatch.setattr(solver.engine, "DIRECT_LIMIT", 0)
    monkeypatch.setattr(solver.engine, "SUB_NEEDS", 60)
    monkeypatch.setattr(solver.engine, "LP_TOP_K", 4)
    inst = medium_round()
    res = solve(inst, AssignSettings(time_limit=4.0))
    assert res.method != "greedy"
    greedy_value = solve(inst, AssignSettings(time_limit=0.01)).objective
    assert res.objective >= greedy_value
    assert res.objective <= res.bound
    check_feasible(inst, res)


def check_feasible(inst: Instance, res) -> None:
    offers = {o.id: o for o in inst.offers}
    states = {n.id: n.state for n in inst.needs}
    assert len({a.need_id for a in res.assignments}) == len(res.assignments)
    for oid, offer in offers.items():
        mine = [a for a in res.assignments if a.offer_id == oid]
        assert len(mine) <= offer.capacity
        assert sum(a.cost for a in mine) <= offer.budget
    per_state = [states[a.need_id] for a in res.assignments]
    assert max(per_state.count(s) for s in per_state) <= inst.max_per_state


def test_cancel_returns_the_best_so_far() -> None:
    inst = medium_round()
    stop = threading.Event()
    stop.set()
    res = solve(inst, AssignSettings(time_limit=30.0), cancel=stop)
    assert res.status in (Status.FEASIBLE, Status.OPTIMAL)
    assert res.seconds < 5
    check_feasible(inst, res)


def test_cancel_callable_during_cp_sat() -> None:
    inst = medium_round()
    calls = []

    def should_stop() -> bool:
        calls.append(1)
        return len(calls) > 3

    res = solve(inst, AssignSettings(time_limit=30.0), cancel=should_stop)
    assert res.seconds < 10
    check_feasible(inst, res)


def test_seconds_count_the_building_of_the_result(monkeypatch) -> None:
    """The time reported includes the alternatives and unmatched reasons built last."""
    real = solver.assign._alternatives

    def slow(*args):
        time.sleep(0.3)
        return real(*args)

    monkeypatch.setattr(solver.assign, "_alternatives", slow)
    inst = round_of([("a", "X")], [("o", 1, 10)], [("a", "o", 5, 1)])
    res = solve(inst, AssignSettings(time_limit=5.0))
    assert res.seconds >= 0.3
