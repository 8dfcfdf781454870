"""Domain errors raised by services, and the app's HTTP error pages."""

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tamatch.extensions import db


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


def init_error_handlers(app: Flask) -> None:
    """HTTP errors, and the domain's PermissionDenied (403) and NotFound (404), as pages."""
    for code in _TITLES:
        app.register_error_handler(code, lambda error: _page(getattr(error, "code", 500) or 500))
    app.register_error_handler(PermissionDenied, lambda error: _page(403, error.message))
    app.register_error_handler(NotFound, lambda error: _page(404, error.message))
