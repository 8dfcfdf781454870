"""The run page reports the score gap at the coverage reached, in an organiser's words."""

import pytest

from tamatch.models import Role, RunStatus, SolveRun
from tests.factories import make_round


@pytest.fixture
def organiser(make):
    return make.user(role=Role.ORGANISER)


def _finished(db, match_round, *, coverage_first, served, most, objective, bound) -> SolveRun:
    run = SolveRun(
        round_id=match_round.id,
        status=RunStatus.DONE,
        solver_status="FEASIBLE",
        settings={"coverage_first": coverage_first, "time_limit": 5, "max_per_state": None},
        needs_served=served,
        needs_entered=most + 3,
        needs_bound=most,
        objective=objective,
        bound=bound,
        gap=(bound - objective) / bound,
        seconds=4.2,
    )
    db.session.add(run)
    db.session.commit()
    return run


def test_coverage_first_run_shows_the_score_gap_and_the_most_needs(db, login, organiser):
    match_round = make_round(db, organiser)
    run = _finished(
        db,
        match_round,
        coverage_first=True,
        served=4992,
        most=5000,
        objective=381264,
        bound=434555,
    )
    page = login(organiser).get(f"/rounds/runs/{run.id}").get_data(as_text=True)
    assert "4,992; no assignment can serve more than 5,000." in page
    assert (
        "No assignment serving at least 4,992 needs can score more than 434,555, so this one "
        "is at most 12.26 % below the best possible score at that coverage." in page
    )


def test_score_first_run_shows_the_plain_score_gap(db, login, organiser):
    match_round = make_round(db, organiser)
    run = _finished(
        db, match_round, coverage_first=False, served=10, most=10, objective=90, bound=100
    )
    page = login(organiser).get(f"/rounds/runs/{run.id}").get_data(as_text=True)
    assert "10, the most any assignment can serve." in page
    assert "No assignment can score more than 100, so this one is at most 10.00 % below" in page


def test_a_solve_stores_the_needs_bound(make, db, organiser):
    from tamatch.rounds import runs
    from tamatch.rounds.solving import execute_run

    make.need(state="HTI")
    make.offer()
    match_round = make_round(db, organiser)
    run = runs.create_run(organiser, match_round)
    db.session.commit()
    execute_run(run.id)
    db.session.expire_all()
    run = db.session.get(SolveRun, run.id)
    assert run.needs_bound is not None and run.needs_bound >= run.needs_served
    assert run.bound >= run.objective and 0 <= run.gap < 1
