"""API tokens: issuing, revoking, and authenticating a request by its bearer token."""

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta
from functools import wraps

import sqlalchemy as sa
from flask import g, request
from flask_babel import gettext as _

from tamatch.api.errors import ApiError
from tamatch.audit import record
from tamatch.errors import DomainError, PermissionDenied
from tamatch.extensions import csrf, db
from tamatch.models import ApiToken, User
from tamatch.models.base import utcnow

TOKEN_PREFIX = "tm_"  # noqa: S105 - a marker that tells tokens apart, not a secret
LIFETIMES_DAYS = (30, 90, 365)
DEFAULT_LIFETIME_DAYS = 90
# last_used_at is written at most this often, so reading the API is not a write per request.
LAST_USED_GRANULARITY = timedelta(minutes=1)


def hash_token(raw: str) -> str:
    """SHA-256 hex digest of a raw token: all the database ever holds."""
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(actor: User, name: str, days: int = DEFAULT_LIFETIME_DAYS) -> tuple[ApiToken, str]:
    """Issue a token for `actor`; returns the row and the raw token, which is never stored.

    Raises DomainError for an empty name or a lifetime not offered.
    """
    name = name.strip()
    if not name or len(name) > 100:
        raise DomainError(_("Give the token a name of at most 100 characters."), field="name")
    if days not in LIFETIMES_DAYS:
        raise DomainError(_("Choose one of the lifetimes offered."), field="days")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=actor.id,
        name=name,
        token_hash=hash_token(raw),
        prefix=raw[:12],
        expires_at=utcnow() + timedelta(days=days),
    )
    db.session.add(token)
    db.session.flush()
    record(actor, "api_token.create", token, after={"name": name, "days": days})
    return token, raw


def revoke_token(actor: User, token: ApiToken) -> None:
    """Revoke one of the actor's own tokens (again is harmless). Raises PermissionDenied."""
    if token.user_id != actor.id:
        raise PermissionDenied(_("You can revoke only your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()
        record(actor, "api_token.revoke", token, after={"name": token.name})


def _live(user: User) -> sa.ColumnElement[bool]:
    return sa.and_(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None), ApiToken.expires_at > utcnow()
    )


def revoke_all_tokens(user: User) -> int:
    """Revoke every live token of `user` at once; returns how many. The caller audits why
    (tamatch.auth.services.end_all_sessions: new password, disabling, sign-out everywhere)."""
    result = db.session.execute(
        sa.update(ApiToken).where(_live(user)).values(revoked_at=utcnow()),
        execution_options={"synchronize_session": "fetch"},
    )
    return result.rowcount


def live_token_count(user: User) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken).where(_live(user)))


def user_tokens(user: User) -> list[ApiToken]:
    """The user's tokens, newest first."""
    return list(
        db.session.scalars(
            sa.select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def _unauthorised(message: str) -> ApiError:
    return ApiError(401, message, "unauthorized")


def authenticate(header: str | None) -> User:
    """The active user whose live token the `Authorization: Bearer` header carries.

    Raises ApiError(401) for a missing, unknown, revoked or expired token or an inactive user.
    """
    scheme, _sep, raw = (header or "").partition(" ")
    raw = raw.strip()
    if scheme.lower() != "bearer" or not raw:
        raise _unauthorised(_("Send an API token in an 'Authorization: Bearer' header."))
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == hash_token(raw)))
    now = utcnow()
    if token is None or token.revoked_at is not None or token.expires_at <= now:
        raise _unauthorised(_("The API token is unknown, revoked or expired."))
    if not token.user.active:
        raise _unauthorised(_("The account of this API token is disabled."))
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
        token.last_used_at = now
        # Committed here, before the view runs: a read (GET) has no unit of work to carry it,
        # and a write's unit of work may roll back without the use of the token being undone.
        db.session.commit()
    return token.user


def token_required(view: Callable) -> Callable:
    """View decorator: authenticate by bearer token only (a session cookie counts for nothing)
    and set `g.api_user`. Such views are exempt from CSRF: a cookie-less request is not forgeable.
    """

    @wraps(view)
    def wrapped(*args, **kwargs):
        g.api_user = authenticate(request.headers.get("Authorization"))
        return view(*args, **kwargs)

    csrf.exempt(wrapped)
    return wrapped


def api_user() -> User:
    """The user the current API request authenticated as."""
    return g.api_user
