"""A link for members only asks a signed-out person to sign in, then brings them back."""

from urllib.parse import parse_qs, urlparse

import pytest

from tamatch.models import Role, Visibility
from tests.factories import PASSWORD


def _sign_in_target(response):
    assert response.status_code == 302, response.status_code
    location = urlparse(response.headers["Location"])
    assert location.path == "/auth/login"
    return parse_qs(location.query)["next"][0]


@pytest.mark.usefixtures("no_csrf")
def test_a_members_only_need_asks_to_sign_in_and_comes_back(client, make):
    need = make.need(visibility=Visibility.MEMBERS)
    target = _sign_in_target(client.get(f"/needs/{need.id}"))
    assert target == f"/needs/{need.id}"
    user = make.user(role=Role.PARTNER)
    response = client.post(
        f"/auth/login?next={target}", data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"].endswith(f"/needs/{need.id}")
    assert client.get(f"/needs/{need.id}").status_code == 200


def test_a_missing_object_answers_the_same_so_nothing_is_told(client, make):
    need = make.need(visibility=Visibility.MEMBERS)
    assert _sign_in_target(client.get("/needs/999999")) == "/needs/999999"
    assert client.get(f"/needs/{need.id}").status_code == client.get("/needs/999999").status_code


def test_unknown_addresses_the_api_and_signed_in_readers_keep_the_404(client, make, login):
    assert client.get("/no/such/page").status_code == 404
    assert client.get("/api/v1/needs/999999").status_code in (401, 404)
    assert login(make.user(role=Role.PARTNER)).get("/needs/999999").status_code == 404
