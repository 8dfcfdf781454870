"""Peer cohorts: a joint need of several States, led by one focal point, opens only when every
member State has consented; member focal points see it, in pages and lists alike."""

import re
import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from tamatch.auth.permissions import can_see_need, visible_needs_clause
from tamatch.errors import DomainError
from tamatch.models import (
    AuditEntry,
    CohortConsent,
    CohortMember,
    Need,
    NeedCohort,
    NeedStatus,
    Notification,
    Role,
    Visibility,
)
from tamatch.models.base import utcnow
from tamatch.needs import cohort
from tests.api_support import bearer


@pytest.fixture
def sids(db, make):
    """Fiji leads a draft need; Samoa and Tonga each have a focal point; Haiti is outside."""

    class World:
        lead = make.user(role=Role.FOCAL_POINT, state="FJI")
        fiji_other = make.user(role=Role.FOCAL_POINT, state="FJI")
        samoa = make.user(role=Role.FOCAL_POINT, state="WSM")
        tonga = make.user(role=Role.FOCAL_POINT, state="TON")
        haiti = make.user(role=Role.FOCAL_POINT, state="HTI")
        partner = make.user(role=Role.PARTNER)
        need = make.need(
            state="FJI", status=NeedStatus.DRAFT, visibility=Visibility.CONFIDENTIAL,
            title="Joint CRPD report",
        )  # fmt: skip

    return World


def _invite(client, need, iso3, make):
    return client.post(f"/needs/{need.id}/cohort/invite", data={"state_id": make.state(iso3).id})


def _answer(client, need, consent: bool):
    button = "consent" if consent else "decline"
    return client.post(f"/needs/{need.id}/cohort/answer", data={button: "1"})


def _publish(client, need):
    return client.post(f"/needs/{need.id}/status", data={"target": "open"}, follow_redirects=True)


def _status(db, need) -> NeedStatus:
    db.session.expire_all()
    return db.session.get(Need, need.id).status


def test_a_joint_need_opens_only_once_every_member_state_consented(sids, make, login, no_csrf, db):
    lead = login(sids.lead)
    assert _invite(lead, sids.need, "WSM", make).status_code == 302
    assert _invite(lead, sids.need, "TON", make).status_code == 302
    told = db.session.scalars(sa.select(Notification.user_id)).all()
    assert sorted(told) == sorted([sids.samoa.id, sids.tonga.id])

    # Members read the draft (confidential, too) before they answer; outsiders do not.
    samoa, tonga, haiti = login(sids.samoa), login(sids.tonga), login(sids.haiti)
    page = samoa.get(f"/needs/{sids.need.id}")
    assert page.status_code == 200
    assert "Samoa" in page.text and "Tonga" in page.text and "Invited, no answer yet" in page.text
    assert "Consent for my State" in page.text
    assert haiti.get(f"/needs/{sids.need.id}").status_code == 404

    page = _publish(lead, sids.need)
    assert "still waiting for: Samoa, Tonga." in page.text
    assert _status(db, sids.need) == NeedStatus.DRAFT

    assert _answer(samoa, sids.need, True).status_code == 302
    assert _answer(tonga, sids.need, False).status_code == 302
    page = _publish(lead, sids.need)
    assert "still waiting for: Tonga." in page.text
    assert _status(db, sids.need) == NeedStatus.DRAFT

    member = db.session.scalar(sa.select(CohortMember).where(CohortMember.consent == "declined"))
    removed = lead.post(f"/needs/{sids.need.id}/cohort/{member.id}/remove")
    assert removed.status_code == 302
    assert tonga.get(f"/needs/{sids.need.id}").status_code == 404

    page = _publish(lead, sids.need)
    assert _status(db, sids.need) == NeedStatus.OPEN
    assert "Tonga is no longer part of this need." in page.text  # flashed on removal
    listed = re.findall(r'<th scope="row" class="fw-normal">([^<]+)</th>', page.text)
    assert listed == ["Fiji", "Samoa"] and "Consented" in page.text
    actions = db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.action.like("need.cohort%"))
    ).all()
    assert sorted(actions) == sorted(
        ["need.cohort_invite"] * 2 + ["need.cohort_answer"] * 2 + ["need.cohort_remove"]
    )


