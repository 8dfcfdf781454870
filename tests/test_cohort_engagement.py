"""A joint need is matched as one: every State of it consents before any engagement starts,
one State's no declines the proposal, and each State is a party to the engagement."""

import threading
import time

import pytest
import sqlalchemy as sa

from tamatch.errors import InvalidTransition
from tamatch.followup.permissions import can_see_engagement, engagement_side
from tamatch.models import (
    CohortConsent,
    CohortMember,
    Decision,
    Engagement,
    MemberAnswer,
    NeedCohort,
    NeedStatus,
    Notification,
    OrganisationKind,
    Proposal,
    ProposalStatus,
    Role,
    Side,
    User,
    Visibility,
)
from tamatch.models.base import utcnow
from tamatch.rounds import tracking_queries
from tamatch.rounds.consent import Outcome, decide, decide_and_commit
from tamatch.rounds.deadlines import tell_unanswered_sides
from tamatch.rounds.permissions import can_answer, can_see_proposal, member_answers
from tests.api_support import bearer
from tests.factories import make_proposal, make_round


@pytest.fixture
def joint(db, make):
    """Fiji leads an open joint need with Samoa and Tonga (both consented); Haiti is outside."""

    class World:
        organiser = make.user(role=Role.ORGANISER)
        fiji = make.user(role=Role.FOCAL_POINT, state="FJI")
        samoa = make.user(role=Role.FOCAL_POINT, state="WSM")
        tonga = make.user(role=Role.FOCAL_POINT, state="TON")
        haiti = make.user(role=Role.FOCAL_POINT, state="HTI")
        partner = make.user(role=Role.PARTNER)
        need = make.need(
            state="FJI", status=NeedStatus.MATCHED, visibility=Visibility.CONFIDENTIAL,
            title="Joint CRPD report",
        )  # fmt: skip
        offer = make.offer(organisation=partner.organisation, capacity=2, budget=100_000)

    cohort = NeedCohort(need_id=World.need.id, lead_id=World.fiji.id)
    db.session.add(cohort)
    for user in (World.samoa, World.tonga):
        cohort.members.append(
            CohortMember(
                state_id=user.state_id,
                consent=CohortConsent.CONSENTED,
                answered_by_id=user.id,
                answered_at=utcnow(),
            )
        )
    db.session.commit()
    db.session.refresh(World.need)
    World.round = make_round(db, World.organiser)
    World.proposal = make_proposal(db, World.round, World.need, World.offer, cost=10_000, score=5)
    return World


def test_the_engagement_waits_for_every_state_of_the_joint_need(joint, db):
    p = joint.proposal
    assert decide(joint.fiji, p, True).outcome == Outcome.WAITING
    assert decide(joint.partner, p, True).outcome == Outcome.WAITING  # Samoa, Tonga to answer
    assert decide(joint.samoa, p, True).outcome == Outcome.WAITING
    assert p.status == ProposalStatus.PENDING and p.engagement is None
    assert p.state_decision == Decision.ACCEPTED  # the lead's answer, untouched by Samoa's
    result = decide(joint.tonga, p, True)
    db.session.commit()
    assert result.outcome == Outcome.ENGAGED
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Engagement)) == 1
    assert {a.state.iso3: a.decision for a in db.session.scalars(sa.select(MemberAnswer))} == {
        "WSM": Decision.ACCEPTED,
        "TON": Decision.ACCEPTED,
    }


def test_the_last_yes_may_come_from_the_lead_or_the_partner(joint, db):
    p = joint.proposal
    for user in (joint.samoa, joint.tonga, joint.partner):
        assert decide(user, p, True).outcome == Outcome.WAITING
    assert decide(joint.fiji, p, True).outcome == Outcome.ENGAGED


def test_one_member_states_no_declines_the_proposal_for_all(joint, db):
    p = joint.proposal
    decide(joint.fiji, p, True)
    decide(joint.partner, p, True)
    result = decide(joint.samoa, p, False, "Our ministry is not ready this year")
    db.session.commit()
    assert result.outcome == Outcome.DECLINED
    assert p.status == ProposalStatus.DECLINED and p.engagement is None
    assert not can_answer(joint.tonga, p)
    from tamatch.rounds.render import decision_reason

    assert decision_reason(joint.organiser, p, Side.STATE) == "Our ministry is not ready this year"
    assert decision_reason(joint.partner, p, Side.STATE) == ""  # a confidential need's reason


def test_a_member_state_answers_once_for_itself(joint, db):
    p = joint.proposal
    assert can_answer(joint.samoa, p) and can_answer(joint.fiji, p)
    decide(joint.samoa, p, True)
    assert not can_answer(joint.samoa, p) and can_answer(joint.fiji, p)
    assert decide(joint.samoa, p, True).outcome == Outcome.UNCHANGED
    with pytest.raises(InvalidTransition):
        decide(joint.samoa, p, False, "changed our mind")
    assert [(m.state.iso3, a and a.decision) for m, a in member_answers(p)] == [
        ("WSM", Decision.ACCEPTED),
        ("TON", None),
    ]


