"""Honest bounds for the organiser: most needs any assignment can serve, and the best score
any assignment serving at least as many needs as ours can reach (coverage first).

Every bound here is a Lagrangian one: for prices y >= 0 on the capacity, budget and State rows
and mu >= 0 on "serve at least c needs", sum over needs of max(0, best of score - y.a + mu),
plus y.b - mu c, bounds the score of any assignment serving c needs or more, over all pairs.
"""

from __future__ import annotations

import math

import numpy as np

from solver.lp import FloatArray
from solver.problem import Problem

SEARCH_STEPS = 60  # ternary-search steps on mu (the bound is convex in mu)


def needs_bound(pr: Problem, weighted_bound: float) -> int:
    """Most needs any assignment can serve: a need needs a pair, an offer serves `capacity`
    needs, a State its cap; with coverage first, weighted_bound / bonus bounds it too."""
    has_pair = np.zeros(pr.n_needs, dtype=bool)
    has_pair[pr.need] = True
    bound = int(has_pair.sum())
    with_pair = np.zeros(pr.n_offers, dtype=bool)
    with_pair[pr.offer] = True
    bound = min(bound, int(pr.capacity[with_pair].sum()))
    if pr.state_cap is not None:
        per_state = np.bincount(pr.need_state[has_pair], minlength=pr.n_states)
        bound = min(bound, int(np.minimum(per_state, pr.state_cap).sum()))
    if pr.bonus > 0 and math.isfinite(weighted_bound):
        bound = min(bound, math.floor(weighted_bound / pr.bonus + 1e-9))
    return bound


def score_bound(pr: Problem, duals: FloatArray, served: int) -> float:
    """Best Lagrangian bound, over mu in [0, bonus], on the score of an assignment serving at
    least `served` needs, for the row prices `duals` (the LP's layout; clipped at zero)."""
    n, m = pr.n_needs, pr.n_offers
    y = np.maximum(duals, 0.0)
    v, w = y[n : n + m], y[n + m : n + 2 * m]
    z = y[n + 2 * m :] if pr.state_cap is not None else np.zeros(pr.n_states)
    reduced = pr.score - v[pr.offer] - w[pr.offer] * pr.cost - z[pr.need_state[pr.need]]
    best = np.full(n, -np.inf)
    np.maximum.at(best, pr.need, reduced)
    pinned = np.zeros(n, dtype=bool)
    pinned[pr.need[pr.pinned]] = True
    best[pr.need[pr.pinned]] = reduced[pr.pinned]
    rest = float(v @ pr.capacity + w @ pr.budget)
    if pr.state_cap is not None:
        rest += float(z.sum() * pr.state_cap)
    has = np.isfinite(best)

    def value(mu: float) -> float:
        gain = np.where(pinned, best + mu, np.maximum(best + mu, 0.0))
        return float(gain[has].sum()) + rest - mu * served

    lo, hi = 0.0, float(max(pr.bonus, 1))
    found = min(value(lo), value(hi))
    for _ in range(SEARCH_STEPS):
        a, b = lo + (hi - lo) / 3, hi - (hi - lo) / 3
        if value(a) <= value(b):
            hi = b
        else:
            lo = a
    return min(found, value((lo + hi) / 2))
