"""Signing in and out, invitations, passwords, session cookies."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tamatch.auth.passwords import hash_password, verify_password
from tamatch.auth.routes import safe_next
from tamatch.auth.services import InvitationData, invite_user
from tamatch.models import Invitation, Role, User
from tamatch.models.base import utcnow
from tests.factories import PASSWORD


def _login(client, email, password, next_url=None):
    url = "/auth/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"email": email, "password": password})


def test_login_form_is_protected_by_csrf(app, make, db):
    user = make.user()
    client = app.test_client()
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert b"Welcome" not in response.data


def test_real_form_login_and_home(app, make, db):
    """The one test that signs in through the real form, CSRF token and all."""
    user = make.user(role=Role.FOCAL_POINT, state="HTI")
    client = app.test_client()
    page = client.get("/auth/login")
    token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1]
    token = token.split('"')[0]
    response = client.post(
        "/auth/login",
        data={"email": user.email.upper(), "password": PASSWORD, "csrf_token": token},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Needs of Haiti" in response.get_data(as_text=True)


def test_unknown_email_and_wrong_password_get_the_same_answer(app, make, db, no_csrf):
    user = make.user()
    client = app.test_client()
    unknown = _login(client, "nobody@example.org", PASSWORD)
    wrong = _login(client, user.email, "wrong password!")
    assert unknown.status_code == wrong.status_code == 200
    assert "Wrong e-mail or password" in unknown.get_data(as_text=True)
    # Identical pages but for the e-mail typed back into the form.
    assert unknown.get_data(as_text=True).replace("nobody@example.org", "") == wrong.get_data(
        as_text=True
    ).replace(user.email, "")


def test_disabled_account_cannot_sign_in(app, make, db, no_csrf):
    user = make.user(active=False)
    response = _login(app.test_client(), user.email, PASSWORD)
    assert "Wrong e-mail or password" in response.get_data(as_text=True)


def test_logout_refuses_a_copied_cookie(app, make, db, no_csrf):
    user = make.user()
    client = app.test_client()
    assert _login(client, user.email, PASSWORD).status_code == 302
    cookie = client.get_cookie("session").value
    assert client.get("/needs/new").status_code == 200
    client.post("/auth/logout")
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    response = thief.get("/needs/new")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_session_cookie_flags(app, make, db, no_csrf):
    user = make.user()
    client = app.test_client()
    response = _login(client, user.email, PASSWORD)
    header = response.headers["Set-Cookie"]
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header


def test_production_config_sets_secure_cookie_and_refuses_weak_secret(monkeypatch):
    from tamatch import create_app

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production", SQLALCHEMY_DATABASE_URI="sqlite://")
    app = create_app(
        "production",
        SQLALCHEMY_DATABASE_URI="sqlite://",
        SECRET_KEY="x" * 40,
        PUBLIC_BASE_URL="https://tamatch.example.org",
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "\\\\evil.example",
        "/\\evil.example",
        "https:evil.example",
        "javascript:alert(1)",
        "https://evil.example/",
        "evil.example",
        "/\tevil",
    ],
)
def test_next_accepts_only_same_site_paths(target):
    assert safe_next(target) is None


def test_next_keeps_a_local_path(app, make, db, no_csrf):
    assert safe_next("/needs/?q=water") == "/needs/?q=water"
    user = make.user()
    response = _login(app.test_client(), user.email, PASSWORD, next_url="/needs/")
    assert response.headers["Location"].endswith("/needs/")
    response = _login(app.test_client(), user.email, PASSWORD, next_url="//evil.example")
    assert response.headers["Location"] == "/"


def test_password_is_hashed_with_argon2id():
    hashed = hash_password("a long enough password")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "a long enough password")
    assert not verify_password(hashed, "another password")
    assert not verify_password(None, "anything")


def test_invitation_lifecycle(app, make, db, no_csrf):
    admin = make.user(role=Role.ADMIN)
    user, token = invite_user(
        admin,
        InvitationData(
            email="New.Person@Example.org",
            name="New",
            role=Role.FOCAL_POINT,
            state_id=make.state("NPL").id,
        ),
    )
    db.session.commit()
    assert user.email == "new.person@example.org"
    assert user.password_hash is None
    client = app.test_client()
    assert client.get(f"/auth/invitation/{token}").status_code == 200
    short = client.post(
        f"/auth/invitation/{token}",
        data={"name": "New Person", "password": "short", "confirm": "short"},
    )
    assert "at least 12" in short.get_data(as_text=True).lower()
    response = client.post(
        f"/auth/invitation/{token}",
        data={
            "name": "New Person",
            "password": "a-good-long-password",
            "confirm": "a-good-long-password",
        },
    )
    assert response.status_code == 302
    assert client.get("/needs/new").status_code == 200
    # One-time: the link is spent.
    assert app.test_client().get(f"/auth/invitation/{token}").status_code == 404
    db.session.expire_all()
    assert verify_password(db.session.get(User, user.id).password_hash, "a-good-long-password")


def test_expired_invitation_is_refused(app, make, db):
    admin = make.user(role=Role.ADMIN)
    _, token = invite_user(
        admin, InvitationData(email="late@example.org", name="Late", role=Role.ORGANISER)
    )
    invitation = db.session.scalar(sa.select(Invitation))
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = app.test_client().get(f"/auth/invitation/{token}")
    assert response.status_code == 404
    assert "not valid" in response.get_data(as_text=True)


def test_invitation_requires_the_binding_of_the_role(make, db):
    from tamatch.errors import DomainError

    admin = make.user(role=Role.ADMIN)
    with pytest.raises(DomainError, match="bound to a State"):
        invite_user(admin, InvitationData(email="a@example.org", name="A", role=Role.FOCAL_POINT))
    with pytest.raises(DomainError, match="partner organisation"):
        invite_user(admin, InvitationData(email="b@example.org", name="B", role=Role.PARTNER))
    focal = make.user(role=Role.FOCAL_POINT)
    from tamatch.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        invite_user(focal, InvitationData(email="c@example.org", name="C", role=Role.ADMIN))


def test_password_change_ends_other_sessions(app, make, db, no_csrf):
    user = make.user()
    first, second = app.test_client(), app.test_client()
    _login(first, user.email, PASSWORD)
    _login(second, user.email, PASSWORD)
    wrong = first.post(
        "/auth/password",
        data={
            "current": "not it",
            "password": "a-brand-new-password",
            "confirm": "a-brand-new-password",
        },
    )
    assert "current password is not right" in wrong.get_data(as_text=True)
    response = first.post(
        "/auth/password",
        data={
            "current": PASSWORD,
            "password": "a-brand-new-password",
            "confirm": "a-brand-new-password",
        },
    )
    assert response.status_code == 302
    assert first.get("/needs/new").status_code == 200
    assert second.get("/needs/new").status_code == 302


def test_create_admin_command(runner, db):
    result = runner.invoke(args=["users", "create-admin", "Root@Example.org"])
    assert result.exit_code == 0, result.output
    password = result.output.strip().rsplit(" ", 1)[-1]
    admin = db.session.scalar(sa.select(User).where(User.email == "root@example.org"))
    assert admin.role == Role.ADMIN
    assert verify_password(admin.password_hash, password)
    again = runner.invoke(args=["users", "create-admin", "root@example.org"])
    assert again.exit_code != 0
    assert "already exists" in again.output


def test_success_forgets_the_failures_of_its_network(app, make, db, no_csrf):
    """Replaces the per-account failure count: the issue turns the lock into a wait per
    (e-mail, network), tests/test_sign_in_throttle.py."""
    from tamatch.models import SignInFailure

    user = make.user()
    client = app.test_client()
    _login(client, user.email, "wrong password!")
    assert db.session.scalar(sa.select(SignInFailure.failures)) == 1
    assert _login(client, user.email, PASSWORD).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SignInFailure)) == 0


def test_login_is_throttled_per_address(app, make, db, no_csrf):
    from tamatch.extensions import limiter

    app.config["LOGIN_RATE_LIMIT"] = "20 per minute"
    limiter.reset()
    try:
        client = app.test_client()
        codes = [_login(client, f"someone{i}@example.org", "x").status_code for i in range(25)]
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "10000 per minute"
        limiter.reset()
    assert codes[:20] == [200] * 20
    assert 429 in codes[20:]


def _totp_code(secret, step_offset=0):
    import pyotp

    totp = pyotp.TOTP(secret)
    return totp.generate_otp(totp.timecode(datetime.now(UTC)) + step_offset)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.ORGANISER, Role.REVIEWER])
def test_two_factor_enrolment_then_code_required(app, make, db, no_csrf, role):
    user = make.user(role=role)
    client = app.test_client()
    response = _login(client, user.email, PASSWORD)
    assert response.headers["Location"].endswith("/auth/two-factor")
    assert client.get("/").get_data(as_text=True).count("Sign in") >= 1  # not signed in yet
    page = client.get("/auth/two-factor").get_data(as_text=True)
    secret = page.split('<code class="user-select-all">')[1].split("<")[0]
    assert "data:image/svg+xml;base64," in page
    wrong = client.post("/auth/two-factor", data={"code": "000000"})
    assert "not right" in wrong.get_data(as_text=True)
    ok = client.post("/auth/two-factor", data={"code": _totp_code(secret)})
    assert ok.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_enabled
    # Next time: password, then a fresh code; a replayed code is refused.
    other = app.test_client()
    _login(other, user.email, PASSWORD)
    replay = other.post("/auth/two-factor", data={"code": _totp_code(secret)})
    assert "not right" in replay.get_data(as_text=True)
    fresh = other.post("/auth/two-factor", data={"code": _totp_code(secret, 1)})
    assert fresh.status_code == 302


def test_focal_points_sign_in_without_a_code(app, make, db, no_csrf):
    user = make.user(role=Role.FOCAL_POINT)
    assert _login(app.test_client(), user.email, PASSWORD).headers["Location"] == "/"
