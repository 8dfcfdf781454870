"""Explanations as facts: each score component of a pair, and why a pair or a need goes without.

The solver knows codes and ids, never words: a `Fact` is a code, its points and its arguments
(ids and codes of States, themes, kinds of support, languages, mechanisms; numbers; ISO dates).
The platform renders facts into sentences for each reader, in the reader's language and with
what the reader may not see masked (tamatch/rounds/render.py). Facts are JSON-ready.

>>> Fact("priority", 15, {"level": 3}).to_json()
{'code': 'priority', 'points': 15, 'args': {'level': 3}}
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from solver.profiles import NeedProfile, OfferProfile, ScoreWeights
from solver.scoring import interest_points, pair_cost, priority_points, share_points, theme_points
from solver.themes import NO_RELATION, ThemeRelation

# Score components (Fact.code of Explanation.components).
THEME, KIND, PRIORITY, STATUS, SOUTH_SOUTH, URGENCY, MECHANISM, PARTNER_INTEREST = (
    "theme", "kind", "priority", "status", "south_south", "urgency", "mechanism",
    "partner_interest",
)  # fmt: skip
# A need theme met by a broader or narrower offer theme: args need_theme, offer_theme (codes).
RELATED_THEME = "related_theme"
# Hard rules a pair breaks (Explanation.blockers and the `rule` argument of unserved facts).
NOT_OPEN_TO_STATE, NO_SHARED_KIND, NO_SHARED_LANGUAGE, NO_DATE_OVERLAP, OVER_BUDGET = (
    "not_open_to_state", "no_shared_kind", "no_shared_language", "no_date_overlap", "over_budget"
)  # fmt: skip
# Why no offer of the round suits a need (why_unserved).
NO_OPEN_OFFER, NO_OFFER_IN_LANGUAGE, EVERY_OFFER_BREAKS, SOME_OFFERS_BREAK = (
    "no_open_offer", "no_offer_in_language", "every_offer_breaks", "some_offers_break"
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Fact:
    """One thing the solver can say: a code, its points (0 when none), its arguments."""

    code: str
    points: int = 0
    args: Mapping[str, object] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        """Return the fact as stored: {"code": ..., "points": ..., "args": {...}}."""
        return {"code": self.code, "points": self.points, "args": dict(self.args)}


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a pair scores what it scores (`components` add up to `score`), or its `blockers`."""

    eligible: bool
    score: int
    cost: int
    components: tuple[Fact, ...]
    blockers: tuple[Fact, ...]

    def facts(self) -> list[dict[str, object]]:
        """Return the components that carry points (or the blockers), JSON-ready."""
        if not self.eligible:
            return [b.to_json() for b in self.blockers]
        return [c.to_json() for c in self.components if c.points]


def ineligibility(need: NeedProfile, offer: OfferProfile) -> tuple[Fact, ...]:
    """Return every hard rule the pair breaks, as facts (empty when eligible)."""
    out = []
    if not offer.eligibility.admits(need):
        out.append(Fact(NOT_OPEN_TO_STATE, args={"state": need.state}))
    if not need.kinds & offer.kinds:
        args = {"need": sorted(need.kinds), "offer": sorted(offer.kinds)}
        out.append(Fact(NO_SHARED_KIND, args=args))
    if not need.languages & offer.languages:
        out.append(Fact(NO_SHARED_LANGUAGE, args={"need": sorted(need.languages)}))
    if not _overlap(need, offer):
        args = {
            "need": [_day(need.window_start), _day(need.window_end)],
            "offer": [_day(offer.window_start), _day(offer.window_end)],
        }
        out.append(Fact(NO_DATE_OVERLAP, args=args))
    cost = pair_cost(need, offer)
    if cost > offer.budget:
        out.append(Fact(OVER_BUDGET, args={"cost": cost, "budget": offer.budget}))
    return tuple(out)


def explain(
    need: NeedProfile,
    offer: OfferProfile,
    weights: ScoreWeights | None = None,
    today: dt.date | None = None,
    themes: ThemeRelation = NO_RELATION,
) -> Explanation:
    """Return each component's contribution to the pair's score, or the rules it breaks.

    Uses the same rules and rounding as solver.scoring.score_pairs (with the same `themes`),
    so the components add up to the score the solver used. Raises nothing.
    """
    w = weights or ScoreWeights()
    blockers = ineligibility(need, offer)
    parts = (
        *_themes(need, offer, w.theme, themes),
        _shared(need.kinds, offer.kinds, w.kind, KIND),
        _priority(need, w),
        *_status(need, w),
        _south(need, offer, w),
        _urgency(need, w, today),
        _mechanisms(need, w),
        _interest(need, offer, w),
    )
    components = tuple(c for c in parts if c is not None)
    score = sum(c.points for c in components)
    return Explanation(not blockers, score, pair_cost(need, offer), components, blockers)


