"""Solver runs of a round: start, cancel, publish, summarise and compare."""

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from solver.profiles import ScoreWeights
from solver.settings import RunSettings
from tamatch.audit import record
from tamatch.errors import DomainError, InvalidTransition, require
from tamatch.extensions import db
from tamatch.jobs import reap_stale_runs
from tamatch.models import (
    MatchRound,
    Need,
    NeedStatus,
    Offer,
    Proposal,
    ProposalStatus,
    RoundStatus,
    RunOutcome,
    RunStatus,
    SolveRun,
    State,
    Theme,
    User,
)
from tamatch.models.base import utcnow
from tamatch.models.need import need_theme
from tamatch.rounds.permissions import organiser_refusal, publish_refusal, solve_refusal
from tamatch.rounds.rules import RoundChange, changes_since
from tamatch.rounds.services import transition_round


def create_run(actor: User | None, match_round: MatchRound, label: str = "") -> SolveRun:
    """A queued run with a snapshot of the round's solver settings; the caller commits, then
    enqueues it (`tamatch.jobs.enqueue_solve`). Raises InvalidTransition before closing."""
    require(solve_refusal(actor, match_round))
    reap_stale_runs(match_round.id)  # a run a restart left behind does not block the round
    busy = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(SolveRun)
        .where(
            SolveRun.round_id == match_round.id,
            SolveRun.status.in_((RunStatus.QUEUED, RunStatus.RUNNING)),
        )
    )
    if busy:
        raise DomainError(_("A solve of this round is already running; wait or cancel it."))
    passes = db.session.scalars(
        sa.select(SolveRun.pass_number).where(
            SolveRun.round_id == match_round.id, SolveRun.published_at.is_not(None)
        )
    ).all()
    run = SolveRun(
        round_id=match_round.id,
        label=label.strip()[:200],
        pass_number=max(passes, default=0) + 1,
        status=RunStatus.QUEUED,
        created_by_id=getattr(actor, "id", None),
        settings=RunSettings(
            time_limit=match_round.time_limit,
            coverage_first=match_round.coverage_first,
            max_per_state=match_round.max_per_state,
            weights=ScoreWeights(**(match_round.weights or {})),
            today=utcnow().date().isoformat(),
            ldc_transition_years=match_round.ldc_transition_years,
        ).to_json(),
    )
    db.session.add(run)
    db.session.flush()
    record(actor, "run.create", run, after={"round_id": match_round.id, **run.settings})
    return run


def cancel_run(actor: User, run: SolveRun) -> None:
    """Ask a queued or running solve to stop (the best assignment found so far is kept)."""
    require(organiser_refusal(actor))
    if run.finished:
        raise InvalidTransition(_("This solve has already finished."))
    run.cancel_requested = True
    if run.status == RunStatus.QUEUED:
        run.status, run.finished_at = RunStatus.CANCELLED, utcnow()
    db.session.flush()
    record(actor, "run.cancel", run)


ANSWER_DAYS = 14  # the default time both sides have to answer a proposal


def default_answers_due(today: date | None = None) -> date:
    return (today or utcnow().date()) + timedelta(days=ANSWER_DAYS)


def stale_changes(run: SolveRun) -> list[RoundChange]:
    """Pins, bars and participation changes of the run's round made after the run read them."""
    return changes_since(run.round, run.started_at or run.created_at)


def publish_run(
    actor: User,
    run: SolveRun,
    answers_due: date | None = None,
    *,
    confirm_stale: bool = False,
) -> list[Proposal]:
    """Send a finished run's matches to the States and partners as proposals, to be answered
    by `answers_due` (the last day; 14 days from today by default).

    Needs no longer open (served by an earlier pass, withdrawn) are skipped. Returns the new
    proposals; the caller notifies both sides. Raises InvalidTransition when not publishable,
    DomainError for a deadline in the past, or (unless `confirm_stale`) for a run made before
    a later pin, bar or participation change, naming what changed.
    """
    require(publish_refusal(actor, run))
    changes = stale_changes(run)
    if changes and not confirm_stale:
        raise DomainError(
            _(
                "The round changed after this run was made: %(changes)s. Solve again, or "
                "confirm that you publish this run anyway.",
                changes="; ".join(change.words for change in changes),
            ),
            field="confirm_stale",
        )
    answers_due = answers_due or default_answers_due()
    if answers_due < utcnow().date():
        raise DomainError(_("The answer deadline cannot be in the past."), field="answers_due")
    match_round = run.round
    outcomes = db.session.scalars(
        sa.select(RunOutcome)
        .where(RunOutcome.run_id == run.id, RunOutcome.offer_id.is_not(None))
        .order_by(RunOutcome.id)
    )
    proposals = []
    for outcome in outcomes:
        need = outcome.need
        if need.status != NeedStatus.OPEN or not _match_need(need):
            continue
        proposal = Proposal(
            outcome_id=outcome.id,
            run_id=run.id,
            round_id=match_round.id,
            need_id=need.id,
            offer_id=outcome.offer_id,
            score=outcome.score,
            cost=outcome.cost,
            status=ProposalStatus.PENDING,
        )
        db.session.add(proposal)
        proposals.append(proposal)
    run.published_at, run.answers_due = utcnow(), answers_due
    if match_round.status != RoundStatus.PUBLISHED:
        transition_round(None, match_round, RoundStatus.PUBLISHED)
    db.session.flush()
    record(
        actor,
        "run.publish",
        run,
        after={
            "proposals": len(proposals),
            "answers_due": answers_due.isoformat(),
            "changes_confirmed": len(changes),
        },
    )
    return proposals


