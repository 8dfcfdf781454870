"""Consent re-checks everything an engagement needs: the round, its deadline, the need, the
offer; withdrawing or closing lapses waiting proposals; one active engagement per need."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tamatch.errors import InvalidTransition
from tamatch.models import (
    Engagement,
    EngagementStatus,
    LapseReason,
    MatchRound,
    Need,
    NeedStatus,
    Notification,
    Offer,
    OfferStatus,
    Proposal,
    ProposalStatus,
    Role,
    RoundStatus,
    SolveRun,
)
from tamatch.models.base import utcnow
from tamatch.needs.services import transition_need
from tamatch.offers.services import transition_offer
from tamatch.rounds.consent import Outcome, decide
from tamatch.rounds.services import transition_round
from tests.factories import make_proposal, make_round


@pytest.fixture
def setup(make, db):
    organiser = make.user(role=Role.ORGANISER)
    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    partner = make.user(role=Role.PARTNER)
    offer = make.offer(organisation=partner.organisation, capacity=2, budget=100_000)
    need = make.need(state="HTI", status=NeedStatus.MATCHED)
    match_round = make_round(db, organiser)
    proposal = make_proposal(db, match_round, need, offer)
    return {
        "organiser": organiser,
        "focal": focal,
        "partner": partner,
        "offer": offer,
        "need": need,
        "round": match_round,
        "proposal": proposal,
    }


def _engagements(db, **where) -> int:
    stmt = sa.select(sa.func.count()).select_from(Engagement)
    for name, value in where.items():
        stmt = stmt.where(getattr(Engagement, name) == value)
    return db.session.scalar(stmt)


def _behind_its_back(db, stmt) -> None:
    """Another transaction changes a row; the test session still holds the old values."""
    with db.engine.begin() as connection:
        connection.execute(stmt)


def _told(db, user) -> list[str]:
    return list(
        db.session.scalars(sa.select(Notification.subject).where(Notification.user_id == user.id))
    )


CHANGES = {
    "round archived": (
        lambda s: (
            sa.update(MatchRound)
            .where(MatchRound.id == s["round"].id)
            .values(status=RoundStatus.ARCHIVED)
        ),
        LapseReason.ROUND,
    ),
    "deadline passed": (
        lambda s: (
            sa.update(SolveRun)
            .where(SolveRun.id == s["proposal"].run_id)
            .values(answers_due=utcnow().date() - timedelta(days=1))
        ),
        LapseReason.ROUND,
    ),
    "need withdrawn": (
        lambda s: (
            sa.update(Need).where(Need.id == s["need"].id).values(status=NeedStatus.WITHDRAWN)
        ),
        LapseReason.NEED,
    ),
    "offer closed": (
        lambda s: (
            sa.update(Offer).where(Offer.id == s["offer"].id).values(status=OfferStatus.CLOSED)
        ),
        LapseReason.OFFER,
    ),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_the_statement_that_takes_capacity_rechecks_everything(setup, db, change):
    """A change that lands between the checks in Python and the write (a race) is caught by
    the conditional UPDATE itself: the proposal lapses, nothing is taken, no engagement."""
    p = setup["proposal"]
    decide(setup["focal"], p, True)
    db.session.commit()
    # loaded: the session sees them as they were
    assert None not in (p.round, p.run, p.need, p.offer)
    stmt, reason = CHANGES[change]
    _behind_its_back(db, stmt(setup))
    result = decide(setup["partner"], p, True)
    db.session.commit()
    assert result.outcome == Outcome.LAPSED
    assert (p.status, p.lapse_reason) == (ProposalStatus.LAPSED, reason.value)
    assert _engagements(db) == 0
    offer = db.session.get(Offer, setup["offer"].id)
    assert (offer.capacity_used, offer.budget_used) == (0, 0)


@pytest.mark.parametrize("change", ["round archived", "deadline passed"])
def test_a_closed_round_refuses_answers(setup, db, change):
    stmt, _reason = CHANGES[change]
    _behind_its_back(db, stmt(setup))
    db.session.expire_all()
    with pytest.raises(InvalidTransition):
        decide(setup["focal"], setup["proposal"], True)


def test_withdrawing_a_need_lapses_its_proposal_and_tells_the_partner(setup, db):
    p = setup["proposal"]
    decide(setup["partner"], p, True)
    transition_need(setup["focal"], setup["need"], NeedStatus.WITHDRAWN)
    db.session.commit()
    assert (p.status, p.lapse_reason) == (ProposalStatus.LAPSED, "need")
    assert setup["need"].status == NeedStatus.WITHDRAWN
    assert "A proposed match lapsed" in _told(db, setup["partner"])
    assert "A proposed match lapsed" in _told(db, setup["organiser"])
    with pytest.raises(InvalidTransition, match="lapsed"):
        decide(setup["focal"], p, True)
    assert _engagements(db) == 0


def test_closing_an_offer_lapses_its_proposals_reopens_needs_and_tells_the_state(setup, db):
    p = setup["proposal"]
    decide(setup["focal"], p, True)
    transition_offer(setup["partner"], setup["offer"], OfferStatus.CLOSED)
    db.session.commit()
    assert (p.status, p.lapse_reason) == (ProposalStatus.LAPSED, "offer")
    assert setup["need"].status == NeedStatus.OPEN  # it can be matched again
    assert "A proposed match lapsed" in _told(db, setup["focal"])
    assert _engagements(db) == 0


def test_archiving_a_round_lapses_what_waits(setup, db):
    transition_round(setup["organiser"], setup["round"], RoundStatus.ARCHIVED)
    db.session.commit()
    p = setup["proposal"]
    assert (p.status, p.lapse_reason) == (ProposalStatus.LAPSED, "round")
    assert setup["need"].status == NeedStatus.OPEN


def test_a_need_withdrawn_and_proposed_again_engages_once(setup, db, make):
    """The first round's proposal lapses with the withdrawal; the second one engages; the
    first can never start a second engagement on the need."""
    first = setup["proposal"]
    decide(setup["partner"], first, True)
    need = setup["need"]
    transition_need(setup["focal"], need, NeedStatus.WITHDRAWN)
    transition_need(setup["focal"], need, NeedStatus.DRAFT)
    transition_need(setup["focal"], need, NeedStatus.OPEN)
    db.session.commit()
    second_round = make_round(db, setup["organiser"], name="HRC 62 round")
    need.status = NeedStatus.MATCHED  # proposed again, as publishing does
    second = make_proposal(db, second_round, need, setup["offer"])
    decide(setup["focal"], second, True)
    assert decide(setup["partner"], second, True).outcome == Outcome.ENGAGED
    with pytest.raises(InvalidTransition):
        decide(setup["focal"], first, True)
    db.session.commit()
    assert _engagements(db, need_id=need.id) == 1
    assert db.session.get(Offer, setup["offer"].id).capacity_used == 1


def test_a_withdrawal_that_loses_the_race_changes_nothing(setup, db):
    """The need was engaged by another request after this one loaded it: the conditional
    move of the need refuses, and the lapse it began is rolled back with it."""
    p = setup["proposal"]
    need = setup["need"]
    assert need.status == NeedStatus.MATCHED  # loaded as matched
    _behind_its_back(
        db, sa.update(Need).where(Need.id == need.id).values(status=NeedStatus.IN_PROGRESS)
    )
    with pytest.raises(InvalidTransition, match="changed meanwhile"):
        transition_need(setup["focal"], need, NeedStatus.WITHDRAWN)
    db.session.rollback()
    assert db.session.get(Proposal, p.id).status == ProposalStatus.PENDING


def test_the_database_refuses_a_second_active_engagement_on_a_need(setup, db, make):
    p = setup["proposal"]
    other = make_proposal(db, setup["round"], setup["need"], make.offer())

    def engagement(proposal, status=EngagementStatus.ACTIVE):
        return Engagement(
            proposal_id=proposal.id,
            round_id=proposal.round_id,
            need_id=proposal.need_id,
            offer_id=proposal.offer_id,
            cost=1,
            started_on=utcnow().date(),
            status=status,
        )

    db.session.add(engagement(p, EngagementStatus.CANCELLED))
    db.session.add(engagement(other))
    db.session.commit()  # a cancelled one does not count
    third = make_proposal(db, setup["round"], setup["need"], make.offer())
    db.session.add(engagement(third))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()
