"""What scoring reads about needs and offers, and the weights of its components."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Eligibility:
    """Which States an offer may serve.

    `everyone` admits every State; otherwise a State is admitted when it is listed in `states`,
    belongs to one of `regional_groups`, or carries a flag the offer targets (`ldc`, `sids`,
    `lldc`). `excluded_states` always wins (for example the provider's own State).
    """

    everyone: bool = True
    states: frozenset[str] = frozenset()
    regional_groups: frozenset[str] = frozenset()
    ldc: bool = False
    sids: bool = False
    lldc: bool = False
    excluded_states: frozenset[str] = frozenset()

    @staticmethod
    def only(
        *,
        states: frozenset[str] = frozenset(),
        regional_groups: frozenset[str] = frozenset(),
        ldc: bool = False,
        sids: bool = False,
        lldc: bool = False,
    ) -> Eligibility:
        """Return an Eligibility admitting only the States named or described."""
        return Eligibility(False, states, regional_groups, ldc, sids, lldc)

    def admits(self, need: NeedProfile) -> bool:
        """Return whether the need's State may be served under this offer."""
        if need.state in self.excluded_states:
            return False
        if self.everyone or need.state in self.states:
            return True
        if need.regional_group in self.regional_groups:
            return True
        return (
            (self.ldc and need.is_ldc)
            or (self.sids and need.is_sids)
            or (self.lldc and need.is_lldc)
        )


@dataclass(frozen=True, slots=True)
class NeedProfile:
    """A need as scoring sees it. `priority` runs from 1 (low) to 3 (high); `cost` is estimated.

    `cost` 0 means "not estimated": the offer's typical cost is used for the pair.
    `ldc_graduated_on` is set when the State left the LDC category recently enough to keep a
    priority (the platform decides, with the run's `RunSettings.ldc_transition_years`); `is_ldc`
    is the status on the day of the run.
    """

    id: str
    state: str
    regional_group: str
    themes: frozenset[str]
    kinds: frozenset[str]
    languages: frozenset[str]
    cost: int = 0
    window_start: dt.date | None = None
    window_end: dt.date | None = None
    priority: int = 2
    is_ldc: bool = False
    is_sids: bool = False
    is_lldc: bool = False
    mechanisms: frozenset[str] = frozenset()
    ldc_graduated_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class OfferProfile:
    """An offer as scoring sees it.

    `provider_state` is the offering State for peer (South-South) exchange, None for agencies
    and other partners; `provider_is_south` says whether that State counts as the Global South.
    `interest` holds the needs the partner asked to support with this offer before the round,
    as (need id, level) pairs: level 1 "interested", 2 "very interested" (as reviewers bid on
    papers); each need appears once.
    """

    id: str
    themes: frozenset[str]
    kinds: frozenset[str]
    languages: frozenset[str]
    eligibility: Eligibility = Eligibility()
    capacity: int = 1
    budget: int = 0
    typical_cost: int = 0
    window_start: dt.date | None = None
    window_end: dt.date | None = None
    provider_state: str | None = None
    provider_is_south: bool = False
    interest: frozenset[tuple[str, int]] = frozenset()

    def interest_in(self, need_id: str) -> int:
        """Return the partner's interest level in the need: 0 none, 1 or 2 (capped at 2)."""
        return max((min(max(lvl, 0), 2) for nid, lvl in self.interest if nid == need_id), default=0)


@dataclass(frozen=True, slots=True)
class ScoreWeights:
    """Points of each score component (integers; a component scales 0..its weight).

    theme: share of the need's themes the offer covers. kind: share of the need's kinds of
    support offered. priority: the need's priority (1 gives 0, 3 the full weight). ldc, sids,
    lldc: added when the need's State has that status. ldc_graduated: added instead of ldc when
    the State graduated from the LDC category within the run's transition period. south_south:
    a Global-South provider State serving another State. urgency: the need's window starts
    within `urgent_days` of the round date. mechanism: each recommendation mechanism the need
    cites beyond the first.
    interest: the partner asked to support the need with the offer (an additive bid term, as in
    OpenReview's matcher): half the weight (rounded up) when interested, all when very interested.
    """

    theme: int = 40
    kind: int = 20
    priority: int = 15
    ldc: int = 10
    ldc_graduated: int = 5
    sids: int = 8
    lldc: int = 6
    south_south: int = 10
    urgency: int = 10
    urgent_days: int = 180
    mechanism: int = 2
    mechanism_cap: int = 6
    interest: int = 10