def why_unserved(need: NeedProfile, offers: Sequence[OfferProfile]) -> list[Fact]:
    """Return facts on why no offer of the round suits `need` (for an unmatched need).

    A rule every offer breaks is named alone (a missing language with the need's languages);
    otherwise the three most common rules are counted. Empty when some offer is eligible.
    """
    if not offers:
        return [Fact(NO_OPEN_OFFER)]
    counts: Counter[str] = Counter()
    for offer in offers:
        rules = ineligibility(need, offer)
        if not rules:
            return []
        counts.update(r.code for r in rules)
    total = len(offers)
    universal = [code for code, k in counts.items() if k == total]
    if NO_SHARED_LANGUAGE in universal:
        return [Fact(NO_OFFER_IN_LANGUAGE, args={"languages": sorted(need.languages)})]
    if universal:
        return [Fact(EVERY_OFFER_BREAKS, args={"rule": c, "total": total}) for c in universal]
    return [
        Fact(SOME_OFFERS_BREAK, args={"rule": code, "count": k, "total": total})
        for code, k in counts.most_common(3)
    ]


def _shared(mine: frozenset[str], theirs: frozenset[str], weight: int, code: str) -> Fact:
    shared = mine & theirs
    pts = int(share_points(weight, np.array(len(shared)), np.array(len(mine))))
    return Fact(code, pts, {"shared": sorted(shared), "of": len(mine)})


def _themes(
    need: NeedProfile, offer: OfferProfile, weight: int, themes: ThemeRelation
) -> list[Fact]:
    """The shared themes, then one `related_theme` fact per need theme met by a related one.

    Each related fact carries the points it adds to the total, so the facts add up to
    `theme_points` of the whole pair."""
    shared = need.themes & offer.themes
    total, percent = np.array(len(need.themes)), themes.related_percent
    exact = int(theme_points(weight, np.array(len(shared)), np.array(0), total, percent))
    out = [Fact(THEME, exact, {"shared": sorted(shared), "of": len(need.themes)})]
    before = exact
    for code in sorted(need.themes - shared):
        other = themes.counterpart(code, offer.themes)
        if other is None:
            continue
        related = np.array(len(out))  # this fact and the related ones before it
        now = int(theme_points(weight, np.array(len(shared)), related, total, percent))
        out.append(Fact(RELATED_THEME, now - before, {"need_theme": code, "offer_theme": other}))
        before = now
    return out


def _priority(need: NeedProfile, w: ScoreWeights) -> Fact:
    pts = int(priority_points(w.priority, np.array(need.priority)))
    return Fact(PRIORITY, pts, {"level": min(max(need.priority, 1), 3)})


def _status(need: NeedProfile, w: ScoreWeights) -> list[Fact]:
    flags = (("ldc", need.is_ldc, w.ldc), ("sids", need.is_sids, w.sids),
             ("lldc", need.is_lldc, w.lldc))  # fmt: skip
    facts = [Fact(STATUS, pts, {"flag": f, "state": need.state}) for f, on, pts in flags if on]
    if need.ldc_graduated_on is not None and not need.is_ldc:
        args = {"flag": "ldc_graduated", "state": need.state,
                "graduated_on": need.ldc_graduated_on.isoformat()}  # fmt: skip
        facts.insert(0, Fact(STATUS, w.ldc_graduated, args))
    return facts


def _south(need: NeedProfile, offer: OfferProfile, w: ScoreWeights) -> Fact | None:
    provider = offer.provider_state
    if not offer.provider_is_south or not provider or provider == need.state:
        return None
    return Fact(SOUTH_SOUTH, w.south_south, {"provider": provider})


def _urgency(need: NeedProfile, w: ScoreWeights, today: dt.date | None) -> Fact | None:
    if today is None:
        return None
    start = need.window_start.toordinal() if need.window_start else dt.date.min.toordinal()
    if start > today.toordinal() + w.urgent_days:
        return None
    return Fact(URGENCY, w.urgency, {"days": w.urgent_days})


def _mechanisms(need: NeedProfile, w: ScoreWeights) -> Fact | None:
    count = len(need.mechanisms)
    pts = min(w.mechanism * max(count - 1, 0), w.mechanism_cap)
    if pts == 0:
        return None
    return Fact(MECHANISM, pts, {"mechanisms": sorted(need.mechanisms)})


def _interest(need: NeedProfile, offer: OfferProfile, w: ScoreWeights) -> Fact | None:
    level = offer.interest_in(need.id)
    pts = int(interest_points(w.interest, np.array(level)))
    if level == 0:
        return None
    return Fact(PARTNER_INTEREST, pts, {"level": level})


def _overlap(need: NeedProfile, offer: OfferProfile) -> bool:
    lo = max(need.window_start or dt.date.min, offer.window_start or dt.date.min)
    hi = min(need.window_end or dt.date.max, offer.window_end or dt.date.max)
    return lo <= hi


def _day(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
