"""Runs never block their round for good, never publish an unusable result, and an
out-of-date run asks before it is published; pins and bars take only the round's own pairs."""

import socket
import subprocess
import sys
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tamatch import daily
from tamatch.errors import DomainError, InvalidTransition
from tamatch.jobs import reap_stale_runs, worker_identity
from tamatch.models import (
    NeedStatus,
    OfferStatus,
    PairRule,
    PairRuleKind,
    Proposal,
    Role,
    RoundStatus,
    RunStatus,
    SolveRun,
)
from tamatch.models.base import utcnow
from tamatch.rounds import runs, services, solving
from tamatch.rounds.permissions import can_publish_run, publish_refusal
from tamatch.rounds.progress import error_words
from tamatch.rounds.solving import execute_run
from tests.factories import make_round


@pytest.fixture
def organiser(make):
    return make.user(role=Role.ORGANISER)


@pytest.fixture
def ready(make, db, organiser):
    """A closed round with one HTI need and two open offers."""
    need = make.need(state="HTI")
    offers = [make.offer(title="First offer"), make.offer(title="Second offer")]
    return {"round": make_round(db, organiser), "need": need, "offers": offers}


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _left_running(db, match_round, worker: str, started_ago: timedelta) -> SolveRun:
    run = SolveRun(
        round_id=match_round.id,
        status=RunStatus.RUNNING,
        settings={"time_limit": 5},
        worker=worker,
        started_at=utcnow() - started_ago,
    )
    db.session.add(run)
    db.session.commit()
    return run


def test_a_run_whose_worker_is_gone_is_reaped_by_the_command(ready, db, runner):
    host = socket.gethostname()
    run = _left_running(db, ready["round"], f"{host}:{_dead_pid()}", timedelta(seconds=1))
    result = runner.invoke(args=["rounds", "reap"])
    assert result.exit_code == 0, result.output
    assert "Solves reaped: 1." in result.output
    db.session.expire_all()
    run = db.session.get(SolveRun, run.id)
    assert run.status == RunStatus.FAILED and "stopped" in error_words(run)
    assert "Solves reaped: 0." in runner.invoke(args=["rounds", "reap"]).output


def test_a_run_long_past_its_time_limit_is_reaped_and_a_live_one_is_not(ready, db):
    elsewhere = _left_running(db, ready["round"], "other-host:1", timedelta(minutes=11))
    recent = _left_running(db, ready["round"], "other-host:2", timedelta(seconds=30))
    mine = _left_running(db, ready["round"], worker_identity(), timedelta(seconds=30))
    assert reap_stale_runs() == [elsewhere.id]
    db.session.commit()
    assert recent.status == mine.status == RunStatus.RUNNING


def test_a_queued_run_no_worker_took_is_reaped(ready, db):
    run = SolveRun(
        round_id=ready["round"].id,
        status=RunStatus.QUEUED,
        created_at=utcnow() - timedelta(hours=2),
    )
    db.session.add(run)
    db.session.commit()
    assert reap_stale_runs() == [run.id]


def test_a_run_left_running_by_a_restart_does_not_block_the_next_solve(ready, db, organiser):
    host = socket.gethostname()
    stuck = _left_running(db, ready["round"], f"{host}:{_dead_pid()}", timedelta(seconds=1))
    run = runs.create_run(organiser, ready["round"])  # reaps first
    db.session.commit()
    assert run.status == RunStatus.QUEUED
    assert db.session.get(SolveRun, stuck.id).status == RunStatus.FAILED


def test_reap_is_a_daily_command():
    assert "rounds reap" in daily.DAILY_COMMANDS


def test_a_run_reaped_while_solving_stays_failed(ready, db, organiser, monkeypatch):
    real = solving.solve

    def solve_then_reaped(*args, **kwargs):
        result = real(*args, **kwargs)
        with db.engine.begin() as connection:
            connection.execute(sa.update(SolveRun).values(status=RunStatus.FAILED))
        return result

    monkeypatch.setattr(solving, "solve", solve_then_reaped)
    run = runs.create_run(organiser, ready["round"])
    db.session.commit()
    execute_run(run.id)
    db.session.expire_all()
    assert db.session.get(SolveRun, run.id).status == RunStatus.FAILED
    assert ready["round"].status == RoundStatus.CLOSED


