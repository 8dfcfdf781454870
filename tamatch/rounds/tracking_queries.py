"""Consent tracking queries: a published run's proposals by answer, and the offers left unused."""

from dataclasses import dataclass
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tamatch.extensions import db
from tamatch.models import Decision, Offer, Proposal, ProposalStatus, SolveRun
from tamatch.rounds.permissions import members_unanswered_clause
from tamatch.rounds.services import round_offers_query


class Waiting(StrEnum):
    """Whose answer a waiting proposal still lacks (the filter "by side not answered")."""

    STATE = "state"
    PARTNER = "partner"
    ANY = "any"


def tracking_query(
    run: SolveRun, status: ProposalStatus | None = None, waiting: Waiting | None = None
) -> sa.Select:
    """The run's proposals, need and offer loaded, optionally only those with `status` or
    only those still waiting for `waiting`'s answer."""
    stmt = (
        sa.select(Proposal)
        .where(Proposal.run_id == run.id)
        .options(selectinload(Proposal.need), selectinload(Proposal.offer))
        .order_by(Proposal.id)
    )
    if status is not None:
        stmt = stmt.where(Proposal.status == status)
    if waiting is not None:
        stmt = stmt.where(unanswered_clause(waiting))
    return stmt


def unanswered_clause(waiting: Waiting = Waiting.ANY) -> sa.ColumnElement[bool]:
    """Waiting proposals whose `waiting` side (or either side) has not answered."""
    sides = {
        Waiting.STATE: sa.or_(
            Proposal.state_decision == Decision.PENDING, members_unanswered_clause()
        ),
        Waiting.PARTNER: Proposal.partner_decision == Decision.PENDING,
    }
    side = sa.or_(*sides.values()) if waiting == Waiting.ANY else sides[waiting]
    return sa.and_(Proposal.status == ProposalStatus.PENDING, side)


def unanswered_counts(run: SolveRun) -> dict[Waiting, int]:
    """How many waiting proposals lack the State's answer, the partner's, either."""
    return {
        w: int(
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(Proposal)
                .where(Proposal.run_id == run.id, unanswered_clause(w))
            )
            or 0
        )
        for w in (Waiting.STATE, Waiting.PARTNER, Waiting.ANY)
    }


@dataclass(frozen=True, slots=True)
class UnusedOffer:
    """An offer of the round that no proposal of the run engaged, and what it has left."""

    offer: Offer
    proposals: int  # proposals of this run naming it (none accepted)

    @property
    def capacity_left(self) -> int:
        return max(self.offer.capacity - self.offer.capacity_used, 0)

    @property
    def budget_left(self) -> int:
        return max(self.offer.budget - self.offer.budget_used, 0)


def unused_offers(run: SolveRun) -> list[UnusedOffer]:
    """Offers in the run's round (fitting it now, or proposed by the run) with no accepted
    proposal of the run, by title; each with its proposal count."""
    proposed = dict(
        db.session.execute(
            sa.select(Proposal.offer_id, sa.func.count())
            .where(Proposal.run_id == run.id)
            .group_by(Proposal.offer_id)
        ).all()
    )
    accepted = set(
        db.session.scalars(
            sa.select(Proposal.offer_id).where(
                Proposal.run_id == run.id, Proposal.status == ProposalStatus.ACCEPTED
            )
        )
    )
    fitting = round_offers_query(run.round).with_only_columns(Offer.id)
    stmt = (
        sa.select(Offer)
        .where(sa.or_(Offer.id.in_(fitting), Offer.id.in_(list(proposed))))
        .where(Offer.id.not_in(accepted) if accepted else sa.true())
        .order_by(Offer.title, Offer.id)
    )
    return [UnusedOffer(o, int(proposed.get(o.id, 0))) for o in db.session.scalars(stmt)]
