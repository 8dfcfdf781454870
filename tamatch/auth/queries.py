"""Finding accounts: by e-mail (always compared in its normal form) and by session token."""

import sqlalchemy as sa

from tamatch.extensions import db
from tamatch.models import User
from tamatch.models.account import normalise_email


def user_by_email(email: str) -> User | None:
    """The account with this e-mail address, however its case or surrounding spaces are typed."""
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def email_taken(email: str) -> bool:
    return user_by_email(email) is not None


def user_by_session_token(session_token: str) -> User | None:
    """The active user whose current session token this is; a rotated token finds nobody."""
    if not session_token:
        return None
    return db.session.scalar(
        sa.select(User).where(User.session_token == session_token, User.active.is_(True))
    )
