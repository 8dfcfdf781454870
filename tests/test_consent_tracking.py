"""The organiser's consent tracking page: every answer with counts, filters, reminders sent once
a day, offers left unused with what they have left, costs above the typical cost."""

import re

import pytest
import sqlalchemy as sa

from tamatch.models import (
    Decision,
    NeedStatus,
    OutboxMessage,
    ProposalStatus,
    Role,
    SolveRun,
    Visibility,
)
from tests.factories import make_proposal, make_round


@pytest.fixture
def tracked(make, db):
    """One published run with a proposal in each answer state, and an offer never proposed."""
    organiser = make.user(role=Role.ORGANISER)
    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    partner = make.user(role=Role.PARTNER)
    org = partner.organisation
    match_round = make_round(db, organiser)
    offers = [make.offer(organisation=org, title=f"Offer {t}") for t in "ABCD"]
    spare = make.offer(organisation=org, title="Spare offer", capacity=4, budget=80_000)
    spare.themes = offers[0].themes
    db.session.commit()

    def need(title, **kw):
        return make.need(state="HTI", status=NeedStatus.MATCHED, title=title, **kw)

    waiting = make_proposal(db, match_round, need("Waiting need"), offers[0], cost=30_000)
    run = waiting.run
    run.answers_due = None
    half = make_proposal(
        db, match_round, need("Half need"), offers[1], run=run, state_decision=Decision.ACCEPTED
    )
    make_proposal(
        db,
        match_round,
        need("Declined need"),
        offers[2],
        run=run,
        status=ProposalStatus.DECLINED,
        partner_decision=Decision.DECLINED,
        partner_reason="No staff left this year",
    )
    make_proposal(
        db,
        match_round,
        need("Agreed need"),
        offers[3],
        run=run,
        status=ProposalStatus.ACCEPTED,
        state_decision=Decision.ACCEPTED,
        partner_decision=Decision.ACCEPTED,
    )
    make_proposal(
        db,
        match_round,
        need("Lapsed need", visibility=Visibility.CONFIDENTIAL),
        offers[0],
        run=run,
        status=ProposalStatus.LAPSED,
        lapse_reason="deadline",
    )
    db.session.commit()
    return {"organiser": organiser, "focal": focal, "partner": partner, "run": run,
            "half": half, "offers": offers, "spare": spare}  # fmt: skip


def _page(login, who, run, **args):
    response = login(who).get(f"/rounds/runs/{run.id}/consent", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_page_lists_every_answer_with_counts(tracked, login):
    html = _page(login, tracked["organiser"], tracked["run"])
    for title in ("Waiting need", "Half need", "Declined need", "Agreed need", "Lapsed need"):
        assert title in html  # the organiser may read the confidential need's title
    assert "All: 5" in html
    assert "Waiting for answers: 2" in html
    assert "Agreed: 1" in html and "Declined: 1" in html and "Lapsed: 1" in html
    assert "No staff left this year" in html
    assert "not answered by the deadline" in html
    assert "The State has not answered: 1" in html
    assert "The partner has not answered: 2" in html


def test_filters_by_answer_and_by_side_not_answered(tracked, login):
    html = _page(login, tracked["organiser"], tracked["run"], answer="declined")
    assert "Declined need" in html and "Waiting need" not in html
    html = _page(login, tracked["organiser"], tracked["run"], waiting="state")
    assert "Waiting need" in html and "Half need" not in html
    html = _page(login, tracked["organiser"], tracked["run"], waiting="partner")
    assert "Waiting need" in html and "Half need" in html and "Agreed need" not in html
    html = _page(login, tracked["organiser"], tracked["run"], answer="nonsense", waiting="x")
    assert "Agreed need" in html  # a bad filter is ignored, not a 500


def test_paginates(tracked, login, monkeypatch, app):
    monkeypatch.setitem(app.config, "PER_PAGE", 2)  # the app lives for the session: restored
    html = _page(login, tracked["organiser"], tracked["run"])
    assert "Page 1 of 3" in html or "pagination" in html
    assert "Lapsed need" not in html
    assert "Lapsed need" in _page(login, tracked["organiser"], tracked["run"], page=3)


def test_only_organisers_and_only_published_runs(tracked, login, db):
    run = tracked["run"]
    assert login(tracked["partner"]).get(f"/rounds/runs/{run.id}/consent").status_code in (
        403,
        404,
    )
    draft = SolveRun(round_id=run.round_id)
    db.session.add(draft)
    db.session.commit()
    response = login(tracked["organiser"]).get(f"/rounds/runs/{draft.id}/consent")
    assert response.status_code == 404


def _outbox(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))


