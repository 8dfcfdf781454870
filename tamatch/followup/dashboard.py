"""Outcome figures (responses to needs, reports filed, implementation status) by grouped SQL."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa

from tamatch.extensions import db
from tamatch.followup import reporting
from tamatch.i18n.names import term_name
from tamatch.models import (
    Engagement,
    ImplementationStatus,
    MatchRound,
    Mechanism,
    Need,
    NeedStatus,
    ProgressReport,
    Recommendation,
    RecommendationProgress,
    RegionalGroup,
    ReportStatus,
    RunOutcome,
    Side,
    SolveRun,
    State,
    Theme,
    Visibility,
)
from tamatch.models.base import utcnow
from tamatch.models.need import need_recommendation, need_theme
from tamatch.models.recommendation import recommendation_theme

NOT_REPORTED = "not_reported"
STATUS_KEYS = (NOT_REPORTED, *(s.value for s in ImplementationStatus))
MAX_PERIODS = {"quarter": 20, "month": 24}


def public_scope() -> sa.ColumnElement[bool]:
    """Needs that public figures may count: posted, and not confidential."""
    return sa.and_(Need.status != NeedStatus.DRAFT, Need.visibility != Visibility.CONFIDENTIAL)


# --- needs that received a response -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ShareRow:
    """Needs entered into published runs, and those of them that got an engagement."""

    key: str
    label: str
    entered: int
    served: int

    @property
    def share(self) -> float | None:
        """Served / entered as a fraction, None when nothing entered."""
        return self.served / self.entered if self.entered else None


def _entered_pairs() -> sa.Select:
    return (
        sa.select(SolveRun.round_id.label("round_id"), RunOutcome.need_id.label("need_id"))
        .join(SolveRun, SolveRun.id == RunOutcome.run_id)
        .where(SolveRun.published_at.is_not(None))
        .distinct()
    )


def response_by_round(scope: sa.ColumnElement[bool]) -> list[ShareRow]:
    """Per round: needs entered into its published runs, and those served in that round."""
    entered = _entered_pairs().subquery()
    served = sa.select(Engagement.round_id, Engagement.need_id).distinct().subquery()
    rows = db.session.execute(
        sa.select(MatchRound.id, MatchRound.name, sa.func.count(), sa.func.count(served.c.need_id))
        .select_from(entered)
        .join(Need, Need.id == entered.c.need_id)
        .join(MatchRound, MatchRound.id == entered.c.round_id)
        .outerjoin(
            served,
            sa.and_(served.c.round_id == entered.c.round_id, served.c.need_id == entered.c.need_id),
        )
        .where(scope)
        .group_by(MatchRound.id, MatchRound.name)
        .order_by(MatchRound.id)
    ).all()
    return [ShareRow(str(rid), name, int(n), int(s)) for rid, name, n, s in rows]


def _need_counts() -> tuple[sa.Label, sa.Label]:
    served = sa.case((Need.id.in_(sa.select(Engagement.need_id)), Need.id))
    return (
        sa.func.count(sa.distinct(Need.id)).label("entered"),
        sa.func.count(sa.distinct(served)).label("served"),
    )


def _entered_needs(scope: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    return sa.and_(Need.id.in_(sa.select(_entered_pairs().subquery().c.need_id)), scope)


def response_by_group(scope: sa.ColumnElement[bool]) -> list[ShareRow]:
    """Per UN regional group, each need counted once whatever the rounds it entered."""
    rows = {
        group: (n, s)
        for group, n, s in db.session.execute(
            sa.select(State.regional_group, *_need_counts())
            .select_from(Need)
            .join(State, State.id == Need.state_id)
            .where(_entered_needs(scope))
            .group_by(State.regional_group)
        ).all()
    }
    out = [ShareRow(g.value, g.value, *rows[g]) for g in RegionalGroup if g in rows]
    if None in rows:  # the observer States sit in no regional group
        out.append(ShareRow("observer", "observer", *rows[None]))
    return out


def response_by_flag(scope: sa.ColumnElement[bool]) -> list[ShareRow]:
    """For LDC, SIDS and LLDC States (a State may be several), and for all other States."""
    ldc = State.ldc_on(utcnow().date()).label("ldc")  # the status today, not a stored flag
    rows = db.session.execute(
        sa.select(ldc, State.is_sids, State.is_lldc, *_need_counts())
        .select_from(Need)
        .join(State, State.id == Need.state_id)
        .where(_entered_needs(scope))
        .group_by(ldc, State.is_sids, State.is_lldc)
    ).all()
    totals = {key: [0, 0] for key in ("ldc", "sids", "lldc", "other")}
    for ldc, sids, lldc, entered, served in rows:
        keys = [k for k, on in (("ldc", ldc), ("sids", sids), ("lldc", lldc)) if on] or ["other"]
        for key in keys:
            totals[key][0] += entered
            totals[key][1] += served
    return [ShareRow(k, k, n, s) for k, (n, s) in totals.items() if n]


def response_by_theme(scope: sa.ColumnElement[bool]) -> list[ShareRow]:
    """Per theme of the need (a need with two themes counts under both)."""
    rows = db.session.execute(
        sa.select(Theme.code, Theme.name, *_need_counts())
        .select_from(Need)
        .join(need_theme, need_theme.c.need_id == Need.id)
        .join(Theme, Theme.id == need_theme.c.theme_id)
        .where(_entered_needs(scope))
        .group_by(Theme.code, Theme.name)
        .order_by(Theme.name)
    ).all()
    return [ShareRow(code, term_name(name), int(n), int(s)) for code, name, n, s in rows]


# --- progress reports: submission rate and timeliness -----------------------------------------


@dataclass(frozen=True, slots=True)
class ReportRow:
    """Reports due by a day, those submitted, and those submitted by their due date."""

    key: str
    label: str
    due: int
    submitted: int
    on_time: int

    @property
    def late(self) -> int:
        return self.submitted - self.on_time

    @property
    def missing(self) -> int:
        return self.due - self.submitted

    @property
    def rate(self) -> float | None:
        return self.submitted / self.due if self.due else None

    @property
    def timeliness(self) -> float | None:
        return self.on_time / self.submitted if self.submitted else None


@dataclass(frozen=True, slots=True)
class ReportFigures:
    by_round: list[ReportRow]
    by_side: list[ReportRow]


def _reported(scope: sa.ColumnElement[bool], today: date, sides: tuple[Side, ...], *group):
    table = reporting.stages(today)
    return (
        sa.select(*group, *reporting.totals(table, sides))
        .select_from(table)
        .join(Need, Need.id == table.c.need_id)
        .join(MatchRound, MatchRound.id == table.c.round_id)
        .where(scope)
    )


def report_figures(scope: sa.ColumnElement[bool], today: date) -> ReportFigures:
    """Reports owed by `today` and sent, per round and per side (tamatch.followup.reporting
    says what is owed: a report filed early counts as owed and sent)."""
    both = tuple(Side)
    rounds = db.session.execute(
        _reported(scope, today, both, MatchRound.id, MatchRound.name)
        .group_by(MatchRound.id, MatchRound.name)
        .order_by(MatchRound.id)
    ).all()
    by_round = [
        ReportRow(str(rid), name, int(owed), int(sent), int(ok))
        for rid, name, owed, sent, ok in rounds
        if owed
    ]
    by_side = []
    for key, sides in [(side.value, (side,)) for side in Side] + [("all", both)]:
        owed, sent, ok = db.session.execute(_reported(scope, today, sides)).one()
        by_side.append(ReportRow(key, key, int(owed), int(sent), int(ok)))
    return ReportFigures(by_round, by_side)


# --- implementation status of the recommendations served --------------------------------------


@dataclass(frozen=True, slots=True)
class StatusRow:
    """Recommendations counted by their latest reported status (NOT_REPORTED: none yet)."""

    key: str
    label: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count(self, status: str) -> int:
        return self.counts.get(status, 0)


def served_recommendations(scope: sa.ColumnElement[bool], until: date) -> sa.Select:
    """Ids of recommendations served by engagements (in scope) started by `until`."""
    return (
        sa.select(need_recommendation.c.recommendation_id)
        .join(Engagement, Engagement.need_id == need_recommendation.c.need_id)
        .join(Need, Need.id == Engagement.need_id)
        .where(Engagement.started_on <= until, scope)
    )


def _latest_status(scope: sa.ColumnElement[bool], until: date) -> sa.Subquery:
    """Each recommendation's statuses from submitted State reports up to `until`, rn 1 latest."""
    order = (ProgressReport.submitted_at.desc(), ProgressReport.id.desc())
    return (
        sa.select(
            RecommendationProgress.recommendation_id,
            RecommendationProgress.status,
            sa.func.row_number()
            .over(partition_by=RecommendationProgress.recommendation_id, order_by=order)
            .label("rn"),
        )
        .join(ProgressReport, ProgressReport.id == RecommendationProgress.report_id)
        .join(Engagement, Engagement.id == ProgressReport.engagement_id)
        .join(Need, Need.id == Engagement.need_id)
        .where(
            ProgressReport.status == ReportStatus.SUBMITTED,
            ProgressReport.side == Side.STATE,
            sa.func.date(ProgressReport.submitted_at) <= until,
            scope,
        )
        .subquery()
    )


