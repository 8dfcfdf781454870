"""Needs: capacity-building requests a State posts, tied to recommendations it received."""

from datetime import date, datetime
from enum import IntEnum, StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tamatch.extensions import db
from tamatch.models.account import User
from tamatch.models.base import UTCDateTime, enum_column, link_table, text_locale_column, utcnow
from tamatch.models.recommendation import Recommendation
from tamatch.models.reference import Language, State, SupportKind, Theme


class NeedStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    MATCHED = "matched"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


class Visibility(StrEnum):
    """Who may see a need besides its own State's focal points."""

    PUBLIC = "public"  # anyone, also without an account
    MEMBERS = "members"  # any signed-in member of the platform
    CONFIDENTIAL = "confidential"  # organisers, and the partner of an engagement on it


class Priority(IntEnum):
    LOW = 1
    MEDIUM = 2
    HIGH = 3


need_recommendation = link_table("need_recommendation", "need", "recommendation")
need_theme = link_table("need_theme", "need", "theme")
need_support_kind = link_table("need_support_kind", "need", "support_kind")
need_language = link_table("need_language", "need", "language")


class Need(db.Model):
    """A State's request for support; the State comes from the poster's account."""

    __tablename__ = "need"
    __table_args__ = (
        sa.CheckConstraint("cost_min >= 0 AND cost_max >= cost_min", name="cost_range"),
        sa.CheckConstraint("window_end >= window_start", name="window_order"),
        sa.CheckConstraint("priority BETWEEN 1 AND 3", name="priority_range"),
        sa.Index("ix_need_status_visibility", "status", "visibility"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    state_id: Mapped[int] = mapped_column(sa.ForeignKey("state.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    gap: Mapped[str] = mapped_column(sa.Text)
    text_locale: Mapped[str | None] = text_locale_column()  # of the title and the gap
    status: Mapped[NeedStatus] = mapped_column(
        enum_column(NeedStatus, "need_status"), default=NeedStatus.DRAFT
    )
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility, "visibility"), default=Visibility.MEMBERS
    )
    # Estimated cost in US dollars, as a range.
    cost_min: Mapped[int] = mapped_column()
    cost_max: Mapped[int] = mapped_column()
    window_start: Mapped[date] = mapped_column(sa.Date)
    window_end: Mapped[date] = mapped_column(sa.Date)
    priority: Mapped[int] = mapped_column(default=int(Priority.MEDIUM))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    state: Mapped[State] = relationship()
    created_by: Mapped[User | None] = relationship()
    recommendations: Mapped[list[Recommendation]] = relationship(secondary=need_recommendation)
    themes: Mapped[list[Theme]] = relationship(secondary=need_theme)
    support_kinds: Mapped[list[SupportKind]] = relationship(secondary=need_support_kind)
    languages: Mapped[list[Language]] = relationship(secondary=need_language)
    # Optional: the State's institutions it concerns, the measures it asks support for
    # (tables in tamatch.models.planning).
    institutions: Mapped[list["Institution"]] = relationship(secondary="need_institution")  # noqa: F821
    measures: Mapped[list["Measure"]] = relationship(secondary="need_measure")  # noqa: F821
    # A joint need of several States (tamatch.models.cohort); None for a State's own need.
    cohort: Mapped["NeedCohort | None"] = relationship(back_populates="need")  # noqa: F821

    @property
    def priority_label(self) -> str:
        return Priority(self.priority).name.lower()