def _match_need(need: Need) -> bool:
    """Open -> matched, only if still open (a racing withdrawal or accept wins): conditional."""
    moved = db.session.execute(
        sa.update(Need)
        .where(Need.id == need.id, Need.status == NeedStatus.OPEN)
        .values(status=NeedStatus.MATCHED)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(need)
    if moved:
        record(None, "need.status", need, before={"status": "open"}, after={"status": "matched"})
    return bool(moved)


# --- what a run did ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Share:
    label: str
    served: int
    entered: int

    @property
    def percent(self) -> float:
        return 100.0 * self.served / self.entered if self.entered else 0.0


@dataclass(frozen=True, slots=True)
class OfferUse:
    offer: Offer
    matches: int
    capacity: int
    cost: int
    budget: int


@dataclass(frozen=True, slots=True)
class RunSummary:
    total: Share
    by_group: list[Share]
    by_flag: list[Share]
    by_theme: list[Share]
    offers: list[OfferUse]


def _served_case():
    return sa.func.sum(sa.case((RunOutcome.offer_id.is_not(None), 1), else_=0))


def run_summary(run: SolveRun) -> RunSummary:
    """Needs served of needs entered, by group, LDC/SIDS/LLDC and theme; use of each offer."""
    base = (
        sa.select()
        .select_from(RunOutcome)
        .join(Need, Need.id == RunOutcome.need_id)
        .join(State, State.id == Need.state_id)
        .where(RunOutcome.run_id == run.id)
    )
    served, entered = db.session.execute(base.add_columns(_served_case(), sa.func.count())).one()
    groups = db.session.execute(
        base.add_columns(State.regional_group, _served_case(), sa.func.count())
        .group_by(State.regional_group)
        .order_by(State.regional_group)
    ).all()
    flags = []
    stored = RunSettings.from_json(run.settings)
    day = date.fromisoformat(stored.today) if stored.today else run.created_at.date()
    columns = (("LDC", State.ldc_on(day)), ("SIDS", State.is_sids), ("LLDC", State.is_lldc))
    for label, column in columns:
        s, n = db.session.execute(
            base.add_columns(_served_case(), sa.func.count()).where(column)
        ).one()
        flags.append(Share(label, int(s or 0), int(n)))
    themes = db.session.execute(
        base.join(need_theme, need_theme.c.need_id == Need.id)
        .join(Theme, Theme.id == need_theme.c.theme_id)
        .add_columns(Theme.name, _served_case(), sa.func.count())
        .group_by(Theme.name)
        .order_by(sa.func.count().desc(), Theme.name)
    ).all()
    use = db.session.execute(
        sa.select(
            Offer, sa.func.count(RunOutcome.id), sa.func.coalesce(sa.func.sum(RunOutcome.cost), 0)
        )
        .join(RunOutcome, RunOutcome.offer_id == Offer.id)
        .where(RunOutcome.run_id == run.id)
        .group_by(Offer.id)
        .order_by(Offer.title)
    ).all()
    return RunSummary(
        total=Share("", int(served or 0), int(entered)),
        by_group=[Share(g.value if g else "", int(s or 0), int(n)) for g, s, n in groups],
        by_flag=flags,
        by_theme=[Share(name, int(s or 0), int(n)) for name, s, n in themes],
        offers=[
            OfferUse(o, int(m), o.remaining_capacity, int(c), o.remaining_budget) for o, m, c in use
        ],
    )


@dataclass(frozen=True, slots=True)
class RunChange:
    need: Need
    before: int | None  # offer id in run A
    after: int | None  # offer id in run B


def compare_runs(first: SolveRun, second: SolveRun) -> list[RunChange]:
    """Needs whose offer differs between two runs of the same round (served, lost, moved)."""
    if first.round_id != second.round_id:
        raise DomainError(_("Only runs of the same round can be compared."))
    a = dict(
        db.session.execute(
            sa.select(RunOutcome.need_id, RunOutcome.offer_id).where(RunOutcome.run_id == first.id)
        ).all()
    )
    b = dict(
        db.session.execute(
            sa.select(RunOutcome.need_id, RunOutcome.offer_id).where(RunOutcome.run_id == second.id)
        ).all()
    )
    changed = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    needs = {n.id: n for n in db.session.scalars(sa.select(Need).where(Need.id.in_(changed)))}
    return [RunChange(needs[k], a.get(k), b.get(k)) for k in changed]
