"""The State's plan at a glance: what is late, what waits, how far the recommendations are
covered. Grouped queries only, so a plan of hundreds of measures loads in one go."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tamatch.extensions import db
from tamatch.models import (
    OPEN_MEASURE_STATUSES,
    Deadline,
    Engagement,
    EngagementOutcome,
    Indicator,
    IndicatorValue,
    Measure,
    MeasureStatus,
    MeasureUpdate,
    Recommendation,
)
from tamatch.models.planning import (
    cluster_recommendation,
    measure_recommendation,
    need_measure,
    recommendation_institution,
)
from tamatch.planning.queries import add_months

LIST_LIMIT = 10
DEADLINE_DAYS = 180


@dataclass(frozen=True, slots=True)
class StaleIndicator:
    indicator_id: int
    measure_id: int
    definition: str
    measure_title: str
    since: date  # the last value's day, or the day the indicator was defined
    due: date  # when a new value was expected


@dataclass(slots=True)
class PlanSummary:
    by_status: dict[MeasureStatus, int] = field(default_factory=dict)
    overdue: list[Measure] = field(default_factory=list)
    overdue_total: int = 0
    stale: list[StaleIndicator] = field(default_factory=list)
    stale_total: int = 0
    deadlines: list[Deadline] = field(default_factory=list)
    pending_outcomes: list[tuple[Measure, Engagement, EngagementOutcome]] = field(
        default_factory=list
    )
    recommendations: int = 0
    clustered: int = 0
    assigned: int = 0
    covered: int = 0

    @property
    def measures(self) -> int:
        return sum(self.by_status.values())


def overdue_clause(today: date) -> sa.ColumnElement[bool]:
    return sa.and_(Measure.due_on < today, Measure.status.in_(OPEN_MEASURE_STATUSES))


def stale_indicators(state_id: int | None, today: date) -> list[StaleIndicator]:
    """Indicators of measures still under way (or done) whose latest value (or, without one,
    their definition) is older than their review period; the longest waiting first."""
    latest = (
        sa.select(IndicatorValue.indicator_id, sa.func.max(IndicatorValue.observed_on).label("day"))
        .group_by(IndicatorValue.indicator_id)
        .subquery()
    )
    stmt = (
        sa.select(Indicator, Measure.title, latest.c.day)
        .join(Measure, Measure.id == Indicator.measure_id)
        .outerjoin(latest, latest.c.indicator_id == Indicator.id)
        .where(Measure.status != MeasureStatus.CANCELLED)
    )
    if state_id is not None:
        stmt = stmt.where(Measure.state_id == state_id)
    found = []
    for indicator, title, day in db.session.execute(stmt):
        since = day or indicator.created_at.date()
        due = add_months(since, indicator.review_months)
        if due < today:
            found.append(
                StaleIndicator(
                    indicator.id, indicator.measure_id, indicator.definition, title, since, due
                )
            )
    return sorted(found, key=lambda s: (s.due, s.indicator_id))


def pending_outcomes(state_id: int) -> list[tuple[Measure, Engagement, EngagementOutcome]]:
    """Recorded outcomes of engagements on needs asked for a measure, that the State has not
    yet applied to that measure."""
    applied = sa.select(MeasureUpdate.id).where(
        MeasureUpdate.measure_id == Measure.id,
        MeasureUpdate.engagement_id == Engagement.id,
    )
    stmt = (
        sa.select(Measure, Engagement, EngagementOutcome)
        .join(need_measure, need_measure.c.measure_id == Measure.id)
        .join(Engagement, Engagement.need_id == need_measure.c.need_id)
        .join(EngagementOutcome, EngagementOutcome.engagement_id == Engagement.id)
        .where(Measure.state_id == state_id, ~sa.exists(applied))
        .order_by(EngagementOutcome.recorded_at)
    )
    return [tuple(row) for row in db.session.execute(stmt)]


def _coverage(summary: PlanSummary, state_id: int) -> None:
    of_state = sa.select(Recommendation.id).where(Recommendation.state_id == state_id)

    def count(ids: sa.Select) -> int:
        return db.session.scalar(sa.select(sa.func.count(sa.distinct(ids.subquery().c[0])))) or 0

    summary.recommendations = (
        db.session.scalar(sa.select(sa.func.count()).select_from(of_state.subquery())) or 0
    )
    summary.clustered = count(
        sa.select(cluster_recommendation.c.recommendation_id).where(
            cluster_recommendation.c.recommendation_id.in_(of_state)
        )
    )
    summary.assigned = count(
        sa.select(recommendation_institution.c.recommendation_id).where(
            recommendation_institution.c.recommendation_id.in_(of_state)
        )
    )
    direct = sa.select(measure_recommendation.c.recommendation_id).where(
        measure_recommendation.c.recommendation_id.in_(of_state)
    )
    via_cluster = (
        sa.select(cluster_recommendation.c.recommendation_id)
        .join(Measure, Measure.cluster_id == cluster_recommendation.c.cluster_id)
        .where(cluster_recommendation.c.recommendation_id.in_(of_state))
    )
    summary.covered = count(sa.union(direct, via_cluster).subquery().select())


def plan_summary(state_id: int, today: date | None = None) -> PlanSummary:
    """Everything the State's dashboard shows about its plan."""
    today = today or date.today()
    summary = PlanSummary()
    counts = dict(
        db.session.execute(
            sa.select(Measure.status, sa.func.count())
            .where(Measure.state_id == state_id)
            .group_by(Measure.status)
        ).all()
    )
    summary.by_status = {s: counts.get(s, 0) for s in MeasureStatus}
    late = sa.select(Measure).where(Measure.state_id == state_id, overdue_clause(today))
    summary.overdue_total = (
        db.session.scalar(sa.select(sa.func.count()).select_from(late.subquery())) or 0
    )
    summary.overdue = list(
        db.session.scalars(
            late.options(selectinload(Measure.institutions))
            .order_by(Measure.due_on, Measure.id)
            .limit(LIST_LIMIT)
        )
    )
    stale = stale_indicators(state_id, today)
    summary.stale_total, summary.stale = len(stale), stale[:LIST_LIMIT]
    summary.deadlines = list(
        db.session.scalars(
            sa.select(Deadline)
            .where(
                Deadline.state_id == state_id,
                Deadline.due_on >= today,
                Deadline.due_on <= today + timedelta(days=DEADLINE_DAYS),
            )
            .order_by(Deadline.due_on, Deadline.id)
            .limit(LIST_LIMIT)
        )
    )
    summary.pending_outcomes = pending_outcomes(state_id)
    _coverage(summary, state_id)
    return summary
