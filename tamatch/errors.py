"""Domain errors raised by services, and the app's HTTP error pages."""

import re
from typing import NoReturn
from urllib.parse import urlsplit

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import NotFound as HTTPNotFound

from tamatch.extensions import db, login_manager


class DomainError(Exception):
    """A rule of the domain refused an action; `field` names the form field it concerns."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class PermissionDenied(DomainError):
    """The actor may not do this to this object."""


class InvalidTransition(DomainError):
    """A lifecycle move that the current state does not allow."""


class NotFound(DomainError):
    """The object does not exist, or the actor may not know that it does."""


class Unseen(HTTPNotFound):
    """404: the object does not exist, or this reader may not know that it does."""


def unseen() -> NoReturn:
    """Answer 404 for an object the reader may not see (or that does not exist).

    A signed-out reader is asked to sign in instead and brought back (a member may see it);
    the answer is the same whether the object exists or not, so it tells a stranger nothing.
    """
    raise Unseen()


def require(refusal: DomainError | None) -> None:
    """Raise `refusal`, a rule's answer to "why not?", unless it is None (allowed)."""
    if refusal is not None:
        raise refusal


_TITLES = {
    400: _l("Bad request"),
    403: _l("Not allowed"),
    404: _l("Page not found"),
    405: _l("Method not allowed"),
    413: _l("Too large"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong"),
}


def _page(code: int, reason: str | None = None):
    """The error page, with the domain's reason when there is one. The session is rolled back
    first: after a failed flush, rendering (which may load attributes) would raise again."""
    db.session.rollback()
    title = str(_TITLES.get(code) or _("Error"))
    return render_template("errors/error.html", code=code, title=title, reason=reason), code


def _not_found(error: HTTPNotFound):
    """404; an object a signed-out reader may not see (`unseen`) asks them to sign in first.

    Only pages read with GET do so: the API answers in its own shape, and a form sent while
    signed out has nothing to come back to.
    """
    if (
        isinstance(error, Unseen)
        and request.method == "GET"
        and request.blueprint != "api"
        and not current_user.is_authenticated
    ):
        db.session.rollback()
        return login_manager.unauthorized()
    return _page(404)


def _from_this_site() -> bool:
    source = request.headers.get("Origin") or request.referrer or ""
    return urlsplit(source).netloc == request.host


_SECRET_FIELD = re.compile(r"password|secret|token|code", re.IGNORECASE)


def _form_expired(error):
    """A form refused for its CSRF token (the page stayed open too long, or the person was
    signed out meanwhile) comes back with everything that was typed, to send again."""
    db.session.rollback()
    sent = [(k, v) for k, v in request.form.items(multi=True) if k != "csrf_token"]
    fields = [(k, v) for k, v in sent if not _SECRET_FIELD.search(k)]  # never echo a password
    files = [f.filename for f in request.files.values() if f and f.filename]
    page = render_template(
        "errors/resubmit.html",
        fields=fields,
        texts=[(k, v) for k, v in fields if len(v) > 40 or "\n" in v],
        files=files,
        secrets_left_out=len(fields) < len(sent),
        # Offered only for a form sent from this site: a page elsewhere that posts here must
        # not get a "send it again" button filled with its values.
        resend=current_user.is_authenticated and _from_this_site(),
        action=request.full_path.rstrip("?"),
    )
    return page, 400


def init_error_handlers(app: Flask) -> None:
    """HTTP errors, and the domain's PermissionDenied (403) and NotFound (404), as pages."""
    for code in _TITLES:
        app.register_error_handler(code, lambda error: _page(getattr(error, "code", 500) or 500))
    app.register_error_handler(404, _not_found)
    app.register_error_handler(CSRFError, _form_expired)
    app.register_error_handler(PermissionDenied, lambda error: _page(403, error.message))
    app.register_error_handler(NotFound, lambda error: _page(404, error.message))
