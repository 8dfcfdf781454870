"""Consent: the state machine move by move, engagements, and racing accepts."""

import threading
from datetime import date

import pytest
import sqlalchemy as sa

from tamatch.errors import DomainError, InvalidTransition, PermissionDenied
from tamatch.models import (
    Decision,
    Engagement,
    NeedStatus,
    Offer,
    PairRule,
    PairRuleKind,
    Proposal,
    ProposalStatus,
    Role,
    User,
)
from tamatch.rounds.consent import Outcome, add_months, decide, decide_and_commit
from tests.factories import make_proposal, make_round


@pytest.fixture
def setup(make, db):
    """A published proposal between a Haitian need and an offer of one partner."""
    organiser = make.user(role=Role.ORGANISER)
    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    partner = make.user(role=Role.PARTNER)
    offer = make.offer(organisation=partner.organisation, capacity=2, budget=100_000)
    need = make.need(state="HTI", status=NeedStatus.MATCHED)
    match_round = make_round(db, organiser, followup_months=(6, 12))
    proposal = _proposal(db, match_round, need, offer)
    return {
        "organiser": organiser,
        "focal": focal,
        "partner": partner,
        "offer": offer,
        "need": need,
        "round": match_round,
        "proposal": proposal,
    }


def _proposal(db, match_round, need, offer, cost=20_000):
    return make_proposal(db, match_round, need, offer, cost=cost, score=50)


def test_both_accept_starts_an_engagement_with_due_dates(setup, db):
    p = setup["proposal"]
    assert decide(setup["focal"], p, True).outcome == Outcome.WAITING
    assert p.status == ProposalStatus.PENDING and p.state_decision == Decision.ACCEPTED
    result = decide(setup["partner"], p, True)
    db.session.commit()
    assert result.outcome == Outcome.ENGAGED
    engagement = result.engagement
    assert engagement.started_on == date.today()
    assert [r.stage_months for r in engagement.reports_due] == [6, 12]
    assert engagement.reports_due[0].due_on == add_months(date.today(), 6)
    assert setup["need"].status == NeedStatus.IN_PROGRESS
    offer = db.session.get(Offer, setup["offer"].id)
    assert (offer.capacity_used, offer.budget_used) == (1, 20_000)


def test_accepting_twice_changes_nothing(setup, db):
    p = setup["proposal"]
    decide(setup["focal"], p, True)
    decide(setup["partner"], p, True)
    assert decide(setup["partner"], p, True).outcome == Outcome.UNCHANGED
    assert decide(setup["focal"], p, True).outcome == Outcome.UNCHANGED
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Engagement)) == 1
    assert db.session.get(Offer, setup["offer"].id).capacity_used == 1
    with pytest.raises(InvalidTransition):
        decide(setup["focal"], p, False, "changed my mind")


def test_decline_needs_a_reason_bars_the_pair_and_reopens_the_need(setup, db):
    p = setup["proposal"]
    with pytest.raises(DomainError, match="Say why"):
        decide(setup["partner"], p, False, "  ")
    result = decide(setup["partner"], p, False, "No staff available in that period")
    db.session.commit()
    assert result.outcome == Outcome.DECLINED
    assert p.status == ProposalStatus.DECLINED and p.partner_reason.startswith("No staff")
    rule = db.session.scalar(sa.select(PairRule))
    assert (rule.kind, rule.need_id, rule.offer_id) == (
        PairRuleKind.FORBID,
        setup["need"].id,
        setup["offer"].id,
    )
    assert setup["need"].status == NeedStatus.OPEN
    with pytest.raises(InvalidTransition):
        decide(setup["focal"], p, True)  # too late: the proposal is closed


def test_only_the_two_parties_may_answer(setup, make):
    p = setup["proposal"]
    for role, kwargs in [
        (Role.FOCAL_POINT, {"state": "NPL"}),
        (Role.PARTNER, {}),
        (Role.ORGANISER, {}),
        (Role.ADMIN, {}),
        (Role.CIVIL_SOCIETY, {}),
    ]:
        with pytest.raises(PermissionDenied):
            decide(make.user(role=role, **kwargs), p, True)


def test_lapses_when_the_offer_is_full(setup, db, make):
    offer = setup["offer"]
    offer.capacity_used = offer.capacity
    db.session.commit()
    p = setup["proposal"]
    decide(setup["focal"], p, True)
    result = decide(setup["partner"], p, True)
    db.session.commit()
    assert result.outcome == Outcome.LAPSED
    assert p.status == ProposalStatus.LAPSED
    assert setup["need"].status == NeedStatus.OPEN
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Engagement)) == 0


def test_add_months_clips_to_month_end():
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2027, 11, 15), 12) == date(2028, 11, 15)


@pytest.mark.parametrize("capacity", [1, 3])
def test_concurrent_accepts_never_exceed_capacity(app, make, db, capacity):
    """Many proposals on one offer, the State already agreed to each: the partner's accepts
    arrive at once from many threads. The database lets exactly `capacity` through."""
    organiser = make.user(role=Role.ORGANISER)
    partner = make.user(role=Role.PARTNER)
    offer = make.offer(
        organisation=partner.organisation, capacity=capacity, budget=capacity * 20_000
    )
    match_round = make_round(db, organiser)
    ids = []
    for i in range(12):
        need = make.need(state=["HTI", "NPL", "FJI"][i % 3], status=NeedStatus.MATCHED)
        proposal = _proposal(db, match_round, need, offer)
        proposal.state_decision = Decision.ACCEPTED
        ids.append(proposal.id)
    db.session.commit()
    partner_id = partner.id
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(ids))

    def accept(proposal_id: int) -> None:
        with app.app_context():
            try:
                user = db.session.get(User, partner_id)
                barrier.wait(timeout=30)
                decide_and_commit(user, proposal_id, True)
            except BaseException as error:  # collected and re-raised below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=accept, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    db.session.expire_all()
    used = db.session.get(Offer, offer.id)
    assert used.capacity_used == capacity
    assert used.budget_used == capacity * 20_000
    statuses = db.session.scalars(sa.select(Proposal.status).where(Proposal.id.in_(ids))).all()
    assert statuses.count(ProposalStatus.ACCEPTED) == capacity
    assert statuses.count(ProposalStatus.LAPSED) == len(ids) - capacity
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Engagement)) == capacity
