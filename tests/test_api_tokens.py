"""API tokens: shown once, stored hashed, revocable, expiring; bearer only."""

import hashlib
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tamatch.models import ApiToken, AuditEntry, Role
from tamatch.models.base import utcnow
from tests.api_support import PAGE, _csrf, bearer
from tests.factories import PASSWORD

# --- tokens ------------------------------------------------------------------------------


def test_token_is_shown_once_stored_hashed_and_works(make, login, client, db):
    browser = login(make.user(role=Role.FOCAL_POINT))
    page = browser.get(PAGE)
    # The issue makes issuing a token ask for the password again (tests/test_sign_out_everywhere).
    form = {"name": "NMRF database", "days": "30", "password": PASSWORD, "csrf_token": _csrf(page)}
    created = browser.post(PAGE, data=form)
    assert (created.status_code, created.headers["Cache-Control"]) == (200, "no-store")
    raw = re.search(r'id="new-token" type="text" readonly value="([^"]+)"', created.text).group(1)
    token = db.session.scalar(sa.select(ApiToken))
    assert raw.startswith(token.prefix) and token.prefix.startswith("tm_")
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert timedelta(days=29) < token.expires_at - utcnow() <= timedelta(days=30)
    assert raw not in browser.get(PAGE).text  # never shown again
    assert client.get("/api/v1/needs", headers=bearer(raw)).status_code == 200
    assert "api_token.create" in db.session.scalars(sa.select(AuditEntry.action)).all()


def test_token_page_keeps_csrf_and_session_login(make, login, client):
    refused = login(make.user(role=Role.PARTNER)).post(PAGE, data={"name": "x", "days": "90"})
    assert (refused.status_code, refused.mimetype) == (400, "text/html")
    assert client.get(PAGE).status_code == 302  # to the sign-in page


def test_only_the_owner_revokes_and_a_revoked_token_is_refused(make, login, client, db, token_for):
    owner, other = make.user(role=Role.PARTNER), make.user(role=Role.PARTNER)
    raw = token_for(owner)
    url = f"{PAGE}/{db.session.scalar(sa.select(ApiToken.id))}/revoke"
    stranger = login(other)
    refused = stranger.post(url, data={"csrf_token": _csrf(stranger.get(PAGE))})
    assert (refused.status_code, refused.mimetype) == (404, "text/html")
    assert client.get("/api/v1/offers", headers=bearer(raw)).status_code == 200
    browser = login(owner)
    assert browser.post(url, data={"csrf_token": _csrf(browser.get(PAGE))}).status_code == 302
    response = client.get("/api/v1/offers", headers=bearer(raw))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json["error"]["code"] == "unauthorized"


def test_expired_token_and_disabled_user_are_refused(make, client, db, token_for):
    user = make.user(role=Role.FOCAL_POINT)
    raw = token_for(user)
    token = db.session.scalar(sa.select(ApiToken))
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get("/api/v1/needs", headers=bearer(raw)).status_code == 401
    token.expires_at, user.active = utcnow() + timedelta(days=1), False
    db.session.commit()
    assert client.get("/api/v1/needs", headers=bearer(raw)).status_code == 401


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer tm_nope", "Basic dXNlcjpwdw==", "tm_x"])
def test_missing_or_unknown_token_is_refused(client, header):
    response = client.get("/api/v1/recommendations", headers={"Authorization": header or ""})
    assert (response.status_code, response.json["error"]["status"]) == (401, 401)


def test_session_cookie_alone_is_refused(make, login):
    browser = login(make.user(role=Role.ORGANISER))
    assert browser.get("/needs/").status_code == 200  # signed in on the site
    assert browser.get("/api/v1/needs").status_code == 401
    assert browser.post("/api/v1/needs", json={}).status_code == 401  # no CSRF error either


def test_last_used_is_written_at_most_once_a_minute(make, client, db, token_for):
    raw = token_for(make.user(role=Role.REVIEWER))
    token = db.session.scalar(sa.select(ApiToken))
    seen = []
    for back in (None, None, timedelta(minutes=2)):
        if back:
            token.last_used_at -= back
            db.session.commit()
        client.get("/api/v1/engagements", headers=bearer(raw))
        db.session.refresh(token)
        seen.append(token.last_used_at)
    assert seen[0] is not None and seen[1] == seen[0] and seen[2] > seen[0] - timedelta(minutes=2)
