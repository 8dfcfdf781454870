"""Sign in and out (here or everywhere), accept an invitation, change the password."""

from urllib.parse import urlsplit

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required, logout_user

from tamatch.api.tokens import live_token_count
from tamatch.auth import bp, twofactor
from tamatch.auth.forms import (
    AcceptInvitationForm,
    ChangePasswordForm,
    LoginForm,
    SignOutEverywhereForm,
    TwoFactorForm,
)
from tamatch.auth.services import (
    accept_invitation,
    change_password,
    end_all_sessions,
    end_session,
    find_invitation,
)
from tamatch.auth.session import (
    begin_pending,
    pending_next,
    pending_user,
    second_factor_verified,
    start_session,
)
from tamatch.auth.signin import authenticate, check_second_factor
from tamatch.auth.throttle import SignInDelayed, client_network
from tamatch.auth.twofactor import needs_second_factor
from tamatch.errors import DomainError
from tamatch.extensions import limiter
from tamatch.i18n.locales import chosen_locale
from tamatch.unit_of_work import unit_of_work


def safe_next(target: str | None) -> str | None:
    """`target` when it is a path on this site, else None (no host, scheme or backslash tricks)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


LOGIN_FAILED = _l(
    "Wrong e-mail or password. After several failed attempts, each new try waits a while."
)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _answer(page: str, error: DomainError | None = None) -> ResponseReturnValue:
    """The page; with 429 and Retry-After when `error` is a sign-in delay."""
    if isinstance(error, SignInDelayed):
        return page, 429, {"Retry-After": str(error.seconds)}
    return page


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:  # failures are counted in a transaction of their own
            user = authenticate(form.email.data, form.password.data, client_network())
        if work.failed:
            return _answer(render_template("auth/login.html", form=form), work.error)
        if user is None:
            form.form_errors.append(str(LOGIN_FAILED))
            return render_template("auth/login.html", form=form), 200
        next_url = safe_next(request.args.get("next")) or url_for("main.home")
        if needs_second_factor(user):
            begin_pending(user, next_url)
            return redirect(url_for("auth.two_factor"))
        return _finish_login(user, next_url, second_factor=False)
    return render_template("auth/login.html", form=form)


def _finish_login(user, next_url: str, *, second_factor: bool):
    start_session(user, second_factor=second_factor)
    flash(_("Welcome, %(name)s.", name=user.name), "success")
    return redirect(next_url)


@bp.route("/two-factor", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def two_factor():
    user = pending_user()
    if user is None:
        return redirect(url_for("auth.login"))
    form = TwoFactorForm()
    enrolling = not user.totp_enabled
    if enrolling:
        session.setdefault("totp_secret", twofactor.new_secret())
    error = None
    if form.validate_on_submit():
        with unit_of_work(form) as work:  # a wrong or replayed code changes nothing
            if enrolling:
                twofactor.enable(user, session["totp_secret"], form.code.data)
            else:
                check_second_factor(user, form.code.data, client_network())
        if not work.failed:
            return _finish_login(user, pending_next(url_for("main.home")), second_factor=True)
        error = work.error
    secret = session.get("totp_secret") if enrolling else None
    uri = twofactor.provisioning_uri(user, secret) if secret else None
    page = render_template(
        "auth/two_factor.html",
        form=form,
        secret=secret,
        qr=twofactor.qr_data_uri(uri) if uri else None,
    )
    return _answer(page, error)


@bp.post("/logout")
@login_required
def logout():
    with unit_of_work():
        end_session(current_user)
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/sign-out-everywhere", methods=["GET", "POST"])
@login_required
def sign_out_everywhere():
    form = SignOutEverywhereForm()
    if form.validate_on_submit():
        with unit_of_work():
            revoked = end_all_sessions(current_user, current_user, "sign_out_everywhere")
        logout_user()
        session.clear()
        flash(
            ngettext(
                "You are signed out everywhere, and %(num)d API token was revoked.",
                "You are signed out everywhere, and %(num)d API tokens were revoked.",
                revoked,
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template(
        "auth/sign_out_everywhere.html", form=form, tokens=live_token_count(current_user)
    )


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept(token: str):
    invitation = find_invitation(token)
    if invitation is None:
        return render_template("auth/invitation_invalid.html"), 404
    form = AcceptInvitationForm(name=invitation.user.name)
    two_factor_role = needs_second_factor(invitation.user)
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            user = accept_invitation(
                invitation, form.name.data, form.password.data, locale=chosen_locale()
            )
        if not work.failed:
            if two_factor_role:  # no session on a password alone: enrol the second factor first
                begin_pending(user, url_for("main.home"))
                flash(_("Your password is set. Now set up two-factor sign-in."), "success")
                return redirect(url_for("auth.two_factor"))
            start_session(user, second_factor=False)
            flash(_("Your password is set. Welcome to tamatch."), "success")
            return redirect(url_for("main.home"))
    return render_template(
        "auth/accept.html", form=form, invitation=invitation, two_factor=two_factor_role
    )


@bp.route("/password", methods=["GET", "POST"])
@login_required
@limiter.limit(_login_limit, methods=["POST"])
def password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        second_factor = second_factor_verified(user)
        with unit_of_work(form) as work:
            change_password(user, form.current.data, form.password.data, client_network())
        if work.failed:
            return _answer(render_template("auth/password.html", form=form), work.error)
        start_session(user, second_factor=second_factor)
        flash(_("Password changed. Other sessions are signed out, API tokens revoked."), "success")
        return redirect(url_for("main.home"))
    return render_template("auth/password.html", form=form)
