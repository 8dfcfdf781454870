"""Eligible need-offer pairs and their integer scores, computed by numpy over bitmask indexes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from solver.instance import Instance, IntArray, NeedSlot, OfferSlot, PairArrays
from solver.profiles import Eligibility, NeedProfile, OfferProfile, ScoreWeights
from solver.themes import NO_RELATION, ThemeRelation

__all__ = [
    "Eligibility",
    "NeedProfile",
    "OfferProfile",
    "ScoreWeights",
    "ScoredPairs",
    "ThemeRelation",
    "pair_cost",
    "score_pairs",
]

CHUNK_CELLS = 4_000_000  # need x offer cells examined per numpy step
FAR_PAST, FAR_FUTURE = dt.date.min.toordinal(), dt.date.max.toordinal()
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True, eq=False)
class ScoredPairs:
    """Eligible pairs: positions into `needs` and `offers`, with integer score and cost."""

    needs: tuple[NeedProfile, ...]
    offers: tuple[OfferProfile, ...]
    need: IntArray
    offer: IntArray
    score: IntArray
    cost: IntArray

    def __len__(self) -> int:
        return int(self.need.size)

    def rows(self) -> Iterable[tuple[str, str, int, int]]:
        """Yield (need_id, offer_id, score, cost) for every eligible pair."""
        for i, j, s, c in zip(
            self.need.tolist(),
            self.offer.tolist(),
            self.score.tolist(),
            self.cost.tolist(),
            strict=True,
        ):
            yield self.needs[i].id, self.offers[j].id, s, c

    def instance(
        self,
        max_per_state: int | None = None,
        pinned: Iterable[tuple[str, str]] = (),
        forbidden: Iterable[tuple[str, str]] = (),
    ) -> Instance:
        """Return the assignment Instance of these pairs (offer capacity and budget as given)."""
        return Instance(
            tuple(NeedSlot(n.id, n.state) for n in self.needs),
            tuple(OfferSlot(o.id, o.capacity, o.budget) for o in self.offers),
            PairArrays.of(self.need, self.offer, self.score, self.cost),
            max_per_state,
            tuple(pinned),
            tuple(forbidden),
        )


def pair_cost(need: NeedProfile, offer: OfferProfile) -> int:
    """Return the cost of serving `need` with `offer`: its estimate, else the typical cost."""
    return need.cost if need.cost > 0 else offer.typical_cost


def score_pairs(
    needs: Sequence[NeedProfile],
    offers: Sequence[OfferProfile],
    weights: ScoreWeights | None = None,
    today: dt.date | None = None,
    themes: ThemeRelation = NO_RELATION,
) -> ScoredPairs:
    """Return every eligible (need, offer) pair with its score and cost.

    Eligible: the offer admits the need's State, they share a kind of support and a language,
    their windows overlap (a missing date is open) and the pair's cost fits the offer's budget.
    `today` (the round date) enables the urgency component. `themes` (the theme hierarchy) lets
    a need theme met by a broader or narrower offer theme earn part of the theme weight (see
    `theme_points`); themes never decide eligibility. Offers are indexed by bitmasks of
    themes, kinds and languages and by a State x offer eligibility table, and needs are
    examined in numpy blocks; no Python loop runs over pairs. Raises nothing on empty input.
    """
    weights = weights or ScoreWeights()
    needs_t, offers_t = tuple(needs), tuple(offers)
    ix = _Index(needs_t, offers_t, themes)
    found = [ix.eligible_block(lo, hi) for lo, hi in _blocks(len(needs_t), len(offers_t))]
    need = np.concatenate([f[0] for f in found]) if found else np.zeros(0, dtype=np.int64)
    offer = np.concatenate([f[1] for f in found]) if found else np.zeros(0, dtype=np.int64)
    score = ix.scores(need, offer, weights, today)
    return ScoredPairs(needs_t, offers_t, need, offer, score, ix.costs(need, offer))


def _blocks(n: int, m: int) -> list[tuple[int, int]]:
    step = max(1, CHUNK_CELLS // max(m, 1))
    return [(lo, min(n, lo + step)) for lo in range(0, n, step)]


def _masks(sets: Sequence[frozenset[str]], vocab: dict[str, int]) -> npt.NDArray[np.uint64]:
    """Return one row of 64-bit words per set, bit k set when vocab word k is in the set."""
    words = max(1, (len(vocab) + 63) // 64)
    out = np.zeros((len(sets), words), dtype=np.uint64)
    for row, items in enumerate(sets):
        for item in items:
            k = vocab[item]
            out[row, k // 64] |= np.uint64(1) << np.uint64(k % 64)
    return out


def _popcount(words: npt.NDArray[np.uint64]) -> IntArray:
    """Return the number of set bits per row of `words` (last axis summed)."""
    as_bytes = words.view(np.uint8)
    counts = _BYTE_BITS[as_bytes].reshape(words.shape[0], words.shape[1] * 8)
    return counts.sum(axis=-1, dtype=np.int64)


_BYTE_BITS = np.array([bin(b).count("1") for b in range(256)], dtype=np.int64)


class _Index:
    """Bitmask and table indexes of one scoring run."""

    def __init__(
        self,
        needs: tuple[NeedProfile, ...],
        offers: tuple[OfferProfile, ...],
        themes: ThemeRelation = NO_RELATION,
    ) -> None:
        self.needs, self.offers, self.themes = needs, offers, themes
        self.masks = {}
        for attr in ("themes", "kinds", "languages"):
            vocab_words = sorted({w for x in (*needs, *offers) for w in getattr(x, attr)})
            vocab = {w: k for k, w in enumerate(vocab_words)}
            self.masks[attr] = (
                _masks([getattr(n, attr) for n in needs], vocab),
                _masks([getattr(o, attr) for o in offers], vocab),
            )
            if attr == "themes":  # per offer: the need themes it meets by a related theme
                near = themes.neighbours(frozenset(vocab_words))
                relatives = [frozenset().union(*(near[t] for t in o.themes)) for o in offers]
                self.related_mask = _masks(relatives, vocab)
        keys = sorted({_state_key(n) for n in needs})
        key_pos = {key: k for k, key in enumerate(keys)}
        self.need_state = np.array([key_pos[_state_key(n)] for n in needs], dtype=np.int64)
        self.admits = _eligibility_table(needs, offers, keys)
        self.n_start, self.n_end = _days(
            [n.window_start for n in needs], [n.window_end for n in needs]
        )
        self.o_start, self.o_end = _days(
            [o.window_start for o in offers], [o.window_end for o in offers]
        )
        self.n_cost = np.array([n.cost for n in needs], dtype=np.int64)
        self.o_typical = np.array([o.typical_cost for o in offers], dtype=np.int64)
        self.o_budget = np.array([o.budget for o in offers], dtype=np.int64)
        self.bids = _bids(needs, offers)

    def interest(self, need: IntArray, offer: IntArray) -> IntArray:
        """Return the partner's interest level (0, 1 or 2) in each pair."""
        keys, levels = self.bids
        if not keys.size:
            return np.zeros(need.size, dtype=np.int64)
        pair = need * max(len(self.offers), 1) + offer
        at = np.minimum(np.searchsorted(keys, pair), keys.size - 1)
        return np.where(keys[at] == pair, levels[at], 0).astype(np.int64)

    def eligible_block(self, lo: int, hi: int) -> tuple[IntArray, IntArray]:
        """Return the eligible pairs of needs lo..hi-1 against every offer."""
        ok = self.admits[self.need_state[lo:hi]]
        for attr in ("kinds", "languages"):
            mine, theirs = self.masks[attr]
            ok &= (mine[lo:hi, None, :] & theirs[None, :, :]).any(axis=-1)
        ok &= self.n_start[lo:hi, None] <= self.o_end[None, :]
        ok &= self.o_start[None, :] <= self.n_end[lo:hi, None]
        cost = np.where(
            self.n_cost[lo:hi, None] > 0, self.n_cost[lo:hi, None], self.o_typical[None, :]
        )
        ok &= cost <= self.o_budget[None, :]
        rows, cols = np.nonzero(ok)
        return rows.astype(np.int64) + lo, cols.astype(np.int64)

    def costs(self, need: IntArray, offer: IntArray) -> IntArray:
        """Return the cost of each pair (the need's estimate, else the offer's typical cost)."""
        return np.where(self.n_cost[need] > 0, self.n_cost[need], self.o_typical[offer])

    def scores(
        self, need: IntArray, offer: IntArray, w: ScoreWeights, today: dt.date | None
    ) -> IntArray:
        """Return the integer score of each pair: the sum of the weighted components."""
        return sum(_components(self, need, offer, w, today).values(), np.zeros(need.size, np.int64))

    def shares(self, attr: str, need: IntArray, offer: IntArray) -> tuple[IntArray, IntArray]:
        """Return (shared count, need's count) of `attr` for each pair."""
        mine, theirs = self.masks[attr]
        return _popcount(mine[need] & theirs[offer]), _popcount(mine)[need]

    def related_themes(self, need: IntArray, offer: IntArray) -> IntArray:
        """Return, per pair, how many need themes the offer meets by a related theme only."""
        mine, theirs = self.masks["themes"]
        return _popcount(mine[need] & self.related_mask[offer] & ~theirs[offer])


