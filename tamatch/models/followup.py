"""Follow-up: progress reports on engagements, evidence, comments, reviews, outcomes, practices."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tamatch.extensions import db
from tamatch.models.account import User
from tamatch.models.base import UTCDateTime, enum_column, link_table, text_locale_column, utcnow
from tamatch.models.recommendation import Recommendation
from tamatch.models.reference import SupportKind, Theme
from tamatch.models.round import Engagement, ReportDue, Side


class ReportStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class ImplementationStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    PARTIALLY_IMPLEMENTED = "partially_implemented"
    FULLY_IMPLEMENTED = "fully_implemented"


class Rating(StrEnum):
    NO_PROGRESS = "no_progress"
    LIMITED = "limited"
    SUBSTANTIAL = "substantial"
    COMPLETE = "complete"


class OutcomeKind(StrEnum):
    ACHIEVED = "achieved"
    PARTLY_ACHIEVED = "partly_achieved"
    NOT_ACHIEVED = "not_achieved"


class ProgressReport(db.Model):
    """One side's account of an engagement at a follow-up stage."""

    __tablename__ = "progress_report"
    __table_args__ = (sa.UniqueConstraint("report_due_id", "side"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_due_id: Mapped[int] = mapped_column(
        sa.ForeignKey("report_due.id", ondelete="CASCADE"), index=True
    )
    engagement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("engagement.id", ondelete="CASCADE"), index=True
    )
    side: Mapped[Side] = mapped_column(enum_column(Side, "report_side"))  # the CHECK keeps its name
    status: Mapped[ReportStatus] = mapped_column(
        enum_column(ReportStatus, "report_status"), default=ReportStatus.DRAFT
    )
    achievements: Mapped[str] = mapped_column(sa.Text, default="")
    challenges: Mapped[str] = mapped_column(sa.Text, default="")
    obstacles: Mapped[str] = mapped_column(sa.Text, default="")
    lessons: Mapped[str] = mapped_column(sa.Text, default="")
    text_locale: Mapped[str | None] = text_locale_column()  # of the four texts
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    report_due: Mapped[ReportDue] = relationship()
    engagement: Mapped[Engagement] = relationship()
    author: Mapped[User | None] = relationship()
    statuses: Mapped[list["RecommendationProgress"]] = relationship(
        back_populates="report", cascade="all, delete-orphan"
    )
    evidence: Mapped[list["Evidence"]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="Evidence.id"
    )
    comments: Mapped[list["Comment"]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="Comment.id"
    )
    reviews: Mapped[list["ReportReview"]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="ReportReview.id"
    )


class RecommendationProgress(db.Model):
    """The implementation status of one recommendation, as a report states it."""

    __tablename__ = "recommendation_progress"
    __table_args__ = (sa.UniqueConstraint("report_id", "recommendation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        sa.ForeignKey("progress_report.id", ondelete="CASCADE"), index=True
    )
    recommendation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recommendation.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[ImplementationStatus] = mapped_column(
        enum_column(ImplementationStatus, "implementation_status")
    )

    report: Mapped[ProgressReport] = relationship(back_populates="statuses")
    recommendation: Mapped[Recommendation] = relationship()


class Evidence(db.Model):
    """A link or an uploaded file backing a report; files live outside static, renamed."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        sa.ForeignKey("progress_report.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str | None] = mapped_column(sa.String(1000))
    filename: Mapped[str | None] = mapped_column(sa.String(255))  # the name the user gave
    stored_name: Mapped[str | None] = mapped_column(sa.String(80), unique=True)
    content_type: Mapped[str | None] = mapped_column(sa.String(120))
    size: Mapped[int | None] = mapped_column()
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    report: Mapped[ProgressReport] = relationship(back_populates="evidence")


class Comment(db.Model):
    """A comment by civil society or an NHRI on a report; the State cannot edit or delete it."""

    __tablename__ = "report_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        sa.ForeignKey("progress_report.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    body: Mapped[str] = mapped_column(sa.Text)
    organisers_only: Mapped[bool] = mapped_column(default=False)
    text_locale: Mapped[str | None] = text_locale_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    report: Mapped[ProgressReport] = relationship(back_populates="comments")
    author: Mapped[User] = relationship()


class ReportReview(db.Model):
    """A reviewer's assessment of a report."""

    __tablename__ = "report_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        sa.ForeignKey("progress_report.id", ondelete="CASCADE"), index=True
    )
    reviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    rating: Mapped[Rating] = mapped_column(enum_column(Rating, "rating"))
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    report: Mapped[ProgressReport] = relationship(back_populates="reviews")
    reviewer: Mapped[User] = relationship()


class EngagementOutcome(db.Model):
    """The outcome of an engagement, recorded by a reviewer."""

    __tablename__ = "engagement_outcome"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("engagement.id", ondelete="CASCADE"), unique=True
    )
    outcome: Mapped[OutcomeKind] = mapped_column(enum_column(OutcomeKind, "outcome_kind"))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    reviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    engagement: Mapped[Engagement] = relationship()
    reviewer: Mapped[User] = relationship()


class Reminder(db.Model):
    """A reminder sent for a due report; unique per stage and kind so cron reruns send nothing."""

    __tablename__ = "reminder"
    __table_args__ = (sa.UniqueConstraint("report_due_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_due_id: Mapped[int] = mapped_column(
        sa.ForeignKey("report_due.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(20))  # "due" or "overdue"
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


good_practice_theme = link_table("good_practice_theme", "good_practice", "theme")
good_practice_kind = link_table("good_practice_kind", "good_practice", "support_kind")


class GoodPractice(db.Model):
    """Lessons learnt from a completed engagement, published with the State's consent."""

    __tablename__ = "good_practice"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("engagement.id", ondelete="CASCADE"), unique=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text)
    consented_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    engagement: Mapped[Engagement] = relationship()
    themes: Mapped[list[Theme]] = relationship(secondary=good_practice_theme)
    support_kinds: Mapped[list[SupportKind]] = relationship(secondary=good_practice_kind)
