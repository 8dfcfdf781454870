"""Plain-language explanations: each score component of a pair, and why a pair is not eligible."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from solver.profiles import NeedProfile, OfferProfile, ScoreWeights
from solver.scoring import pair_cost, priority_points, share_points

PRIORITY_WORDS = {1: "low", 2: "normal", 3: "high"}


@dataclass(frozen=True, slots=True)
class Component:
    """One part of a score: a code, its points, and a sentence a person understands."""

    code: str
    points: int
    words: str


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a pair scores what it scores, or why it is not eligible at all."""

    eligible: bool
    score: int
    cost: int
    components: tuple[Component, ...]
    ineligible_because: tuple[str, ...]

    def lines(self) -> list[str]:
        """Return the explanation as sentences (components with points, or the blockers)."""
        if not self.eligible:
            return [f"Not eligible: {why}." for why in self.ineligible_because]
        return [c.words for c in self.components if c.points] + [f"Total: {self.score}"]


def ineligibility(need: NeedProfile, offer: OfferProfile) -> tuple[str, ...]:
    """Return, in plain words, every hard rule the pair breaks (empty when eligible)."""
    out = []
    if not offer.eligibility.admits(need):
        out.append(f"the offer is not open to {need.state}")
    if not need.kinds & offer.kinds:
        out.append(
            f"no shared kind of support: the need asks for {_list(need.kinds)}, "
            f"the offer gives {_list(offer.kinds)}"
        )
    if not need.languages & offer.languages:
        out.append(f"no shared language: the need asks for {_list(need.languages, 'or')}")
    if not _overlap(need, offer):
        out.append(
            f"the dates do not overlap: the need runs {_span(need.window_start, need.window_end)}, "
            f"the offer {_span(offer.window_start, offer.window_end)}"
        )
    cost = pair_cost(need, offer)
    if cost > offer.budget:
        out.append(
            f"outside the offer's budget: it would cost {cost}, the budget is {offer.budget}"
        )
    return tuple(out)


def explain(
    need: NeedProfile,
    offer: OfferProfile,
    weights: ScoreWeights | None = None,
    today: dt.date | None = None,
) -> Explanation:
    """Return each component's contribution to the pair's score, in words, or the blockers.

    Uses the same rules and rounding as solver.scoring.score_pairs, so the components add up
    to the score the solver used. Raises nothing.
    """
    w = weights or ScoreWeights()
    blockers = ineligibility(need, offer)
    parts = (
        _shared(need.themes, offer.themes, w.theme, "theme", "themes"),
        _shared(need.kinds, offer.kinds, w.kind, "kind", "kinds of support asked for"),
        _priority(need, w),
        *_status(need, w),
        _south(need, offer, w),
        _urgency(need, w, today),
        _mechanisms(need, w),
    )
    components = tuple(c for c in parts if c is not None)
    score = sum(c.points for c in components)
    return Explanation(not blockers, score, pair_cost(need, offer), components, blockers)


def why_unserved(need: NeedProfile, offers: Sequence[OfferProfile]) -> list[str]:
    """Return sentences on why no offer of the round suits `need` (for an unmatched need).

    A rule that every offer breaks is named alone ("No offer in French."); otherwise the most
    common blockers are counted. Empty when some offer is eligible.
    """
    if not offers:
        return ["No offer is open in this round."]
    counts: Counter[str] = Counter()
    for offer in offers:
        reasons = ineligibility(need, offer)
        if not reasons:
            return []
        counts.update(r.split(":")[0] for r in reasons)
    total = len(offers)
    universal = [key for key, k in counts.items() if k == total]
    if "no shared language" in universal:
        return [f"No offer in {_list(need.languages, 'or')}."]
    if universal:
        return [f"No offer fits: {key} (all {total} offers)." for key in universal]
    return [f"{k} of {total} offers: {key}." for key, k in counts.most_common(3)]


def _shared(
    mine: frozenset[str], theirs: frozenset[str], weight: int, code: str, noun: str
) -> Component:
    shared = mine & theirs
    pts = int(share_points(weight, np.array(len(shared)), np.array(len(mine))))
    if not mine:
        return Component(code, 0, f"The need names no {noun}: +0")
    detail = f" ({_list(shared)})" if shared else ""
    return Component(code, pts, f"Shares {len(shared)} of {len(mine)} {noun}{detail}: +{pts}")


def _priority(need: NeedProfile, w: ScoreWeights) -> Component:
    pts = int(priority_points(w.priority, np.array(need.priority)))
    level = PRIORITY_WORDS.get(min(max(need.priority, 1), 3), "normal")
    return Component("priority", pts, f"The State gives this need {level} priority: +{pts}")


def _status(need: NeedProfile, w: ScoreWeights) -> list[Component]:
    out = []
    for flag, pts, words in (
        (need.is_ldc, w.ldc, "a least developed country"),
        (need.is_sids, w.sids, "a small island developing State"),
        (need.is_lldc, w.lldc, "a landlocked developing country"),
    ):
        if flag:
            out.append(Component("status", pts, f"{need.state} is {words}: +{pts}"))
    return out


def _south(need: NeedProfile, offer: OfferProfile, w: ScoreWeights) -> Component | None:
    provider = offer.provider_state
    if not offer.provider_is_south or not provider or provider == need.state:
        return None
    return Component(
        "south_south", w.south_south, f"South-South exchange with {provider}: +{w.south_south}"
    )


def _urgency(need: NeedProfile, w: ScoreWeights, today: dt.date | None) -> Component | None:
    if today is None:
        return None
    start = need.window_start.toordinal() if need.window_start else dt.date.min.toordinal()
    if start > today.toordinal() + w.urgent_days:
        return None
    return Component("urgency", w.urgency, f"Wanted within {w.urgent_days} days: +{w.urgency}")


def _mechanisms(need: NeedProfile, w: ScoreWeights) -> Component | None:
    count = len(need.mechanisms)
    pts = min(w.mechanism * max(count - 1, 0), w.mechanism_cap)
    if pts == 0:
        return None
    return Component(
        "mechanism", pts, f"Backed by {count} mechanisms ({_list(need.mechanisms)}): +{pts}"
    )


def _overlap(need: NeedProfile, offer: OfferProfile) -> bool:
    lo = max(need.window_start or dt.date.min, offer.window_start or dt.date.min)
    hi = min(need.window_end or dt.date.max, offer.window_end or dt.date.max)
    return lo <= hi


def _span(start: dt.date | None, end: dt.date | None) -> str:
    begin = start.isoformat() if start else "any time"
    return f"{begin} to {end.isoformat() if end else 'open end'}"


def _list(items: frozenset[str], last: str = "and") -> str:
    words = sorted(items)
    if not words:
        return "nothing"
    if len(words) == 1:
        return words[0]
    return f"{', '.join(words[:-1])} {last} {words[-1]}"
