"""The language switcher: a small form on every page, signed in or not, without JavaScript."""

from flask import abort, redirect, request, session, url_for
from flask_login import current_user

from tamatch.auth.routes import safe_next
from tamatch.i18n import bp
from tamatch.i18n.locales import LOCALES, SESSION_KEY, is_choosable
from tamatch.unit_of_work import unit_of_work


@bp.post("/language")
def choose():
    """Remember the language for the session and, signed in, on the account; go back."""
    code = request.form.get("locale", "")
    if not is_choosable(code):
        abort(400)
    session[SESSION_KEY] = code
    if current_user.is_authenticated and code in LOCALES:
        with unit_of_work():
            current_user.locale = code
    return redirect(safe_next(request.form.get("next")) or url_for("main.home"))
