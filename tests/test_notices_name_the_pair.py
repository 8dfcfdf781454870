"""Notifications name their need and offer (the need masked for a reader not entitled to it)
and say when answers are due, in the list and in the e-mail."""

import sqlalchemy as sa

from tamatch.models import Notification, OutboxMessage, Visibility
from tests.test_rendered_facts import TITLE, _published

OFFER = "Trainers for safety planning"


def _notes(db, user):
    return db.session.scalars(
        sa.select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    ).all()


def test_an_agreed_match_names_need_and_offer_masked_for_the_partner(db, make, login, no_csrf):
    pair = _published(db, make, Visibility.CONFIDENTIAL)
    url = f"/rounds/proposals/{pair.proposal.id}"
    assert login(pair.focal).post(url, data={"decision": "accept"}).status_code == 302
    # The partner, not yet entitled to the confidential need, reads its mask and the offer.
    waiting = _notes(db, pair.partner)[-1]
    assert OFFER in waiting.body and "due by" in waiting.body
    assert TITLE not in waiting.body and "a confidential need" in waiting.body
    published = _notes(db, pair.partner)[0]
    assert "due by" in published.body and OFFER in published.body
    listed = login(pair.partner).get("/notifications/").text
    assert OFFER in listed and TITLE not in listed
    assert login(pair.partner).post(url, data={"decision": "accept"}).status_code == 302
    # Agreed: each reader's notice names the pair (the engagement entitles the partner).
    for user in (pair.focal, pair.partner, pair.organiser):
        (agreed,) = [n for n in _notes(db, user) if "agreed" in n.subject]
        assert TITLE in agreed.body and OFFER in agreed.body
    # E-mails leave the platform: they name the offer, never the confidential title.
    mail = db.session.scalars(sa.select(OutboxMessage.body)).all()
    assert any(OFFER in body and "accepted" in body for body in mail)
    assert all(TITLE not in body for body in mail)
    assert all("https://tamatch.test/rounds/proposals/" in body for body in mail)
