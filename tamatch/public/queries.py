"""Queries of the public pages: the platform's totals and a State's engagements and reports."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from tamatch.auth.permissions import visible_needs_clause
from tamatch.extensions import db
from tamatch.followup import dashboard as figures
from tamatch.followup import reporting
from tamatch.followup.permissions import engagements_query, visible_engagements_clause
from tamatch.models import (
    Engagement,
    EngagementOutcome,
    Need,
    Offer,
    ProgressReport,
    ReportStatus,
    Side,
    State,
    User,
)

STATE_PAGE_LIMIT = 25


@dataclass(frozen=True, slots=True)
class Headline:
    """The platform's totals, confidential needs left out."""

    needs: int
    states: int
    engagements: int
    recommendations_served: int


def headline(scope: sa.ColumnElement[bool], today: date) -> Headline:
    needs, states = db.session.execute(
        sa.select(sa.func.count(), sa.func.count(sa.distinct(Need.state_id))).where(scope)
    ).one()
    engagements = db.session.scalar(
        sa.select(sa.func.count(Engagement.id))
        .join(Need, Need.id == Engagement.need_id)
        .where(scope)
    )
    served = figures.served_recommendations(scope, today).subquery()
    recommendations = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(served.c.recommendation_id)))
    )
    return Headline(int(needs), int(states), int(engagements or 0), int(recommendations or 0))


@dataclass(frozen=True, slots=True)
class EngagementLine:
    """An engagement on the State page with how far its reporting went."""

    engagement: Engagement
    reports_due: int
    reports_submitted: int
    outcome: EngagementOutcome | None


def engagement_lines(user: User | None, state: State, today: date) -> list[EngagementLine]:
    engagements = db.session.scalars(
        engagements_query(user)
        .where(Need.state_id == state.id)
        .options(contains_eager(Engagement.offer).selectinload(Offer.organisation))
        .limit(STATE_PAGE_LIMIT)
    ).all()
    ids = [e.id for e in engagements]
    table = reporting.stages(today)
    counts = {
        engagement_id: (int(owed), int(sent))
        for engagement_id, owed, sent, _on_time in db.session.execute(
            sa.select(table.c.engagement_id, *reporting.totals(table))
            .where(table.c.engagement_id.in_(ids))
            .group_by(table.c.engagement_id)
        ).all()
    }
    outcomes = {
        o.engagement_id: o
        for o in db.session.scalars(
            sa.select(EngagementOutcome).where(EngagementOutcome.engagement_id.in_(ids))
        )
    }
    return [EngagementLine(e, *counts.get(e.id, (0, 0)), outcomes.get(e.id)) for e in engagements]


def own_words(user: User | None, state: State) -> list[ProgressReport]:
    """The State's submitted reports on engagements `user` may see, newest first."""
    return list(
        db.session.scalars(
            sa.select(ProgressReport)
            .join(Engagement, Engagement.id == ProgressReport.engagement_id)
            .join(Need, Need.id == Engagement.need_id)
            .join(Offer, Offer.id == Engagement.offer_id)
            .where(
                visible_engagements_clause(user),
                Need.state_id == state.id,
                ProgressReport.side == Side.STATE,
                ProgressReport.status == ReportStatus.SUBMITTED,
            )
            .order_by(ProgressReport.submitted_at.desc(), ProgressReport.id.desc())
            .limit(STATE_PAGE_LIMIT)
        )
    )


def state_by_code(iso3: str) -> State | None:
    return db.session.scalar(sa.select(State).where(State.iso3 == iso3.upper()[:3]))


def state_needs(user: User | None, state: State) -> tuple[list[Need], int]:
    """The State's needs `user` may see, newest first (STATE_PAGE_LIMIT at most), and how many."""
    stmt = sa.select(Need).where(visible_needs_clause(user), Need.state_id == state.id)
    needs = db.session.scalars(
        stmt.order_by(Need.created_at.desc(), Need.id.desc()).limit(STATE_PAGE_LIMIT)
    ).all()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))
    return list(needs), int(total or 0)
