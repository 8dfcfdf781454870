"""The public figures page and the State page, each within the viewer's visibility rules."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import abort, render_template
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import contains_eager

from tamatch.auth.permissions import visible_needs_clause
from tamatch.extensions import db
from tamatch.followup import dashboard as figures
from tamatch.followup.dashboard_routes import Figures, status_view
from tamatch.followup.permissions import engagements_query, visible_engagements_clause
from tamatch.labels import ENGAGEMENT_STATUS_LABELS
from tamatch.models import (
    Engagement,
    EngagementOutcome,
    Need,
    Offer,
    ProgressReport,
    Recommendation,
    ReportDue,
    ReportSide,
    ReportStatus,
    State,
    User,
)
from tamatch.public import bp

PUBLIC_FIGURES = ("response-by-group", "response-by-flag", "response-by-theme", "reports-by-side",
                  "status-by-mechanism")  # fmt: skip
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


@bp.get("/public/")
def index():
    scope, today = figures.public_scope(), date.today()
    built = Figures(scope, today)
    return render_template(
        "public/index.html",
        headline=headline(scope, today),
        views=[built.build(key) for key in PUBLIC_FIGURES],
    )


@dataclass(frozen=True, slots=True)
class EngagementLine:
    """An engagement on the State page with how far its reporting went."""

    engagement: Engagement
    reports_due: int
    reports_submitted: int
    outcome: EngagementOutcome | None


def _engagement_lines(user: User | None, state: State, today: date) -> list[EngagementLine]:
    engagements = db.session.scalars(
        engagements_query(user)
        .where(Need.state_id == state.id)
        .options(contains_eager(Engagement.offer).selectinload(Offer.organisation))
        .limit(STATE_PAGE_LIMIT)
    ).all()
    ids = [e.id for e in engagements]
    due = dict(
        db.session.execute(
            sa.select(ReportDue.engagement_id, sa.func.count())
            .where(ReportDue.engagement_id.in_(ids), ReportDue.due_on <= today)
            .group_by(ReportDue.engagement_id)
        ).all()
    )
    sent = dict(
        db.session.execute(
            sa.select(ProgressReport.engagement_id, sa.func.count())
            .where(
                ProgressReport.engagement_id.in_(ids),
                ProgressReport.status == ReportStatus.SUBMITTED,
            )
            .group_by(ProgressReport.engagement_id)
        ).all()
    )
    outcomes = {
        o.engagement_id: o
        for o in db.session.scalars(
            sa.select(EngagementOutcome).where(EngagementOutcome.engagement_id.in_(ids))
        )
    }
    return [
        EngagementLine(e, 2 * due.get(e.id, 0), sent.get(e.id, 0), outcomes.get(e.id))
        for e in engagements
    ]


def _own_words(user: User | None, state: State) -> list[ProgressReport]:
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
                ProgressReport.side == ReportSide.STATE,
                ProgressReport.status == ReportStatus.SUBMITTED,
            )
            .order_by(ProgressReport.submitted_at.desc(), ProgressReport.id.desc())
            .limit(STATE_PAGE_LIMIT)
        )
    )


@bp.get("/states/<iso3>")
def state(iso3: str):
    found = db.session.scalar(sa.select(State).where(State.iso3 == iso3.upper()[:3])) or abort(404)
    today, scope = date.today(), visible_needs_clause(current_user)
    rows = figures.status_rows(scope, today, Recommendation.state_id == found.id, "mechanism")
    title = _("Recommendations received, by mechanism and current implementation status")
    needs_stmt = sa.select(Need).where(
        visible_needs_clause(current_user), Need.state_id == found.id
    )
    return render_template(
        "public/state.html",
        state=found,
        recommendations=status_view("state-recommendations", title, rows, _("Mechanism"))
        if rows
        else None,
        needs=db.session.scalars(
            needs_stmt.order_by(Need.created_at.desc(), Need.id.desc()).limit(STATE_PAGE_LIMIT)
        ).all(),
        needs_total=db.session.scalar(
            sa.select(sa.func.count()).select_from(needs_stmt.subquery())
        ),
        engagements=_engagement_lines(current_user, found, today),
        words=_own_words(current_user, found),
        engagement_labels=ENGAGEMENT_STATUS_LABELS,
    )
