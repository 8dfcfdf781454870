"""Sign-in throttling: a growing wait per (e-mail, network), never a lock a stranger can set."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from tamatch.auth.throttle import POLICY, ThrottlePolicy, client_network
from tamatch.models import AuditEntry, SignInFailure
from tamatch.models.base import utcnow
from tests.factories import PASSWORD

pytestmark = pytest.mark.usefixtures("no_csrf")

STRANGER, OWNER = "203.0.113.9", "198.51.100.20"
WAITING = "Too many failed attempts with this e-mail address from your network"


def _login(client, email, password, address):
    return client.post(
        "/auth/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def _variants(email: str):
    """The same address typed differently each time."""
    local, domain = email.split("@")
    forms = [email.upper(), f"  {email} ", f"{local.title()}@{domain.upper()}", email]
    while True:
        yield from forms


def _wait(response) -> int:
    """The seconds the page asks to wait (Retry-After is at least that: Flask-Limiter may add
    the reset of its own window)."""
    assert response.status_code == 429
    seconds = int(re.search(r"Try again in (\d+) seconds?\.", response.text).group(1))
    assert int(response.headers["Retry-After"]) >= seconds
    return seconds


def _rows(db):
    db.session.expire_all()
    return db.session.scalars(sa.select(SignInFailure)).all()


def _age(db, seconds: float) -> None:
    """Move every recorded failure `seconds` into the past."""
    for row in _rows(db):
        row.last_failure_at -= timedelta(seconds=seconds)
    db.session.commit()


def test_a_strangers_guesses_never_stop_the_owner_elsewhere(app, make, db):
    user = make.user()
    stranger, owner = app.test_client(), app.test_client()
    typed = _variants(user.email)
    codes = [
        _login(stranger, next(typed), "wrong password!", STRANGER).status_code for _ in range(8)
    ]
    assert codes[: POLICY.free_failures + 1] == [200] * (POLICY.free_failures + 1)
    assert set(codes[POLICY.free_failures + 1 :]) == {429}  # waiting: nothing is checked
    (row,) = _rows(db)  # case variants are one address
    assert (row.email, row.network, row.failures) == (user.email, STRANGER, 4)
    # The owner, from another network, signs in at once: no lock.
    assert _login(owner, user.email, PASSWORD, OWNER).headers["Location"] == "/"
    # The stranger's network waits even with the right password.
    waiting = _login(app.test_client(), user.email, PASSWORD, STRANGER)
    assert WAITING in waiting.text
    assert 0 < _wait(waiting) <= POLICY.first_delay.seconds


def test_the_wait_ends_and_grows_with_each_failure(app, make, db):
    user = make.user()
    client = app.test_client()
    for _ in range(POLICY.free_failures + 1):
        _login(client, user.email, "wrong password!", STRANGER)
    _age(db, POLICY.delay(4).total_seconds())
    assert _login(client, user.email, "wrong again!!", STRANGER).status_code == 200
    refused = _login(client, user.email, PASSWORD, STRANGER)
    assert POLICY.delay(4).seconds < _wait(refused) <= POLICY.delay(5).seconds
    _age(db, POLICY.delay(5).total_seconds())
    assert _login(client, user.email, PASSWORD, STRANGER).status_code == 302
    assert _rows(db) == []  # a success forgets its own network's failures


def test_the_delay_doubles_up_to_a_ceiling():
    policy = ThrottlePolicy()
    delays = [policy.delay(n).total_seconds() for n in range(1, 16)]
    assert delays[:3] == [0, 0, 0]
    assert delays[3:8] == [5, 10, 20, 40, 80]
    assert max(delays) == policy.max_delay.total_seconds() == delays[-1]
    assert policy.delay(10**6) == policy.max_delay


def test_unknown_and_known_addresses_are_answered_alike(app, make, db):
    user = make.user()

    def answers(email):
        client = app.test_client()
        out = []
        for _ in range(POLICY.free_failures + 2):
            response = _login(client, email, "wrong password!", STRANGER)
            text = re.sub(r"in \d+ seconds", "in N seconds", response.text)
            out.append((response.status_code, text.replace(email, "EMAIL")))
        return out

    assert answers("nobody@example.org") == answers(user.email)


def test_every_failure_costs_one_verification_and_a_wait_none(app, make, db, monkeypatch):
    """Unknown e-mail and wrong password take the same work (no timing tells them apart)."""
    calls = []
    real = PasswordHasher.verify
    monkeypatch.setattr(
        PasswordHasher, "verify", lambda self, *a: calls.append(1) or real(self, *a)
    )
    user = make.user()
    client = app.test_client()
    for email in ("nobody@example.org", user.email):
        calls.clear()
        _login(client, email, "wrong password!", OWNER)
        assert len(calls) == 1, email
    for _ in range(POLICY.free_failures + 1):
        _login(client, user.email, "wrong password!", STRANGER)
    calls.clear()
    assert _login(client, user.email, PASSWORD, STRANGER).status_code == 429
    assert calls == []


def test_the_first_wait_of_an_account_is_audited_once(app, make, db):
    user = make.user()
    client = app.test_client()
    for _ in range(POLICY.free_failures + 3):
        _login(client, user.email, "wrong password!", STRANGER)
    for _ in range(POLICY.free_failures + 3):
        _login(client, "nobody@example.org", "wrong password!", STRANGER)
    entries = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "user.sign_in_delayed")
    ).all()
    assert [(e.object_id, e.after) for e in entries] == [(user.id, {"network": STRANGER})]


def test_old_failures_are_forgotten_and_their_rows_pruned(app, make, db):
    user = make.user()
    client = app.test_client()
    for _ in range(POLICY.free_failures + 1):
        _login(client, user.email, "wrong password!", STRANGER)
    _age(db, POLICY.forget_after.total_seconds() + 1)
    # A long-forgotten pair starts afresh instead of waiting...
    assert _login(client, user.email, "wrong password!", STRANGER).status_code == 200
    assert [r.failures for r in _rows(db)] == [1]
    # ...and the rows of other forgotten pairs go with the next failure anywhere.
    db.session.add(
        SignInFailure(
            email="old@example.org",
            network=OWNER,
            failures=9,
            last_failure_at=utcnow() - POLICY.forget_after - timedelta(minutes=1),
        )
    )
    db.session.commit()
    _login(client, "someone@example.org", "wrong password!", OWNER)
    assert {r.email for r in _rows(db)} == {user.email, "someone@example.org"}


@pytest.mark.parametrize(
    "values",
    [{"email": "Ana@Example.org"}, {"email": " ana@example.org"}, {"failures": 0}, {}],
    ids=["upper case", "spaces", "no failure", "same pair twice"],
)
def test_the_table_refuses_rows_that_break_its_rules(db, values):
    from sqlalchemy.exc import IntegrityError

    row = {"email": "ana@example.org", "network": "192.0.2.1", "failures": 1}
    db.session.execute(sa.insert(SignInFailure).values(**row, last_failure_at=utcnow()))
    with pytest.raises(IntegrityError):
        db.session.execute(
            sa.insert(SignInFailure).values(**{**row, **values}, last_failure_at=utcnow())
        )
    db.session.rollback()


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("192.0.2.7", "192.0.2.7"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),
        ("::ffff:192.0.2.7", "192.0.2.7"),
        ("not an address", "unknown"),
        ("", "unknown"),
    ],
)
def test_networks(address, network):
    assert client_network(address) == network


def test_an_ipv6_subscriber_is_one_network(app, make, db):
    user = make.user()
    client = app.test_client()
    for host in range(1, POLICY.free_failures + 2):
        _login(client, user.email, "wrong password!", f"2001:db8:0:1::{host}")
    assert _login(client, user.email, PASSWORD, "2001:db8:0:1::99").status_code == 429
    assert _login(client, user.email, PASSWORD, "2001:db8:0:2::1").status_code == 302