def test_members_see_the_joint_need_in_lists_and_the_clause_agrees_with_the_predicate(
    sids, make, db
):
    cohort.invite_state(sids.lead, sids.need, make.state("WSM"))
    cohort.invite_state(sids.lead, sids.need, make.state("TON"))
    cohort.answer(sids.tonga, sids.need, consent=False)
    other = make.need(state="WSM", status=NeedStatus.DRAFT)  # Samoa's own draft
    db.session.commit()
    needs = [sids.need, other]
    for user in (sids.lead, sids.fiji_other, sids.samoa, sids.tonga, sids.haiti, sids.partner):
        listed = set(db.session.scalars(sa.select(Need.id).where(visible_needs_clause(user))))
        assert listed == {n.id for n in needs if can_see_need(user, n)}, user
    samoa_sees = set(db.session.scalars(sa.select(Need.id).where(visible_needs_clause(sids.samoa))))
    assert samoa_sees == {sids.need.id, other.id}
    assert sids.need.id not in set(
        db.session.scalars(sa.select(Need.id).where(visible_needs_clause(sids.haiti)))
    )


def test_the_needs_list_of_a_member_shows_the_joint_need_under_mine(sids, make, login, db):
    cohort.invite_state(sids.lead, sids.need, make.state("WSM"))
    db.session.commit()
    page = login(sids.samoa).get("/needs/?mine=1")
    assert "Joint CRPD report" in page.text
    assert "Joint CRPD report" not in login(sids.haiti).get("/needs/?mine=1").text


def test_a_change_to_the_need_asks_the_states_that_answered_again(sids, make, login, no_csrf, db):
    cohort.invite_state(sids.lead, sids.need, make.state("WSM"))
    cohort.answer(sids.samoa, sids.need, consent=True)
    db.session.commit()
    assert login(sids.lead).get(f"/needs/{sids.need.id}/edit").status_code == 200  # a draft
    from tamatch.needs.services import NeedData, update_need

    data = NeedData(
        title="Joint CRPD report, with the budget",
        gap=sids.need.gap,
        recommendation_ids=tuple(r.id for r in sids.need.recommendations),
        theme_ids=tuple(t.id for t in sids.need.themes),
        support_kind_ids=tuple(k.id for k in sids.need.support_kinds),
        language_ids=tuple(lang.id for lang in sids.need.languages),
        cost_min=sids.need.cost_min,
        cost_max=sids.need.cost_max,
        window_start=sids.need.window_start,
        window_end=sids.need.window_end,
        priority=sids.need.priority,
        visibility=sids.need.visibility,
    )
    update_need(sids.lead, sids.need, data)
    db.session.commit()
    member = db.session.scalar(sa.select(CohortMember))
    assert member.consent == CohortConsent.INVITED and member.answered_at is None
    subjects = db.session.scalars(
        sa.select(Notification.subject).where(Notification.user_id == sids.samoa.id)
    ).all()
    assert "A joint need your State answered has changed" in subjects

    cohort.answer(sids.samoa, sids.need, consent=True)
    from tamatch.needs.services import transition_need

    transition_need(sids.lead, sids.need, NeedStatus.OPEN)
    db.session.commit()
    # Open, a joint need is fixed: the members consented to this text.
    client = login(sids.lead)
    assert client.get(f"/needs/{sids.need.id}/edit").status_code == 403
    assert _answer(login(sids.samoa), sids.need, False).status_code == 403


def test_who_may_invite_and_answer(sids, make, login, no_csrf, db):
    assert _invite(login(sids.samoa), sids.need, "TON", make).status_code == 404  # not yet in
    cohort.invite_state(sids.lead, sids.need, make.state("WSM"))
    db.session.commit()
    assert _invite(login(sids.samoa), sids.need, "TON", make).status_code == 403  # a member
    assert _invite(login(sids.fiji_other), sids.need, "TON", make).status_code == 403
    assert _answer(login(sids.lead), sids.need, True).status_code == 403  # the lead
    assert _answer(login(sids.haiti), sids.need, True).status_code == 404
    # The lead's account is closed: another focal point of Fiji takes the lead.
    sids.lead.active = False
    db.session.commit()
    assert _invite(login(sids.fiji_other), sids.need, "TON", make).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(NeedCohort.lead_id)) == sids.fiji_other.id


@pytest.mark.parametrize(
    ("iso3", "message"),
    [
        ("FJI", "Your own State leads this need."),
        ("WSM", "Samoa is already invited."),
        ("NRU", "Nauru has no focal point on the platform to answer yet."),
    ],
)
def test_an_invitation_that_cannot_be_answered_is_refused(sids, make, db, iso3, message):
    cohort.invite_state(sids.lead, sids.need, make.state("WSM"))
    db.session.commit()
    with pytest.raises(DomainError, match=re.escape(message)):
        cohort.invite_state(sids.lead, sids.need, make.state(iso3))
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CohortMember)) == 1


