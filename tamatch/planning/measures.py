"""Planning measures, their append-only history, indicators, values and civil society's voice."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from tamatch.audit import record, snapshot
from tamatch.errors import DomainError, PermissionDenied
from tamatch.extensions import db
from tamatch.i18n.content import author_language, text_language
from tamatch.models import (
    Cluster,
    Engagement,
    EngagementOutcome,
    Indicator,
    IndicatorValue,
    Institution,
    Measure,
    MeasureStatus,
    MeasureUpdate,
    MeasureVisibility,
    PlanComment,
    Recommendation,
    User,
)
from tamatch.models.planning import need_measure
from tamatch.planning.permissions import can_comment_on_measure, can_edit_measure, can_plan
from tamatch.planning.services import clean, state_rows

# Ids, codes and dates only: titles and narratives stay out of the audit log.
MEASURE_FIELDS = (
    "status",
    "visibility",
    "start_on",
    "due_on",
    "cluster_id",
    "recommendations",
    "institutions",
)
INDICATOR_FIELDS = ("measure_id", "baseline_year", "target_year", "review_months")


@dataclass(frozen=True, slots=True)
class MeasureData:
    """Validated fields of a measure, as a form or the API hands them over."""

    title: str
    description: str = ""
    gap: str = ""
    cluster_id: int | None = None
    recommendation_ids: tuple[int, ...] = ()
    institution_ids: tuple[int, ...] = ()
    start_on: date | None = None
    due_on: date | None = None
    visibility: MeasureVisibility = MeasureVisibility.INTERNAL
    text_locale: str | None = None  # the language of its texts; None: as it was


def _require_editor(actor: User, measure: Measure) -> None:
    if not can_edit_measure(actor, measure):
        raise PermissionDenied(_("Only the State's focal points change its measures."))


def _has_comments(measure: Measure) -> bool:
    return bool(
        db.session.scalar(sa.select(sa.exists().where(PlanComment.measure_id == measure.id)))
    )


def _apply(measure: Measure, data: MeasureData) -> None:
    title = clean(data.title, "title")
    if not title:
        raise DomainError(_("Give the measure a title."), field="title")
    if data.cluster_id is None and not data.recommendation_ids:
        raise DomainError(
            _("Plan the measure on a cluster or on at least one recommendation."),
            field="recommendation_ids",
        )
    if data.start_on and data.due_on and data.due_on < data.start_on:
        raise DomainError(_("The due date must not be before the start."), field="due_on")
    if (
        measure.id is not None
        and data.visibility == MeasureVisibility.INTERNAL
        and measure.visibility != MeasureVisibility.INTERNAL
        and _has_comments(measure)
    ):
        raise DomainError(
            _("Civil society has commented on this measure: it can no longer be made internal."),
            field="visibility",
        )
    cluster = None
    if data.cluster_id is not None:
        cluster = state_rows(Cluster, measure.state_id, [data.cluster_id], "cluster_id")[0]
    measure.title = title
    measure.description = clean(data.description, "description")
    measure.gap = clean(data.gap, "gap")
    measure.text_locale = text_language(data.text_locale, measure.text_locale)
    measure.cluster_id = cluster.id if cluster is not None else None  # not through the
    # relationship, which would put a measure still being checked into the cluster's list
    measure.recommendations = state_rows(
        Recommendation, measure.state_id, data.recommendation_ids, "recommendation_ids"
    )
    measure.institutions = state_rows(
        Institution, measure.state_id, data.institution_ids, "institution_ids"
    )
    measure.start_on, measure.due_on = data.start_on, data.due_on
    measure.visibility = data.visibility


def create_measure(
    actor: User, data: MeasureData, status: MeasureStatus = MeasureStatus.PLANNED
) -> Measure:
    """Plan a measure for the actor's own State. Raises PermissionDenied, DomainError."""
    if not can_plan(actor):
        raise PermissionDenied(_("Only a State's focal points keep its plan."))
    measure = Measure(state_id=actor.state_id, created_by_id=actor.id, status=status)
    _apply(measure, data)  # before it joins the session: a refused measure leaves no trace
    db.session.add(measure)
    db.session.flush()
    db.session.expire(measure, ["cluster"])
    record(actor, "measure.create", measure, after=snapshot(measure, MEASURE_FIELDS))
    return measure


