"""An admin never sets or resets someone's password silently: invitations, resets."""

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
import sqlalchemy as sa

from tamatch.auth.services import _token_hash
from tamatch.models import ApiToken, AuditEntry, Invitation, OutboxMessage, Role, User
from tamatch.models.base import utcnow
from tests.api_support import bearer
from tests.factories import PASSWORD

pytestmark = pytest.mark.usefixtures("no_csrf")
NEW_PASSWORD = "a-good-long-password"


def _link_token(page) -> str:
    return re.search(r"/auth/invitation/([A-Za-z0-9_-]+)", page.text).group(1)


def _sign_in(app, email, password):
    return app.test_client().post("/auth/login", data={"email": email, "password": password})


def test_reinviting_an_account_with_a_password_is_refused(app, make, login, db):
    admin, victim = make.user(role=Role.ADMIN), make.user(role=Role.PARTNER)
    response = login(admin).post(f"/admin/users/{victim.id}/reinvite", follow_redirects=True)
    assert response.status_code == 200
    assert "has a password already" in response.text and "Reset sign-in" in response.text
    assert "/auth/invitation/" not in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0
    assert _sign_in(app, victim.email, PASSWORD).status_code == 302


def test_reinviting_an_invited_account_gives_a_new_link(app, make, login, db):
    admin, invited = make.user(role=Role.ADMIN), make.user(role=Role.PARTNER, password_hash=None)
    page = login(admin).post(f"/admin/users/{invited.id}/reinvite", follow_redirects=True)
    assert page.status_code == 200 and "Invitation ready" in page.text
    assert app.test_client().get(f"/auth/invitation/{_link_token(page)}").status_code == 200


def test_a_link_is_void_once_its_account_has_a_password(app, make, db):
    """Links made before the fix (or before another link was used) cannot replace a password."""
    user = make.user(role=Role.PARTNER)
    db.session.add(
        Invitation(
            token_hash=_token_hash("old-link"),
            user_id=user.id,
            expires_at=utcnow() + timedelta(days=3),
        )
    )
    db.session.commit()
    client = app.test_client()
    assert client.get("/auth/invitation/old-link").status_code == 404
    data = {"name": "Thief", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert client.post("/auth/invitation/old-link", data=data).status_code == 404
    assert _sign_in(app, user.email, PASSWORD).status_code == 302


def test_a_disabled_account_gets_no_link(app, make, login, db):
    admin = make.user(role=Role.ADMIN)
    invited = make.user(role=Role.PARTNER, password_hash=None, active=False)
    response = login(admin).post(f"/admin/users/{invited.id}/reinvite", follow_redirects=True)
    assert "disabled: enable it first" in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0


def test_reset_sign_in_ends_everything_tells_the_owner_and_is_audited(
    app, make, login, db, token_for
):
    admin = make.user(role=Role.ADMIN, name="Ada Admin")
    victim = make.user(role=Role.ORGANISER, totp_secret=pyotp.random_base32(), totp_enabled=True)
    victim_session, raw = login(victim), token_for(victim)
    assert victim_session.get("/auth/password").status_code == 200
    users_page = login(admin).get("/admin/users").text
    assert f"/admin/users/{victim.id}/reset" in users_page
    page = login(admin).post(f"/admin/users/{victim.id}/reset", follow_redirects=True)
    assert page.status_code == 200 and "Sign-in reset" in page.text
    token = _link_token(page)
    # Password, second factor, sessions and API tokens are gone at once.
    assert victim_session.get("/auth/password").status_code == 302
    assert app.test_client().get("/api/v1/needs", headers=bearer(raw)).status_code == 401
    assert "Wrong e-mail or password" in _sign_in(app, victim.email, PASSWORD).text
    db.session.expire_all()
    fresh = db.session.get(User, victim.id)
    assert (fresh.password_hash, fresh.totp_secret, fresh.totp_enabled) == (None, None, False)
    # Told by e-mail (without the link: only the admin sees it), and audited.
    (mail,) = db.session.scalars(sa.select(OutboxMessage)).all()
    assert mail.recipient == victim.email and "Ada Admin" in mail.body and token not in mail.body
    actions = db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.actor_id == admin.id)
    )
    assert {"user.reset_sign_in", "user.end_sessions"} <= set(actions)
    # The owner chooses a new password and must enrol a new second factor before any session.
    client = app.test_client()
    data = {"name": victim.name, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert (
        client.post(f"/auth/invitation/{token}", data=data)
        .headers["Location"]
        .endswith("/auth/two-factor")
    )
    secret = client.get("/auth/two-factor").text.split('<code class="user-select-all">')[1]
    totp = pyotp.TOTP(secret.split("<")[0])
    code = totp.generate_otp(totp.timecode(datetime.now(UTC)))
    assert client.post("/auth/two-factor", data={"code": code}).status_code == 302
    assert client.get("/auth/password").status_code == 200


def test_reset_sign_in_is_refused_where_it_makes_no_sense(app, make, login, db):
    admin = make.user(role=Role.ADMIN)
    invited = make.user(role=Role.PARTNER, password_hash=None)
    disabled = make.user(role=Role.PARTNER, active=False)
    client = login(admin)
    for user, message in (
        (admin, "Change your own password"),
        (invited, "no password yet"),
        (disabled, "disabled: enable it first"),
    ):
        response = client.post(f"/admin/users/{user.id}/reset", follow_redirects=True)
        assert message in response.text, user
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0
    assert (
        login(make.user(role=Role.ORGANISER)).post(f"/admin/users/{invited.id}/reset").status_code
        == 403
    )
