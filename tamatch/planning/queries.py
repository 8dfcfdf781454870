"""Plan queries that apply visibility in SQL, and loading one object or a 404."""

import calendar
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tamatch.errors import unseen
from tamatch.extensions import db
from tamatch.models import (
    OPEN_MEASURE_STATUSES,
    Cluster,
    Deadline,
    DeadlineKind,
    Indicator,
    IndicatorValue,
    Institution,
    Measure,
    MeasureStatus,
    MeasureVisibility,
    Mechanism,
    PlanComment,
    Recommendation,
    User,
)
from tamatch.models.planning import (
    cluster_recommendation,
    measure_institution,
    measure_recommendation,
    recommendation_institution,
)
from tamatch.planning.permissions import (
    can_see_cluster,
    can_see_institution,
    can_see_measure,
    is_plan_owner,
    visible_clusters_clause,
    visible_institutions_clause,
    visible_measures_clause,
)
from tamatch.recommendations import search


def add_months(day: date, months: int) -> date:
    """The same day `months` later (earlier when negative), clamped to the month's end."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True, slots=True)
class MeasureFilters:
    q: str | None = None
    state_id: int | None = None
    institution_id: int | None = None
    cluster_id: int | None = None
    status: MeasureStatus | None = None
    visibility: MeasureVisibility | None = None
    overdue: bool = False


def measures_query(user: User | None, filters: MeasureFilters, today: date | None = None):
    """SELECT of the measures `user` may see that match `filters`, soonest due first."""
    stmt = sa.select(Measure).where(visible_measures_clause(user))
    if filters.q:
        for word in filters.q.split()[:8]:
            stmt = stmt.where(
                sa.or_(
                    Measure.title.icontains(word, autoescape=True),
                    Measure.description.icontains(word, autoescape=True),
                )
            )
    if filters.state_id:
        stmt = stmt.where(Measure.state_id == filters.state_id)
    if filters.status:
        stmt = stmt.where(Measure.status == filters.status)
    if filters.visibility:
        stmt = stmt.where(Measure.visibility == filters.visibility)
    if filters.cluster_id:
        stmt = stmt.where(Measure.cluster_id == filters.cluster_id)
    if filters.institution_id:
        link = measure_institution
        stmt = stmt.where(
            Measure.id.in_(
                sa.select(link.c.measure_id).where(link.c.institution_id == filters.institution_id)
            )
        )
    if filters.overdue:
        stmt = stmt.where(
            Measure.due_on < (today or date.today()), Measure.status.in_(OPEN_MEASURE_STATUSES)
        )
    return stmt.options(selectinload(Measure.state), selectinload(Measure.institutions)).order_by(
        Measure.due_on.is_(None), Measure.due_on, Measure.id
    )


def institutions_query(user: User | None, state_id: int | None, archived: bool | None = None):
    stmt = sa.select(Institution).where(visible_institutions_clause(user))
    if state_id:
        stmt = stmt.where(Institution.state_id == state_id)
    if archived is not None:
        stmt = stmt.where(Institution.archived.is_(archived))
    return stmt.order_by(Institution.archived, Institution.name, Institution.id)


def clusters_query(user: User | None, state_id: int | None, q: str | None = None):
    stmt = sa.select(Cluster).where(visible_clusters_clause(user))
    if state_id:
        stmt = stmt.where(Cluster.state_id == state_id)
    if q:
        stmt = stmt.where(Cluster.title.icontains(q.strip()[:200], autoescape=True))
    return stmt.options(selectinload(Cluster.themes)).order_by(Cluster.title, Cluster.id)


def own_institutions(state_id: int, include_archived: bool = False) -> list[Institution]:
    stmt = sa.select(Institution).where(Institution.state_id == state_id)
    if not include_archived:
        stmt = stmt.where(Institution.archived.is_(False))
    return list(db.session.scalars(stmt.order_by(Institution.name)))


def own_clusters(state_id: int) -> list[Cluster]:
    return list(
        db.session.scalars(
            sa.select(Cluster).where(Cluster.state_id == state_id).order_by(Cluster.title)
        )
    )


def mechanisms() -> list[Mechanism]:
    """Every mechanism, by code (for the calendar's and the tracker's choices)."""
    return list(db.session.scalars(sa.select(Mechanism).order_by(Mechanism.code)))


def plan_comments(
    measure: Measure | None = None, indicator: Indicator | None = None
) -> list[PlanComment]:
    """The comments on a measure or on one of its indicators, oldest first (the caller
    filters them with can_see_plan_comment)."""
    stmt = sa.select(PlanComment)
    if indicator is not None:
        stmt = stmt.where(PlanComment.indicator_id == indicator.id)
    else:
        stmt = stmt.where(PlanComment.measure_id == measure.id)
    return list(db.session.scalars(stmt.order_by(PlanComment.created_at, PlanComment.id)))


def treaty_followups(state_id: int) -> list[Deadline]:
    """The State's treaty-body follow-up deadlines, by due date."""
    return list(
        db.session.scalars(
            sa.select(Deadline)
            .where(Deadline.state_id == state_id, Deadline.kind == DeadlineKind.TREATY_FOLLOWUP)
            .order_by(Deadline.due_on)
        )
    )


# --- one object, or 404 -------------------------------------------------------------------


def _get(model, object_id: int, allowed) -> object:
    row = db.session.get(model, object_id) if 0 < object_id < 2**31 else None
    if row is None or not allowed(row):
        unseen()
    return row


