"""Prices without an LP: subgradient on the Lagrangian of capacity, budget and State rows.

Cheap (a few numpy passes per step, no factorisation), so it gives reduced weights, a valid
bound and a price-guided greedy early, whatever the machine's load does to the LP.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from solver.lp import FloatArray, lagrangian_bound
from solver.problem import IntArray, Problem

STEPS = 120  # subgradient steps at most (deterministic: a fixed count, cut only by the wall)
STALE = 10  # steps without a better bound before the step size halves
STEP_SECONDS = 4e-8  # work seconds charged per pair per step (about 5 ms a step at 100k pairs)


@dataclass(frozen=True, slots=True, eq=False)
class Prices:
    """Best duals found (capacity, budget and State rows, all >= 0), their bound, steps run."""

    duals: FloatArray
    bound: float
    reduced: FloatArray
    steps: int


def prices(pr: Problem, pairs: IntArray, floor: float, seconds: float) -> Prices:
    """Run at most STEPS projected subgradient steps over `pairs` within `seconds` of wall time.

    `floor` is a known achievable value (the greedy's) for Polyak steps. Each step's duals are
    clipped at zero, so every bound is valid; the one returned is evaluated over all pairs.
    """
    start = time.perf_counter()
    n, m = pr.n_needs, pr.n_offers
    order = pairs[np.argsort(pr.need[pairs], kind="stable")]
    need, offer, cost = pr.need[order], pr.offer[order], pr.cost[order].astype(float)
    state = pr.need_state[need]
    weight = pr.weight[order].astype(float)
    pinned_need = np.zeros(n, dtype=bool)
    pinned_need[pr.need[pr.pinned]] = True
    is_pin = np.isin(order, pr.pinned)
    weight[pinned_need[need] & ~is_pin] = -np.inf  # a pinned need takes its pin
    starts = np.flatnonzero(np.r_[True, need[1:] != need[:-1]]) if need.size else need[:0]
    counts = np.diff(np.r_[starts, need.size])
    cap, bud = pr.capacity.astype(float), pr.budget.astype(float)
    capped = pr.state_cap is not None
    scap = float(pr.state_cap or 0)
    v, u, z = np.zeros(m), np.zeros(m), np.zeros(pr.n_states)
    best_bound, best_duals = np.inf, np.zeros(2 * m + (pr.n_states if capped else 0))
    theta, stale, steps = 2.0, 0, 0
    while steps < STEPS and time.perf_counter() - start < seconds and need.size:
        steps += 1
        r = weight - v[offer] - u[offer] * cost - (z[state] if capped else 0.0)
        best = np.maximum.reduceat(r, starts)
        take = np.where(is_pin, True, (r >= np.repeat(best, counts)) & (r > 0))
        bound = float(
            np.maximum(best, 0).sum() + v @ cap + u @ bud + (z.sum() * scap if capped else 0.0)
        )
        if bound < best_bound - 1e-9:
            best_bound, stale = bound, 0
            best_duals = np.concatenate([v, u, z] if capped else [v, u])
        else:
            stale += 1
            if stale >= STALE:
                theta, stale = max(theta / 2, 1e-3), 0
        g_v = cap - np.bincount(offer[take], minlength=m)
        g_u = bud - np.bincount(offer[take], weights=cost[take], minlength=m)
        g_z = scap - np.bincount(state[take], minlength=pr.n_states) if capped else np.zeros(0)
        # Projected: a row with zero price and slack stays at zero (no move, no norm).
        g_v[(v <= 0) & (g_v > 0)] = 0
        g_u[(u <= 0) & (g_u > 0)] = 0
        if capped:
            g_z[(z <= 0) & (g_z > 0)] = 0
        norm = float(g_v @ g_v + g_u @ g_u + g_z @ g_z)
        if norm <= 0:
            break
        step = theta * max(bound - floor, 1e-6 * max(1.0, abs(bound))) / norm
        v = np.maximum(v - step * g_v, 0)
        u = np.maximum(u - step * g_u, 0)
        if capped:
            z = np.maximum(z - step * g_z, 0)
    full = np.concatenate([np.zeros(n), best_duals])
    bound, reduced = lagrangian_bound(pr, full)
    return Prices(full, bound, reduced, steps)


def price_order(pr: Problem, reduced: FloatArray) -> IntArray:
    """Pairs by reduced weight (best first), then cheaper: the order of a price-guided greedy."""
    return np.lexsort((pr.offer, pr.need, pr.cost, -reduced))
