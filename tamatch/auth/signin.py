"""Proving who one is: the password at sign-in, the password again, the second-factor code.

Each check waits out the throttle of its (e-mail, network) pair first and counts its failure
after (tamatch.auth.throttle), so all three are throttled alike.
"""

from flask_babel import gettext as _

from tamatch.audit import record
from tamatch.auth import throttle, twofactor
from tamatch.auth.passwords import hash_password, needs_rehash, verify_password
from tamatch.auth.queries import user_by_email
from tamatch.errors import DomainError
from tamatch.models import User
from tamatch.models.base import utcnow


def authenticate(email: str, password: str, network: str) -> User | None:
    """The active user with this e-mail and password, else None.

    Raises throttle.SignInDelayed, before checking anything, while this e-mail waits after
    failures from this network. Every other failure costs one password verification and looks
    the same whether an account has the e-mail or not; it lengthens this pair's wait only.
    """
    throttle.wait_for(email, network)
    user = user_by_email(email)
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        throttle.record_failure(email, network, user.id if user else None)
        return None
    throttle.forget(email, network)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    record(user, "user.login", user)
    return user


def reauthenticate(user: User, password: str, network: str, field: str = "password") -> None:
    """Check the signed-in user's password again before a sensitive action.

    Raises throttle.SignInDelayed as sign-in does, or DomainError on `field` when it is wrong.
    """
    throttle.wait_for(user.email, network)
    if not verify_password(user.password_hash, password):
        throttle.record_failure(user.email, network, user.id)
        raise DomainError(_("The current password is not right."), field=field)
    throttle.forget(user.email, network)


def check_second_factor(user: User, code: str, network: str) -> None:
    """Check the code of `user`'s authenticator app (a code works once).

    Raises throttle.SignInDelayed as sign-in does, or DomainError on "code" when it is wrong.
    """
    throttle.wait_for(user.email, network)
    if not twofactor.verify(user, code):
        throttle.record_failure(user.email, network, user.id)
        raise DomainError(_("That code is not right."), field="code")
    throttle.forget(user.email, network)
