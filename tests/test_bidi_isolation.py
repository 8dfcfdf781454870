"""Titles written in one script inside sentences of another keep their place: notifications
(plain text, read in mail clients and lists) isolate each title's direction."""

import sqlalchemy as sa

from tamatch.i18n.content import isolated
from tamatch.models import Decision, NeedStatus, Notification, Role, Side
from tamatch.rounds.consent import decide
from tamatch.rounds.notify import tell_about_decision
from tests.factories import make_proposal, make_round

FSI, PDI = "\u2068", "\u2069"


def test_a_title_is_one_isolated_run():
    assert isolated("Training for judges") == f"{FSI}Training for judges{PDI}"
    assert isolated("") == ""


def test_an_arabic_notice_isolates_the_english_titles_it_names(make, db):
    organiser = make.user(role=Role.ORGANISER)
    focal = make.user(role=Role.FOCAL_POINT, state="HTI", locale="ar")
    partner = make.user(role=Role.PARTNER)
    offer = make.offer(organisation=partner.organisation, title="Judicial training (Phase 2)")
    need = make.need(state="HTI", status=NeedStatus.MATCHED, title="Court records, 2026")
    proposal = make_proposal(db, make_round(db, organiser), need, offer, cost=1_000, score=5)
    result = decide(partner, proposal, True)
    assert proposal.partner_decision == Decision.ACCEPTED
    tell_about_decision(proposal, Side.PARTNER, result)
    db.session.commit()
    body = db.session.scalar(sa.select(Notification.body).where(Notification.user_id == focal.id))
    assert f"{FSI}Judicial training (Phase 2){PDI}" in body
    assert f"{FSI}Court records, 2026{PDI}" in body
