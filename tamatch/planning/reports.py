"""The tables States must write: the UPR mid-term report and treaty-body follow-up, and the
measures list. Frames with headers through `_()`, cells neutralised by the writers."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

import pandas as pd
import sqlalchemy as sa
from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from tamatch.extensions import db
from tamatch.i18n.names import state_name
from tamatch.labels import ENGAGEMENT_STATUS_LABELS, IMPLEMENTATION_LABELS
from tamatch.models import (
    Deadline,
    DeadlineKind,
    Engagement,
    ImplementationStatus,
    Indicator,
    Measure,
    Mechanism,
    MechanismKind,
    Offer,
    Recommendation,
    User,
)
from tamatch.models.need import need_recommendation
from tamatch.models.planning import need_measure
from tamatch.planning.labels import MEASURE_STATUS_LABELS, MEASURE_VISIBILITY_LABELS
from tamatch.planning.queries import MeasureFilters, measures_query, tracker_rows

MAX_ROWS = 50_000
SEPARATOR = "\n"


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _number(value: float | None) -> str:
    return "" if value is None else format_decimal(value)


def indicator_line(indicator: Indicator) -> str:
    """ "Definition: 42 % (2025-06-30); baseline 30 % (2022); target 60 % (2027)"."""
    unit = f" {indicator.unit}" if indicator.unit else ""
    parts = [indicator.definition.splitlines()[0][:300]]
    latest = indicator.latest
    head = parts[0] + ": "
    head += (
        f"{_number(latest.value)}{unit} ({_day(latest.observed_on)})"
        if latest
        else _("no value yet")
    )
    tail = []
    if indicator.baseline_value is not None:
        tail.append(
            _("baseline %(v)s", v=f"{_number(indicator.baseline_value)}{unit}")
            + (f" ({indicator.baseline_year})" if indicator.baseline_year else "")
        )
    if indicator.target_value is not None:
        tail.append(
            _("target %(v)s", v=f"{_number(indicator.target_value)}{unit}")
            + (f" ({indicator.target_year})" if indicator.target_year else "")
        )
    return "; ".join([head, *tail])


def measure_line(measure: Measure) -> str:
    due = _("due %(d)s", d=_day(measure.due_on)) if measure.due_on else _("no due date")
    return f"{measure.title} ({MEASURE_STATUS_LABELS[measure.status]}, {due})"


def _indicators(measure_ids: Iterable[int]) -> dict[int, list[Indicator]]:
    ids = sorted(set(measure_ids))
    out: dict[int, list[Indicator]] = defaultdict(list)
    if not ids:
        return out
    for indicator in db.session.scalars(
        sa.select(Indicator)
        .where(Indicator.measure_id.in_(ids))
        .options(selectinload(Indicator.values))
        .order_by(Indicator.id)
    ):
        out[indicator.measure_id].append(indicator)
    return out


def _engagements(state_id: int, rec_ids: list[int]) -> dict[int, list[str]]:
    """Engagement lines per recommendation: on needs citing it or asked for its measures."""
    out: dict[int, list[str]] = defaultdict(list)
    if not rec_ids:
        return out
    stmt = (
        sa.select(need_recommendation.c.recommendation_id, Engagement, Offer)
        .join(Engagement, Engagement.need_id == need_recommendation.c.need_id)
        .join(Offer, Offer.id == Engagement.offer_id)
        .where(need_recommendation.c.recommendation_id.in_(rec_ids))
        .options(selectinload(Offer.organisation))
        .order_by(Engagement.started_on, Engagement.id)
    )
    for rec_id, engagement, offer in db.session.execute(stmt):
        line = _(
            "%(offer)s, %(org)s, since %(d)s (%(status)s)",
            offer=offer.title,
            org=offer.organisation.name,
            d=_day(engagement.started_on),
            status=ENGAGEMENT_STATUS_LABELS[engagement.status],
        )
        if line not in out[rec_id]:
            out[rec_id].append(line)
    return out


def _status(rec: Recommendation) -> str:
    if rec.implementation_status not in set(ImplementationStatus):
        return ""
    return str(IMPLEMENTATION_LABELS[ImplementationStatus(rec.implementation_status)])


def recommendation_rows(state_id: int, recs: list[Recommendation]) -> list[dict]:
    """The columns shared by both report tables, one dict per recommendation."""
    from tamatch.templating import RESPONSE_LABELS

    ids = [r.id for r in recs]
    tracked = tracker_rows(state_id, ids)
    indicators = _indicators(m.id for row in tracked.values() for m in row["measures"])
    engagements = _engagements(state_id, ids)
    # Each measure's and indicator's text once (Babel's number formatting is not free).
    unique = {m.id: m for row in tracked.values() for m in row["measures"]}
    measure_text = {m_id: measure_line(m) for m_id, m in unique.items()}
    indicator_text = {
        m_id: [indicator_line(i) for i in items] for m_id, items in indicators.items()
    }
    names = [
        _("Recommendation"), _("Text"), _("Response"), _("Implementation status"), _("Cluster"),
        _("Responsible institutions"), _("Measures"), _("Indicators (latest value)"),
        _("Engagements"),
    ]  # fmt: skip
    responses = {r: str(label) for r, label in RESPONSE_LABELS.items()}
    rows = []
    for rec in recs:
        row = tracked[rec.id]
        measures = row["measures"]
        values = (
            rec.reference,
            rec.text,
            responses[rec.response],
            _status(rec),
            row["cluster"].title if row["cluster"] else "",
            SEPARATOR.join(i.name for i in row["institutions"]),
            SEPARATOR.join(measure_text[m.id] for m in measures),
            SEPARATOR.join(line for m in measures for line in indicator_text.get(m.id, [])),
            SEPARATOR.join(engagements[rec.id]),
        )
        rows.append(dict(zip(names, values, strict=True)))
    return rows


def upr_cycles(state_id: int) -> list[int]:
    return list(
        db.session.scalars(
            sa.select(Recommendation.cycle)
            .distinct()
            .join(Mechanism, Mechanism.id == Recommendation.mechanism_id)
            .where(
                Recommendation.state_id == state_id,
                Mechanism.kind == MechanismKind.UPR,
                Recommendation.cycle.is_not(None),
            )
            .order_by(Recommendation.cycle.desc())
        )
    )


def midterm_frame(state_id: int, cycle: int | None) -> pd.DataFrame:
    """The draft UPR mid-term report table: every UPR recommendation of the cycle."""
    stmt = (
        sa.select(Recommendation)
        .join(Mechanism, Mechanism.id == Recommendation.mechanism_id)
        .where(Recommendation.state_id == state_id, Mechanism.kind == MechanismKind.UPR)
        .options(selectinload(Recommendation.recommending_states))
        .order_by(Recommendation.id)
        .limit(MAX_ROWS)
    )
    if cycle is not None:
        stmt = stmt.where(Recommendation.cycle == cycle)
    recs = list(db.session.scalars(stmt))
    rows = recommendation_rows(state_id, recs)
    by = _("Recommended by")
    for rec, row in zip(recs, rows, strict=True):
        row[by] = ", ".join(s.name for s in rec.recommending_states)
    columns = [
        _("Recommendation"),
        _("Text"),
        _("Recommended by"),
        _("Response"),
        _("Implementation status"),
        _("Cluster"),
        _("Responsible institutions"),
        _("Measures"),
        _("Indicators (latest value)"),
        _("Engagements"),
    ]
    return pd.DataFrame(rows, columns=columns)


def treaty_followup_frame(state_id: int, deadline_id: int | None = None) -> pd.DataFrame:
    """Per treaty-body follow-up deadline, the recommendations selected and what was done."""
    stmt = (
        sa.select(Deadline)
        .where(Deadline.state_id == state_id, Deadline.kind == DeadlineKind.TREATY_FOLLOWUP)
        .options(selectinload(Deadline.recommendations), selectinload(Deadline.mechanism))
        .order_by(Deadline.due_on, Deadline.id)
    )
    if deadline_id is not None:
        stmt = stmt.where(Deadline.id == deadline_id)
    rows = []
    for deadline in db.session.scalars(stmt):
        recs = list(deadline.recommendations)
        for row in recommendation_rows(state_id, recs):
            rows.append(
                {
                    _("Follow-up"): deadline.title,
                    _("Committee"): deadline.mechanism.code if deadline.mechanism else "",
                    _("Due"): _day(deadline.due_on),
                    **row,
                }
            )
    columns = [
        _("Follow-up"),
        _("Committee"),
        _("Due"),
        _("Recommendation"),
        _("Text"),
        _("Implementation status"),
        _("Responsible institutions"),
        _("Measures"),
        _("Indicators (latest value)"),
        _("Engagements"),
    ]
    return pd.DataFrame(rows, columns=columns)


def measures_frame(user: User | None, filters: MeasureFilters) -> pd.DataFrame:
    """The measures list as filtered on screen, within the reader's visibility."""
    stmt = measures_query(user, filters).options(
        selectinload(Measure.recommendations),
        selectinload(Measure.cluster),
        selectinload(Measure.indicators).selectinload(Indicator.values),
    )
    rows = []
    for m in db.session.scalars(stmt.limit(MAX_ROWS)):
        rows.append(
            {
                _("ID"): m.id,
                _("State"): state_name(m.state),
                _("Title"): m.title,
                _("Status"): str(MEASURE_STATUS_LABELS[m.status]),
                _("Visibility"): str(MEASURE_VISIBILITY_LABELS[m.visibility]).split(":")[0],
                _("Start"): _day(m.start_on),
                _("Due"): _day(m.due_on),
                _("Cluster"): m.cluster.title if m.cluster else "",
                _("Responsible institutions"): "; ".join(i.name for i in m.institutions),
                _("Recommendations"): "; ".join(r.reference for r in m.recommendations),
                _("Indicators (latest value)"): SEPARATOR.join(
                    indicator_line(i) for i in m.indicators
                ),
                _("Description"): m.description,
            }
        )
    return pd.DataFrame(rows)


def linked_need_ids(measure_id: int) -> list[int]:
    return list(
        db.session.scalars(
            sa.select(need_measure.c.need_id).where(need_measure.c.measure_id == measure_id)
        )
    )