def update_measure(actor: User, measure: Measure, data: MeasureData) -> None:
    """Edit a measure's fields (its status moves through `add_update`)."""
    _require_editor(actor, measure)
    before = snapshot(measure, MEASURE_FIELDS)
    _apply(measure, data)
    db.session.flush()
    db.session.expire(measure, ["cluster"])
    record(actor, "measure.update", measure, before, snapshot(measure, MEASURE_FIELDS))


def add_update(
    actor: User,
    measure: Measure,
    note: str = "",
    status: MeasureStatus | None = None,
    engagement: Engagement | None = None,
) -> MeasureUpdate:
    """Append to the measure's history: a note, a status move, or both (never edited after).

    Raises PermissionDenied, DomainError when there is neither a note nor a change.
    """
    _require_editor(actor, measure)
    note = clean(note, "note")
    moved = status is not None and status != measure.status
    if not note and not moved and engagement is None:
        raise DomainError(_("Write what happened, or choose a new status."), field="note")
    update = MeasureUpdate(
        measure_id=measure.id,
        author_id=actor.id,
        note=note,
        status_from=measure.status if moved else None,
        status_to=status if moved else None,
        engagement_id=engagement.id if engagement is not None else None,
    )
    db.session.add(update)
    if moved:
        measure.status = status
    db.session.flush()
    after = {"status": measure.status.value, "engagement_id": update.engagement_id}
    record(actor, "measure.progress", measure, after=after)
    return update


def linked_engagements(measure: Measure) -> list[Engagement]:
    """Engagements on needs asked for this measure, oldest first."""
    return list(
        db.session.scalars(
            sa.select(Engagement)
            .join(need_measure, need_measure.c.need_id == Engagement.need_id)
            .where(need_measure.c.measure_id == measure.id)
            .order_by(Engagement.started_on, Engagement.id)
        )
    )


def apply_outcome(
    actor: User, measure: Measure, engagement: Engagement, status: MeasureStatus
) -> MeasureUpdate:
    """The State's explicit choice to move the measure after an engagement's recorded outcome
    (keeping the status is a choice too). Raises DomainError for an engagement not on the
    measure or without an outcome."""
    _require_editor(actor, measure)
    if engagement not in linked_engagements(measure):
        raise DomainError(_("This engagement does not serve this measure."))
    outcome = db.session.scalar(
        sa.select(EngagementOutcome).where(EngagementOutcome.engagement_id == engagement.id)
    )
    if outcome is None:
        raise DomainError(_("No outcome has been recorded for this engagement yet."))
    return add_update(actor, measure, status=status, engagement=engagement)


def delete_measure(actor: User, measure: Measure) -> None:
    """Delete a measure nobody else has written on: no comments, no need asked for it."""
    _require_editor(actor, measure)
    if _has_comments(measure):
        raise DomainError(_("Civil society has commented on this measure: cancel it instead."))
    asked = db.session.scalar(sa.select(sa.exists().where(need_measure.c.measure_id == measure.id)))
    if asked:
        raise DomainError(_("Support was asked for this measure: cancel it instead."))
    record(actor, "measure.delete", measure, before=snapshot(measure, MEASURE_FIELDS))
    db.session.delete(measure)
    db.session.flush()


# --- indicators and values ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IndicatorData:
    definition: str
    unit: str = ""
    baseline_value: float | None = None
    baseline_year: int | None = None
    target_value: float | None = None
    target_year: int | None = None
    source: str = ""
    review_months: int = 12


def _apply_indicator(indicator: Indicator, data: IndicatorData) -> None:
    if not clean(data.definition, "definition"):
        raise DomainError(_("Define the indicator."), field="definition")
    if data.baseline_year and data.target_year and data.target_year < data.baseline_year:
        raise DomainError(_("The target year must not be before the baseline."), "target_year")
    if not 1 <= data.review_months <= 120:
        raise DomainError(_("Expect a value every 1 to 120 months."), field="review_months")
    indicator.definition = clean(data.definition, "definition")
    indicator.unit = clean(data.unit, "unit")
    indicator.source = clean(data.source, "source")
    indicator.baseline_value, indicator.baseline_year = data.baseline_value, data.baseline_year
    indicator.target_value, indicator.target_year = data.target_value, data.target_year
    indicator.review_months = data.review_months


