"""A form refused for an expired CSRF token comes back with what was typed, to send again."""

import re

from tamatch.models import Role


def test_an_expired_form_comes_back_with_the_text_and_a_fresh_token(make, login):
    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    client = login(focal)
    gap = "Our NMRF follows 212 recommendations on paper.\nMinistries cannot report."
    response = client.post(
        "/needs/new",
        data={"csrf_token": "stale", "title": "A tracking database", "gap": gap},
        headers={"Origin": "http://localhost"},
    )
    assert response.status_code == 400
    page = response.text
    assert "Nothing you typed is lost." in page
    assert 'value="A tracking database"' in page  # sent again with the form
    assert "Ministries cannot report." in page  # and shown to copy
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert token != "stale"
    again = client.post("/needs/new", data={"csrf_token": token, "title": "A tracking database"})
    assert again.status_code != 400  # the fresh token is accepted (the form then validates)


def test_passwords_are_never_echoed(make, login):
    user = make.user(role=Role.PARTNER)
    response = login(user).post(
        "/auth/password",
        data={"csrf_token": "stale", "current_password": "my-old-secret-1", "password": "x"},
        headers={"Referer": "http://localhost/auth/password"},
    )
    assert response.status_code == 400
    assert "my-old-secret-1" not in response.text
    assert "Passwords and codes are never kept" in response.text


def test_a_signed_out_person_is_told_to_sign_in_and_can_copy(client):
    text = "A long narrative typed while the session ran out, kept for copying."
    response = client.post("/auth/login", data={"csrf_token": "stale", "note": text})
    assert response.status_code == 400
    assert text in response.text and "Sign in again in a new tab" in response.text


def test_a_form_posted_from_another_site_gets_no_send_again_button(make, login):
    client = login(make.user(role=Role.ADMIN))
    response = client.post(
        "/admin/users/invite",
        data={"csrf_token": "forged", "email": "attacker@example.org", "role": "admin"},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 400
    assert (
        "Send it again" not in response.text and 'value="attacker@example.org"' not in response.text
    )
