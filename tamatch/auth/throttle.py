"""Sign-in throttling: a growing wait per (e-mail, network) after failures, never a lock.

Every check of a secret (password at sign-in, password re-entered, second-factor code) goes
through `wait_for` before and `record_failure` or `forget` after. The pair is the e-mail as
typed (in its normal form, whether an account has it or not: the answers tell nothing) and the
network the request comes from, so a stranger's guesses slow down the stranger only; the owner
signing in from elsewhere never waits. Flask-Limiter's per-address limits stay in front.
"""

import ipaddress
import math
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import has_request_context, request
from flask_babel import ngettext
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tamatch.errors import DomainError
from tamatch.extensions import db
from tamatch.models import AuditEntry, SignInFailure
from tamatch.models.account import normalise_email
from tamatch.models.base import utcnow


@dataclass(frozen=True, slots=True)
class ThrottlePolicy:
    """How long a pair waits: not at all for its first `free_failures` failures in a row, then
    `first_delay`, doubled at each further failure up to `max_delay`. A pair without a failure
    for `forget_after` starts afresh, and its row is deleted."""

    free_failures: int = 3
    first_delay: timedelta = timedelta(seconds=5)
    max_delay: timedelta = timedelta(minutes=15)
    forget_after: timedelta = timedelta(hours=24)

    def delay(self, failures: int) -> timedelta:
        """The wait after `failures` failures in a row.

        >>> [ThrottlePolicy().delay(n).seconds for n in (3, 4, 5, 6)]
        [0, 5, 10, 20]
        """
        extra = failures - self.free_failures
        if extra <= 0:
            return timedelta(0)
        return min(self.max_delay, self.first_delay * 2 ** min(extra - 1, 30))


POLICY = ThrottlePolicy()


class SignInDelayed(DomainError):
    """This e-mail failed too often from this network lately: try again in `seconds`."""

    def __init__(self, seconds: int):
        super().__init__(
            ngettext(
                "Too many failed attempts with this e-mail address from your network. "
                "Try again in %(num)d second.",
                "Too many failed attempts with this e-mail address from your network. "
                "Try again in %(num)d seconds.",
                seconds,
            )
        )
        self.seconds = seconds


def client_network(address: str | None = None) -> str:
    """The network of `address` (default: the request's): an IPv4 address itself, an IPv6
    address its /64 (one subscriber usually holds a whole /64), else "unknown".

    >>> client_network("2001:db8:1:2:3:4:5:6"), client_network("::ffff:192.0.2.7")
    ('2001:db8:1:2::/64', '192.0.2.7')
    """
    if address is None and has_request_context():
        address = request.remote_addr
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _key(email: str) -> str:
    return normalise_email(email)[:254]


def wait_for(email: str, network: str) -> None:
    """Raise SignInDelayed while this pair must still wait after its last failure."""
    row = db.session.execute(
        sa.select(SignInFailure.failures, SignInFailure.last_failure_at).where(
            SignInFailure.email == _key(email), SignInFailure.network == network
        )
    ).first()
    if row is None:
        return
    now = utcnow()
    if now - row.last_failure_at >= POLICY.forget_after:
        return
    until = row.last_failure_at + POLICY.delay(row.failures)
    if until > now:
        raise SignInDelayed(math.ceil((until - now).total_seconds()))


def _insert():
    return (postgresql if db.engine.dialect.name == "postgresql" else sqlite).insert


def record_failure(email: str, network: str, user_id: int | None = None) -> int:
    """Count one more failure for the pair; returns its failures in a row.

    Written in a transaction of its own, so that the count survives the rollback of whatever
    the failure refused; call it before the request writes anything (SQLite has one writer).
    The first delay of an existing account is audited; rows forgotten long ago are pruned.
    """
    now = utcnow()
    stale = SignInFailure.last_failure_at < now - POLICY.forget_after
    insert = _insert()(SignInFailure).values(
        email=_key(email), network=network, failures=1, last_failure_at=now
    )
    upsert = insert.on_conflict_do_update(
        index_elements=[SignInFailure.email, SignInFailure.network],
        set_={
            "failures": sa.case((stale, 1), else_=SignInFailure.failures + 1),
            "last_failure_at": now,
        },
    ).returning(SignInFailure.failures)
    with Session(db.engine) as session, session.begin():
        failures = session.execute(upsert).scalar_one()
        session.execute(sa.delete(SignInFailure).where(stale))
        if user_id is not None and failures == POLICY.free_failures + 1:
            session.add(
                AuditEntry(
                    action="user.sign_in_delayed",
                    object_type="user",
                    object_id=user_id,
                    after={"network": network},
                )
            )
    return failures


def forget(email: str, network: str) -> None:
    """A success: the pair starts afresh (other networks' failures stay as they are)."""
    db.session.execute(
        sa.delete(SignInFailure).where(
            SignInFailure.email == _key(email), SignInFailure.network == network
        )
    )