def test_the_database_keeps_one_answer_per_state_and_proposal(joint, db):
    for _ in range(2):
        db.session.add(
            MemberAnswer(
                proposal_id=joint.proposal.id,
                state_id=joint.samoa.state_id,
                decision=Decision.ACCEPTED,
                decided_by_id=joint.samoa.id,
            )
        )
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_each_state_is_a_party_that_sees_the_proposal_and_the_engagement(joint, make, db):
    p = joint.proposal
    assert can_see_proposal(joint.tonga, p) and not can_see_proposal(joint.haiti, p)
    for user in (joint.fiji, joint.partner, joint.samoa, joint.tonga):
        decide_and_commit(user, p.id, True)
    engagement = db.session.scalar(sa.select(Engagement))
    assert engagement_side(joint.tonga, engagement) == Side.STATE
    assert can_see_engagement(joint.tonga, engagement)
    assert not can_see_engagement(joint.haiti, engagement)
    samoan_voice = make.user(
        role=Role.CIVIL_SOCIETY,
        organisation=make.organisation(kind=OrganisationKind.NHRI, state=make.state("WSM")),
    )
    assert not can_see_engagement(samoan_voice, engagement)  # a confidential need


def test_the_organiser_sees_the_state_side_waiting_until_every_state_answered(joint, db):
    p = joint.proposal
    decide(joint.fiji, p, True)
    db.session.commit()
    waiting = tracking_queries.unanswered_counts(p.run)
    assert waiting[tracking_queries.Waiting.STATE] == 1
    decide(joint.samoa, p, True)
    decide(joint.tonga, p, True)
    db.session.commit()
    assert tracking_queries.unanswered_counts(p.run)[tracking_queries.Waiting.STATE] == 0


def test_reminders_go_to_the_states_that_have_not_answered(joint, db):
    p = joint.proposal
    decide(joint.fiji, p, True)
    decide(joint.samoa, p, True)
    decide(joint.partner, p, True)
    db.session.commit()
    told = tell_unanswered_sides(p, "Answer", "A proposal waits for you")
    db.session.commit()
    recipients = set(db.session.scalars(sa.select(Notification.user_id)))
    assert told == 1 and joint.tonga.id in recipients
    assert recipients.isdisjoint({joint.fiji.id, joint.samoa.id, joint.partner.id})


def test_a_member_answers_on_the_page_and_the_api_shows_each_answer(
    joint, login, no_csrf, db, token_for
):
    p = joint.proposal
    client = login(joint.tonga)
    page = client.get(f"/rounds/proposals/{p.id}")
    assert page.status_code == 200 and b"Send answer" in page.data
    answer = client.post(f"/rounds/proposals/{p.id}", data={"decision": "accept"})
    assert answer.status_code == 302
    db.session.expire_all()
    assert [(m.state.iso3, a and a.decision) for m, a in member_answers(p)][1] == (
        "TON",
        Decision.ACCEPTED,
    )
    page = client.get(f"/rounds/proposals/{p.id}").get_data(as_text=True)
    assert "Send answer" not in page and "Tonga" in page and "Samoa" in page

    api = login(joint.partner)
    body = api.get(f"/api/v1/proposals/{p.id}", headers=bearer(token_for(joint.partner))).get_json()
    assert body["member_decisions"] == [
        {"state": None, "decision": "pending"},  # the partner may not see a confidential need
        {"state": None, "decision": "accepted"},
    ]


def test_a_yes_given_while_another_is_uncommitted_still_starts_the_engagement(app, joint, db):
    """The partner and Samoa already agreed. Fiji's yes is written but not yet committed when
    Tonga's yes arrives: Tonga's answer waits for Fiji's to commit and then sees it, so the
    engagement starts (without the lock each would see the other's yes missing, and the
    proposal would wait for ever with every State and the partner agreed)."""
    p = joint.proposal
    decide_and_commit(joint.partner, p.id, True)
    decide_and_commit(joint.samoa, p.id, True)
    fiji_id, tonga_id, proposal_id = joint.fiji.id, joint.tonga.id, p.id
    written, errors, outcomes = threading.Event(), [], []

    def fiji() -> None:
        with app.app_context():
            try:
                proposal = db.session.get(Proposal, proposal_id)
                outcomes.append(decide(db.session.get(User, fiji_id), proposal, True).outcome)
                written.set()
                time.sleep(0.5)  # Tonga answers meanwhile
                db.session.commit()
            except BaseException as error:  # collected and re-raised below
                errors.append(error)
                written.set()
            finally:
                db.session.remove()

    def tonga() -> None:
        with app.app_context():
            try:
                written.wait(timeout=30)
                user = db.session.get(User, tonga_id)
                outcomes.append(decide_and_commit(user, proposal_id, True)[1].outcome)
            except BaseException as error:  # collected and re-raised below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=fiji), threading.Thread(target=tonga)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(outcomes) == sorted([Outcome.WAITING, Outcome.ENGAGED])
    db.session.expire_all()
    assert db.session.get(Proposal, proposal_id).status == ProposalStatus.ACCEPTED
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Engagement)) == 1


def test_a_yes_tells_only_those_whose_answer_is_still_awaited(joint, db):
    from tamatch.rounds.notify import tell_about_decision

    p = joint.proposal
    for user in (joint.fiji, joint.partner):
        decide(user, p, True)
    db.session.commit()
    result = decide(joint.samoa, p, True)
    tell_about_decision(p, Side.STATE, result)
    db.session.commit()
    told = {
        n.user_id: n.subject
        for n in db.session.scalars(sa.select(Notification).order_by(Notification.id))
    }
    assert told == {joint.tonga.id: "Another State of the joint need accepted a proposed match"}
