"""Implementation planning of a State: institutions, clusters, measures, indicators, comments."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tamatch.extensions import db
from tamatch.models.account import User
from tamatch.models.base import UTCDateTime, enum_column, link_table, text_locale_column, utcnow
from tamatch.models.recommendation import Recommendation
from tamatch.models.reference import State, Theme
from tamatch.models.round import Engagement


class InstitutionKind(StrEnum):
    MINISTRY = "ministry"
    AGENCY = "agency"
    PARLIAMENT = "parliament"  # a chamber or one of its committees
    JUDICIARY = "judiciary"  # courts, prosecution, judicial council
    NHRI = "nhri"  # consulted, but independent of the government
    LOCAL_GOVERNMENT = "local_government"
    OTHER = "other"


class MeasureStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    SUSPENDED = "suspended"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


# Statuses of a measure still under way: only these can be overdue.
OPEN_MEASURE_STATUSES = frozenset(
    {MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS, MeasureStatus.SUSPENDED}
)


class MeasureVisibility(StrEnum):
    """Who may see a measure besides its own State's focal points."""

    PUBLIC = "public"  # anyone, also without an account
    MEMBERS = "members"  # any signed-in member of the platform
    INTERNAL = "internal"  # the State's focal points only


recommendation_institution = link_table(
    "recommendation_institution", "recommendation", "institution"
)


