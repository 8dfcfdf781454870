"""Match rounds, their solver runs, proposals, pair rules and per-need outcomes."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from solver.settings import COVERAGE_FIRST, LDC_TRANSITION_YEARS, TIME_LIMIT
from tamatch.extensions import db
from tamatch.models.account import User
from tamatch.models.base import UTCDateTime, enum_column, link_table, utcnow
from tamatch.models.need import Need
from tamatch.models.offer import Offer
from tamatch.models.reference import RegionalGroup, Theme


class RoundStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    SOLVED = "solved"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class RunStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


class PairRuleKind(StrEnum):
    PIN = "pin"
    FORBID = "forbid"


class Side(StrEnum):
    """The two sides of a need-offer pair: the State that posted the need, the partner that
    made the offer."""

    STATE = "state"
    PARTNER = "partner"


class Decision(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class ProposalStatus(StrEnum):
    DRAFT = "draft"  # part of an unpublished run
    PENDING = "pending"  # published, waiting for both sides
    ACCEPTED = "accepted"  # both accepted: an engagement exists
    DECLINED = "declined"  # one side declined
    LAPSED = "lapsed"  # it could no longer start: see `Proposal.lapse_reason`


class LapseReason(StrEnum):
    """Why a waiting proposal lapsed (stored as a code, worded at display time)."""

    CAPACITY = "capacity"  # the offer had no capacity or budget left
    DEADLINE = "deadline"  # the answer deadline passed
    NEED = "need"  # the State withdrew the need (or it was served elsewhere)
    OFFER = "offer"  # the partner closed the offer
    ROUND = "round"  # the round was archived, or its answers closed


round_theme = link_table(
    "round_theme", "match_round", "theme", owner_column="round_id", index=False
)


class RoundGroup(db.Model):
    """A regional group a round covers (none: all groups)."""

    __tablename__ = "round_group"

    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("match_round.id", ondelete="CASCADE"), primary_key=True
    )
    regional_group: Mapped[RegionalGroup] = mapped_column(
        enum_column(RegionalGroup, "regional_group"), primary_key=True
    )


class MatchRound(db.Model):
    """One run of matchmaking for a Council session or a theme."""

    __tablename__ = "match_round"
    __table_args__ = (
        sa.CheckConstraint("time_limit BETWEEN 1 AND 600", name="time_limit_range"),
        sa.CheckConstraint("max_per_state IS NULL OR max_per_state >= 1", name="cap_positive"),
        sa.CheckConstraint("ldc_transition_years BETWEEN 0 AND 10", name="transition_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    serves: Mapped[str] = mapped_column(sa.String(200))  # the session or theme it serves
    status: Mapped[RoundStatus] = mapped_column(
        enum_column(RoundStatus, "round_status"), default=RoundStatus.DRAFT, index=True
    )
    submission_deadline: Mapped[date] = mapped_column(sa.Date)
    followup_months: Mapped[list[int]] = mapped_column(sa.JSON, default=lambda: [6])
    weights: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    max_per_state: Mapped[int | None] = mapped_column()
    coverage_first: Mapped[bool] = mapped_column(default=COVERAGE_FIRST)
    time_limit: Mapped[int] = mapped_column(default=TIME_LIMIT)
    # Years after leaving the LDC category a State keeps the smaller LDC priority (RunSettings).
    ldc_transition_years: Mapped[int] = mapped_column(default=LDC_TRANSITION_YEARS)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    themes: Mapped[list[Theme]] = relationship(secondary=round_theme)
    created_by: Mapped[User | None] = relationship()
    group_rows: Mapped[list[RoundGroup]] = relationship(cascade="all, delete-orphan")
    runs: Mapped[list["SolveRun"]] = relationship(
        back_populates="round",
        order_by="SolveRun.id.desc()",
    )

    @property
    def regional_groups(self) -> list[RegionalGroup]:
        return [row.regional_group for row in self.group_rows]

    @property
    def published_runs(self) -> list["SolveRun"]:
        """Runs whose proposals went to the States and partners (one per pass)."""
        return [run for run in self.runs if run.published_at is not None]

    @regional_groups.setter
    def regional_groups(self, groups: list[RegionalGroup]) -> None:
        self.group_rows = [RoundGroup(regional_group=g) for g in groups]


class RoundExclusion(db.Model):
    """A focal point or partner took its need or offer out of a round."""

    __tablename__ = "round_exclusion"
    __table_args__ = (
        sa.CheckConstraint("(need_id IS NULL) <> (offer_id IS NULL)", name="need_or_offer"),
        sa.UniqueConstraint("round_id", "need_id", "offer_id", name="uq_round_exclusion_item"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("match_round.id", ondelete="CASCADE"), index=True
    )
    need_id: Mapped[int | None] = mapped_column(sa.ForeignKey("need.id", ondelete="CASCADE"))
    offer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("offer.id", ondelete="CASCADE"))
    by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PairRule(db.Model):
    """A pair the organiser pinned, or a pair that must not be proposed again."""

    __tablename__ = "pair_rule"
    __table_args__ = (sa.UniqueConstraint("round_id", "need_id", "offer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("match_round.id", ondelete="CASCADE"), index=True
    )
    need_id: Mapped[int] = mapped_column(sa.ForeignKey("need.id", ondelete="CASCADE"))
    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("offer.id", ondelete="CASCADE"))
    kind: Mapped[PairRuleKind] = mapped_column(enum_column(PairRuleKind, "pair_rule_kind"))
    reason: Mapped[str] = mapped_column(sa.String(500), default="")
    by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    need: Mapped[Need] = relationship()
    offer: Mapped[Offer] = relationship()


class SolveRun(db.Model):
    """One solve of a round with given settings, run as a background job."""

    __tablename__ = "solve_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("match_round.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(sa.String(200), default="")
    pass_number: Mapped[int] = mapped_column(default=1)
    status: Mapped[RunStatus] = mapped_column(
        enum_column(RunStatus, "run_status"), default=RunStatus.QUEUED
    )
    settings: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    progress: Mapped[str] = mapped_column(sa.String(300), default="")
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    error: Mapped[str] = mapped_column(sa.Text, default="")
    solver_status: Mapped[str] = mapped_column(sa.String(20), default="")
    objective: Mapped[int | None] = mapped_column(sa.BigInteger)
    bound: Mapped[int | None] = mapped_column(sa.BigInteger)
    # bound: the best score of any assignment serving at least needs_served needs (coverage
    # first) or of any assignment; gap: (bound - objective) / bound, on the score alone.
    gap: Mapped[float | None] = mapped_column()
    # The most needs any assignment could serve (None for runs made before it was stored).
    needs_bound: Mapped[int | None] = mapped_column()
    seconds: Mapped[float | None] = mapped_column()
    needs_entered: Mapped[int] = mapped_column(default=0)
    offers_entered: Mapped[int] = mapped_column(default=0)
    needs_served: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last day (UTC) on which the sides may answer this run's proposals; set on publish.
    answers_due: Mapped[date | None] = mapped_column(sa.Date)
    # host:pid of the process solving it, so a reaper can tell a run whose worker is gone.
    worker: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")

    round: Mapped[MatchRound] = relationship(back_populates="runs")
    created_by: Mapped[User | None] = relationship()

    @property
    def finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED, RunStatus.CANCELLED)


class RunOutcome(db.Model):
    """What a run decided for one need that entered it: its offer, or why none."""

    __tablename__ = "run_outcome"
    __table_args__ = (sa.UniqueConstraint("run_id", "need_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("solve_run.id", ondelete="CASCADE"))
    need_id: Mapped[int] = mapped_column(sa.ForeignKey("need.id", ondelete="CASCADE"), index=True)
    offer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("offer.id", ondelete="CASCADE"))
    score: Mapped[int | None] = mapped_column()
    cost: Mapped[int | None] = mapped_column()
    # Facts, never words (tamatch/rounds/render.py renders them for each reader):
    # explanation: the score components, [{"code": "status", "points": 10,
    #   "args": {"flag": "ldc", "state": "NPL"}}, ...]; reasons: why no offer suits the need.
    explanation: Mapped[list] = mapped_column(sa.JSON, default=list)
    reason_code: Mapped[str] = mapped_column(sa.String(40), default="")
    reasons: Mapped[list] = mapped_column(sa.JSON, default=list)
    # Next-best offers: [{"offer_id": int, "score": int, "cost": int}, ...]
    alternatives: Mapped[list] = mapped_column(sa.JSON, default=list)

    need: Mapped[Need] = relationship()
    offer: Mapped[Offer | None] = relationship()
    proposal: Mapped["Proposal | None"] = relationship(back_populates="outcome")


class Proposal(db.Model):
    """A match of a published run, waiting for both sides' consent."""

    __tablename__ = "proposal"
    __table_args__ = (sa.Index("ix_proposal_offer_status", "offer_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = mapped_column(
        sa.ForeignKey("run_outcome.id", ondelete="CASCADE"), unique=True
    )
    run_id: Mapped[int] = mapped_column(
        sa.ForeignKey("solve_run.id", ondelete="CASCADE"), index=True
    )
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("match_round.id", ondelete="CASCADE"), index=True
    )
    need_id: Mapped[int] = mapped_column(sa.ForeignKey("need.id", ondelete="CASCADE"), index=True)
    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("offer.id", ondelete="CASCADE"))
    score: Mapped[int] = mapped_column()
    cost: Mapped[int] = mapped_column()
    status: Mapped[ProposalStatus] = mapped_column(
        enum_column(ProposalStatus, "proposal_status"), default=ProposalStatus.DRAFT
    )
    state_decision: Mapped[Decision] = mapped_column(
        enum_column(Decision, "state_decision"), default=Decision.PENDING
    )
    partner_decision: Mapped[Decision] = mapped_column(
        enum_column(Decision, "partner_decision"), default=Decision.PENDING
    )
    state_reason: Mapped[str] = mapped_column(sa.String(1000), default="")
    partner_reason: Mapped[str] = mapped_column(sa.String(1000), default="")
    state_decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    partner_decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    state_decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    partner_decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lapse_reason: Mapped[str] = mapped_column(sa.String(20), default="", server_default="")
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # deadline reminder

    outcome: Mapped[RunOutcome] = relationship(back_populates="proposal")
    run: Mapped[SolveRun] = relationship()
    round: Mapped[MatchRound] = relationship()
    need: Mapped[Need] = relationship()
    offer: Mapped[Offer] = relationship()
    engagement: Mapped["Engagement | None"] = relationship(back_populates="proposal")


