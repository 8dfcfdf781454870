"""The mechanism calendar: deadlines, what is due for a person, and their iCalendar feed."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from icalendar import Calendar, Event
from sqlalchemy.orm import selectinload

from tamatch.audit import record
from tamatch.errors import DomainError, PermissionDenied
from tamatch.extensions import db
from tamatch.models import (
    OPEN_MEASURE_STATUSES,
    CalendarFeed,
    Deadline,
    DeadlineKind,
    Engagement,
    EngagementStatus,
    Measure,
    Mechanism,
    Offer,
    Recommendation,
    ReportDue,
    Role,
    User,
)
from tamatch.models.base import utcnow
from tamatch.planning.permissions import can_plan, is_plan_owner
from tamatch.planning.queries import add_months
from tamatch.planning.services import clean, state_rows

MIDTERM_MONTHS = 27  # half of the UPR's four and a half years
FEED_PREFIX = "cal_"  # tells feed tokens apart from API tokens


@dataclass(frozen=True, slots=True)
class DeadlineData:
    kind: DeadlineKind
    title: str
    due_on: date
    mechanism_id: int | None = None
    notes: str = ""
    recommendation_ids: tuple[int, ...] = ()


def _apply(deadline: Deadline, data: DeadlineData) -> None:
    if not clean(data.title, "title"):
        raise DomainError(_("Give the date a title."), field="title")
    if data.mechanism_id is not None and db.session.get(Mechanism, data.mechanism_id) is None:
        raise DomainError(_("Unknown %(what)s selected.", what=_("mechanism")), "mechanism_id")
    deadline.kind, deadline.title, deadline.due_on = (
        data.kind,
        clean(data.title, "title"),
        data.due_on,
    )
    deadline.mechanism_id, deadline.notes = data.mechanism_id, clean(data.notes, "notes")
    deadline.recommendations = state_rows(
        Recommendation, deadline.state_id, data.recommendation_ids, "recommendation_ids"
    )


def _audit(deadline: Deadline) -> dict:
    return {
        "kind": deadline.kind.value,
        "due_on": deadline.due_on.isoformat(),
        "recommendations": sorted(r.id for r in deadline.recommendations),
    }


def create_deadline(actor: User, data: DeadlineData, add_midterm: bool = False) -> list[Deadline]:
    """Add a date to the actor's State's calendar; for a UPR review, optionally its mid-term
    report too, half-way to the next review. Returns the rows added."""
    if not can_plan(actor):
        raise PermissionDenied(_("Only a State's focal points keep its calendar."))
    deadline = Deadline(state_id=actor.state_id, created_by_id=actor.id)
    _apply(deadline, data)
    db.session.add(deadline)
    added = [deadline]
    if add_midterm and data.kind == DeadlineKind.UPR_REVIEW:
        midterm = Deadline(
            state_id=actor.state_id,
            created_by_id=actor.id,
            kind=DeadlineKind.UPR_MIDTERM,
            mechanism_id=data.mechanism_id,
            title=deadline.title,
            due_on=add_months(data.due_on, MIDTERM_MONTHS),
        )
        db.session.add(midterm)
        added.append(midterm)
    db.session.flush()
    for row in added:
        record(actor, "deadline.create", row, after=_audit(row))
    return added


def update_deadline(actor: User, deadline: Deadline, data: DeadlineData) -> None:
    if not is_plan_owner(actor, deadline.state_id):
        raise PermissionDenied(_("Only the State's focal points change its calendar."))
    before = _audit(deadline)
    _apply(deadline, data)
    db.session.flush()
    record(actor, "deadline.update", deadline, before, _audit(deadline))


def delete_deadline(actor: User, deadline: Deadline) -> None:
    if not is_plan_owner(actor, deadline.state_id):
        raise PermissionDenied(_("Only the State's focal points change its calendar."))
    record(actor, "deadline.delete", deadline, before=_audit(deadline))
    db.session.delete(deadline)
    db.session.flush()


def state_deadlines(state_id: int, past: bool = False, today: date | None = None):
    today = today or date.today()
    stmt = sa.select(Deadline).where(Deadline.state_id == state_id)
    stmt = stmt.where(Deadline.due_on < today if past else Deadline.due_on >= today)
    order = Deadline.due_on.desc() if past else Deadline.due_on
    return stmt.options(selectinload(Deadline.recommendations)).order_by(order, Deadline.id)


# --- what is due ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DueEntry:
    """One dated thing a person should act on, with a site-relative link."""

    on: date
    kind: str  # a DeadlineKind value, "measure" or "report"
    title: str
    link: str
    uid: str  # stable across feeds, so calendar apps update rather than duplicate
    overdue: bool = False


def _link(endpoint: str, **values) -> str:
    return current_app.url_map.bind("").build(endpoint, values)


def what_is_due(user: User, today: date | None = None, past_days: int = 90) -> list[DueEntry]:
    """The person's dates, soonest first: for a focal point the State's calendar, its open
    measures' due dates and the State's side of progress reports; for a partner its reports."""
    today = today or date.today()
    since = today - timedelta(days=past_days)
    entries: list[DueEntry] = []
    if user.role == Role.FOCAL_POINT:
        entries += _deadline_entries(user.state_id, since)
        entries += _measure_entries(user.state_id, today)
    if user.role in (Role.FOCAL_POINT, Role.PARTNER):
        entries += _report_entries(user, since, today)
    return sorted(entries, key=lambda e: (e.on, e.kind, e.uid))


def _deadline_entries(state_id: int, since: date) -> list[DueEntry]:
    from tamatch.planning.labels import DEADLINE_KIND_LABELS

    rows = db.session.scalars(
        sa.select(Deadline).where(Deadline.state_id == state_id, Deadline.due_on >= since)
    )
    return [
        DueEntry(
            d.due_on,
            d.kind.value,
            f"{DEADLINE_KIND_LABELS[d.kind]}: {d.title}",
            _link("planning.calendar"),
            f"deadline-{d.id}",
        )
        for d in rows
    ]


def _measure_entries(state_id: int, today: date) -> list[DueEntry]:
    rows = db.session.scalars(
        sa.select(Measure).where(
            Measure.state_id == state_id,
            Measure.status.in_(OPEN_MEASURE_STATUSES),
            Measure.due_on.is_not(None),
        )
    )
    return [
        DueEntry(
            m.due_on,
            "measure",
            _("Measure due: %(title)s", title=m.title),
            _link("planning.measure", measure_id=m.id),
            f"measure-{m.id}",
            overdue=m.due_on < today,
        )
        for m in rows
    ]


def _report_entries(user: User, since: date, today: date) -> list[DueEntry]:
    stmt = (
        sa.select(ReportDue, Engagement, Offer)
        .join(Engagement, Engagement.id == ReportDue.engagement_id)
        .join(Offer, Offer.id == Engagement.offer_id)
        .where(Engagement.status == EngagementStatus.ACTIVE, ReportDue.due_on >= since)
    )
    if user.role == Role.FOCAL_POINT:
        from tamatch.models import Need

        stmt = stmt.join(Need, Need.id == Engagement.need_id).where(Need.state_id == user.state_id)
    else:
        stmt = stmt.where(Offer.organisation_id == user.organisation_id)
    return [
        DueEntry(
            due.due_on,
            "report",
            _("Progress report (%(m)s months): %(offer)s", m=due.stage_months, offer=offer.title),
            _link("followup.engagement", engagement_id=engagement.id),
            f"report-{due.id}",
            overdue=due.due_on < today,
        )
        for due, engagement, offer in db.session.execute(stmt)
    ]


# --- the iCalendar feed --------------------------------------------------------------------


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def feed_of(user: User) -> CalendarFeed | None:
    return db.session.scalar(sa.select(CalendarFeed).where(CalendarFeed.user_id == user.id))


def issue_feed(actor: User) -> str:
    """A new secret feed address for the actor (any earlier one stops working); returns the
    raw token, shown once and never stored."""
    raw = FEED_PREFIX + secrets.token_urlsafe(32)
    feed = feed_of(actor)
    action = "calendar_feed.regenerate" if feed is not None else "calendar_feed.create"
    if feed is None:
        feed = CalendarFeed(user_id=actor.id)
        db.session.add(feed)
    feed.token_hash, feed.created_at, feed.last_used_at = _hash(raw), utcnow(), None
    db.session.flush()
    record(actor, action, feed)
    return raw


def revoke_feed(actor: User) -> bool:
    feed = feed_of(actor)
    if feed is None:
        return False
    record(actor, "calendar_feed.revoke", feed)
    db.session.delete(feed)
    db.session.flush()
    return True


def feed_user(raw: str) -> User | None:
    """The active user whose live feed this token opens, or None."""
    if not raw.startswith(FEED_PREFIX) or len(raw) > 100:
        return None
    feed = db.session.scalar(sa.select(CalendarFeed).where(CalendarFeed.token_hash == _hash(raw)))
    if feed is None or not feed.user.active:
        return None
    now = utcnow()
    if feed.last_used_at is None or now - feed.last_used_at > timedelta(hours=1):
        feed.last_used_at = now
    return feed.user


def icalendar_bytes(user: User, base_url: str, today: date | None = None) -> bytes:
    """The person's dates as an RFC 5545 calendar of all-day events."""
    cal = Calendar()
    cal.add("prodid", "-//tamatch//planning calendar//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("tamatch: what is due"))
    stamp = utcnow()
    for entry in what_is_due(user, today):
        event = Event()
        event.add("uid", f"{entry.uid}@tamatch")
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.on)
        event.add("dtend", entry.on + timedelta(days=1))
        event.add("summary", entry.title)
        event.add("url", base_url.rstrip("/") + entry.link)
        event.add("categories", [entry.kind])
        cal.add_component(event)
    return cal.to_ical()
