"""Immutable inputs of the assignment: needs, offers, eligible pairs, caps, pins and settings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from solver.settings import TIME_LIMIT

IntArray = npt.NDArray[np.int64]


class InstanceError(ValueError):
    """Raised by the builders when the input names an unknown id or breaks a basic rule."""


@dataclass(frozen=True, slots=True)
class NeedSlot:
    """A need taking part in a round: its id and the State that posted it."""

    id: str
    state: str


@dataclass(frozen=True, slots=True)
class OfferSlot:
    """An offer taking part in a round: how many needs it can serve and its budget."""

    id: str
    capacity: int
    budget: int


@dataclass(frozen=True, slots=True, eq=False)
class PairArrays:
    """Eligible pairs in columns: need and offer positions (into the instance tuples), score, cost.

    Build it with `PairArrays.of` (copies into int64 arrays); the arrays are never mutated.
    """

    need: IntArray
    offer: IntArray
    score: IntArray
    cost: IntArray

    @staticmethod
    def of(
        need: Sequence[int] | npt.ArrayLike,
        offer: Sequence[int] | npt.ArrayLike,
        score: Sequence[int] | npt.ArrayLike,
        cost: Sequence[int] | npt.ArrayLike,
    ) -> PairArrays:
        """Take four equal-length integer columns; return int64 copies. Raises InstanceError."""
        cols = [np.array(c, dtype=np.int64).reshape(-1) for c in (need, offer, score, cost)]
        if len({c.size for c in cols}) != 1:
            raise InstanceError("pair columns have different lengths")
        for c in cols:
            c.setflags(write=False)
        return PairArrays(*cols)

    def __len__(self) -> int:
        return int(self.need.size)


@dataclass(frozen=True, slots=True)
class Instance:
    """One match round for the solver.

    `pinned` pairs must be assigned and `forbidden` pairs never are; both are (need_id, offer_id).
    `max_per_state` caps the matches of each State in the round (None: no cap).
    """

    needs: tuple[NeedSlot, ...]
    offers: tuple[OfferSlot, ...]
    pairs: PairArrays
    max_per_state: int | None = None
    pinned: tuple[tuple[str, str], ...] = ()
    forbidden: tuple[tuple[str, str], ...] = ()

    @staticmethod
    def build(
        needs: Iterable[NeedSlot],
        offers: Iterable[OfferSlot],
        pairs: Iterable[tuple[str, str, int, int]],
        *,
        max_per_state: int | None = None,
        pinned: Iterable[tuple[str, str]] = (),
        forbidden: Iterable[tuple[str, str]] = (),
    ) -> Instance:
        """Take pairs as (need_id, offer_id, score, cost) rows; return an Instance.

        Raises InstanceError naming the first unknown id or duplicate need/offer id.
        """
        needs_t, offers_t = tuple(needs), tuple(offers)
        need_pos = _positions([n.id for n in needs_t], "need")
        offer_pos = _positions([o.id for o in offers_t], "offer")
        rows = list(pairs)
        need_col = [_lookup(need_pos, r[0], "need") for r in rows]
        offer_col = [_lookup(offer_pos, r[1], "offer") for r in rows]
        arrays = PairArrays.of(need_col, offer_col, [r[2] for r in rows], [r[3] for r in rows])
        return Instance(
            needs_t,
            offers_t,
            arrays,
            max_per_state,
            _checked_refs(pinned, need_pos, offer_pos, "pinned"),
            _checked_refs(forbidden, need_pos, offer_pos, "forbidden"),
        )


@dataclass(frozen=True, slots=True)
class AssignSettings:
    """How to solve: time limit (s), CP-SAT workers, seed, and whether coverage comes first.

    With `coverage_first`, serving as many needs as possible comes before the total score.
    The time limit's default is the one of `solver.settings`; coverage first stays off here,
    as the library's plain "best total score" (rounds are solved through `RunSettings`, where
    it is on by default).
    `deterministic` makes CP-SAT stop on deterministic time (same input and settings, same
    answer, with any worker count, through `interleave_search`); the wall limit still holds.
    """

    time_limit: float = float(TIME_LIMIT)
    workers: int = 1
    seed: int = 0
    coverage_first: bool = False
    deterministic: bool = True
    alternatives: int = 3
    log: bool = field(default=False, compare=False)


def _positions(ids: list[str], kind: str) -> dict[str, int]:
    pos: dict[str, int] = {}
    for i, key in enumerate(ids):
        if key in pos:
            raise InstanceError(f"duplicate {kind} id {key!r}")
        pos[key] = i
    return pos


def _lookup(pos: dict[str, int], key: str, kind: str) -> int:
    try:
        return pos[key]
    except KeyError:
        raise InstanceError(f"unknown {kind} id {key!r}") from None


def _checked_refs(
    refs: Iterable[tuple[str, str]], need_pos: dict[str, int], offer_pos: dict[str, int], what: str
) -> tuple[tuple[str, str], ...]:
    out = []
    for need_id, offer_id in refs:
        if need_id not in need_pos:
            raise InstanceError(f"unknown need id {need_id!r} in {what}")
        if offer_id not in offer_pos:
            raise InstanceError(f"unknown offer id {offer_id!r} in {what}")
        out.append((need_id, offer_id))
    return tuple(out)
