"""The page where a signed-in user issues and revokes API tokens (session login and CSRF)."""

from flask import abort, current_app, flash, make_response, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tamatch.api import bp
from tamatch.api.forms import RevokeForm, TokenForm
from tamatch.api.tokens import create_token, revoke_token, user_tokens
from tamatch.auth.signin import reauthenticate
from tamatch.auth.throttle import SignInDelayed, client_network
from tamatch.extensions import db, limiter
from tamatch.models import ApiToken
from tamatch.models.base import utcnow
from tamatch.unit_of_work import unit_of_work


def _page(form: TokenForm, raw_token: str | None = None) -> ResponseReturnValue:
    response = make_response(
        render_template(
            "api/tokens.html",
            form=form,
            revoke=RevokeForm(),
            tokens=user_tokens(current_user),
            raw_token=raw_token,
            now=utcnow(),
        )
    )
    response.headers["Cache-Control"] = "no-store"  # the raw token must not linger in caches
    return response


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/tokens/manage", methods=["GET", "POST"])
@login_required
@limiter.limit(_login_limit, methods=["POST"])
def manage_tokens() -> ResponseReturnValue:
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form)
    with unit_of_work(form) as work:  # a token outlives the session: a cookie alone does not
        reauthenticate(current_user, form.password.data, client_network())
        _token, raw = create_token(current_user, form.name.data, form.days.data)
    if work.failed:
        response = _page(form)
        if isinstance(work.error, SignInDelayed):
            response.status_code = 429
            response.headers["Retry-After"] = str(work.error.seconds)
        return response
    # Shown on this response only: the database keeps nothing it could be rebuilt from.
    return _page(TokenForm(formdata=None), raw_token=raw)


@bp.post("/tokens/manage/<int:token_id>/revoke")
@login_required
def revoke(token_id: int) -> ResponseReturnValue:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    if not RevokeForm().validate_on_submit():
        abort(400)
    with unit_of_work() as work:
        revoke_token(current_user, token)
    if not work.failed:
        flash(
            _(
                "Token “%(name)s” revoked; programs using it are refused from now on.",
                name=token.name,
            ),
            "success",
        )
    return redirect(url_for("api.manage_tokens"))
