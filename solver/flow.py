"""An LP-free improvement: min-cost flows with the budgets priced in (Lagrangian on budgets).

Needs, offer capacities and the State cap form a network (source -> State -> need -> offer ->
sink): without budgets the best assignment is one min-cost flow, solved exactly and fast by
OR-Tools whatever the load. Budgets are moved into the weights (weight - price x cost), the
prices follow a subgradient on the budgets' excess, and each flow is repaired into a feasible
assignment (over-budget offers keep their best score per cost, a greedy refills). Each flow
also gives a valid bound: the flow's value plus the prices times the budgets.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from ortools.graph.python import min_cost_flow

from solver.lp import FloatArray
from solver.problem import IntArray, Problem, default_order, greedy

ROUNDS = 30  # flows at most (deterministic: a fixed count, cut only by the wall and the work)
FLOW_SECONDS = 0.9e-6  # work seconds charged per arc per flow and its repair (0.09 s at 100k)
SCALE = 1e9  # the largest reduced weight, in the flow's integer costs


@dataclass(frozen=True, slots=True, eq=False)
class Flows:
    """Best feasible assignment found, the best bound, the prices and the flows solved."""

    chosen: IntArray
    bound: float
    prices: FloatArray
    rounds: int
    theta: float = 1.0


def improve(
    pr: Problem,
    pairs: IntArray,
    floor: float,
    seconds: float,
    *,
    stop: Any = None,
    most: int = ROUNDS,
) -> Flows:
    """Run at most `most` priced flows over `pairs` within `seconds`; return the best found.

    `floor` is a known achievable value (for Polyak steps); `stop()` ends the loop early.
    """
    start = time.perf_counter()
    net = Network(pr, pairs)
    refill = default_order(pr)
    price = np.zeros(pr.n_offers)
    best_chosen, best_value, best_bound = np.zeros(0, dtype=np.int64), -1, np.inf
    theta, rounds = 1.0, 0
    while rounds < min(most, ROUNDS) and time.perf_counter() - start < seconds and net.size:
        if stop is not None and stop():
            break
        rounds += 1
        taken, bound = net.solve(price)
        best_bound = min(best_bound, bound)
        chosen = _repair(pr, taken, refill)
        value = pr.weighted(chosen)
        if value > best_value:
            best_chosen, best_value = chosen, value
        spent = np.bincount(pr.offer[taken], weights=pr.cost[taken], minlength=pr.n_offers)
        g = pr.budget - spent
        g[(price <= 0) & (g > 0)] = 0
        norm = float(g @ g)
        if norm <= 0:
            break
        target = max(floor, best_value)
        step = theta * max(bound - target, 1e-6 * max(1.0, abs(bound))) / norm
        price = np.maximum(price - step * g, 0)
        if rounds % 8 == 0:
            theta /= 2
    return Flows(best_chosen, best_bound, price, rounds, theta)


class Network:
    """The flow network over `pairs` (pins taken first: their needs and room leave it)."""

    def __init__(self, pr: Problem, pairs: IntArray) -> None:
        self.pr = pr
        pinned_need = np.zeros(pr.n_needs, dtype=bool)
        pinned_need[pr.need[pr.pinned]] = True
        pairs = pairs[~pinned_need[pr.need[pairs]]]
        self.pairs = pairs
        self.size = pairs.size
        cap = pr.capacity - np.bincount(pr.offer[pr.pinned], minlength=pr.n_offers)
        self.cap = np.maximum(cap, 0)
        self.pin_budget = np.bincount(
            pr.offer[pr.pinned], weights=pr.cost[pr.pinned], minlength=pr.n_offers
        )
        n, m, s = pr.n_needs, pr.n_offers, pr.n_states
        # Nodes: 0 source, 1 sink, then States, needs, offers.
        self.state0, self.need0, self.offer0 = 2, 2 + s, 2 + s + n
        room = np.full(s, n + 1, dtype=np.int64)
        if pr.state_cap is not None:
            used = np.bincount(pr.need_state[pr.need[pr.pinned]], minlength=s)
            room = np.maximum(pr.state_cap - used, 0)
        self.fixed_tail = np.concatenate(
            [np.zeros(s), self.state0 + pr.need_state, self.offer0 + np.arange(m), [0]]
        ).astype(np.int64)
        self.fixed_head = np.concatenate(
            [self.state0 + np.arange(s), self.need0 + np.arange(n), np.ones(m), [1]]
        ).astype(np.int64)
        self.fixed_cap = np.concatenate([room, np.where(pinned_need, 0, 1), self.cap, [n]]).astype(
            np.int64
        )
        self.tail = (self.need0 + pr.need[pairs]).astype(np.int64)
        self.head = (self.offer0 + pr.offer[pairs]).astype(np.int64)
        self.weight = pr.weight[pairs].astype(float)
        self.cost = pr.cost[pairs].astype(float)
        self.nodes = self.offer0 + m

    def solve(self, price: FloatArray) -> tuple[IntArray, float]:
        """Return the pairs of the best flow for `price`, and its bound on the weighted value."""
        pr = self.pr
        reduced = self.weight - price[pr.offer[self.pairs]] * self.cost
        keep = reduced > 0
        scale = SCALE / max(float(reduced.max(initial=0.0)), 1.0)
        flow = min_cost_flow.SimpleMinCostFlow()
        zeros = np.zeros(self.fixed_tail.size, dtype=np.int64)
        flow.add_arcs_with_capacity_and_unit_cost(
            self.fixed_tail, self.fixed_head, self.fixed_cap, zeros
        )
        first = self.fixed_tail.size
        costs = -np.rint(reduced[keep] * scale).astype(np.int64)
        flow.add_arcs_with_capacity_and_unit_cost(
            self.tail[keep], self.head[keep], np.ones(costs.size, dtype=np.int64), costs
        )
        supply = np.zeros(self.nodes, dtype=np.int64)
        supply[0], supply[1] = pr.n_needs, -pr.n_needs
        flow.set_nodes_supplies(np.arange(self.nodes), supply)
        pin_value = float(pr.weight[pr.pinned].sum())
        dual = float(price @ np.maximum(pr.budget - self.pin_budget, 0))
        if flow.solve() != flow.OPTIMAL:
            return pr.pinned, np.inf
        arcs = np.arange(first, first + costs.size)
        used = flow.flows(arcs) > 0
        taken = self.pairs[keep][used]
        # The flow is optimal for the rounded costs: each arc's rounding costs at most 0.5/scale.
        slack = pr.n_needs * 0.5 / scale
        bound = float(reduced[keep][used].sum()) + slack + dual + pin_value
        return np.concatenate([pr.pinned, taken]), bound


def _repair(pr: Problem, taken: IntArray, refill: IntArray | None = None) -> IntArray:
    """Keep the flow's pairs that fit (pins, then best score per cost), then refill greedily.

    `refill` is the greedy's order (default: `default_order`), computed once by the caller.
    """
    ratio = pr.weight[taken] / np.maximum(pr.cost[taken], 1)
    is_pin = np.isin(taken, pr.pinned)
    order = taken[np.lexsort((taken, -ratio, ~is_pin))]
    return greedy(pr, order=refill, start=order)