def status_rows(
    scope: sa.ColumnElement[bool],
    until: date,
    which: sa.ColumnElement[bool],
    group: str | None = None,
) -> list[StatusRow]:
    """Recommendations selected by `which`, counted by latest status up to `until` (from
    reports in `scope`), per "mechanism" or "theme" `group`, or in one row when None."""
    latest = _latest_status(scope, until)
    columns = {
        None: (),
        "mechanism": (Mechanism.code, Mechanism.name),
        "theme": (Theme.code, Theme.name),
    }[group]
    stmt = (
        sa.select(*columns, latest.c.status, sa.func.count(sa.distinct(Recommendation.id)))
        .select_from(Recommendation)
        .outerjoin(
            latest, sa.and_(latest.c.recommendation_id == Recommendation.id, latest.c.rn == 1)
        )
        .where(which)
        .group_by(*columns, latest.c.status)
    )
    if group == "theme":
        stmt = stmt.join(
            recommendation_theme, recommendation_theme.c.recommendation_id == Recommendation.id
        ).join(Theme, Theme.id == recommendation_theme.c.theme_id)
    elif group == "mechanism":
        stmt = stmt.join(Mechanism, Mechanism.id == Recommendation.mechanism_id)
    rows: dict[str, StatusRow] = {}
    for *names, status, n in db.session.execute(stmt).all():
        key, label = names or ("all", "all")
        row = rows.setdefault(str(key), StatusRow(str(key), term_name(label)))
        row.counts[status.value if status else NOT_REPORTED] = int(n)
    return sorted(rows.values(), key=lambda r: r.label)