def create_indicator(actor: User, measure: Measure, data: IndicatorData) -> Indicator:
    _require_editor(actor, measure)
    indicator = Indicator(measure_id=measure.id)
    _apply_indicator(indicator, data)
    measure.indicators.append(indicator)
    db.session.flush()
    record(actor, "indicator.create", indicator, after=snapshot(indicator, INDICATOR_FIELDS))
    return indicator


def update_indicator(actor: User, indicator: Indicator, data: IndicatorData) -> None:
    _require_editor(actor, indicator.measure)
    before = snapshot(indicator, INDICATOR_FIELDS)
    _apply_indicator(indicator, data)
    db.session.flush()
    record(actor, "indicator.update", indicator, before, snapshot(indicator, INDICATOR_FIELDS))


def delete_indicator(actor: User, indicator: Indicator) -> None:
    _require_editor(actor, indicator.measure)
    commented = db.session.scalar(
        sa.select(sa.exists().where(PlanComment.indicator_id == indicator.id))
    )
    if commented:
        raise DomainError(_("Civil society has commented on this indicator: it stays."))
    record(actor, "indicator.delete", indicator, before=snapshot(indicator, INDICATOR_FIELDS))
    indicator.measure.indicators.remove(indicator)
    db.session.flush()


def record_value(
    actor: User, indicator: Indicator, observed_on: date, value: float, note: str = ""
) -> tuple[IndicatorValue, bool]:
    """Record the indicator's value on a day; a second value for the same day replaces the
    first (so a tracking tool can send it again). Returns the row and whether it is new."""
    _require_editor(actor, indicator.measure)
    if observed_on > date.today():
        raise DomainError(_("A value cannot be observed in the future."), field="observed_on")
    row = db.session.scalar(
        sa.select(IndicatorValue).where(
            IndicatorValue.indicator_id == indicator.id, IndicatorValue.observed_on == observed_on
        )
    )
    created = row is None
    if created:
        row = IndicatorValue(indicator_id=indicator.id, observed_on=observed_on)
        indicator.values.append(row)
    row.value, row.note, row.recorded_by_id = value, clean(note, "note"), actor.id
    db.session.flush()
    indicator.values.sort(key=lambda v: v.observed_on)
    action = "indicator.value" if created else "indicator.value_replace"
    record(actor, action, indicator, after={"observed_on": observed_on.isoformat()})
    return row, created


def delete_value(actor: User, value: IndicatorValue) -> None:
    indicator = value.indicator
    _require_editor(actor, indicator.measure)
    day = value.observed_on.isoformat()
    indicator.values.remove(value)
    db.session.flush()
    record(actor, "indicator.value_delete", indicator, before={"observed_on": day})


# --- comments -----------------------------------------------------------------------------


def add_comment(
    actor: User,
    measure: Measure,
    body: str,
    organisers_only: bool,
    indicator: Indicator | None = None,
) -> PlanComment:
    """Civil society or the NHRI of the State comments on a measure (or one of its indicators)."""
    if not can_comment_on_measure(actor, measure):
        raise PermissionDenied(_("Only civil society and the NHRI of this State comment here."))
    if indicator is not None and indicator.measure_id != measure.id:
        raise DomainError(_("That indicator belongs to another measure."))
    if not clean(body, "body"):
        raise DomainError(_("Write a comment first."), field="body")
    comment = PlanComment(
        measure_id=measure.id,
        indicator_id=indicator.id if indicator is not None else None,
        author_id=actor.id,
        body=body.strip(),
        organisers_only=organisers_only,
        text_locale=author_language(None),
    )
    db.session.add(comment)
    db.session.flush()
    after = {"organisers_only": organisers_only, "measure_id": measure.id}
    record(actor, "plan_comment.create", comment, after=after)
    return comment
