"""Which needs to free in one neighbourhood step: blocks of offers, of States, LP leftovers."""

from __future__ import annotations

import numpy as np

from solver.problem import IntArray, Problem

BoolArray = np.ndarray


def unsettled(pr: Problem, pairs: IntArray, x: np.ndarray) -> IntArray:
    """Needs the LP splits between pairs or serves in part (0 < total < 1, or a fractional x)."""
    total = np.zeros(pr.n_needs)
    np.add.at(total, pr.need[pairs], x)
    split = np.zeros(pr.n_needs, dtype=bool)
    split[pr.need[pairs[(x > 1e-6) & (x < 1 - 1e-6)]]] = True
    return np.flatnonzero(split | ((total > 1e-6) & (total < 1 - 1e-6)))


def pick(
    pr: Problem,
    best: IntArray,
    candidates: IntArray,
    *,
    kind: int,
    rng: np.random.Generator,
    size: float,
) -> IntArray:
    """Return about `size` needs to free; `kind` cycles through the neighbourhood shapes."""
    shapes = ["related", "random"] + (["states"] if pr.state_cap is not None else [])
    shape = shapes[kind % len(shapes)]
    if shape == "states":
        return state_block(pr, best, candidates, rng, size)
    return offer_block(pr, best, candidates, rng, size, related=shape == "related")


def offer_block(
    pr: Problem,
    best: IntArray,
    candidates: IntArray,
    rng: np.random.Generator,
    size: float,
    *,
    related: bool,
) -> IntArray:
    """Needs matched to a block of offers, plus unmatched needs that could use those offers."""
    matched = _matched(pr, best)
    per_offer = max(1.0, best.size / max(1, pr.n_offers))
    count = min(pr.n_offers, max(2, round(size / per_offer)))
    if related:
        block = _related_offers(pr, best, candidates, rng, count)
    else:
        block = np.zeros(pr.n_offers, dtype=bool)
        block[rng.choice(pr.n_offers, count, replace=False)] = True
    freed = pr.need[best[block[pr.offer[best]]]]
    near = candidates[block[pr.offer[candidates]] & ~matched[pr.need[candidates]]]
    waiting = np.unique(pr.need[near])
    limit = max(4, int(size) // 2)
    if waiting.size > limit:
        waiting = rng.choice(waiting, limit, replace=False)
    return np.union1d(freed, waiting)


def state_block(
    pr: Problem, best: IntArray, candidates: IntArray, rng: np.random.Generator, size: float
) -> IntArray:
    """Every need (matched or not) of random States whose cap binds, so they can swap places."""
    per_state = np.bincount(pr.need_state[pr.need[best]], minlength=pr.n_states)
    full = np.flatnonzero(per_state >= (pr.state_cap or 0))
    if full.size == 0:
        return offer_block(pr, best, candidates, rng, size, related=False)
    has_pair = np.zeros(pr.n_needs, dtype=bool)
    has_pair[pr.need[candidates]] = True
    counts = (
        np.bincount(pr.need_state[has_pair], minlength=pr.n_states) if has_pair.any() else per_state
    )
    chosen = np.zeros(pr.n_states, dtype=bool)
    total = 0
    for s in rng.permutation(full).tolist():
        if total >= size:
            break
        chosen[s] = True
        total += int(counts[s])
    return np.flatnonzero(chosen[pr.need_state] & has_pair)


def _matched(pr: Problem, best: IntArray) -> BoolArray:
    matched = np.zeros(pr.n_needs, dtype=bool)
    matched[pr.need[best]] = True
    return matched


def _related_offers(
    pr: Problem, best: IntArray, candidates: IntArray, rng: np.random.Generator, count: int
) -> BoolArray:
    """A random offer and the `count - 1` offers its current needs could most often move to."""
    block = np.zeros(pr.n_offers, dtype=bool)
    seed = int(rng.integers(pr.n_offers))
    block[seed] = True
    mine = np.zeros(pr.n_needs, dtype=bool)
    mine[pr.need[best[pr.offer[best] == seed]]] = True
    links = np.bincount(pr.offer[candidates[mine[pr.need[candidates]]]], minlength=pr.n_offers)
    links[seed] = 0
    order = np.lexsort((rng.random(pr.n_offers), -links))
    block[order[: count - 1]] = True
    return block