def served_status(
    scope: sa.ColumnElement[bool], today: date, group: str | None = None
) -> list[StatusRow]:
    """Current status of the recommendations served, optionally per "mechanism" or "theme"."""
    which = Recommendation.id.in_(served_recommendations(scope, today))
    return status_rows(scope, today, which, group)


def periods(first: date | None, today: date, unit: str = "quarter") -> list[tuple[date, date]]:
    """(start, end) of each quarter or month from the one holding `first` to today's; the last
    ends today. At most MAX_PERIODS[unit], the latest kept.

    >>> periods(date(2025, 2, 3), date(2025, 7, 9))
    [(datetime.date(2025, 1, 1), datetime.date(2025, 3, 31)), \
(datetime.date(2025, 4, 1), datetime.date(2025, 6, 30)), \
(datetime.date(2025, 7, 1), datetime.date(2025, 7, 9))]
    """
    if first is None or first > today:
        return []
    months = 3 if unit == "quarter" else 1
    start = date(first.year, (first.month - 1) // months * months + 1, 1)
    spans = []
    while start <= today:
        index = start.month - 1 + months
        after = date(start.year + index // 12, index % 12 + 1, 1)
        spans.append((start, min(after - timedelta(days=1), today)))
        start = after
    return spans[-MAX_PERIODS[unit] :]


def status_over_time(
    scope: sa.ColumnElement[bool], today: date, unit: str = "quarter"
) -> list[tuple[date, StatusRow]]:
    """For each period: the recommendations served by then, by latest status reported by then."""
    first = db.session.scalar(
        sa.select(sa.func.min(Engagement.started_on))
        .join(Need, Need.id == Engagement.need_id)
        .where(scope)
    )
    out = []
    for start, end in periods(first, today, unit):
        which = Recommendation.id.in_(served_recommendations(scope, end))
        rows = status_rows(scope, end, which)
        out.append((start, rows[0] if rows else StatusRow("all", "all")))
    return out
