"""Domain errors raised by services, and the app's HTTP error pages."""

from flask import Flask, render_template
from flask_babel import gettext as _


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
    400: "Bad request",
    403: "Not allowed",
    404: "Page not found",
    405: "Method not allowed",
    413: "Too large",
    429: "Too many attempts",
    500: "Something went wrong",
}


def init_error_handlers(app: Flask) -> None:
    def render_error(error):
        code = getattr(error, "code", 500) or 500
        title = _(_TITLES.get(code, "Error"))
        return render_template("errors/error.html", code=code, title=title), code

    for code in _TITLES:
        app.register_error_handler(code, render_error)
