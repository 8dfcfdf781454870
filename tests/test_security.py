"""Security headers, caching and error pages."""

from tamatch.models import Role


def test_headers_on_public_pages(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_authenticated_pages_are_not_cached(make, login):
    response = login(make.user(role=Role.ORGANISER)).get("/")
    assert response.headers["Cache-Control"] == "no-store"


def test_pages_have_no_inline_script_or_style(make, login, token_for):
    user = make.user(role=Role.FOCAL_POINT)
    token_for(user)  # the token page shows its revoke button
    client = login(user)
    for url in ("/", "/needs/new", "/needs/", "/recommendations/", "/api/v1/tokens/manage"):
        body = client.get(url).get_data(as_text=True)
        assert "<script>" not in body and " onsubmit=" not in body and " onclick=" not in body
        assert ' style="' not in body, url


def test_error_pages_are_generic(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and "Page not found" in body


def test_oversized_request_gets_413(app, make, login):
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        client = login(make.user(role=Role.FOCAL_POINT))
        big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
        response = client.post("/needs/new", data={"title": big})
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    assert response.status_code == 413
    assert "larger than this platform accepts" in response.get_data(as_text=True)


def test_production_refuses_a_weak_secret():
    import pytest

    from tamatch import create_app

    for weak in ("dev-only-not-secret", "short"):
        with pytest.raises(RuntimeError, match="SECRET_KEY"):
            create_app("production", SQLALCHEMY_DATABASE_URI="sqlite://", SECRET_KEY=weak)


def test_logs_never_carry_secrets(app, make, login, caplog, token_for):
    """Sign-in, invitation links, API tokens and confidential text stay out of the logs."""
    import logging

    from tamatch.auth.services import InvitationData, invite_user
    from tamatch.models import Visibility
    from tests.factories import PASSWORD

    caplog.set_level(logging.DEBUG)
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        admin = make.user(role=Role.ADMIN)
        admin_client = login(admin)
        admin_client.post(
            "/admin/users/invite", data={"email": "x@example.org", "name": "X", "role": "organiser"}
        )
        _user, raw_invite = invite_user(
            admin, InvitationData(email="y@example.org", name="Y", role=Role.ORGANISER)
        )
        raw_token = token_for(make.user(role=Role.FOCAL_POINT))
        app.test_client().get("/api/v1/needs", headers={"Authorization": f"Bearer {raw_token}"})
        user = make.user()
        app.test_client().post("/auth/login", data={"email": user.email, "password": PASSWORD})
        need = make.need(visibility=Visibility.CONFIDENTIAL, title="ZX-SECRET-TITLE")
        login(make.user(role=Role.ORGANISER)).get(f"/needs/{need.id}")
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    text = caplog.text
    for secret in (PASSWORD, raw_invite, raw_token, "ZX-SECRET-TITLE", "/auth/invitation/"):
        assert secret not in text


def test_no_template_carries_inline_script_or_style():
    """The CSP forbids inline style and handlers: any in a template is a feature that breaks."""
    import re
    from pathlib import Path

    inline = re.compile(r"""\sstyle=|\son[a-z]+=["']|<script>|<style""", re.IGNORECASE)
    templates = Path(__file__).resolve().parents[1] / "templates"
    found = [
        f"{path.relative_to(templates)}:{number}"
        for path in sorted(templates.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if inline.search(line)
    ]
    assert found == []
