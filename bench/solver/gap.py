"""Adapter from Generalized Assignment Problem files (min-cost, every job served) to an Instance.

Mapping: each GAP agent is an offer whose budget is the agent's capacity (its knapsack) and
whose count capacity is n (never binding); each job is a need of its own State (no State cap);
the job's weight on an agent is the pair's cost; the score is K - c_ij with
K = n * max(c) + 1, so that serving one more job always outweighs any cost difference, and a
solution serving all n jobs has total score n*K - (its GAP cost). Pairs whose weight exceeds
the agent's capacity can never be used and are left out.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from solver.instance import Instance, NeedSlot, OfferSlot, PairArrays


@dataclass(frozen=True, slots=True)
class GapCase:
    """A GAP instance mapped to a round, with K and its reference values (min-cost)."""

    name: str
    instance: Instance
    k: int
    n_jobs: int
    best_known: int | None
    proven: bool


def shared_data() -> Path:
    """Return ../shared/data (or $TAMATCH_SHARED_DATA)."""
    return Path(os.environ.get("TAMATCH_SHARED_DATA", "../shared/data"))


def read_gap(path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (cost m x n, weight m x n, capacity m) of one GAP file."""
    numbers = np.array(path.read_text().split(), dtype=np.int64)
    m, n = int(numbers[0]), int(numbers[1])
    cost = numbers[2 : 2 + m * n].reshape(m, n)
    weight = numbers[2 + m * n : 2 + 2 * m * n].reshape(m, n)
    capacity = numbers[2 + 2 * m * n : 2 + 2 * m * n + m]
    return cost, weight, capacity


def to_instance(cost: np.ndarray, weight: np.ndarray, capacity: np.ndarray) -> tuple[Instance, int]:
    """Return (Instance, K) for a GAP given by its matrices (agents x jobs)."""
    m, n = cost.shape
    k = n * int(cost.max()) + 1
    agent, job = np.nonzero(weight <= capacity[:, None])
    needs = tuple(NeedSlot(f"j{i}", f"j{i}") for i in range(n))
    offers = tuple(OfferSlot(f"a{a}", n, int(capacity[a])) for a in range(m))
    pairs = PairArrays.of(job, agent, k - cost[agent, job], weight[agent, job])
    return Instance(needs, offers, pairs), k


def known_values(root: Path) -> dict[str, tuple[int | None, bool]]:
    """Map fontanf path (e.g. chu1997/a05100) to (best known min cost, proven optimal)."""
    out = {}
    with (root / "gap-known-values" / "gap_known_values.csv").open() as fh:
        for row in csv.DictReader(fh):
            value = row["best_verified_or_reported_min"]
            out[row["fontanf_path"]] = (
                int(value) if value else None,
                row["min_proven_optimal"] == "yes",
            )
    return out


def load_case(root: Path, rel: str) -> GapCase:
    """Load `gap-fontanf/data/<rel>` with its best-known value."""
    cost, weight, capacity = read_gap(root / "gap-fontanf" / "data" / rel)
    instance, k = to_instance(cost, weight, capacity)
    best, proven = known_values(root).get(rel, (None, False))
    return GapCase(rel, instance, k, cost.shape[1], best, proven)


def peers(root: Path) -> dict[str, str]:
    """Map instance name (e.g. a05100) to the published CPLEX and CBC costs and times (120 s)."""
    out = {}
    path = root / "gap-bench-fontanf-2019" / "results_sheet_LH.csv"
    with path.open() as fh:
        rows = list(csv.reader(fh))
    for row in rows[2:]:
        if not row or not row[0] or len(row) < 26:
            continue
        out[row[0]] = f"CPLEX {row[22]} in {_secs(row[25])}; CBC {row[17]} in {_secs(row[20])}"
    return out


def _secs(text: str) -> str:
    try:
        return f"{float(text):.1f}s"
    except ValueError:
        return text or "?"
