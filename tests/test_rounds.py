"""Match rounds: settings, membership, solving in the background, review, publication."""

from datetime import date

import pytest
import sqlalchemy as sa

from tamatch.errors import DomainError, InvalidTransition, PermissionDenied
from tamatch.jobs import enqueue_solve, wait_for_local_jobs
from tamatch.models import (
    NeedStatus,
    PairRuleKind,
    ProposalStatus,
    Role,
    RoundStatus,
    RunOutcome,
    RunStatus,
    SolveRun,
    SupportKind,
    Theme,
    Visibility,
)
from tamatch.rounds import render, runs, services
from tamatch.rounds.solving import execute_run
from tests.factories import make_round


@pytest.fixture
def organiser(make):
    return make.user(role=Role.ORGANISER)


def _solve(db, organiser, match_round, label=""):
    run = runs.create_run(organiser, match_round, label)
    db.session.commit()
    execute_run(run.id)
    db.session.expire_all()
    return db.session.get(SolveRun, run.id)


def test_round_lifecycle_moves(make, db, organiser):
    match_round = services.create_round(
        organiser, services.RoundData(name="R", serves="S", submission_deadline=date(2030, 1, 1))
    )
    with pytest.raises(InvalidTransition):
        services.transition_round(organiser, match_round, RoundStatus.PUBLISHED)
    with pytest.raises(InvalidTransition):
        runs.create_run(organiser, match_round)  # not closed yet
    services.transition_round(organiser, match_round, RoundStatus.OPEN)
    services.transition_round(organiser, match_round, RoundStatus.CLOSED)
    with pytest.raises(PermissionDenied):
        services.transition_round(make.user(role=Role.FOCAL_POINT), match_round, RoundStatus.OPEN)


def test_membership_by_theme_group_status_and_exclusion(make, db, organiser):
    theme_a, theme_b = db.session.scalars(sa.select(Theme).order_by(Theme.id).limit(2)).all()
    in_round = make.need(state="HTI")
    in_round.themes = [theme_a]
    other_theme = make.need(state="HTI")
    other_theme.themes = [theme_b]
    other_group = make.need(state="NPL")
    other_group.themes = [theme_a]
    draft = make.need(state="HTI", status=NeedStatus.DRAFT)
    draft.themes = [theme_a]
    db.session.commit()
    match_round = make_round(db, organiser)
    services.update_round(
        organiser,
        match_round,
        services.RoundData(
            name="R",
            serves="S",
            submission_deadline=date(2030, 1, 1),
            theme_ids=(theme_a.id,),
            regional_groups=(make.state("HTI").regional_group,),
        ),
    )
    members = db.session.scalars(services.round_needs_query(match_round)).all()
    assert members == [in_round]
    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    match_round.status = RoundStatus.OPEN
    services.set_participation(focal, match_round, in_round, take_part=False)
    assert db.session.scalars(services.round_needs_query(match_round)).all() == []
    services.set_participation(focal, match_round, in_round, take_part=True)
    assert db.session.scalars(services.round_needs_query(match_round)).all() == [in_round]
    with pytest.raises(PermissionDenied):
        services.set_participation(
            make.user(role=Role.FOCAL_POINT, state="NPL"), match_round, in_round, take_part=False
        )
    match_round.submission_deadline = date(2020, 1, 1)
    with pytest.raises(InvalidTransition, match="deadline"):
        services.set_participation(focal, match_round, in_round, take_part=False)


