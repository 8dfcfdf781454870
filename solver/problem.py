"""The instance compiled to integer arrays, its checks, and the greedy every phase starts from."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from solver.instance import Instance, IntArray


@dataclass(frozen=True, slots=True, eq=False)
class Problem:
    """Arrays of one round: pair columns with objective weights, capacities, budgets, state caps.

    `weight` is what is maximised: the score, or with coverage first `bonus + score` where
    `bonus` exceeds any total score so that one more need served always wins.
    """

    n_needs: int
    n_offers: int
    need_state: IntArray
    n_states: int
    capacity: IntArray
    budget: IntArray
    state_cap: int | None
    need: IntArray
    offer: IntArray
    score: IntArray
    cost: IntArray
    weight: IntArray
    bonus: int
    pinned: IntArray

    def objective(self, chosen: IntArray) -> int:
        """Return the total score of the chosen pair positions."""
        return int(self.score[chosen].sum())

    def weighted(self, chosen: IntArray) -> int:
        """Return the maximised quantity (score, or bonus per need plus score) of `chosen`."""
        return int(self.weight[chosen].sum())


def compile_instance(inst: Instance, coverage_first: bool) -> tuple[Problem | None, str, str]:
    """Turn an Instance into a Problem.

    Returns (problem, "", "") when the round can be solved, or (None, status, message) with
    status "MODEL_INVALID" (a broken input) or "INFEASIBLE" (pins that cannot hold together).
    """
    message = _invalid(inst)
    if message:
        return None, "MODEL_INVALID", message
    n, m = len(inst.needs), len(inst.offers)
    p = inst.pairs
    key = p.need * m + p.offer
    keep = ~np.isin(key, _keys(inst, inst.forbidden))
    pin_keys = _keys(inst, inst.pinned)
    order = np.argsort(key, kind="stable")
    found = np.searchsorted(key[order], pin_keys)
    pos = order[np.minimum(found, max(key.size - 1, 0))] if key.size else pin_keys
    if pin_keys.size and not np.array_equal(key[pos], pin_keys):
        return None, "MODEL_INVALID", "a pinned pair is not among the eligible pairs"
    if pin_keys.size and not np.all(keep[pos]):
        return None, "INFEASIBLE", "a pair is both pinned and forbidden"
    new_index = np.cumsum(keep) - 1
    states, need_state = np.unique([x.state for x in inst.needs] or [""], return_inverse=True)
    score = p.score[keep]
    bonus = int(score.sum()) + 1 if coverage_first else 0
    problem = Problem(
        n_needs=n,
        n_offers=m,
        need_state=need_state.astype(np.int64)[:n],
        n_states=int(states.size),
        capacity=np.array([o.capacity for o in inst.offers], dtype=np.int64),
        budget=np.array([o.budget for o in inst.offers], dtype=np.int64),
        state_cap=inst.max_per_state,
        need=p.need[keep],
        offer=p.offer[keep],
        score=score,
        cost=p.cost[keep],
        weight=score + bonus,
        bonus=bonus,
        pinned=np.sort(new_index[pos]).astype(np.int64),
    )
    message = _pin_conflict(problem)
    if message:
        return None, "INFEASIBLE", message
    return problem, "", ""


def _keys(inst: Instance, refs: tuple[tuple[str, str], ...]) -> IntArray:
    if not refs:
        return np.zeros(0, dtype=np.int64)
    need_pos = {x.id: i for i, x in enumerate(inst.needs)}
    offer_pos = {x.id: i for i, x in enumerate(inst.offers)}
    m = len(inst.offers)
    return np.array([need_pos[a] * m + offer_pos[b] for a, b in refs], dtype=np.int64)


def _invalid(inst: Instance) -> str:
    """Return the first problem of the input in words, or "" when it is sound."""
    n, m = len(inst.needs), len(inst.offers)
    p = inst.pairs
    known_needs, known_offers = {x.id for x in inst.needs}, {x.id for x in inst.offers}
    refs = inst.pinned + inst.forbidden
    checks = (
        (len(known_needs) != n, "duplicate need id"),
        (len(known_offers) != m, "duplicate offer id"),
        (any(o.capacity < 0 or o.budget < 0 for o in inst.offers), "negative capacity or budget"),
        (inst.max_per_state is not None and inst.max_per_state < 0, "max_per_state is negative"),
        (bool(p.need.size) and (p.need.min() < 0 or p.need.max() >= n), "unknown need in pairs"),
        (
            bool(p.offer.size) and (p.offer.min() < 0 or p.offer.max() >= m),
            "unknown offer in pairs",
        ),
        (bool(p.score.size) and (p.score.min() < 0 or p.cost.min() < 0), "negative score or cost"),
        (np.unique(p.need * m + p.offer).size != len(p), "duplicate pair"),
        (
            any(a not in known_needs or b not in known_offers for a, b in refs),
            "unknown pinned or forbidden pair",
        ),
    )
    return next((words for broken, words in checks if broken), "")


def _pin_conflict(pr: Problem) -> str:
    needs = pr.need[pr.pinned]
    if np.unique(needs).size != needs.size:
        return "a need is pinned to two offers"
    offers = pr.offer[pr.pinned]
    if np.any(np.bincount(offers, minlength=pr.n_offers) > pr.capacity):
        return "pins exceed an offer's capacity"
    spend = np.bincount(offers, weights=pr.cost[pr.pinned], minlength=pr.n_offers)
    if np.any(spend > pr.budget):
        return "pins exceed an offer's budget"
    if pr.state_cap is not None:
        per_state = np.bincount(pr.need_state[needs], minlength=pr.n_states)
        if np.any(per_state > pr.state_cap):
            return "pins exceed the cap on matches per State"
    return ""


def greedy(pr: Problem, order: IntArray | None = None, start: IntArray | None = None) -> IntArray:
    """Assign pairs in `order` (default: best weight first, then cheaper) whenever they still fit.

    `start` pairs (default: the pins) are taken first. Returns the chosen pair positions, sorted.
    After `start`, only the pairs of needs still unserved are walked (a repair from a near-full
    start walks a few pairs, not the round).
    """
    if order is None:
        order = default_order(pr)
    first = pr.pinned if start is None else start
    cap = pr.capacity.tolist()
    bud = pr.budget.tolist()
    state_cap = pr.state_cap if pr.state_cap is not None else len(pr.need) + 1
    room = [state_cap] * pr.n_states
    need_state = pr.need_state.tolist()
    done = [False] * pr.n_needs
    need, offer, cost = pr.need, pr.offer, pr.cost
    chosen: list[int] = []

    def walk(ks: IntArray) -> None:
        for k, i, j, c in zip(
            ks.tolist(), need[ks].tolist(), offer[ks].tolist(), cost[ks].tolist(), strict=True
        ):
            s = need_state[i]
            if done[i] or cap[j] <= 0 or bud[j] < c or room[s] <= 0:
                continue
            done[i] = True
            cap[j] -= 1
            bud[j] -= c
            room[s] -= 1
            chosen.append(k)

    walk(np.asarray(first, dtype=np.int64))
    order = np.asarray(order, dtype=np.int64)
    if chosen:
        served = np.zeros(pr.n_needs, dtype=bool)
        served[need[chosen]] = True
        order = order[~served[need[order]]]
    walk(order)
    return np.sort(np.array(chosen, dtype=np.int64))


def default_order(pr: Problem) -> IntArray:
    """The greedy's order: best weight first, then cheaper (ties by need and offer)."""
    return np.lexsort((pr.offer, pr.need, pr.cost, -pr.weight))
