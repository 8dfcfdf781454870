"""Consent: the State and the partner each accept or decline a proposal; both yes starts an
engagement. Capacity and budget are taken with conditional UPDATEs, so racing accepts can
never overspend an offer, and every move is allowed only to the right side in the right state.
"""

import calendar
import time
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import gettext as _

from tamatch.audit import record
from tamatch.auth.permissions import side_of
from tamatch.database import is_transient
from tamatch.errors import DomainError, InvalidTransition, PermissionDenied
from tamatch.extensions import db
from tamatch.models import (
    Decision,
    Engagement,
    NeedStatus,
    Offer,
    PairRuleKind,
    Proposal,
    ProposalStatus,
    ReportDue,
    Side,
    User,
)
from tamatch.models.base import utcnow
from tamatch.needs.services import transition_need
from tamatch.rounds.permissions import answerable_clause, decision_column
from tamatch.rounds.services import set_pair_rule


class Outcome(StrEnum):
    WAITING = "waiting"  # this side said yes; the other has not answered
    ENGAGED = "engaged"  # both said yes: the engagement started
    DECLINED = "declined"
    LAPSED = "lapsed"  # both said yes but the offer had no capacity or budget left
    UNCHANGED = "unchanged"  # the same answer again: nothing happens


@dataclass(frozen=True, slots=True)
class ConsentResult:
    outcome: Outcome
    engagement: Engagement | None = None


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clipped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def decide_and_commit(
    actor: User, proposal_id: int, accept: bool, reason: str = "", attempts: int = 8
) -> tuple[Proposal, ConsentResult]:
    """`decide` in a transaction of its own, retried when a racing writer holds the lock.

    Commits. Raises what `decide` raises (after rolling back), or the last conflict.
    """
    for attempt in range(attempts):
        try:
            proposal = db.session.get(Proposal, proposal_id)
            result = decide(actor, proposal, accept, reason)
            db.session.commit()
            return proposal, result
        except sa.exc.DBAPIError as error:
            db.session.rollback()
            if not is_transient(error) or attempt == attempts - 1:
                raise
            time.sleep(0.02 * (attempt + 1))
        except Exception:
            db.session.rollback()
            raise
    raise RuntimeError("unreachable")


def decide(actor: User, proposal: Proposal, accept: bool, reason: str = "") -> ConsentResult:
    """Record `actor`'s answer for its side. Raises PermissionDenied (not a party),
    InvalidTransition (already decided otherwise, or proposal closed), DomainError (no reason)."""
    side = side_of(actor, proposal.need, proposal.offer)
    if side is None:
        raise PermissionDenied(_("Only the State's focal points and the partner can answer."))
    decision = Decision.ACCEPTED if accept else Decision.DECLINED
    reason = reason.strip()
    if not accept and not reason:
        raise DomainError(
            _("Say why you decline, so the organiser can find another match."), field="reason"
        )
    changed = db.session.execute(
        sa.update(Proposal)
        .where(Proposal.id == proposal.id, answerable_clause(side))
        .values(
            {
                decision_column(side): decision,
                f"{side.value}_reason": reason[:1000],
                f"{side.value}_decided_by_id": actor.id,
                f"{side.value}_decided_at": utcnow(),
            }
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(proposal)
    if changed == 0:
        if getattr(proposal, f"{side.value}_decision") == decision:
            return ConsentResult(Outcome.UNCHANGED, proposal.engagement)
        raise InvalidTransition(_("This proposal has already been answered."))
    record(actor, f"proposal.{decision.value}", proposal, after={"side": side.value})
    if not accept:
        return _decline(actor, proposal, side)
    return _try_engage(actor, proposal)


def _decline(actor: User, proposal: Proposal, side: Side) -> ConsentResult:
    closed = db.session.execute(
        sa.update(Proposal)
        .where(Proposal.id == proposal.id, Proposal.status == ProposalStatus.PENDING)
        .values(status=ProposalStatus.DECLINED)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(proposal)
    if closed:
        set_pair_rule(
            None,
            proposal.round,
            proposal.need,
            proposal.offer,
            kind=PairRuleKind.FORBID,
            reason=f"declined by the {side.value}",
        )
        if proposal.need.status == NeedStatus.MATCHED:
            transition_need(None, proposal.need, NeedStatus.OPEN)
    return ConsentResult(Outcome.DECLINED)


def _try_engage(actor: User, proposal: Proposal) -> ConsentResult:
    both = db.session.execute(
        sa.update(Proposal)
        .where(
            Proposal.id == proposal.id,
            Proposal.status == ProposalStatus.PENDING,
            Proposal.state_decision == Decision.ACCEPTED,
            Proposal.partner_decision == Decision.ACCEPTED,
        )
        .values(status=ProposalStatus.ACCEPTED)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not both:
        db.session.refresh(proposal)
        return ConsentResult(Outcome.WAITING)
    # The offer row is updated only while it still has room: the database arbitrates races.
    taken = db.session.execute(
        sa.update(Offer)
        .where(
            Offer.id == proposal.offer_id,
            Offer.capacity_used + 1 <= Offer.capacity,
            Offer.budget_used + proposal.cost <= Offer.budget,
        )
        .values(
            capacity_used=Offer.capacity_used + 1,
            budget_used=Offer.budget_used + proposal.cost,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if not taken:
        db.session.execute(
            sa.update(Proposal)
            .where(Proposal.id == proposal.id)
            .values(status=ProposalStatus.LAPSED)
            .execution_options(synchronize_session=False)
        )
        db.session.refresh(proposal)
        if proposal.need.status == NeedStatus.MATCHED:
            transition_need(None, proposal.need, NeedStatus.OPEN)
        record(actor, "proposal.lapsed", proposal)
        return ConsentResult(Outcome.LAPSED)
    db.session.refresh(proposal)
    db.session.refresh(proposal.offer)
    return ConsentResult(Outcome.ENGAGED, _start_engagement(actor, proposal))


def _start_engagement(actor: User, proposal: Proposal) -> Engagement:
    start = date.today()
    engagement = Engagement(
        proposal_id=proposal.id,
        round_id=proposal.round_id,
        need_id=proposal.need_id,
        offer_id=proposal.offer_id,
        cost=proposal.cost,
        started_on=start,
    )
    engagement.reports_due = [
        ReportDue(stage_months=m, due_on=add_months(start, m))
        for m in sorted(set(proposal.round.followup_months or [6]))
    ]
    db.session.add(engagement)
    if proposal.need.status == NeedStatus.MATCHED:
        transition_need(None, proposal.need, NeedStatus.IN_PROGRESS)
    db.session.flush()
    record(
        actor,
        "engagement.start",
        engagement,
        after={
            "proposal_id": proposal.id,
            "cost": proposal.cost,
        },
    )
    return engagement
