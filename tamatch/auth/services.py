"""Accounts: signing in, invitations, passwords, enabling and disabling."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from tamatch.audit import record
from tamatch.auth.passwords import hash_password, needs_rehash, verify_password
from tamatch.errors import DomainError, PermissionDenied
from tamatch.extensions import db
from tamatch.models import DOMESTIC_KINDS, Invitation, Organisation, Role, State, User
from tamatch.models.base import utcnow


def normalise_email(email: str) -> str:
    return email.strip().lower()


def authenticate(email: str, password: str) -> User | None:
    """The active, unlocked user with this e-mail and password, else None.

    Every failure costs one password verification and looks the same to the caller. Too many
    consecutive failures pause the account for LOGIN_LOCK_MINUTES, whatever is typed then.
    """
    user = db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))
    ok = verify_password(user.password_hash if user else None, password)
    if user is None:
        return None
    now = utcnow()
    if user.locked_until is not None and user.locked_until > now:
        return None
    if not ok or not user.active:
        _count_failure(user, now)
        return None
    user.failed_logins, user.locked_until = 0, None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now
    record(user, "user.login", user)
    return user


def _count_failure(user: User, now) -> None:
    config = current_app.config
    user.failed_logins = (user.failed_logins or 0) + 1
    if user.failed_logins >= config["LOGIN_MAX_FAILURES"]:
        user.locked_until = now + timedelta(minutes=config["LOGIN_LOCK_MINUTES"])
        user.failed_logins = 0
        record(None, "user.locked", user)


def end_session(user: User) -> None:
    """Rotate the user's session token so that any copy of the old cookie is refused."""
    user.rotate_session_token()
    db.session.flush()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class InvitationData:
    email: str
    name: str
    role: Role
    state_id: int | None = None
    organisation_id: int | None = None


def _check_binding(data: InvitationData) -> None:
    organisation = (
        db.session.get(Organisation, data.organisation_id) if data.organisation_id else None
    )
    if data.role == Role.FOCAL_POINT and (
        data.state_id is None or db.session.get(State, data.state_id) is None
    ):
        raise DomainError(_("A focal point must be bound to a State."), field="state_id")
    if data.role == Role.PARTNER and (organisation is None or not organisation.is_partner):
        raise DomainError(
            _("A partner must belong to a partner organisation."), field="organisation_id"
        )
    if data.role == Role.CIVIL_SOCIETY and (
        organisation is None or organisation.kind not in DOMESTIC_KINDS
    ):
        raise DomainError(
            _("Civil society and NHRI users belong to a civil-society organisation or an NHRI."),
            field="organisation_id",
        )


def invite_user(actor: User, data: InvitationData) -> tuple[User, str]:
    """Create an account without password and a one-time link; returns (user, raw token).

    Raises PermissionDenied unless the actor is an admin; DomainError for a taken e-mail or a
    role without its State or organisation.
    """
    if actor.role != Role.ADMIN:
        raise PermissionDenied(_("Only administrators invite users."))
    email = normalise_email(data.email)
    if db.session.scalar(sa.select(User.id).where(User.email == email)):
        raise DomainError(_("An account with this e-mail already exists."), field="email")
    _check_binding(data)
    user = User(
        email=email,
        name=data.name.strip(),
        role=data.role,
        # Only focal points act for a State; civil society's State is its organisation's.
        state_id=data.state_id if data.role == Role.FOCAL_POINT else None,
        organisation_id=(
            data.organisation_id if data.role in (Role.PARTNER, Role.CIVIL_SOCIETY) else None
        ),
        active=True,
    )
    db.session.add(user)
    db.session.flush()
    token = issue_invitation(actor, user)
    record(actor, "user.invite", user, after={"email": email, "role": data.role.value})
    return user, token


def issue_invitation(actor: User | None, user: User) -> str:
    """A new one-time link for `user`; earlier unused links stop working."""
    now = utcnow()
    for old in db.session.scalars(
        sa.select(Invitation).where(Invitation.user_id == user.id, Invitation.used_at.is_(None))
    ):
        old.used_at = now
    token = secrets.token_urlsafe(32)
    days = current_app.config["INVITATION_DAYS"]
    db.session.add(
        Invitation(
            token_hash=_token_hash(token),
            user_id=user.id,
            invited_by_id=getattr(actor, "id", None),
            expires_at=now + timedelta(days=days),
        )
    )
    db.session.flush()
    return token


def find_invitation(token: str) -> Invitation | None:
    """The unused, unexpired invitation behind `token`, else None."""
    invitation = db.session.scalar(
        sa.select(Invitation).where(Invitation.token_hash == _token_hash(token))
    )
    if invitation is None or invitation.used_at is not None or invitation.expires_at < utcnow():
        return None
    return invitation


def accept_invitation(invitation: Invitation, name: str, password: str) -> User:
    """Set the invited user's name and password and spend the link."""
    user = invitation.user
    user.name = name.strip()
    user.password_hash = hash_password(password)
    user.rotate_session_token()
    invitation.used_at = utcnow()
    db.session.flush()
    record(user, "user.accept_invitation", user)
    return user


def change_password(user: User, current: str, new: str) -> None:
    """Change the password; raises DomainError when `current` is wrong. Ends other sessions."""
    if not verify_password(user.password_hash, current):
        raise DomainError(_("The current password is not right."), field="current")
    user.password_hash = hash_password(new)
    user.rotate_session_token()
    db.session.flush()
    record(user, "user.change_password", user)


def set_active(actor: User, user: User, active: bool) -> None:
    """Enable or disable an account; disabling ends its sessions. Admins only."""
    if actor.role != Role.ADMIN:
        raise PermissionDenied(_("Only administrators enable or disable accounts."))
    if user.id == actor.id and not active:
        raise DomainError(_("You cannot disable your own account."))
    before = user.active
    user.active = active
    if not active:
        user.rotate_session_token()
    db.session.flush()
    record(actor, "user.set_active", user, before={"active": before}, after={"active": active})


def create_admin(email: str, name: str = "Administrator") -> tuple[User, str]:
    """The first admin of a deployment, with a generated password (returned once)."""
    email = normalise_email(email)
    if db.session.scalar(sa.select(User.id).where(User.email == email)):
        raise DomainError(_("An account with this e-mail already exists."), field="email")
    password = secrets.token_urlsafe(18)
    user = User(email=email, name=name, role=Role.ADMIN, password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    record(None, "user.create_admin", user, after={"email": email})
    return user, password