def test_reminder_goes_to_unanswered_sides_once_a_day(tracked, login, db, no_csrf):
    run, client = tracked["run"], login(tracked["organiser"])
    before = _outbox(db)
    response = client.post(f"/rounds/runs/{run.id}/remind", follow_redirects=True)
    assert response.status_code == 200
    # waiting: the State and the partner; half: the partner only
    sent = _outbox(db) - before
    assert sent == 3
    messages = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id.desc()))
    recipients = {m.recipient for m in list(messages)[:sent]}
    assert recipients == {tracked["focal"].email, tracked["partner"].email}
    again = client.post(f"/rounds/runs/{run.id}/remind", follow_redirects=True)
    assert again.status_code == 200
    assert "reminded today already" in again.get_data(as_text=True)
    assert _outbox(db) - before == 3


def test_reminder_needs_a_post_with_a_token(tracked, login, app):
    run = tracked["run"]
    assert login(tracked["organiser"]).get(f"/rounds/runs/{run.id}/remind").status_code == 405


def test_unused_offers_with_capacity_and_budget_left_in_dollars(tracked, login, db):
    offer_b = tracked["offers"][1]
    offer_b.capacity_used, offer_b.budget_used = 1, 25_000
    db.session.commit()
    html = _page(login, tracked["organiser"], tracked["run"])
    unused = html.split("Offers not used", 1)[1]
    assert "Spare offer" in unused  # in the round, never proposed
    assert "Offer A" in unused and "Offer B" in unused and "Offer C" in unused
    assert "Offer D" not in unused  # it has an agreed match
    assert "2 of 3" in unused and "US$65,000 of US$90,000" in unused
    assert "US$80,000 of US$80,000" in unused


def test_cost_above_the_typical_cost_is_flagged(tracked, login):
    html = _page(login, tracked["organiser"], tracked["run"])
    assert "US$30,000" in html
    assert len(re.findall("Above the typical cost of US\\$25,000", html)) == 1


def test_run_page_links_to_the_tracking_page(tracked, login):
    run = tracked["run"]
    html = login(tracked["organiser"]).get(f"/rounds/runs/{run.id}").get_data(as_text=True)
    assert f"/rounds/runs/{run.id}/consent" in html


def test_weights_on_the_run_and_the_comparison(tracked, login, db):
    run = tracked["run"]
    run.settings = {"weights": {"theme": 77}}
    other = SolveRun(round_id=run.round_id, status=run.status, settings={})
    db.session.add(other)
    db.session.commit()
    client = login(tracked["organiser"])
    html = client.get(f"/rounds/runs/{run.id}").get_data(as_text=True)
    assert "Shared themes" in html and ">77<" in html
    url = f"/rounds/{run.round_id}/compare?a={run.id}&b={other.id}"
    html = client.get(url).get_data(as_text=True)
    assert html.count("Shared themes") == 2 and ">77<" in html and ">40<" in html


def test_rules_name_the_need_and_the_offer(tracked, login, db):
    from tamatch.models import PairRule, PairRuleKind

    half = tracked["half"]
    db.session.add(
        PairRule(
            round_id=half.round_id,
            need_id=half.need_id,
            offer_id=half.offer_id,
            kind=PairRuleKind.PIN,
        )
    )
    db.session.commit()
    html = login(tracked["organiser"]).get(f"/rounds/{half.round_id}").get_data(as_text=True)
    assert "need “Half need” with offer “Offer B”" in html
    assert "need #" not in html


def test_run_summary_shows_dollars(tracked, login):
    run = tracked["run"]
    html = login(tracked["organiser"]).get(f"/rounds/runs/{run.id}").get_data(as_text=True)
    assert "Cost / budget left" not in html or "US$" in html.split("Cost / budget left", 1)[1]
