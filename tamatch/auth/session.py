"""Flask-Login wiring: who a session belongs to, and the only ways a session is started.

Users are loaded by their rotating session token, not their id. A role with two factors is
loaded only by a session that verified its second factor: whatever path signs such a person
in (a form, a test client, a future feature), a password alone gives no session.
"""

import time

from flask import Flask, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_user, logout_user

from tamatch.auth.queries import user_by_session_token
from tamatch.auth.twofactor import needs_second_factor
from tamatch.errors import PermissionDenied
from tamatch.extensions import login_manager
from tamatch.i18n.locales import SESSION_KEY
from tamatch.models import User

# The id of the user whose second factor this session verified.
SECOND_FACTOR_KEY = "second_factor_user"
# Password proven, second factor to come: who, where to go next, since when.
PENDING_USER_KEY, PENDING_NEXT_KEY, PENDING_AT_KEY = "pending_user", "pending_next", "pending_at"
PENDING_SECONDS = 10 * 60


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    # A session whose IP or user agent changes is marked non-fresh; sensitive actions re-ask.
    login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(session_token: str) -> User | None:
    """The user of this session: the current session token of an active account, and for a
    role with two factors only once this session verified the second one."""
    user = user_by_session_token(session_token)
    if user is None or (needs_second_factor(user) and not second_factor_verified(user)):
        return None
    return user


def second_factor_verified(user: User) -> bool:
    """True when this session verified `user`'s second factor."""
    return session.get(SECOND_FACTOR_KEY) == user.id


def start_session(user: User, *, second_factor: bool) -> None:
    """Sign `user` in on a fresh session (a new one: nothing of the old one is kept).

    Raises PermissionDenied for a role with two factors when `second_factor` (a code verified
    in this request, or by this session before) is False.
    """
    if needs_second_factor(user) and not second_factor:
        raise PermissionDenied(_("Your role signs in with a code from an authenticator app."))
    _fresh_session()
    login_user(user)
    if second_factor:
        session[SECOND_FACTOR_KEY] = user.id


def _fresh_session() -> None:
    """Empty the session, all but the language its reader chose (the switcher works signed
    out: signing in must not turn the pages back to another language)."""
    language = session.get(SESSION_KEY)
    session.clear()
    if language is not None:
        session[SESSION_KEY] = language


def begin_pending(user: User, next_url: str) -> None:
    """The password is proven and a second factor must follow: nobody is signed in yet."""
    logout_user()
    _fresh_session()
    session[PENDING_USER_KEY] = user.session_token
    session[PENDING_NEXT_KEY] = next_url
    session[PENDING_AT_KEY] = int(time.time())


def pending_user() -> User | None:
    """The user waiting to give a second factor, for PENDING_SECONDS after the password."""
    started = session.get(PENDING_AT_KEY)
    if not isinstance(started, int) or time.time() - started > PENDING_SECONDS:
        return None
    return user_by_session_token(session.get(PENDING_USER_KEY, ""))


def pending_next(default: str) -> str:
    return session.get(PENDING_NEXT_KEY) or default