def test_the_page_says_why_an_invitation_is_refused(sids, make, login, no_csrf, db):
    page = login(sids.lead).post(
        f"/needs/{sids.need.id}/cohort/invite",
        data={"state_id": make.state("NRU").id},
        follow_redirects=True,
    )
    assert "Nauru has no focal point on the platform to answer yet." in page.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(NeedCohort)) == 0
    # Once a State is in, the form no longer offers it (nor the lead's own State).
    cohort.invite_state(sids.lead, sids.need, make.state("WSM"))
    db.session.commit()
    page = login(sids.lead).get(f"/needs/{sids.need.id}")
    offered = re.search(r'<select[^>]*id="cohort-state"[^>]*>(.*?)</select>', page.text, re.S)
    assert ">Samoa<" not in offered.group(1) and ">Fiji<" not in offered.group(1)
    assert ">Tonga<" in offered.group(1)


def test_the_api_cannot_open_a_joint_need_before_every_state_consented(
    sids, make, token_for, client, db
):
    cohort.invite_state(sids.lead, sids.need, make.state("WSM"))
    db.session.commit()
    response = client.patch(
        f"/api/v1/needs/{sids.need.id}",
        json={"status": "open"},
        headers=bearer(token_for(sids.lead)),
    )
    assert response.status_code == 422
    assert "still waiting for: Samoa." in response.get_json()["error"]["message"]
    assert _status(db, sids.need) == NeedStatus.DRAFT
    # The member's tracking tool reads the draft it is asked about; an outsider's does not.
    url = f"/api/v1/needs/{sids.need.id}"
    shown = client.get(url, headers=bearer(token_for(sids.samoa)))
    assert shown.status_code == 200
    assert shown.get_json()["cohort"] == [
        {"state": {"iso3": "WSM", "name": "Samoa"}, "consent": "invited"}
    ]
    assert client.get(url, headers=bearer(token_for(sids.haiti))).status_code == 404
    listed = client.get("/api/v1/needs", headers=bearer(token_for(sids.samoa))).get_json()
    assert [n["id"] for n in listed["items"]] == [sids.need.id]


def test_the_database_keeps_an_answer_with_its_author_and_one_row_per_state(sids, make, db):
    cohort.invite_state(sids.lead, sids.need, make.state("WSM"))
    db.session.commit()
    member = db.session.scalar(sa.select(CohortMember))
    member.consent = CohortConsent.CONSENTED  # an answer without who and when
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.add(
        CohortMember(
            cohort_id=member.cohort_id,
            state_id=member.state_id,
            answered_at=None,
            invited_at=utcnow(),
        )
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_an_opening_and_a_change_of_mind_at_once_never_leave_an_open_need_without_consent(
    app, make, db, no_csrf
):
    """The lead publishes while the member withdraws its consent, twenty times: each need ends
    either open with the member's consent or a draft without it (the need's row is locked)."""
    lead = make.user(role=Role.FOCAL_POINT, state="FJI")
    samoa = make.user(role=Role.FOCAL_POINT, state="WSM")
    lead_client, samoa_client = app.test_client(user=lead), app.test_client(user=samoa)
    for _ in range(20):
        need = make.need(state="FJI", status=NeedStatus.DRAFT)
        cohort.invite_state(lead, need, make.state("WSM"))
        cohort.answer(samoa, need, consent=True)
        db.session.commit()
        barrier, statuses = threading.Barrier(2), []

        def send(client, url, data, barrier=barrier, statuses=statuses):
            barrier.wait(timeout=60)
            statuses.append(client.post(url, data=data).status_code)

        threads = [
            threading.Thread(
                target=send, args=(lead_client, f"/needs/{need.id}/status", {"target": "open"})
            ),
            threading.Thread(
                target=send,
                args=(samoa_client, f"/needs/{need.id}/cohort/answer", {"decline": "1"}),
            ),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        # Both answered, no 500: a member answering once the need is open is refused (403).
        assert len(statuses) == 2 and set(statuses) <= {302, 403}, statuses
        db.session.expire_all()
        status = db.session.get(Need, need.id).status
        consent = db.session.scalar(
            sa.select(CohortMember.consent).join(NeedCohort).where(NeedCohort.need_id == need.id)
        )
        assert (status, consent) in {
            (NeedStatus.OPEN, CohortConsent.CONSENTED),
            (NeedStatus.DRAFT, CohortConsent.DECLINED),
        }