def _graduated(need: NeedProfile) -> bool:
    """Whether the need's State earns the recently-graduated LDC points (never with `is_ldc`)."""
    return need.ldc_graduated_on is not None and not need.is_ldc


def _components(
    ix: _Index, need: IntArray, offer: IntArray, w: ScoreWeights, today: dt.date | None
) -> dict[str, IntArray]:
    """Each component's points per pair (same rules as solver.explain, vectorised)."""
    shared, total = ix.shares("themes", need, offer)
    related = ix.related_themes(need, offer)
    out = {"theme": theme_points(w.theme, shared, related, total, ix.themes.related_percent)}
    shared, total = ix.shares("kinds", need, offer)
    out["kind"] = share_points(w.kind, shared, total)
    flags = np.array(
        [[n.priority, n.is_ldc, n.is_sids, n.is_lldc, _graduated(n)] for n in ix.needs] or [[0] * 5]
    )
    out["priority"] = priority_points(w.priority, flags[need, 0])
    out["status"] = (
        w.ldc * flags[need, 1]
        + w.sids * flags[need, 2]
        + w.lldc * flags[need, 3]
        + w.ldc_graduated * flags[need, 4]
    )
    codes: dict[str, int] = {"": -1}
    south = np.array([codes.setdefault(_south_key(o), len(codes)) for o in ix.offers] or [-1])
    states = np.array([codes.setdefault(n.state, len(codes)) for n in ix.needs] or [-1])
    peer = (south[offer] >= 0) & (south[offer] != states[need])
    out["south_south"] = w.south_south * peer.astype(np.int64)
    if today is not None:
        soon = ix.n_start[need] <= today.toordinal() + w.urgent_days
        out["urgency"] = w.urgency * soon.astype(np.int64)
    mech = np.array([len(n.mechanisms) for n in ix.needs] or [0], dtype=np.int64)
    out["mechanism"] = np.minimum(w.mechanism * np.maximum(mech[need] - 1, 0), w.mechanism_cap)
    out["interest"] = interest_points(w.interest, ix.interest(need, offer))
    return out


