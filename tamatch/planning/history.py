"""A measure's history as its reader may see it: the State's entries, then what engagements
on the needs asked for it reported and how they ended, in time order."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from tamatch.extensions import db
from tamatch.followup.permissions import can_see_engagement, can_see_report
from tamatch.models import (
    Engagement,
    EngagementOutcome,
    Measure,
    MeasureUpdate,
    ProgressReport,
    ReportStatus,
    User,
)
from tamatch.planning.measures import linked_engagements


@dataclass(frozen=True, slots=True)
class HistoryItem:
    at: datetime
    kind: str  # "created", "update", "report" or "outcome"
    update: MeasureUpdate | None = None
    report: ProgressReport | None = None
    engagement: Engagement | None = None
    outcome: EngagementOutcome | None = None


def history(user: User | None, measure: Measure) -> list[HistoryItem]:
    """Newest first. Reports and outcomes appear only where `user` may see them."""
    items = [HistoryItem(measure.created_at, "created")]
    items += [HistoryItem(u.created_at, "update", update=u) for u in measure.updates]
    engagements = [e for e in linked_engagements(measure) if can_see_engagement(user, e)]
    ids = [e.id for e in engagements]
    if ids:
        by_id = {e.id: e for e in engagements}
        reports = db.session.scalars(
            sa.select(ProgressReport).where(
                ProgressReport.engagement_id.in_(ids),
                ProgressReport.status == ReportStatus.SUBMITTED,
            )
        )
        items += [
            HistoryItem(r.submitted_at, "report", report=r, engagement=by_id[r.engagement_id])
            for r in reports
            if can_see_report(user, r)
        ]
        outcomes = db.session.scalars(
            sa.select(EngagementOutcome).where(EngagementOutcome.engagement_id.in_(ids))
        )
        items += [
            HistoryItem(o.recorded_at, "outcome", outcome=o, engagement=by_id[o.engagement_id])
            for o in outcomes
        ]
    order = {"created": 0, "update": 1, "report": 2, "outcome": 3}
    return sorted(items, key=lambda i: (i.at, order[i.kind]), reverse=True)