def get_measure(measure_id: int, user: User | None) -> Measure:
    return _get(Measure, measure_id, lambda m: can_see_measure(user, m))


def get_indicator(indicator_id: int, user: User | None) -> Indicator:
    return _get(Indicator, indicator_id, lambda i: can_see_measure(user, i.measure))


def get_value(value_id: int, user: User | None) -> IndicatorValue:
    return _get(IndicatorValue, value_id, lambda v: can_see_measure(user, v.indicator.measure))


def get_institution(institution_id: int, user: User | None) -> Institution:
    return _get(Institution, institution_id, lambda i: can_see_institution(user, i))


def get_cluster(cluster_id: int, user: User | None) -> Cluster:
    return _get(Cluster, cluster_id, lambda c: can_see_cluster(user, c))


def get_own(model, object_id: int, user: User | None):
    """A row of the user's own State's plan (deadlines), or 404."""
    return _get(model, object_id, lambda row: is_plan_owner(user, row.state_id))


# --- the recommendations tracker ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TrackerFilters:
    q: str | None = None
    mechanism_id: int | None = None
    cycle: int | None = None
    institution_id: int | None = None
    cluster_id: int | None = None
    unclustered: bool = False
    unassigned: bool = False
    without_measure: bool = False


def tracker_query(state_id: int, filters: TrackerFilters) -> sa.Select:
    """The State's recommendations as its NMRF tracks them, by mechanism, cycle and reference."""
    rec = Recommendation
    stmt = sa.select(rec).where(rec.state_id == state_id)
    if filters.q:
        stmt = search.restrict(stmt, search.parse_query(filters.q))
    if filters.mechanism_id:
        stmt = stmt.where(rec.mechanism_id == filters.mechanism_id)
    if filters.cycle:
        stmt = stmt.where(rec.cycle == filters.cycle)
    clustered = sa.select(cluster_recommendation.c.recommendation_id)
    if filters.cluster_id:
        clustered = clustered.where(cluster_recommendation.c.cluster_id == filters.cluster_id)
        stmt = stmt.where(rec.id.in_(clustered))
    elif filters.unclustered:
        stmt = stmt.where(rec.id.not_in(clustered))
    assigned = sa.select(recommendation_institution.c.recommendation_id)
    if filters.institution_id:
        assigned = assigned.where(
            recommendation_institution.c.institution_id == filters.institution_id
        )
        stmt = stmt.where(rec.id.in_(assigned))
    elif filters.unassigned:
        stmt = stmt.where(rec.id.not_in(assigned))
    if filters.without_measure:
        covered = sa.union(
            sa.select(measure_recommendation.c.recommendation_id),
            sa.select(cluster_recommendation.c.recommendation_id).join(
                Measure, Measure.cluster_id == cluster_recommendation.c.cluster_id
            ),
        )
        stmt = stmt.where(rec.id.not_in(covered))
    return stmt.options(selectinload(rec.mechanism)).order_by(
        rec.issued_on.desc().nulls_last(), rec.id
    )


def tracker_rows(state_id: int, recommendation_ids: list[int]) -> dict[int, dict]:
    """For each recommendation: its cluster, institutions and measures (grouped queries)."""
    rows: dict[int, dict] = {
        i: {"cluster": None, "institutions": [], "measures": []} for i in recommendation_ids
    }
    if not recommendation_ids:
        return rows
    link = cluster_recommendation
    for rec_id, cluster in db.session.execute(
        sa.select(link.c.recommendation_id, Cluster)
        .join(Cluster, Cluster.id == link.c.cluster_id)
        .where(link.c.recommendation_id.in_(recommendation_ids))
    ):
        rows[rec_id]["cluster"] = cluster
    link = recommendation_institution
    for rec_id, institution in db.session.execute(
        sa.select(link.c.recommendation_id, Institution)
        .join(Institution, Institution.id == link.c.institution_id)
        .where(link.c.recommendation_id.in_(recommendation_ids))
        .order_by(Institution.name)
    ):
        rows[rec_id]["institutions"].append(institution)
    for rec_id, measure in measures_by_recommendation(state_id, recommendation_ids):
        rows[rec_id]["measures"].append(measure)
    return rows


def measures_by_recommendation(state_id: int, recommendation_ids: list[int]):
    """(recommendation id, measure) for measures on the recommendation or on its cluster."""
    direct = sa.select(
        measure_recommendation.c.recommendation_id.label("rec_id"),
        measure_recommendation.c.measure_id.label("measure_id"),
    ).where(measure_recommendation.c.recommendation_id.in_(recommendation_ids))
    via_cluster = (
        sa.select(
            cluster_recommendation.c.recommendation_id.label("rec_id"),
            Measure.id.label("measure_id"),
        )
        .join(Measure, Measure.cluster_id == cluster_recommendation.c.cluster_id)
        .where(cluster_recommendation.c.recommendation_id.in_(recommendation_ids))
    )
    pairs = db.session.execute(sa.union(direct, via_cluster)).all()
    # Each measure loaded once (a cluster's measure pairs with every one of its members).
    measures = {
        m.id: m
        for m in db.session.scalars(
            sa.select(Measure).where(
                Measure.id.in_({measure_id for _rec, measure_id in pairs}),
                Measure.state_id == state_id,
            )
        )
    }
    order = sorted(measures.values(), key=lambda m: (m.due_on is None, m.due_on or 0, m.id))
    rank = {m.id: n for n, m in enumerate(order)}
    found = [(rec, measures[mid]) for rec, mid in pairs if mid in measures]
    return sorted(found, key=lambda pair: rank[pair[1].id])