def interest_points(weight: int, level: IntArray) -> IntArray:
    """Return the points of interest level 0..2: 0, half (rounded up), full."""
    return ((weight * np.clip(level, 0, 2) + 1) // 2).astype(np.int64)


def _bids(
    needs: tuple[NeedProfile, ...], offers: tuple[OfferProfile, ...]
) -> tuple[IntArray, IntArray]:
    """Return the sorted pair keys (need position x offers + offer position) that carry the
    partner's interest, and the level of each (needs not in the run are ignored)."""
    position = {n.id: i for i, n in enumerate(needs)}
    found: dict[int, int] = {}
    for j, o in enumerate(offers):
        for need_id, _level in o.interest:
            if need_id in position:
                found[position[need_id] * max(len(offers), 1) + j] = o.interest_in(need_id)
    keys = np.array(sorted(found), dtype=np.int64)
    return keys, np.array([found[k] for k in keys.tolist()], dtype=np.int64)


def share_points(weight: int, shared: IntArray, total: IntArray) -> IntArray:
    """Return weight x shared / total rounded half up (0 when total is 0), in integers."""
    safe = np.maximum(total, 1)
    return np.where(total > 0, (2 * weight * shared + safe) // (2 * safe), 0).astype(np.int64)


def theme_points(
    weight: int, shared: IntArray, related: IntArray, total: IntArray, percent: int
) -> IntArray:
    """Return weight x (shared + related x percent / 100) / total rounded half up, in integers.

    A need theme the offer has counts in full, one it meets by a broader or narrower theme
    counts `percent` of that; without related themes this is `share_points`.

    >>> int(theme_points(40, np.array(1), np.array(0), np.array(1), 50))
    40
    >>> int(theme_points(40, np.array(0), np.array(1), np.array(1), 50))
    20
    """
    numerator = weight * (100 * np.asarray(shared) + percent * np.asarray(related))
    safe = 100 * np.maximum(total, 1)
    return np.where(total > 0, (2 * numerator + safe) // (2 * safe), 0).astype(np.int64)


def priority_points(weight: int, priority: IntArray) -> IntArray:
    """Return the points of priority 1..3: 0, half (rounded up), full."""
    level = np.clip(priority, 1, 3) - 1
    return ((weight * level + 1) // 2).astype(np.int64)


def _south_key(offer: OfferProfile) -> str:
    return (offer.provider_state or "") if offer.provider_is_south else ""


def _days(starts: list[dt.date | None], ends: list[dt.date | None]) -> tuple[IntArray, IntArray]:
    lo = np.array([d.toordinal() if d else FAR_PAST for d in starts], dtype=np.int64)
    hi = np.array([d.toordinal() if d else FAR_FUTURE for d in ends], dtype=np.int64)
    return lo, hi


def _state_key(need: NeedProfile) -> tuple[str, str, bool, bool, bool]:
    """What eligibility reads of a need: its State, group and flags."""
    return (need.state, need.regional_group, need.is_ldc, need.is_sids, need.is_lldc)


def _eligibility_table(
    needs: tuple[NeedProfile, ...], offers: tuple[OfferProfile, ...], keys: list[tuple]
) -> BoolArray:
    """Return a (State, group, flags) x offers table: may such a State be served by the offer?"""
    first = {}
    for n in needs:
        first.setdefault(_state_key(n), n)
    reps = [first[key] for key in keys]
    table = np.zeros((len(keys), len(offers)), dtype=bool)
    for j, offer in enumerate(offers):
        table[:, j] = [offer.eligibility.admits(r) for r in reps]
    return table
