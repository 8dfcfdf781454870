"""E-mail per notification or one daily digest, chosen by each user; links absolute."""

import pytest
import sqlalchemy as sa

from tamatch.models import Notification, OutboxMessage, Role
from tamatch.notifications.digest import send_digests
from tamatch.notifications.services import notify

pytestmark = pytest.mark.usefixtures("no_csrf")


def _mail(db, email):
    return db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.recipient == email)
    ).all()


def test_digest_users_get_one_daily_e_mail_with_all_their_notices(make, login, db, runner):
    digest, immediate = make.user(role=Role.PARTNER), make.user(role=Role.PARTNER)
    page = login(digest).post("/notifications/email", data={"delivery": "digest"})
    assert page.status_code == 302
    db.session.expire_all()
    assert digest.email_digest and not immediate.email_digest
    for n in range(3):
        notify([digest, immediate], f"Notice {n}", f"Body {n}", "/rounds/proposals/1")
    db.session.commit()
    assert _mail(db, digest.email) == []  # no immediate e-mail for a digest user
    (first,) = _mail(db, immediate.email)[:1]
    assert len(_mail(db, immediate.email)) == 3
    assert "https://tamatch.test/rounds/proposals/1" in first.body  # absolute link
    result = runner.invoke(args=["notifications", "digest"])
    assert result.exit_code == 0, result.output
    (mail,) = _mail(db, digest.email)
    assert all(f"Notice {n}" in mail.body and f"Body {n}" in mail.body for n in range(3))
    assert "https://tamatch.test/rounds/proposals/1" in mail.body
    assert len(_mail(db, immediate.email)) == 3  # immediate users get no digest
    # Safe to run twice: nothing owed, nothing sent.
    assert send_digests() == {"people": 0, "notifications": 0}
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Notification)
            .where(Notification.emailed_at.is_(None))
        )
        == 0
    )


def test_the_setting_page_shows_the_current_choice(make, login):
    page = login(make.user(role=Role.FOCAL_POINT)).get("/notifications/email")
    assert page.status_code == 200 and "daily digest" in page.text
