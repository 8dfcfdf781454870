"""Flask-Login wiring: users are loaded by their rotating session token, not their id."""

import sqlalchemy as sa
from flask import Flask
from flask_babel import lazy_gettext as _l

from tamatch.extensions import db, login_manager
from tamatch.models import User


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    # A session whose IP or user agent changes is marked non-fresh; sensitive actions re-ask.
    login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(session_token: str) -> User | None:
    """The user whose current session token this is; a rotated token loads nobody."""
    return db.session.scalar(
        sa.select(User).where(User.session_token == session_token, User.active.is_(True))
    )
