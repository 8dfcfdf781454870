"""No path into a session gives a role with two factors a session on its password alone."""

import time
from datetime import UTC, datetime

import pyotp
import pytest
import sqlalchemy as sa

from tamatch.auth.services import InvitationData, invite_user
from tamatch.auth.session import PENDING_AT_KEY, SECOND_FACTOR_KEY, start_session
from tamatch.errors import PermissionDenied
from tamatch.models import Role, User
from tests.factories import PASSWORD

pytestmark = pytest.mark.usefixtures("no_csrf")
TWO_FACTOR_ROLES = [Role.ADMIN, Role.ORGANISER, Role.REVIEWER]
NEW_PASSWORD = "a-good-long-password"


def _code(secret: str, offset: int = 0) -> str:
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(totp.timecode(datetime.now(UTC)) + offset)


def _signed_in(client) -> bool:
    """A members-only page answers (instead of sending to the sign-in page)."""
    return client.get("/auth/password").status_code == 200


def _accept(client, token: str):
    data = {"name": "New Person", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    return client.post(f"/auth/invitation/{token}", data=data)


@pytest.mark.parametrize("role", TWO_FACTOR_ROLES)
def test_accepting_an_invitation_enrols_the_second_factor_before_any_session(app, make, db, role):
    admin = make.user(role=Role.ADMIN)
    _user, token = invite_user(
        admin, InvitationData(email=f"new.{role.value}@example.org", name="New", role=role)
    )
    db.session.commit()
    client = app.test_client()
    form = client.get(f"/auth/invitation/{token}").text
    assert "Set password and continue" in form and "authenticator app" in form
    accepted = _accept(client, token)
    assert accepted.headers["Location"].endswith("/auth/two-factor")
    assert not _signed_in(client)  # the password alone gives no session
    page = client.get("/auth/two-factor").text
    assert "data:image/svg+xml;base64," in page  # the QR code, and the key beside it
    secret = page.split('<code class="user-select-all">')[1].split("<")[0]
    assert "not right" in client.post("/auth/two-factor", data={"code": "000000"}).text
    assert not _signed_in(client)
    assert client.post("/auth/two-factor", data={"code": _code(secret)}).status_code == 302
    assert _signed_in(client)
    user = db.session.scalar(sa.select(User).where(User.email == f"new.{role.value}@example.org"))
    db.session.refresh(user)
    assert user.totp_enabled and user.totp_secret == secret


def test_a_focal_point_is_signed_in_by_accepting(app, make, db):
    admin = make.user(role=Role.ADMIN)
    _user, token = invite_user(
        admin,
        InvitationData(
            email="fp@gov.example", name="FP", role=Role.FOCAL_POINT, state_id=make.state("HTI").id
        ),
    )
    db.session.commit()
    client = app.test_client()
    assert "Set password and sign in" in client.get(f"/auth/invitation/{token}").text
    assert _accept(client, token).headers["Location"] == "/"
    assert _signed_in(client)


@pytest.mark.parametrize("role", TWO_FACTOR_ROLES)
def test_a_session_cookie_without_the_second_factor_loads_nobody(app, make, db, role):
    """Whatever wrote the session (a forgotten path, a future feature), the loader refuses."""
    user = make.user(role=role)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = user.session_token, True
    assert not _signed_in(client)
    with client.session_transaction() as session:
        session[SECOND_FACTOR_KEY] = user.id + 1  # verified for someone else
    assert not _signed_in(client)
    with client.session_transaction() as session:
        session[SECOND_FACTOR_KEY] = user.id
    assert _signed_in(client)


def test_the_same_cookie_signs_in_a_focal_point(app, make, db):
    user = make.user(role=Role.FOCAL_POINT)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = user.session_token, True
    assert _signed_in(client)


def test_a_role_gaining_two_factors_must_give_its_code(app, make, db):
    user = make.user(role=Role.PARTNER)
    client = app.test_client()
    signed = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert signed.headers["Location"] == "/" and _signed_in(client)
    user.role = Role.ORGANISER
    db.session.commit()
    assert not _signed_in(client)


@pytest.mark.parametrize("role", TWO_FACTOR_ROLES)
def test_starting_a_session_without_the_second_factor_is_refused(app, make, db, role):
    user = make.user(role=role)
    with app.test_request_context("/"):
        with pytest.raises(PermissionDenied):
            start_session(user, second_factor=False)
        start_session(user, second_factor=True)


def test_a_half_finished_sign_in_expires(app, make, db):
    user = make.user(role=Role.ORGANISER)
    client = app.test_client()
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"].endswith("/auth/two-factor")
    assert client.get("/auth/two-factor").status_code == 200
    with client.session_transaction() as session:
        session[PENDING_AT_KEY] = int(time.time()) - 11 * 60
    assert client.get("/auth/two-factor").headers["Location"].endswith("/auth/login")


def test_a_password_change_keeps_the_verified_second_factor(app, make, login, db):
    client = login(make.user(role=Role.REVIEWER))
    new = {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert client.post("/auth/password", data=new).status_code == 302
    assert _signed_in(client)


def test_wrong_codes_are_throttled_like_passwords(app, make, db):
    from tamatch.auth.throttle import POLICY

    secret = pyotp.random_base32()
    user = make.user(role=Role.ADMIN, totp_secret=secret, totp_enabled=True)
    client = app.test_client()
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    codes = [
        client.post("/auth/two-factor", data={"code": "000000"}).status_code
        for _ in range(POLICY.free_failures + 2)
    ]
    assert codes == [200] * (POLICY.free_failures + 1) + [429]
    refused = client.post("/auth/two-factor", data={"code": _code(secret)})
    assert refused.status_code == 429 and "Try again in" in refused.text
    assert not _signed_in(client)