class EngagementStatus(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Engagement(db.Model):
    """A proposal both sides accepted: the support begins."""

    __tablename__ = "engagement"
    __table_args__ = (
        # A need has at most one active engagement, whatever path tries to start a second.
        sa.Index(
            "uq_engagement_active_need",
            "need_id",
            unique=True,
            sqlite_where=sa.text("status = 'active'"),
            postgresql_where=sa.text("status = 'active'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposal.id"), unique=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("match_round.id"), index=True)
    need_id: Mapped[int] = mapped_column(sa.ForeignKey("need.id"), index=True)
    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("offer.id"), index=True)
    cost: Mapped[int] = mapped_column()
    started_on: Mapped[date] = mapped_column(sa.Date)
    status: Mapped[EngagementStatus] = mapped_column(
        enum_column(EngagementStatus, "engagement_status"), default=EngagementStatus.ACTIVE
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    proposal: Mapped[Proposal] = relationship(back_populates="engagement")
    need: Mapped[Need] = relationship()
    offer: Mapped[Offer] = relationship()
    reports_due: Mapped[list["ReportDue"]] = relationship(
        back_populates="engagement", order_by="ReportDue.due_on", cascade="all, delete-orphan"
    )


class ReportDue(db.Model):
    """A progress report due at a follow-up stage (months after the engagement starts)."""

    __tablename__ = "report_due"
    __table_args__ = (sa.UniqueConstraint("engagement_id", "stage_months"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("engagement.id", ondelete="CASCADE"), index=True
    )
    stage_months: Mapped[int] = mapped_column()
    due_on: Mapped[date] = mapped_column(sa.Date, index=True)

    engagement: Mapped[Engagement] = relationship(back_populates="reports_due")
