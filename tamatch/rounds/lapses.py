"""Waiting proposals that can no longer start: lapse them, free what they held, tell both sides.

Every path that ends a proposal's chance goes through `lapse_waiting`: a withdrawn need, a
closed offer, an archived round, a passed answer deadline. It is one conditional UPDATE (only
proposals still waiting), so a racing accept either came first (and engaged) or finds the
proposal lapsed. It takes the proposal rows before the need or offer row, as accepting does,
so the two never wait on each other in a circle.

This module imports no service of needs, offers or rounds: they all call it.
"""

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tamatch.audit import record
from tamatch.auth.permissions import side_members
from tamatch.extensions import db
from tamatch.models import LapseReason, Need, NeedStatus, Proposal, ProposalStatus, Side, User
from tamatch.notifications.services import notify

# Who learns of a lapse, besides the round's organiser: the side that did not cause it.
TOLD: dict[LapseReason, tuple[Side, ...]] = {
    LapseReason.NEED: (Side.PARTNER,),
    LapseReason.OFFER: (Side.STATE,),
    LapseReason.DEADLINE: (Side.STATE, Side.PARTNER),
    LapseReason.ROUND: (Side.STATE, Side.PARTNER),
    LapseReason.CAPACITY: (Side.STATE, Side.PARTNER),
}

# How the organiser's answers table names a lapse reason.
LAPSE_REASON_LABELS = {
    LapseReason.CAPACITY.value: _l("no capacity or budget left"),
    LapseReason.DEADLINE.value: _l("not answered by the deadline"),
    LapseReason.NEED.value: _l("need withdrawn"),
    LapseReason.OFFER.value: _l("offer closed"),
    LapseReason.ROUND.value: _l("round closed to answers"),
}


def lapse_waiting(
    actor: User | None,
    where: sa.ColumnElement[bool],
    reason: LapseReason,
    *,
    reopen_needs: bool = True,
) -> list[Proposal]:
    """Lapse every waiting proposal matching `where`; reopen their needs (unless the need is
    the thing going away) and notify. Returns the proposals lapsed. Flushes, never commits."""
    db.session.flush()
    ids = list(
        db.session.scalars(
            sa.update(Proposal)
            .where(where, Proposal.status == ProposalStatus.PENDING)
            .values(status=ProposalStatus.LAPSED, lapse_reason=reason.value)
            .returning(Proposal.id)
            .execution_options(synchronize_session=False)
        )
    )
    if not ids:
        return []
    proposals = list(db.session.scalars(sa.select(Proposal).where(Proposal.id.in_(ids))))
    for proposal in proposals:
        db.session.refresh(proposal)
    if reopen_needs:
        reopen(actor, [p.need_id for p in proposals])
    for proposal in proposals:
        record(actor, "proposal.lapsed", proposal, after={"reason": reason.value})
    tell_about_lapse(proposals, reason)
    return proposals


def reopen(actor: User | None, need_ids: list[int]) -> None:
    """Needs proposed and not engaged become open again, to be matched in a later pass."""
    reopened = list(
        db.session.scalars(
            sa.update(Need)
            .where(Need.id.in_(need_ids), Need.status == NeedStatus.MATCHED)
            .values(status=NeedStatus.OPEN)
            .returning(Need.id)
            .execution_options(synchronize_session=False)
        )
    )
    for need in db.session.scalars(sa.select(Need).where(Need.id.in_(reopened))):
        db.session.refresh(need)
        record(actor, "need.status", need, before={"status": "matched"}, after={"status": "open"})


def _link(proposal: Proposal) -> str:
    adapter = current_app.url_map.bind("")
    return adapter.build("rounds.proposal", {"proposal_id": proposal.id})


def lapse_words(reason: LapseReason) -> str:
    return {
        LapseReason.NEED: _("The State withdrew the need; the proposal can no longer start."),
        LapseReason.OFFER: _("The partner closed the offer; the need can be matched again."),
        LapseReason.DEADLINE: _(
            "The answer deadline passed before both sides accepted; what it held is free again."
        ),
        LapseReason.ROUND: _("The round no longer takes answers; what it held is free again."),
        LapseReason.CAPACITY: _(
            "The offer had no capacity or budget left when both sides had accepted."
        ),
    }[reason]


def tell_about_lapse(proposals: list[Proposal], reason: LapseReason) -> None:
    """The side that did not cause the lapse, and the round's organiser, learn of it."""
    for proposal in proposals:
        people: list[User] = []
        for side in TOLD[reason]:
            people += side_members(side, proposal.need, proposal.offer)
        if proposal.round.created_by_id:
            people.append(proposal.round.created_by)
        notify(people, _("A proposed match lapsed"), lapse_words(reason), _link(proposal))
