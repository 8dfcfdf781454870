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
from tamatch.errors import DomainError, InvalidTransition, PermissionDenied, require
from tamatch.extensions import db
from tamatch.models import (
    Decision,
    Engagement,
    EngagementStatus,
    LapseReason,
    MemberAnswer,
    Need,
    NeedStatus,
    Offer,
    OfferStatus,
    PairRuleKind,
    Proposal,
    ProposalStatus,
    ReportDue,
    Side,
    User,
)
from tamatch.models.base import utcnow
from tamatch.rounds.lapses import reopen
from tamatch.rounds.permissions import (
    answer_refusal,
    answerable_clause,
    answering_member,
    answers_closed_refusal,
    answers_open_clause,
    decision_column,
    member_answer,
    members_accepted_clause,
)
from tamatch.rounds.services import set_pair_rule


class Outcome(StrEnum):
    WAITING = "waiting"  # this side said yes; the other has not answered
    ENGAGED = "engaged"  # both said yes: the engagement started
    DECLINED = "declined"
    LAPSED = "lapsed"  # both said yes but it could no longer start (see the lapse reason)
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
    """`decide` in a transaction of its own, retried when a racing writer holds the lock or
    started the need's engagement first (the retry then finds the need taken and lapses).

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
            retry = is_transient(error) or isinstance(error, sa.exc.IntegrityError)
            if not retry or attempt == attempts - 1:
                raise
            time.sleep(0.02 * (attempt + 1))
        except Exception:
            db.session.rollback()
            raise
    raise RuntimeError("unreachable")


def decide(actor: User, proposal: Proposal, accept: bool, reason: str = "") -> ConsentResult:
    """Record `actor`'s answer for its side. Raises PermissionDenied (not a party),
    InvalidTransition (already decided otherwise, proposal closed, answers closed),
    DomainError (no reason)."""
    side = side_of(actor, proposal.need, proposal.offer)
    if side is None:
        raise PermissionDenied(_("Only the State's focal points and the partner can answer."))
    member = answering_member(actor, proposal)
    if member is not None:
        return _member_decides(actor, proposal, member.state_id, accept, reason)
    decision = Decision.ACCEPTED if accept else Decision.DECLINED
    if getattr(proposal, f"{side.value}_decision") == decision:
        return ConsentResult(Outcome.UNCHANGED, proposal.engagement)
    require(answer_refusal(actor, proposal))
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
        require(answer_refusal(actor, proposal))
        raise InvalidTransition(_("This proposal has already been answered."))
    record(actor, f"proposal.{decision.value}", proposal, after={"side": side.value})
    if not accept:
        return _decline(actor, proposal, side)
    return _try_engage(actor, proposal)


def _member_decides(
    actor: User, proposal: Proposal, state_id: int, accept: bool, reason: str
) -> ConsentResult:
    """A member State of a joint need answers for itself. The proposal's row is locked first
    (a write that changes nothing), so that this answer and the lead's or the partner's are
    taken one after the other and the last of them sees every other: the engagement starts
    once, when the last yes arrives. One member's no declines the proposal."""
    decision = Decision.ACCEPTED if accept else Decision.DECLINED
    db.session.execute(
        sa.update(Proposal)
        .where(Proposal.id == proposal.id)
        .values(status=Proposal.status)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(proposal)
    earlier = member_answer(proposal, state_id)
    if earlier is not None:
        if earlier.decision == decision:
            return ConsentResult(Outcome.UNCHANGED, proposal.engagement)
        raise InvalidTransition(_("Your State has already answered this proposal."))
    require(answer_refusal(actor, proposal))
    reason = reason.strip()
    if not accept and not reason:
        raise DomainError(
            _("Say why you decline, so the organiser can find another match."), field="reason"
        )
    db.session.add(
        MemberAnswer(
            proposal_id=proposal.id,
            state_id=state_id,
            decision=decision,
            reason=reason[:1000],
            decided_by_id=actor.id,
        )
    )
    db.session.flush()
    record(
        actor,
        f"proposal.{decision.value}",
        proposal,
        after={"side": Side.STATE.value, "state_id": state_id},
    )
    if not accept:
        return _decline(actor, proposal, Side.STATE)
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
        reopen(None, [proposal.need_id])
    return ConsentResult(Outcome.DECLINED)


def _take_capacity(proposal: Proposal) -> bool:
    """One conditional UPDATE takes the offer's capacity and budget only while everything
    the engagement needs still holds: the database arbitrates races with other accepts, a
    withdrawal, a closing offer, an archived round or a passed deadline."""
    return bool(
        db.session.execute(
            sa.update(Offer)
            .where(
                Offer.id == proposal.offer_id,
                Offer.status == OfferStatus.OPEN,
                Offer.capacity_used + 1 <= Offer.capacity,
                Offer.budget_used + proposal.cost <= Offer.budget,
                answers_open_clause(proposal.round_id, proposal.run_id),
                sa.exists().where(Need.id == proposal.need_id, Need.status == NeedStatus.MATCHED),
                ~sa.exists().where(
                    Engagement.need_id == proposal.need_id,
                    Engagement.status == EngagementStatus.ACTIVE,
                ),
            )
            .values(
                capacity_used=Offer.capacity_used + 1,
                budget_used=Offer.budget_used + proposal.cost,
            )
            .execution_options(synchronize_session=False)
        ).rowcount
    )


def _start_need(proposal: Proposal) -> bool:
    """The need moves from matched to in progress only if it is still matched: a withdrawal
    that holds the need's row first makes this fail (and the capacity is given back)."""
    return bool(
        db.session.execute(
            sa.update(Need)
            .where(Need.id == proposal.need_id, Need.status == NeedStatus.MATCHED)
            .values(status=NeedStatus.IN_PROGRESS)
            .execution_options(synchronize_session=False)
        ).rowcount
    )


def _lapse_reason(proposal: Proposal) -> LapseReason:
    """Why the capacity could not be taken, read back after the conditional UPDATE failed."""
    for item in (proposal.round, proposal.run, proposal.need, proposal.offer):
        db.session.refresh(item)
    if answers_closed_refusal(proposal) is not None:
        return LapseReason.ROUND
    if proposal.need.status != NeedStatus.MATCHED:
        return LapseReason.NEED
    if proposal.offer.status != OfferStatus.OPEN:
        return LapseReason.OFFER
    return LapseReason.CAPACITY


def _try_engage(actor: User, proposal: Proposal) -> ConsentResult:
    both = db.session.execute(
        sa.update(Proposal)
        .where(
            Proposal.id == proposal.id,
            Proposal.status == ProposalStatus.PENDING,
            Proposal.state_decision == Decision.ACCEPTED,
            Proposal.partner_decision == Decision.ACCEPTED,
            members_accepted_clause(),
        )
        .values(status=ProposalStatus.ACCEPTED)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not both:
        db.session.refresh(proposal)
        return ConsentResult(Outcome.WAITING)
    taken = _take_capacity(proposal)
    if taken and not _start_need(proposal):
        db.session.execute(
            sa.update(Offer)
            .where(Offer.id == proposal.offer_id)
            .values(
                capacity_used=Offer.capacity_used - 1,
                budget_used=Offer.budget_used - proposal.cost,
            )
            .execution_options(synchronize_session=False)
        )
        taken = False
    if not taken:
        reason = _lapse_reason(proposal)
        db.session.execute(
            sa.update(Proposal)
            .where(Proposal.id == proposal.id)
            .values(status=ProposalStatus.LAPSED, lapse_reason=reason.value)
            .execution_options(synchronize_session=False)
        )
        db.session.refresh(proposal)
        if reason != LapseReason.NEED:
            reopen(None, [proposal.need_id])
        record(actor, "proposal.lapsed", proposal, after={"reason": reason.value})
        return ConsentResult(Outcome.LAPSED)
    db.session.refresh(proposal)
    db.session.refresh(proposal.offer)
    db.session.refresh(proposal.need)
    record(
        None,
        "need.status",
        proposal.need,
        before={"status": NeedStatus.MATCHED.value},
        after={"status": NeedStatus.IN_PROGRESS.value},
    )
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
