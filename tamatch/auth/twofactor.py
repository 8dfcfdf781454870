"""Two-factor sign-in with time-based one-time codes (TOTP, RFC 6238) via pyotp."""

import base64
import io
from datetime import UTC, datetime

import pyotp
import qrcode
import qrcode.image.svg
from flask import current_app
from flask_babel import gettext as _

from tamatch.audit import record
from tamatch.errors import DomainError
from tamatch.extensions import db
from tamatch.models import Role, User

ISSUER = "tamatch"
DEFAULT_ROLES = (Role.ADMIN, Role.ORGANISER, Role.REVIEWER)


def needs_second_factor(user: User) -> bool:
    """Admins, organisers and reviewers sign in with a code as well as their password."""
    return user.role in current_app.config.get("TOTP_ROLES", DEFAULT_ROLES)


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_data_uri(text: str) -> str:
    """A QR code of `text` as an SVG data URI (drawn here: nothing leaves the server)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _accept(user: User, secret: str, code: str) -> bool:
    """Check `code` against `secret` (one step of clock drift allowed); a code works once."""
    totp = pyotp.TOTP(secret)
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return False
    now = totp.timecode(datetime.now(UTC))
    for step in (now, now - 1, now + 1):
        if pyotp.utils.strings_equal(totp.generate_otp(step), code):
            if user.totp_last_step is not None and step <= user.totp_last_step:
                return False  # replayed
            user.totp_last_step = step
            return True
    return False


def enable(user: User, secret: str, code: str) -> None:
    """Turn on two-factor sign-in once the user proves their app shows the right code."""
    if not _accept(user, secret, code):
        raise DomainError(
            _("That code is not right. Check your device's clock and try again."), field="code"
        )
    user.totp_secret, user.totp_enabled = secret, True
    db.session.flush()
    record(user, "user.totp_enable", user)


def verify(user: User, code: str) -> bool:
    """True when `code` is the user's current code (and was not used before)."""
    return bool(user.totp_enabled and user.totp_secret and _accept(user, user.totp_secret, code))
