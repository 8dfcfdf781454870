"""Seeded synthetic match rounds: ~40 eligible offers per need, tight budgets, skewed States."""

from __future__ import annotations

import numpy as np

from solver.instance import Instance, NeedSlot, OfferSlot, PairArrays

N_STATES = 193


def generate_round(
    n_needs: int, n_offers: int, *, state_cap: bool = False, per_need: int = 40, seed: int = 1
) -> Instance:
    """Return a round of `n_needs` x `n_offers` with about `per_need` eligible offers per need.

    Costs are 5..60 per pair (an offer's base cost plus noise); each offer serves 5..15 needs
    (total capacity ~ the number of needs) with a budget of 20..100 per unit of capacity, so
    budgets bind on many offers. Scores 10..100 mix the need's priority, the offer's fit and
    noise. States are skewed (lognormal sizes); with `state_cap` each State may get at most
    about the mean number of needs per State.
    """
    rng = np.random.default_rng(seed)
    k = min(per_need, n_offers)
    need_col, offer_col = _pairs(rng, n_needs, n_offers, k)
    base_cost = rng.integers(5, 45, n_offers)
    cost = np.clip(base_cost[offer_col] + rng.integers(-5, 16, need_col.size), 5, 60)
    need_prio = rng.integers(0, 30, n_needs)
    offer_fit = rng.integers(0, 30, n_offers)
    score = 10 + need_prio[need_col] + offer_fit[offer_col] + rng.integers(0, 41, need_col.size)
    capacity = rng.integers(5, 16, n_offers) * n_needs // (10 * n_offers) + 1
    budget = capacity * rng.integers(20, 101, n_offers)
    weights = rng.lognormal(0.0, 1.0, N_STATES)
    states = rng.choice(N_STATES, size=n_needs, p=weights / weights.sum())
    needs = tuple(NeedSlot(f"n{i}", f"S{s:03d}") for i, s in enumerate(states.tolist()))
    offers = tuple(
        OfferSlot(f"o{j}", int(c), int(b))
        for j, (c, b) in enumerate(zip(capacity, budget, strict=True))
    )
    cap = max(1, round(n_needs / N_STATES)) if state_cap else None
    return Instance(needs, offers, PairArrays.of(need_col, offer_col, score, cost), cap)


def _pairs(rng: np.random.Generator, n: int, m: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Pick k distinct offers per need, favouring some popular offers, chunk by chunk."""
    popularity = rng.lognormal(0.0, 0.5, m)
    needs, offers = [], []
    chunk = max(1, 4_000_000 // max(m, 1))
    for lo in range(0, n, chunk):
        hi = min(n, lo + chunk)
        keys = rng.random((hi - lo, m)) ** (1.0 / popularity)
        top = (
            np.argpartition(-keys, k - 1, axis=1)[:, :k]
            if k < m
            else np.tile(np.arange(m), (hi - lo, 1))
        )
        needs.append(np.repeat(np.arange(lo, hi), top.shape[1]))
        offers.append(np.sort(top, axis=1).reshape(-1))
    return np.concatenate(needs), np.concatenate(offers)
