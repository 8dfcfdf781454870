"""Proof of trust (1): every route answers every actor, for every object, as the table says.

The table is tests/authz_table.py; a route missing from it fails `test_every_route_is_in_the_table`.
Each (endpoint, method) is one test that builds the world (tests/world.py), sends the request
as each actor for each object variant, and compares every status with the table.
"""

import pytest

from tests.api_support import bearer
from tests.authz_table import FORM_BODIES, JSON_BODIES, SESSION_API, TABLE
from tests.world import ACTORS, build_world, fresh_user

SKIPPED_ENDPOINTS = {"static", "bootstrap.static"}
IGNORED_METHODS = {"HEAD", "OPTIONS"}

# Cells (endpoint, method, variant, actor) where the app is known to answer wrongly; the table
# holds the right status. A test whose only mismatches are these is skipped, naming them; a
# listed cell that starts answering rightly fails the test until it is removed from here.
KNOWN_BUGS: set[tuple[str, str, str, str]] = set()


@pytest.fixture
def world(app, db, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    return build_world(db)


def test_every_route_is_in_the_table(app):
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in SKIPPED_ENDPOINTS
        for method in rule.methods - IGNORED_METHODS
    }
    missing, stale = sorted(routes - TABLE.keys()), sorted(TABLE.keys() - routes)
    assert (missing, stale) == ([], []), f"add to tests/authz_table.py: {missing}; gone: {stale}"


def test_rows_name_every_actor():
    for key, variants in TABLE.items():
        for variant, (_url, row, *_body) in variants.items():
            codes = row.split()
            assert len(codes) == len(ACTORS), (key, variant)
            assert all(c.isdigit() and len(c) == 3 for c in codes), (key, variant)


def _send(app, db, world, actor: str, key: tuple[str, str], url: str, body=None) -> int:
    endpoint, method = key
    is_api = endpoint.startswith("api.") and endpoint not in SESSION_API
    if actor == "anonymous" or is_api:
        client = app.test_client()
    else:
        client = app.test_client(user=fresh_user(db, world.users[actor]))
    headers = bearer(world.tokens[actor]) if is_api and actor != "anonymous" else {}
    if key in JSON_BODIES:
        kwargs = {"json": JSON_BODIES[key] if body is None else body}
    else:
        kwargs = {"data": FORM_BODIES.get(key) if body is None else body}
    try:
        with client.open(url, method=method, headers=headers, **kwargs) as response:
            return response.status_code
    except Exception:
        return 500


@pytest.mark.parametrize("key", sorted(TABLE), ids=lambda key: f"{key[1]} {key[0]}")
def test_route(app, db, world, key):
    wrong, known, fixed = [], [], []
    for variant, (template, row, *body) in TABLE[key].items():
        url = template.format(**world.ids)
        for actor, expected in zip(ACTORS, (int(c) for c in row.split()), strict=True):
            actual = _send(app, db, world, actor, key, url, *body)
            cell = (*key, variant, actor)
            line = f"{variant:>22} | {actor:<13} expected {expected}, got {actual}  ({url})"
            if actual != expected:
                (known if cell in KNOWN_BUGS else wrong).append(line)
            elif cell in KNOWN_BUGS:
                fixed.append(line)
    assert not wrong, f"{key[1]} {key[0]}:\n" + "\n".join(wrong)
    assert not fixed, "fixed; remove from KNOWN_BUGS:\n" + "\n".join(fixed)
    if known:
        pytest.skip("KNOWN_BUGS: " + "; ".join(known))