def test_an_infeasible_result_fails_and_is_never_publishable(make, db, organiser):
    """Two needs pinned to one offer with room for one: the pins cannot hold together."""
    offer = make.offer(capacity=1)
    needs = [make.need(state="HTI"), make.need(state="HTI")]
    match_round = make_round(db, organiser)
    for need in needs:
        services.set_pair_rule(organiser, match_round, need, offer, kind=PairRuleKind.PIN)
    run = runs.create_run(organiser, match_round)
    db.session.commit()
    execute_run(run.id)
    db.session.expire_all()
    run = db.session.get(SolveRun, run.id)
    assert (run.status, run.solver_status) == (RunStatus.FAILED, "INFEASIBLE")
    assert not can_publish_run(organiser, run)
    assert match_round.status == RoundStatus.CLOSED  # not solved by a failure
    run.status = RunStatus.DONE  # even if marked done by hand, its result stays unusable
    assert isinstance(publish_refusal(organiser, run), InvalidTransition)


def _solved(db, organiser, match_round) -> SolveRun:
    run = runs.create_run(organiser, match_round)
    db.session.commit()
    execute_run(run.id)
    db.session.expire_all()
    return db.session.get(SolveRun, run.id)


def test_publishing_a_run_older_than_a_pin_names_the_change_and_asks(ready, db, organiser):
    run = _solved(db, organiser, ready["round"])
    need, offer = ready["need"], ready["offers"][1]
    services.set_pair_rule(organiser, ready["round"], need, offer, kind=PairRuleKind.PIN)
    db.session.commit()
    with pytest.raises(DomainError, match=f"need #{need.id} pinned to offer #{offer.id}"):
        runs.publish_run(organiser, run)
    db.session.rollback()
    assert runs.publish_run(organiser, run, confirm_stale=True)
    db.session.commit()


@pytest.mark.usefixtures("no_csrf")
def test_the_run_page_asks_for_confirmation_when_participation_changed(make, db, login, organiser):
    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    need = make.need(state="HTI")
    make.need(state="HTI")
    make.offer()
    match_round = make_round(db, organiser)
    run = _solved(db, organiser, match_round)
    match_round = run.round
    match_round.status = RoundStatus.OPEN  # as if still taking submissions after the run
    services.set_participation(focal, match_round, need, take_part=False)
    match_round.status = RoundStatus.SOLVED
    db.session.commit()
    boss = login(organiser)
    page = boss.get(f"/rounds/runs/{run.id}").get_data(as_text=True)
    assert f"need #{need.id} taken out of the round" in page
    assert 'name="confirm_stale"' in page
    boss.post(f"/rounds/runs/{run.id}/publish", data={})
    db.session.expire_all()
    assert db.session.get(SolveRun, run.id).published_at is None
    boss.post(f"/rounds/runs/{run.id}/publish", data={"confirm_stale": "y"})
    db.session.expire_all()
    assert db.session.get(SolveRun, run.id).published_at is not None


def test_a_fresh_run_publishes_without_asking(ready, db, organiser):
    services.set_pair_rule(
        organiser, ready["round"], ready["need"], ready["offers"][0], kind=PairRuleKind.PIN
    )
    db.session.commit()
    run = _solved(db, organiser, ready["round"])
    assert runs.publish_run(organiser, run)


@pytest.mark.usefixtures("no_csrf")
@pytest.mark.parametrize("wrong", ["draft offer", "closed offer", "ineligible", "draft need"])
def test_pins_and_bars_take_only_the_rounds_own_eligible_pairs(make, db, login, organiser, wrong):
    match_round = make_round(db, organiser)
    need = make.need(
        state="HTI", status=NeedStatus.DRAFT if wrong == "draft need" else NeedStatus.OPEN
    )
    offer = {
        "draft offer": lambda: make.offer(status=OfferStatus.DRAFT, title="Secret draft XQ-marker"),
        "closed offer": lambda: make.offer(status=OfferStatus.CLOSED, title="Closed XQ-marker"),
        "ineligible": lambda: make.offer(
            eligible_all=False, eligible_states=[make.state("NPL")], title="For Nepal XQ-marker"
        ),
        "draft need": lambda: make.offer(title="Open XQ-marker"),
    }[wrong]()
    boss = login(organiser)
    for kind in ("pin", "forbid"):
        boss.post(
            f"/rounds/{match_round.id}/rules",
            data={"need_id": need.id, "offer_id": offer.id, "kind": kind},
        )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PairRule)) == 0
    assert "XQ-marker" not in boss.get(f"/rounds/{match_round.id}").get_data(as_text=True)


@pytest.mark.usefixtures("no_csrf")
def test_a_pin_of_the_rounds_own_pair_is_taken(ready, db, login, organiser):
    need, offer = ready["need"], ready["offers"][0]
    login(organiser).post(
        f"/rounds/{ready['round'].id}/rules",
        data={"need_id": need.id, "offer_id": offer.id, "kind": "pin"},
    )
    rule = db.session.scalar(sa.select(PairRule))
    assert (rule.need_id, rule.offer_id, rule.kind) == (need.id, offer.id, PairRuleKind.PIN)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Proposal)) == 0
