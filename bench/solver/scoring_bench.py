"""Time `score_pairs` on synthetic profiles (default 20,000 needs x 2,000 offers)."""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import time

import numpy as np

from solver.scoring import Eligibility, NeedProfile, OfferProfile, score_pairs

THEMES = [f"theme-{k}" for k in range(60)]
KINDS = ["expert advice", "training", "peer exchange", "drafting", "data", "funding", "equipment"]
LANGUAGES = ["ar", "zh", "en", "fr", "ru", "es", "pt"]
GROUPS = ["African", "Asia-Pacific", "Eastern European", "GRULAC", "WEOG"]


def profiles(n: int, m: int, seed: int = 1) -> tuple[list[NeedProfile], list[OfferProfile]]:
    """Return n needs and m offers with realistic mixes of themes, kinds and languages."""
    rng = np.random.default_rng(seed)
    base = dt.date(2026, 1, 1)

    def some(pool: list[str], low: int, high: int) -> frozenset[str]:
        k = int(rng.integers(low, high + 1))
        return frozenset(rng.choice(pool, k, replace=False).tolist())

    needs = []
    for i in range(n):
        start = base + dt.timedelta(days=int(rng.integers(0, 300)))
        needs.append(
            NeedProfile(
                id=f"n{i}",
                state=f"S{int(rng.integers(193)):03d}",
                regional_group=GROUPS[int(rng.integers(5))],
                themes=some(THEMES, 1, 4),
                kinds=some(KINDS, 1, 2),
                languages=some(LANGUAGES, 1, 1),
                cost=int(rng.integers(5, 61)),
                window_start=start,
                window_end=start + dt.timedelta(days=int(rng.integers(60, 400))),
                priority=int(rng.integers(1, 4)),
                is_ldc=bool(rng.random() < 0.25),
                is_sids=bool(rng.random() < 0.2),
                mechanisms=some(["UPR", "CEDAW", "CRC", "CAT", "SR"], 1, 3),
            )
        )
    offers = []
    for j in range(m):
        start = base + dt.timedelta(days=int(rng.integers(0, 200)))
        everyone = rng.random() < 0.3
        offers.append(
            OfferProfile(
                id=f"o{j}",
                themes=some(THEMES, 3, 12),
                kinds=some(KINDS, 1, 2),
                languages=some(LANGUAGES, 1, 2),
                eligibility=Eligibility()
                if everyone
                else Eligibility.only(regional_groups=frozenset({GROUPS[j % 5]}), ldc=True),
                capacity=int(rng.integers(5, 16)),
                budget=int(rng.integers(20, 101)) * 10,
                typical_cost=30,
                window_start=start,
                window_end=start + dt.timedelta(days=365),
                provider_state=f"S{j % 193:03d}" if rng.random() < 0.2 else None,
                provider_is_south=True,
            )
        )
    return needs, offers


def main() -> None:
    """Print the time, pair count and peak memory of one scoring run."""
    parser = argparse.ArgumentParser(prog="python -m bench.solver.scoring_bench")
    parser.add_argument("--needs", type=int, default=20_000)
    parser.add_argument("--offers", type=int, default=2_000)
    args = parser.parse_args()
    needs, offers = profiles(args.needs, args.offers)
    start = time.perf_counter()
    pairs = score_pairs(needs, offers, today=dt.date(2026, 1, 1))
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"score_pairs {args.needs} x {args.offers}: {seconds:.2f} s, {len(pairs):,} eligible "
        f"pairs ({len(pairs) / max(1, args.needs):.1f} per need), peak {peak:.0f} MB"
    )


if __name__ == "__main__":
    main()