def test_solve_stores_proposals_explanations_alternatives_and_reasons(make, db, organiser):
    make.need(state="HTI", title="Served need")
    rival = make.need(state="HTI", title="Rival need", priority=1)
    lonely = make.need(state="NPL", title="French need")
    from tamatch.models import Language

    lonely.languages = [make.term(Language, "fr")]
    db.session.commit()
    offer = make.offer(capacity=1, budget=100_000, title="The only offer")
    make.offer(capacity=1, budget=100_000, title="Backup offer")
    match_round = make_round(db, organiser)
    run = _solve(db, organiser, match_round, "first")
    assert run.status == RunStatus.DONE
    assert run.needs_entered == 3 and run.needs_served == 2
    assert run.solver_status in ("OPTIMAL", "FEASIBLE")
    assert match_round.status == RoundStatus.SOLVED
    outcomes = {
        o.need.title: o
        for o in db.session.scalars(sa.select(RunOutcome).where(RunOutcome.run_id == run.id))
    }
    assert outcomes["Served need"].offer_id is not None
    served = outcomes["Served need"]
    assert {f["code"] for f in served.explanation} >= {"theme", "kind", "priority"}
    assert sum(f["points"] for f in served.explanation) == served.score
    assert all(not isinstance(f, str) for o in outcomes.values() for f in o.explanation)
    assert outcomes["Served need"].alternatives  # the other offer is its next best
    assert outcomes["French need"].offer_id is None
    assert outcomes["French need"].reasons == [
        {"code": "no_offer_in_language", "points": 0, "args": {"languages": ["fr"]}}
    ]
    assert render.unmatched(organiser, outcomes["French need"]) == ["No offer in French."]
    assert offer.id in {outcomes["Served need"].offer_id, outcomes["Rival need"].offer_id}
    assert rival.id == outcomes["Rival need"].need_id


def test_unmatched_reason_when_capacity_goes_to_higher_scores(make, db, organiser):
    make.need(state="HTI", title="High", priority=3)
    make.need(state="HTI", title="Low", priority=1)
    make.offer(capacity=1)
    run = _solve(db, organiser, make_round(db, organiser))
    low = db.session.scalar(
        sa.select(RunOutcome).where(RunOutcome.run_id == run.id, RunOutcome.offer_id.is_(None))
    )
    assert low.need.title == "Low"
    assert low.reason_code == "taken_by_higher_scoring" and low.reasons == []
    assert "higher" in render.unmatched(organiser, low)[0]


def test_state_cap(make, db, organiser):
    for _ in range(3):
        make.need(state="HTI")
    make.offer(capacity=3)
    match_round = make_round(db, organiser, max_per_state=1)
    run = _solve(db, organiser, match_round)
    assert run.needs_served == 1
    reasons = db.session.scalars(
        sa.select(RunOutcome.reason_code).where(
            RunOutcome.run_id == run.id, RunOutcome.offer_id.is_(None)
        )
    ).all()
    assert reasons == ["state_cap_reached", "state_cap_reached"]


def test_pin_and_bar_change_the_next_run(make, db, organiser):
    need = make.need(state="HTI")
    good = make.offer(title="Good")
    other = make.offer(title="Other")
    match_round = make_round(db, organiser)
    first = _solve(db, organiser, match_round)
    chosen = db.session.scalar(sa.select(RunOutcome.offer_id).where(RunOutcome.run_id == first.id))
    barred = good if chosen == good.id else other
    services.set_pair_rule(organiser, match_round, need, barred, kind=PairRuleKind.FORBID)
    db.session.commit()
    second = _solve(db, organiser, match_round)
    again = db.session.scalar(sa.select(RunOutcome.offer_id).where(RunOutcome.run_id == second.id))
    assert again != barred.id and again is not None
    changes = runs.compare_runs(first, second)
    assert [(c.before, c.after) for c in changes] == [(barred.id, again)]
    services.set_pair_rule(organiser, match_round, need, barred, kind=PairRuleKind.PIN)
    db.session.commit()
    third = _solve(db, organiser, match_round)
    assert (
        db.session.scalar(sa.select(RunOutcome.offer_id).where(RunOutcome.run_id == third.id))
        == barred.id
    )


