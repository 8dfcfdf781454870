"""Answer deadlines: set on publication, reminded before, lapsed after (`flask rounds expire`),
and every answer shown to the organiser on the run's page."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tamatch import daily
from tamatch.models import (
    Need,
    NeedStatus,
    Notification,
    Offer,
    Proposal,
    ProposalStatus,
    Role,
    SolveRun,
)
from tamatch.models.base import utcnow
from tamatch.rounds import runs
from tamatch.rounds.consent import decide
from tamatch.rounds.solving import _reserved, execute_run
from tests.factories import make_proposal, make_round


def _today() -> date:
    return utcnow().date()


@pytest.fixture
def solved(make, db):
    """A closed round solved once: one HTI need matched to one offer, not yet published."""
    organiser = make.user(role=Role.ORGANISER)
    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    partner = make.user(role=Role.PARTNER)
    need = make.need(state="HTI")
    offer = make.offer(organisation=partner.organisation)
    match_round = make_round(db, organiser)
    run = runs.create_run(organiser, match_round)
    db.session.commit()
    execute_run(run.id)
    db.session.refresh(run)
    return {
        "organiser": organiser,
        "focal": focal,
        "partner": partner,
        "need": need,
        "offer": offer,
        "round": match_round,
        "run": run,
    }


@pytest.mark.usefixtures("no_csrf")
def test_the_organiser_picks_the_deadline_when_publishing(solved, login, db):
    boss = login(solved["organiser"])
    page = boss.get(f"/rounds/runs/{solved['run'].id}").get_data(as_text=True)
    default = (_today() + timedelta(days=14)).isoformat()
    assert f'value="{default}"' in page  # 14 days by default
    chosen = _today() + timedelta(days=5)
    response = boss.post(
        f"/rounds/runs/{solved['run'].id}/publish", data={"answers_due": chosen.isoformat()}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(SolveRun, solved["run"].id).answers_due == chosen


@pytest.mark.usefixtures("no_csrf")
def test_a_deadline_in_the_past_is_refused(solved, login, db):
    boss = login(solved["organiser"])
    past = (_today() - timedelta(days=1)).isoformat()
    boss.post(f"/rounds/runs/{solved['run'].id}/publish", data={"answers_due": past})
    db.session.expire_all()
    assert db.session.get(SolveRun, solved["run"].id).published_at is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Proposal)) == 0


def test_publishing_without_a_date_gives_fourteen_days(solved, db):
    runs.publish_run(solved["organiser"], solved["run"])
    db.session.commit()
    assert solved["run"].answers_due == _today() + timedelta(days=14)


def _subjects(db, user) -> list[str]:
    return list(
        db.session.scalars(sa.select(Notification.subject).where(Notification.user_id == user.id))
    )


def test_expire_reminds_those_who_have_not_answered_once(solved, db, runner):
    runs.publish_run(solved["organiser"], solved["run"], _today() + timedelta(days=2))
    db.session.commit()
    proposal = db.session.scalar(sa.select(Proposal))
    decide(solved["partner"], proposal, True)
    db.session.commit()
    db.session.execute(sa.delete(Notification))
    db.session.commit()
    result = runner.invoke(args=["rounds", "expire"])
    assert result.exit_code == 0, result.output
    assert "1 proposals due soon" in result.output
    reminders = [s for s in _subjects(db, solved["focal"]) if s.startswith("Answer by")]
    assert len(reminders) == 1
    assert not any(s.startswith("Answer by") for s in _subjects(db, solved["partner"]))
    again = runner.invoke(args=["rounds", "expire"])
    assert "0 proposals due soon" in again.output and "0 lapsed" in again.output
    assert len([s for s in _subjects(db, solved["focal"]) if s.startswith("Answer by")]) == 1


def test_no_reminder_long_before_the_deadline(solved, db, runner):
    runs.publish_run(solved["organiser"], solved["run"], _today() + timedelta(days=10))
    db.session.commit()
    result = runner.invoke(args=["rounds", "expire"])
    assert "0 proposals due soon" in result.output


def test_expire_lapses_what_is_unanswered_and_frees_what_it_held(solved, db, runner):
    runs.publish_run(solved["organiser"], solved["run"], _today())
    db.session.commit()
    offer_id = solved["offer"].id
    assert _reserved([offer_id])[offer_id][0] == 1  # held while it waits
    runner.invoke(args=["rounds", "expire"])  # the deadline day itself still counts
    assert db.session.scalar(sa.select(Proposal.status)) == ProposalStatus.PENDING
    db.session.execute(
        sa.update(SolveRun).values(answers_due=_today() - timedelta(days=1))
    )  # a day later
    db.session.commit()
    result = runner.invoke(args=["rounds", "expire"])
    assert result.exit_code == 0, result.output
    assert "1 lapsed" in result.output
    db.session.expire_all()
    proposal = db.session.scalar(sa.select(Proposal))
    assert (proposal.status, proposal.lapse_reason) == (ProposalStatus.LAPSED, "deadline")
    assert db.session.get(Need, solved["need"].id).status == NeedStatus.OPEN
    assert _reserved([offer_id]) == {}
    assert db.session.get(Offer, offer_id).capacity_used == 0
    assert "A proposed match lapsed" in _subjects(db, solved["focal"])
    assert "A proposed match lapsed" in _subjects(db, solved["partner"])
    assert "0 lapsed" in runner.invoke(args=["rounds", "expire"]).output


def test_expire_is_a_daily_command():
    assert "rounds expire" in daily.DAILY_COMMANDS


def test_the_run_page_shows_every_answer_with_counts(make, db, login):
    organiser = make.user(role=Role.ORGANISER)
    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    partner = make.user(role=Role.PARTNER)
    match_round = make_round(db, organiser)
    run = SolveRun(round_id=match_round.id, status="done")
    db.session.add(run)
    db.session.flush()
    offer = make.offer(organisation=partner.organisation, capacity=5, budget=500_000)
    titles = ["Waits", "Agreed", "Declined", "Lapsed"]
    proposals = [
        make_proposal(
            db,
            match_round,
            make.need(state="HTI", status=NeedStatus.MATCHED, title=t),
            offer,
            run=run,
        )
        for t in titles
    ]
    run.answers_due = _today() + timedelta(days=3)
    db.session.commit()
    decide(focal, proposals[1], True)
    decide(partner, proposals[1], True)
    decide(partner, proposals[2], False, "No expert free in March")
    proposals[3].status, proposals[3].lapse_reason = ProposalStatus.LAPSED, "deadline"
    db.session.commit()
    page = login(organiser).get(f"/rounds/runs/{run.id}").get_data(as_text=True)
    answers = page[page.index('id="answers"') :]
    for label in ("Waiting for answers: 1", "Agreed: 1", "Declined: 1", "Lapsed: 1"):
        assert label in answers
    for title in titles:
        assert title in answers
    assert "No expert free in March" in answers
    assert "not answered by the deadline" in answers


def test_each_side_sees_when_its_answer_is_due(make, db, login):
    organiser = make.user(role=Role.ORGANISER)
    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    partner = make.user(role=Role.PARTNER)
    match_round = make_round(db, organiser)
    run = SolveRun(round_id=match_round.id, status="done")
    db.session.add(run)
    db.session.flush()
    offer = make.offer(organisation=partner.organisation, capacity=5, budget=500_000)
    waiting, agreed = (
        make_proposal(
            db, match_round, make.need(state="HTI", status=NeedStatus.MATCHED), offer, run=run
        )
        for _ in range(2)
    )
    run.answers_due = date(2031, 3, 14)
    agreed.status = ProposalStatus.ACCEPTED
    db.session.commit()
    for user in (focal, partner):
        client = login(user)
        listing = client.get("/rounds/proposals").get_data(as_text=True)
        assert "Answer by" in listing
        assert listing.count("Mar 14, 2031") == 1  # the waiting one only
        page = client.get(f"/rounds/proposals/{waiting.id}").get_data(as_text=True)
        assert "Answer by Mar 14, 2031" in page
        assert "Answer by" not in client.get(f"/rounds/proposals/{agreed.id}").get_data(
            as_text=True
        )
