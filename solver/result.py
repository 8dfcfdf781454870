"""What a solve returns: status, objective, bound, gap, assignments, unmatched needs and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    """Outcome of a solve. INFEASIBLE happens only when pins cannot hold together."""

    OPTIMAL = "OPTIMAL"
    FEASIBLE = "FEASIBLE"
    INFEASIBLE = "INFEASIBLE"
    MODEL_INVALID = "MODEL_INVALID"


class UnmatchedReason(StrEnum):
    """Why a need got no offer: a code, rendered into words by the platform for its reader."""

    NO_ELIGIBLE_OFFER = "no_eligible_offer"
    TAKEN_BY_HIGHER_SCORING = "taken_by_higher_scoring"
    STATE_CAP_REACHED = "state_cap_reached"


@dataclass(frozen=True, slots=True)
class Assignment:
    """A proposed match with its score and cost."""

    need_id: str
    offer_id: str
    score: int
    cost: int


@dataclass(frozen=True, slots=True)
class Unmatched:
    """A need left without an offer, with the reason code."""

    id: str
    reason: UnmatchedReason


@dataclass(frozen=True, slots=True)
class Alternative:
    """Another eligible offer for a need, for organisers who want to look further."""

    offer_id: str
    score: int
    cost: int


@dataclass(frozen=True, slots=True)
class AssignResult:
    """Result of `solver.assign.solve`.

    Coverage first is lexicographic: the most needs served, then the best score at that coverage.
    `objective` is the total score of `assignments`; `bound` is an upper bound on the total
    score of any assignment serving at least as many needs (with coverage first) or of any
    assignment at all; `gap` is (bound - objective) / max(bound, 1), on the score alone.
    `needs_bound` is an upper bound on the needs any assignment can serve.
    `alternatives` maps each need id to its best other eligible offers by score.
    """

    status: Status
    objective: int = 0
    bound: int = 0
    gap: float = 0.0
    needs_bound: int = 0
    seconds: float = 0.0
    assignments: tuple[Assignment, ...] = ()
    unmatched: tuple[Unmatched, ...] = ()
    alternatives: dict[str, tuple[Alternative, ...]] = field(default_factory=dict)
    message: str = ""
    method: str = ""
    phases: tuple[tuple[str, float], ...] = ()

    @property
    def matched(self) -> int:
        """Return the number of needs served."""
        return len(self.assignments)

    def to_json(self) -> dict[str, object]:
        """Return the command-line RESULT.json shape."""
        return {
            "status": str(self.status),
            "objective": self.objective,
            "bound": self.bound,
            "gap": self.gap,
            "needs_bound": self.needs_bound,
            "seconds": round(self.seconds, 3),
            "assignments": [[a.need_id, a.offer_id] for a in self.assignments],
            "unmatched": [{"id": u.id, "reason": str(u.reason)} for u in self.unmatched],
        }
