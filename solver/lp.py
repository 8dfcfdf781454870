"""The linear relaxation solved by HiGHS: the bound no assignment can pass, with its duals."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.optimize import linprog

from solver.problem import IntArray, Problem

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True, eq=False)
class Relaxation:
    """Outcome of the LP: whether it solved, its value, x per pair, reduced cost per pair."""

    solved: bool
    value: float
    x: FloatArray
    reduced: FloatArray
    duals: FloatArray
    seconds: float


def rows(pr: Problem, pairs: IntArray) -> tuple[sparse.csr_matrix, FloatArray]:
    """Return (A, b) of `A x <= b` over `pairs`: rows per need, offer capacity, budget, State."""
    k = pairs.size
    cols = np.arange(k)
    need, offer = pr.need[pairs], pr.offer[pairs]
    blocks = [
        sparse.csr_matrix((np.ones(k), (need, cols)), shape=(pr.n_needs, k)),
        sparse.csr_matrix((np.ones(k), (offer, cols)), shape=(pr.n_offers, k)),
        sparse.csr_matrix((pr.cost[pairs].astype(float), (offer, cols)), shape=(pr.n_offers, k)),
    ]
    rhs = [np.ones(pr.n_needs), pr.capacity.astype(float), pr.budget.astype(float)]
    if pr.state_cap is not None:
        state = pr.need_state[need]
        blocks.append(sparse.csr_matrix((np.ones(k), (state, cols)), shape=(pr.n_states, k)))
        rhs.append(np.full(pr.n_states, float(pr.state_cap)))
    return sparse.vstack(blocks, format="csr"), np.concatenate(rhs)


def relax(pr: Problem, time_limit: float, pairs: IntArray | None = None) -> Relaxation:
    """Solve the LP relaxation over `pairs` (default all) with HiGHS' dual simplex.

    Returns a Relaxation; `solved` is False when HiGHS stopped (time limit) or failed.
    Never raises on an infeasible LP (pins are checked before).
    """

    start = time.perf_counter()
    if pairs is None:
        pairs = np.arange(pr.need.size)
    if pairs.size == 0:
        return Relaxation(True, 0.0, np.zeros(0), np.zeros(0), np.zeros(0), 0.0)
    a, b = rows(pr, pairs)
    lower = np.zeros(pairs.size)
    lower[np.isin(pairs, pr.pinned)] = 1.0
    res = linprog(
        -pr.weight[pairs].astype(float),
        A_ub=a,
        b_ub=b,
        bounds=np.column_stack([lower, np.ones(pairs.size)]),
        method="highs-ds",
        options={"time_limit": max(0.05, time_limit), "presolve": True},
    )
    seconds = time.perf_counter() - start
    if res.status != 0 or res.x is None:
        empty = np.zeros(pairs.size)
        return Relaxation(False, math.inf, empty, empty, empty, seconds)
    # Clipped at zero: a <= row's multiplier must be >= 0 for the Lagrangian bound to hold,
    # and HiGHS may return tiny negative marginals.
    duals = np.maximum(-np.asarray(res.ineqlin.marginals), 0.0)
    reduced = pr.weight[pairs] - a.T @ duals
    return Relaxation(True, float(-res.fun), np.asarray(res.x), np.asarray(reduced), duals, seconds)


def lagrangian_bound(pr: Problem, duals: FloatArray) -> tuple[float, FloatArray]:
    """Return (bound, reduced weight per pair) from the duals of capacity, budget and State rows.

    Keeping "one offer per need" and the pins, relaxing the rest with these multipliers gives a
    valid bound over all pairs, whatever pairs the LP saw: each need takes its best reduced
    weight if positive (pinned needs take their pin).
    """
    n, m = pr.n_needs, pr.n_offers
    duals = np.maximum(duals, 0.0)  # only prices >= 0 give a valid bound
    v, w = duals[n : n + m], duals[n + m : n + 2 * m]
    z = duals[n + 2 * m :] if pr.state_cap is not None else np.zeros(pr.n_states)
    reduced = pr.weight - v[pr.offer] - w[pr.offer] * pr.cost - z[pr.need_state[pr.need]]
    best = np.zeros(n)
    np.maximum.at(best, pr.need, reduced)
    best[pr.need[pr.pinned]] = reduced[pr.pinned]
    total = best.sum() + v @ pr.capacity + w @ pr.budget
    if pr.state_cap is not None:
        total += z.sum() * pr.state_cap
    return float(total), reduced