class Institution(db.Model):
    """A ministry, agency, committee, court or the NHRI that holds recommendations of a State."""

    __tablename__ = "institution"
    __table_args__ = (sa.UniqueConstraint("state_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    state_id: Mapped[int] = mapped_column(sa.ForeignKey("state.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[InstitutionKind] = mapped_column(enum_column(InstitutionKind, "institution_kind"))
    # A role, not a person: "Head of the international cooperation unit".
    contact_role: Mapped[str] = mapped_column(sa.String(200), default="")
    archived: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    state: Mapped[State] = relationship()
    recommendations: Mapped[list[Recommendation]] = relationship(
        secondary=recommendation_institution
    )


# A recommendation is in at most one cluster of its State (the unique index says so).
cluster_recommendation = sa.Table(
    "cluster_recommendation",
    db.metadata,
    sa.Column("cluster_id", sa.ForeignKey("plan_cluster.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "recommendation_id",
        sa.ForeignKey("recommendation.id", ondelete="CASCADE"),
        primary_key=True,
        unique=True,
    ),
)
cluster_theme = link_table("cluster_theme", "plan_cluster", "theme", owner_column="cluster_id")
cluster_institution = link_table(
    "cluster_institution", "plan_cluster", "institution", owner_column="cluster_id"
)


class Cluster(db.Model):
    """Recommendations of several mechanisms and cycles grouped so one measure answers them."""

    __tablename__ = "plan_cluster"
    __table_args__ = (sa.UniqueConstraint("state_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    state_id: Mapped[int] = mapped_column(sa.ForeignKey("state.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    state: Mapped[State] = relationship()
    recommendations: Mapped[list[Recommendation]] = relationship(
        secondary=cluster_recommendation, order_by=Recommendation.id
    )
    themes: Mapped[list[Theme]] = relationship(secondary=cluster_theme)
    institutions: Mapped[list[Institution]] = relationship(secondary=cluster_institution)
    measures: Mapped[list["Measure"]] = relationship(back_populates="cluster")


measure_recommendation = link_table("measure_recommendation", "measure", "recommendation")
measure_institution = link_table("measure_institution", "measure", "institution")
# Needs asked for a measure ("ask for support") and the institutions a need concerns. Tables of
# their own rather than columns on the need, so that a joint need of several States can later
# link each State's measure and institutions.
need_measure = link_table("need_measure", "need", "measure")
need_institution = link_table("need_institution", "need", "institution")


class Measure(db.Model):
    """An action that implements recommendations (or a cluster of them)."""

    __tablename__ = "measure"
    __table_args__ = (
        sa.CheckConstraint(
            "start_on IS NULL OR due_on IS NULL OR due_on >= start_on", name="date_order"
        ),
        sa.Index("ix_measure_state_status", "state_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    state_id: Mapped[int] = mapped_column(sa.ForeignKey("state.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # What is missing to carry it out: the starting point of a need when support is asked.
    gap: Mapped[str] = mapped_column(sa.Text, default="")
    text_locale: Mapped[str | None] = text_locale_column()  # of title, description and gap
    cluster_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("plan_cluster.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[MeasureStatus] = mapped_column(
        enum_column(MeasureStatus, "measure_status"), default=MeasureStatus.PLANNED
    )
    visibility: Mapped[MeasureVisibility] = mapped_column(
        enum_column(MeasureVisibility, "measure_visibility"), default=MeasureVisibility.INTERNAL
    )
    start_on: Mapped[date | None] = mapped_column(sa.Date)
    due_on: Mapped[date | None] = mapped_column(sa.Date, index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    state: Mapped[State] = relationship()
    cluster: Mapped[Cluster | None] = relationship(back_populates="measures")
    recommendations: Mapped[list[Recommendation]] = relationship(
        secondary=measure_recommendation, order_by=Recommendation.id
    )
    institutions: Mapped[list[Institution]] = relationship(secondary=measure_institution)
    indicators: Mapped[list["Indicator"]] = relationship(
        back_populates="measure", cascade="all, delete-orphan", order_by="Indicator.id"
    )
    updates: Mapped[list["MeasureUpdate"]] = relationship(
        back_populates="measure",
        cascade="all, delete-orphan",
        order_by="MeasureUpdate.id",
        passive_deletes=True,
    )

    def is_overdue(self, today: date) -> bool:
        return (
            self.due_on is not None and self.due_on < today and self.status in OPEN_MEASURE_STATUSES
        )

    @property
    def all_recommendations(self) -> list[Recommendation]:
        """Its own recommendations and its cluster's, without repeats, by id."""
        rows = {r.id: r for r in self.recommendations}
        if self.cluster is not None:
            rows.update((r.id, r) for r in self.cluster.recommendations)
        return [rows[k] for k in sorted(rows)]


class MeasureUpdate(db.Model):
    """One entry of a measure's history: a note, a status move, or both. Never changed."""

    __tablename__ = "measure_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(
        sa.ForeignKey("measure.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    status_from: Mapped[MeasureStatus | None] = mapped_column(
        enum_column(MeasureStatus, "measure_update_from")
    )
    status_to: Mapped[MeasureStatus | None] = mapped_column(
        enum_column(MeasureStatus, "measure_update_to")
    )
    note: Mapped[str] = mapped_column(sa.Text, default="")
    # Set when the State applied an engagement's outcome to the measure.
    engagement_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("engagement.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    measure: Mapped[Measure] = relationship(back_populates="updates")
    author: Mapped[User | None] = relationship()
    engagement: Mapped[Engagement | None] = relationship()


@sa.event.listens_for(MeasureUpdate, "before_update")
def _history_is_append_only(_mapper, _connection, _target) -> None:
    raise ValueError("a measure's history entries are never changed")


class Indicator(db.Model):
    """How progress of a measure is measured: baseline, target, source and dated values."""

    __tablename__ = "indicator"
    __table_args__ = (
        sa.CheckConstraint("review_months BETWEEN 1 AND 120", name="review_range"),
        sa.CheckConstraint(
            "baseline_year IS NULL OR target_year IS NULL OR target_year >= baseline_year",
            name="year_order",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(
        sa.ForeignKey("measure.id", ondelete="CASCADE"), index=True
    )
    definition: Mapped[str] = mapped_column(sa.Text)
    unit: Mapped[str] = mapped_column(sa.String(60), default="")
    baseline_value: Mapped[float | None] = mapped_column(sa.Float)
    baseline_year: Mapped[int | None] = mapped_column()
    target_value: Mapped[float | None] = mapped_column(sa.Float)
    target_year: Mapped[int | None] = mapped_column()
    source: Mapped[str] = mapped_column(sa.String(300), default="")
    # A new value is expected at least this often; older than that, the indicator is stale.
    review_months: Mapped[int] = mapped_column(default=12, server_default="12")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    measure: Mapped[Measure] = relationship(back_populates="indicators")
    values: Mapped[list["IndicatorValue"]] = relationship(
        back_populates="indicator",
        cascade="all, delete-orphan",
        order_by="IndicatorValue.observed_on",
        passive_deletes=True,
    )

    @property
    def latest(self) -> "IndicatorValue | None":
        return self.values[-1] if self.values else None


class IndicatorValue(db.Model):
    """A value of an indicator observed on a day (one per day)."""

    __tablename__ = "indicator_value"
    __table_args__ = (sa.UniqueConstraint("indicator_id", "observed_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        sa.ForeignKey("indicator.id", ondelete="CASCADE"), index=True
    )
    observed_on: Mapped[date] = mapped_column(sa.Date)
    value: Mapped[float] = mapped_column(sa.Float)
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    indicator: Mapped[Indicator] = relationship(back_populates="values")


class PlanComment(db.Model):
    """Civil society's or the NHRI's comment on a measure (or one of its indicators).

    The State can neither edit nor delete it; nothing in the platform offers to.
    """

    __tablename__ = "plan_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(
        sa.ForeignKey("measure.id", ondelete="RESTRICT"), index=True
    )
    indicator_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("indicator.id", ondelete="RESTRICT"), index=True
    )
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    body: Mapped[str] = mapped_column(sa.Text)
    organisers_only: Mapped[bool] = mapped_column(default=False)
    text_locale: Mapped[str | None] = text_locale_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    measure: Mapped[Measure] = relationship()
    indicator: Mapped[Indicator | None] = relationship()
    author: Mapped[User] = relationship()
