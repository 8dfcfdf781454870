"""Accounts: sessions, invitations, passwords, sign-in resets, enabling and disabling."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tamatch.api.tokens import revoke_all_tokens
from tamatch.audit import record
from tamatch.auth.invitation_mail import mail_invitation
from tamatch.auth.passwords import hash_password
from tamatch.auth.queries import email_taken
from tamatch.auth.signin import reauthenticate
from tamatch.errors import DomainError, PermissionDenied
from tamatch.extensions import db
from tamatch.i18n.locales import LOCALES
from tamatch.models import DOMESTIC_KINDS, Invitation, Organisation, Role, State, User
from tamatch.models.account import normalise_email
from tamatch.models.base import utcnow
from tamatch.notifications.services import notify


def end_session(user: User) -> None:
    """Rotate the user's session token so that any copy of the old cookie is refused."""
    user.rotate_session_token()
    db.session.flush()


def end_all_sessions(actor: User | None, user: User, reason: str) -> int:
    """Sign `user` out everywhere: every session cookie and every live API token stops working.

    `reason` (a code: "password_change", "disabled", "sign_out_everywhere", "sign_in_reset")
    goes into the audit entry. Returns how many API tokens were revoked.
    """
    user.rotate_session_token()
    revoked = revoke_all_tokens(user)
    db.session.flush()
    record(actor, "user.end_sessions", user, after={"reason": reason, "api_tokens": revoked})
    return revoked


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
    if email_taken(email):
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


def issue_invitation(actor: User | None, user: User, *, mail: bool = True) -> str:
    """A new one-time link for `user`, e-mailed to them unless `mail` is off (a sign-in reset
    hands it over by another way); earlier unused links stop working.

    Only for an enabled account without a password: a link never replaces someone's password
    (to let the owner of an account start again, see `reset_sign_in`). Raises DomainError.
    """
    if user.password_hash is not None:
        raise DomainError(
            _(
                "This account has a password already, so it gets no new invitation link. If "
                "its owner lost the password or authenticator, use “Reset sign-in”."
            )
        )
    if not user.active:
        raise DomainError(_("This account is disabled: enable it first."))
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
    if mail:
        mail_invitation(user, token)
    return token


def find_invitation(token: str) -> Invitation | None:
    """The unused, unexpired invitation behind `token` of an enabled account that has no
    password (links made before the account set one are void), else None."""
    invitation = db.session.scalar(
        sa.select(Invitation).where(Invitation.token_hash == _token_hash(token))
    )
    if invitation is None or invitation.used_at is not None or invitation.expires_at < utcnow():
        return None
    if invitation.user.password_hash is not None or not invitation.user.active:
        return None
    return invitation


def accept_invitation(
    invitation: Invitation, name: str, password: str, locale: str | None = None
) -> User:
    """Set the invited user's name and password and spend the link (signs nobody in).

    `locale`, the language the person accepts in, becomes the account's language unless it
    has one: e-mails and notifications then speak it before anyone opens the switcher."""
    user = invitation.user
    user.name = name.strip()
    if user.locale is None and locale in LOCALES:
        user.locale = locale
    user.password_hash = hash_password(password)
    user.rotate_session_token()
    invitation.used_at = utcnow()
    db.session.flush()
    record(user, "user.accept_invitation", user)
    return user


def reset_sign_in(actor: User, user: User) -> str:
    """Let the owner of an account start again after losing the password or authenticator.

    The password, the two-factor key, every session and every API token stop working at once;
    the owner is told by e-mail; the new one-time link (returned) lets them choose a password
    and enrol again. Admins only, not on their own account, only for an enabled account that
    has a password (otherwise send a new invitation link). Raises PermissionDenied, DomainError.
    """
    if actor.role != Role.ADMIN:
        raise PermissionDenied(_("Only administrators reset the sign-in of an account."))
    if user.id == actor.id:
        raise DomainError(_("Change your own password on the password page."))
    if user.password_hash is None:
        raise DomainError(_("This account has no password yet: send a new invitation link."))
    if not user.active:
        raise DomainError(_("This account is disabled: enable it first."))
    user.password_hash = None
    user.totp_secret, user.totp_enabled, user.totp_last_step = None, False, None
    end_all_sessions(actor, user, "sign_in_reset")
    # Not e-mailed: whoever lost the account may have lost the mailbox too; the admin hands
    # the link over by a way they trust.
    token = issue_invitation(actor, user, mail=False)
    record(actor, "user.reset_sign_in", user)
    notify(
        [user],
        _l("Your tamatch sign-in was reset"),
        _l(
            "%(admin)s, an administrator, reset your sign-in: your password, two-factor key, "
            "sessions and API tokens no longer work. They will send you a link to choose a new "
            "password. If you did not ask for this, tell your administrators at once.",
            admin=actor.name,
        ),
    )
    return token


def change_password(user: User, current: str, new: str, network: str) -> int:
    """Change the password once `current` is proven (throttled like sign-in); every session
    and API token of the user stops working. Returns how many API tokens were revoked.

    Raises DomainError on "current" when it is wrong, SignInDelayed while throttled.
    """
    reauthenticate(user, current, network, field="current")
    user.password_hash = hash_password(new)
    revoked = end_all_sessions(user, user, "password_change")
    record(user, "user.change_password", user)
    return revoked


def set_active(actor: User, user: User, active: bool) -> None:
    """Enable or disable an account; disabling ends its sessions and API tokens. Admins only."""
    if actor.role != Role.ADMIN:
        raise PermissionDenied(_("Only administrators enable or disable accounts."))
    if user.id == actor.id and not active:
        raise DomainError(_("You cannot disable your own account."))
    before = user.active
    user.active = active
    if not active:
        end_all_sessions(actor, user, "disabled")
    db.session.flush()
    record(actor, "user.set_active", user, before={"active": before}, after={"active": active})


def create_admin(email: str, name: str = "Administrator") -> tuple[User, str]:
    """The first admin of a deployment, with a generated password (returned once)."""
    email = normalise_email(email)
    if email_taken(email):
        raise DomainError(_("An account with this e-mail already exists."), field="email")
    password = secrets.token_urlsafe(18)
    user = User(email=email, name=name, role=Role.ADMIN, password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    record(None, "user.create_admin", user, after={"email": email})
    return user, password
