"""Reports owed and reports sent: the one definition every page and figure counts with.

A report is owed for each stage of an engagement, by each side, once its due date has come,
or earlier once that side has submitted it: a report filed early is owed and sent (1 / 1),
never sent and not owed (1 / 0, or 0 % on the dashboard). A cancelled engagement owes nothing.
A report is on time when it was submitted (UTC day) on or before its due date.
"""

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from tamatch.models import (
    Engagement,
    EngagementStatus,
    ProgressReport,
    ReportDue,
    ReportStatus,
    Side,
)


def stages(today: date) -> sa.Subquery:
    """One row per report stage: its engagement, round and need, and for each side (the
    `state_` and `partner_` columns) whether its report is owed, sent and sent on time (0/1)."""
    columns = [
        ReportDue.id.label("report_due_id"),
        ReportDue.engagement_id.label("engagement_id"),
        Engagement.round_id.label("round_id"),
        Engagement.need_id.label("need_id"),
    ]
    stmt = (
        sa.select()
        .select_from(ReportDue)
        .join(Engagement, Engagement.id == ReportDue.engagement_id)
    )
    for side in Side:
        report = aliased(ProgressReport, name=f"{side.value}_report")
        stmt = stmt.outerjoin(
            report,
            sa.and_(
                report.report_due_id == ReportDue.id,
                report.side == side,
                report.status == ReportStatus.SUBMITTED,
            ),
        )
        sent = report.id.is_not(None)
        columns += [
            sa.case((sa.or_(ReportDue.due_on <= today, sent), 1), else_=0).label(
                f"{side.value}_owed"
            ),
            sa.case((sent, 1), else_=0).label(f"{side.value}_sent"),
            sa.case(
                (sa.and_(sent, sa.func.date(report.submitted_at) <= ReportDue.due_on), 1),
                else_=0,
            ).label(f"{side.value}_on_time"),
        ]
    return (
        stmt.add_columns(*columns)
        .where(Engagement.status != EngagementStatus.CANCELLED)
        .subquery("report_stages")
    )


def totals(table: sa.Subquery, sides: tuple[Side, ...] = tuple(Side)) -> list[sa.Label]:
    """owed, sent and on_time summed over `table`'s rows for `sides` (both by default)."""

    def total(kind: str) -> sa.Label:
        parts = [table.c[f"{side.value}_{kind}"] for side in sides]
        return sa.func.coalesce(sa.func.sum(sum(parts[1:], parts[0])), 0).label(kind)

    return [total("owed"), total("sent"), total("on_time")]
