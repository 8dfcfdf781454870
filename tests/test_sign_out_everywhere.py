"""A new password, disabling and "sign out everywhere" end every session and API token;
issuing a token needs the password again."""

import re

import pytest
import sqlalchemy as sa

from tamatch.auth.throttle import POLICY
from tamatch.models import ApiToken, AuditEntry, Role
from tests.api_support import PAGE, bearer
from tests.factories import PASSWORD

pytestmark = pytest.mark.usefixtures("no_csrf")
NEW_PASSWORD = "a-brand-new-password"


def _api_ok(client, raw: str) -> bool:
    return client.get("/api/v1/needs", headers=bearer(raw)).status_code == 200


def _reasons(db, user) -> list[dict]:
    return [
        e.after
        for e in db.session.scalars(
            sa.select(AuditEntry).where(
                AuditEntry.action == "user.end_sessions", AuditEntry.object_id == user.id
            )
        )
    ]


def test_a_new_password_revokes_the_api_tokens(app, make, login, db, token_for):
    user = make.user()
    raw, other = token_for(user), token_for(make.user())
    client = login(user)
    data = {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    response = client.post("/auth/password", data=data, follow_redirects=True)
    assert "API tokens revoked" in response.text
    assert not _api_ok(client, raw)
    assert _api_ok(client, other)  # someone else's token is untouched
    assert _reasons(db, user) == [{"reason": "password_change", "api_tokens": 1}]


def test_disabling_revokes_the_api_tokens_for_good(app, make, login, db, token_for):
    admin, user = make.user(role=Role.ADMIN), make.user(role=Role.PARTNER)
    raw = token_for(user)
    client = login(admin)
    client.post(f"/admin/users/{user.id}/active", data={"active": "0"})
    client.post(f"/admin/users/{user.id}/active", data={"active": "1"})
    assert not _api_ok(app.test_client(), raw)  # enabling again does not revive the token
    assert _reasons(db, user) == [{"reason": "disabled", "api_tokens": 1}]


def test_sign_out_everywhere_asks_then_ends_every_session_and_token(
    app, make, login, db, token_for
):
    user = make.user(role=Role.ORGANISER)
    raw = token_for(user)
    here, elsewhere = login(user), login(user)
    assert 'href="/auth/sign-out-everywhere"' in here.get("/").text  # in the user menu
    question = here.get("/auth/sign-out-everywhere")
    assert "revokes your 1 API token" in question.text
    assert _api_ok(here, raw)  # asking changed nothing
    response = here.post("/auth/sign-out-everywhere", follow_redirects=True)
    assert "signed out everywhere, and 1 API token was revoked" in response.text
    for client in (here, elsewhere):
        assert client.get("/auth/password").status_code == 302
    assert not _api_ok(app.test_client(), raw)
    assert _reasons(db, user) == [{"reason": "sign_out_everywhere", "api_tokens": 1}]


def test_revoked_expired_and_other_tokens_are_left_as_they_are(app, make, login, db, token_for):
    from datetime import timedelta

    from tamatch.models.base import utcnow

    user = make.user()
    token_for(user)
    expired = db.session.scalar(sa.select(ApiToken))
    expired.expires_at = utcnow() - timedelta(days=1)
    db.session.commit()
    login(user).post("/auth/sign-out-everywhere")
    db.session.refresh(expired)
    assert expired.revoked_at is None  # it still shows as expired, not revoked
    assert _reasons(db, user) == [{"reason": "sign_out_everywhere", "api_tokens": 0}]


def _issue(client, password: str | None, name="NMRF database"):
    data = {"name": name, "days": "30"}
    if password is not None:
        data["password"] = password
    return client.post(PAGE, data=data)


def _count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken))


def test_issuing_a_token_needs_the_password_again(make, login, db):
    client = login(make.user(role=Role.FOCAL_POINT))
    assert "Your password" in client.get(PAGE).text
    missing = _issue(client, None)
    assert missing.status_code == 200 and "This field is required." in missing.text
    wrong = _issue(client, "not my password")
    assert wrong.status_code == 200 and "current password is not right" in wrong.text
    assert _count(db) == 0
    created = _issue(client, PASSWORD)
    assert re.search(r'id="new-token" type="text" readonly value="tm_', created.text)
    assert _count(db) == 1


def test_token_passwords_are_throttled_like_sign_in(app, make, login, db):
    user = make.user(role=Role.PARTNER)
    client = login(user)
    codes = [_issue(client, "not my password").status_code for _ in range(POLICY.free_failures + 2)]
    assert codes == [200] * (POLICY.free_failures + 1) + [429]
    refused = _issue(client, PASSWORD)
    assert refused.status_code == 429 and "Try again in" in refused.text
    assert _count(db) == 0
    # The same wait holds at sign-in from this network: one throttle for every password check.
    signing_in = app.test_client().post(
        "/auth/login", data={"email": user.email, "password": PASSWORD}
    )
    assert signing_in.status_code == 429