def test_publish_creates_pending_proposals_and_notifies(make, db, organiser):
    need = make.need(state="HTI")
    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    partner = make.user(role=Role.PARTNER)
    make.offer(organisation=partner.organisation)
    match_round = make_round(db, organiser)
    run = _solve(db, organiser, match_round)
    proposals = runs.publish_run(organiser, run)
    from tamatch.rounds.notify import tell_about_publication

    tell_about_publication(proposals)
    db.session.commit()
    assert [p.status for p in proposals] == [ProposalStatus.PENDING]
    assert need.status == NeedStatus.MATCHED
    assert match_round.status == RoundStatus.PUBLISHED
    from tamatch.models import Notification, OutboxMessage

    told = set(db.session.scalars(sa.select(Notification.user_id)))
    assert told == {focal.id, partner.id}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 2
    with pytest.raises(InvalidTransition):
        runs.publish_run(organiser, run)  # only once


def test_cancel_a_queued_run(make, db, organiser):
    match_round = make_round(db, organiser)
    run = runs.create_run(organiser, match_round)
    with pytest.raises(DomainError, match="already running"):
        runs.create_run(organiser, match_round)
    runs.cancel_run(organiser, run)
    db.session.commit()
    execute_run(run.id)
    assert db.session.get(SolveRun, run.id).status == RunStatus.CANCELLED


def test_local_worker_thread_runs_the_job(app, make, db, organiser):
    make.need(state="HTI")
    make.offer()
    match_round = make_round(db, organiser)
    run = runs.create_run(organiser, match_round)
    db.session.commit()
    app.config["JOB_BACKEND"] = "thread"
    try:
        future = enqueue_solve(run.id)
        future.result(timeout=60)
        wait_for_local_jobs(app)
    finally:
        app.config["JOB_BACKEND"] = "sync"
    db.session.expire_all()
    assert db.session.get(SolveRun, run.id).status == RunStatus.DONE


def _redis_available() -> bool:
    try:
        from redis import Redis

        return bool(Redis.from_url("redis://127.0.0.1:6379/15", socket_timeout=1).ping())
    except Exception:
        return False


@pytest.mark.skipif(not _redis_available(), reason="no Redis server on 127.0.0.1:6379")
def test_rq_queue_on_redis(app, make, db, organiser):
    from redis import Redis
    from rq import Queue, SimpleWorker

    from tamatch import jobs, worker

    make.need(state="HTI")
    make.offer()
    match_round = make_round(db, organiser)
    run = runs.create_run(organiser, match_round)
    db.session.commit()
    app.config.update(JOB_BACKEND="rq", REDIS_URL="redis://127.0.0.1:6379/15")
    worker.worker_app = app
    connection = Redis.from_url("redis://127.0.0.1:6379/15")
    try:
        job_id = enqueue_solve(run.id)
        assert job_id
        queue = Queue(jobs.QUEUE_NAME, connection=connection)
        SimpleWorker([queue], connection=connection).work(burst=True)
    finally:
        app.config["JOB_BACKEND"] = "sync"
        worker.worker_app = None
        connection.flushdb()
        connection.close()
    db.session.expire_all()
    assert db.session.get(SolveRun, run.id).status == RunStatus.DONE


def test_summary_counts(make, db, organiser):
    make.need(state="HTI")  # GRULAC, LDC, SIDS
    make.need(state="NPL")  # Asia-Pacific, LLDC; no longer LDC since 24 November 2026
    make.offer(capacity=1)
    run = _solve(db, organiser, make_round(db, organiser))
    summary = runs.run_summary(run)
    assert (summary.total.served, summary.total.entered) == (1, 2)
    flags = {s.label: (s.served, s.entered) for s in summary.by_flag}
    assert flags["LDC"][1] == 1 and flags["SIDS"][1] == 1 and flags["LLDC"][1] == 1
    assert [u.matches for u in summary.offers] == [1]


def test_confidential_needs_enter_rounds_but_stay_hidden(make, db, organiser):
    make.need(state="HTI", visibility=Visibility.CONFIDENTIAL)
    make.offer()
    run = _solve(db, organiser, make_round(db, organiser))
    assert run.needs_served == 1
    assert make.term(SupportKind) is not None
