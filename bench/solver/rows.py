"""The benchmark rows: generated rounds and GAP instances, each with its default time limit."""

from __future__ import annotations

from dataclasses import dataclass

from bench.solver.gap import GapCase, load_case, shared_data
from bench.solver.generate import generate_round
from solver.instance import Instance


@dataclass(frozen=True, slots=True)
class Row:
    """One benchmark row: a generated round or a list of GAP files (summed), and its limit."""

    name: str
    time_limit: float
    size: tuple[int, int] | None = None
    state_cap: bool = False
    gap_files: tuple[str, ...] = ()
    quick: bool = False

    @property
    def needs_shared(self) -> bool:
        """Return whether the row reads ../shared/data."""
        return bool(self.gap_files)


def _gen(n: int, m: int, limit: float, quick: bool = False) -> list[Row]:
    return [
        Row(f"gen-{n}x{m}", limit, (n, m), False, quick=quick),
        Row(f"gen-{n}x{m}-statecap", limit, (n, m), True, quick=quick),
    ]


ORLIB = tuple(f"cattrysse1994/gap{k}-{i}" for k in range(1, 13) for i in range(5))
CHU = tuple(f"chu1997/{t}{m:02d}{n}" for t in "abcd" for n in (100, 200) for m in (5, 10, 20))

ROWS: tuple[Row, ...] = (
    *_gen(500, 60, 5.0, quick=True),
    *_gen(5000, 500, 5.0),
    *_gen(20000, 2000, 60.0),
    Row("gap1-12 (60 files)", 10.0, gap_files=ORLIB, quick=True),
    *(Row(rel.split("/")[1], 30.0, gap_files=(rel,)) for rel in CHU),
)


def row_named(name: str) -> Row:
    """Return the row called `name`. Raises KeyError."""
    for row in ROWS:
        if row.name == name:
            return row
    raise KeyError(name)


def round_of(row: Row) -> Instance:
    """Return the generated round of a `gen-*` row."""
    assert row.size is not None
    return generate_round(*row.size, state_cap=row.state_cap)


def gap_cases(row: Row) -> list[GapCase]:
    """Return the GAP cases of a GAP row (read from the shared data folder)."""
    root = shared_data()
    return [load_case(root, rel) for rel in row.gap_files]
