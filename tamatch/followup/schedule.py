"""What is due when: the traffic light of each report, and idempotent reminders for cron."""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from tamatch.auth.permissions import role_clause, side_members
from tamatch.extensions import db
from tamatch.i18n.content import isolated
from tamatch.models import (
    Engagement,
    EngagementStatus,
    ProgressReport,
    Reminder,
    ReportDue,
    ReportStatus,
    Role,
    Side,
    User,
)
from tamatch.notifications.services import notify

DUE_SOON_DAYS = 30


class Light(StrEnum):
    REPORTED = "reported"  # green
    DUE_SOON = "due_soon"  # amber: due within 30 days
    OVERDUE = "overdue"  # red
    LATER = "later"  # grey: not due yet


@dataclass(frozen=True, slots=True)
class DueItem:
    due: ReportDue
    side: Side
    report: ProgressReport | None
    light: Light


def light_for(due_on: date, submitted: bool, today: date) -> Light:
    if submitted:
        return Light.REPORTED
    if due_on < today:
        return Light.OVERDUE
    if due_on <= today + timedelta(days=DUE_SOON_DAYS):
        return Light.DUE_SOON
    return Light.LATER


def schedule(engagements: list[Engagement], today: date | None = None) -> list[DueItem]:
    """For each report due (State and partner side), its report and light, soonest first."""
    today = today or date.today()
    ids = [e.id for e in engagements]
    reports = {
        (r.report_due_id, r.side): r
        for r in db.session.scalars(
            sa.select(ProgressReport).where(ProgressReport.engagement_id.in_(ids))
        )
    }
    items = []
    for engagement in engagements:
        for due in engagement.reports_due:
            for side in Side:
                report = reports.get((due.id, side))
                submitted = report is not None and report.status == ReportStatus.SUBMITTED
                items.append(DueItem(due, side, report, light_for(due.due_on, submitted, today)))
    order = list(Side)
    return sorted(items, key=lambda i: (i.due.due_on, i.due.engagement_id, order.index(i.side)))


def send_reminders(today: date | None = None) -> dict[str, int]:
    """One reminder per due report and kind ("due" within 30 days, "overdue"); a second run the
    same day sends nothing new. Organisers hear of overdue reports. Returns counts."""
    today = today or date.today()
    horizon = today + timedelta(days=DUE_SOON_DAYS)
    dues = db.session.scalars(
        sa.select(ReportDue)
        .join(Engagement, Engagement.id == ReportDue.engagement_id)
        .where(Engagement.status == EngagementStatus.ACTIVE, ReportDue.due_on <= horizon)
        .options(selectinload(ReportDue.engagement))
    ).all()
    sent = {"due": 0, "overdue": 0, "people": 0}
    done = set(db.session.execute(sa.select(Reminder.report_due_id, Reminder.kind)).all())
    organisers = list(db.session.scalars(sa.select(User).where(role_clause(Role.ORGANISER))))
    for due in dues:
        kind = "overdue" if due.due_on < today else "due"
        if (due.id, kind) in done:
            continue
        missing = _missing_sides(due)
        if not missing:
            continue
        db.session.add(Reminder(report_due_id=due.id, kind=kind))
        sent[kind] += 1
        sent["people"] += _remind(due, missing, kind, organisers)
    db.session.flush()
    return sent


def _missing_sides(due: ReportDue) -> list[Side]:
    submitted = set(
        db.session.scalars(
            sa.select(ProgressReport.side).where(
                ProgressReport.report_due_id == due.id,
                ProgressReport.status == ReportStatus.SUBMITTED,
            )
        )
    )
    return [side for side in Side if side not in submitted]


def _remind(due: ReportDue, missing: list[Side], kind: str, organisers: list[User]) -> int:
    engagement = due.engagement
    link = current_app.url_map.bind("").build(
        "followup.engagement", {"engagement_id": engagement.id}
    )
    if kind == "due":
        subject = _l("A progress report is due on %(day)s", day=due.due_on.isoformat())
    else:
        subject = _l("A progress report is overdue since %(day)s", day=due.due_on.isoformat())
    body = _l(
        "The %(months)s-month progress report on the engagement “%(offer)s” is awaited.",
        months=due.stage_months,
        offer=isolated(engagement.offer.title),
    )
    told = 0
    for side in missing:
        told += notify(side_members(side, engagement.need, engagement.offer), subject, body, link)
    if kind == "overdue":
        told += notify(organisers, subject, body, link)
    return told
