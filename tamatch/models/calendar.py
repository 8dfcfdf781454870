"""A State's mechanism calendar, per-user calendar feeds and the planning reminders sent."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tamatch.extensions import db
from tamatch.models.account import User
from tamatch.models.base import UTCDateTime, enum_column, link_table, utcnow
from tamatch.models.recommendation import Recommendation
from tamatch.models.reference import Mechanism, State


class DeadlineKind(StrEnum):
    UPR_REVIEW = "upr_review"
    UPR_MIDTERM = "upr_midterm"
    TREATY_REPORT = "treaty_report"
    TREATY_FOLLOWUP = "treaty_followup"
    VISIT_FOLLOWUP = "visit_followup"  # a special procedure's country visit
    OTHER = "other"


deadline_recommendation = link_table("deadline_recommendation", "deadline", "recommendation")


class Deadline(db.Model):
    """A date a mechanism sets for the State: a review, a report, a follow-up answer."""

    __tablename__ = "deadline"
    __table_args__ = (sa.Index("ix_deadline_state_due", "state_id", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    state_id: Mapped[int] = mapped_column(sa.ForeignKey("state.id"))
    kind: Mapped[DeadlineKind] = mapped_column(enum_column(DeadlineKind, "deadline_kind"))
    mechanism_id: Mapped[int | None] = mapped_column(sa.ForeignKey("mechanism.id"))
    title: Mapped[str] = mapped_column(sa.String(200))
    due_on: Mapped[date] = mapped_column(sa.Date)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    state: Mapped[State] = relationship()
    mechanism: Mapped[Mechanism | None] = relationship()
    # For a treaty body's follow-up procedure: the recommendations it selected.
    recommendations: Mapped[list[Recommendation]] = relationship(
        secondary=deadline_recommendation, order_by=Recommendation.id
    )


class CalendarFeed(db.Model):
    """A user's secret iCalendar address; only its SHA-256 is kept. One live feed per user."""

    __tablename__ = "calendar_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), unique=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class PlanReminder(db.Model):
    """A planning reminder sent; unique per object, kind and date so cron reruns send nothing.

    `about_on` is the date the reminder is about (a due date, or the day an indicator went
    stale), so a moved due date is reminded again, once.
    """

    __tablename__ = "plan_reminder"
    __table_args__ = (sa.UniqueConstraint("kind", "object_id", "about_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(30))
    object_id: Mapped[int] = mapped_column()
    about_on: Mapped[date] = mapped_column(sa.Date)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
