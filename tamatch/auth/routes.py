"""Sign in and out, accept an invitation, change the password."""

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
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from tamatch.auth import bp, twofactor
from tamatch.auth.forms import AcceptInvitationForm, ChangePasswordForm, LoginForm, TwoFactorForm
from tamatch.auth.services import (
    accept_invitation,
    authenticate,
    change_password,
    end_session,
    find_invitation,
)
from tamatch.auth.session import load_user
from tamatch.auth.twofactor import needs_second_factor
from tamatch.errors import DomainError
from tamatch.extensions import limiter
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


LOGIN_FAILED = (
    "Wrong e-mail or password. After several failed attempts, sign-in pauses for a while."
)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        with unit_of_work(form):  # failed attempts are counted even when sign-in fails
            user = authenticate(form.email.data, form.password.data)
        if user is None:
            form.form_errors.append(str(LOGIN_FAILED))
            return render_template("auth/login.html", form=form), 200
        next_url = safe_next(request.args.get("next")) or url_for("main.home")
        session.clear()
        if needs_second_factor(user):
            session["pending_user"], session["pending_next"] = user.session_token, next_url
            return redirect(url_for("auth.two_factor"))
        return _finish_login(user, next_url)
    return render_template("auth/login.html", form=form)


def _finish_login(user, next_url: str):
    session.clear()
    login_user(user)
    flash(_("Welcome, %(name)s.", name=user.name), "success")
    return redirect(next_url)


@bp.route("/two-factor", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def two_factor():
    user = load_user(session.get("pending_user", ""))
    if user is None:
        return redirect(url_for("auth.login"))
    form = TwoFactorForm()
    enrolling = not user.totp_enabled
    if enrolling:
        session.setdefault("totp_secret", twofactor.new_secret())
    if form.validate_on_submit():
        with unit_of_work(form) as work:  # a wrong or replayed code changes nothing
            if enrolling:
                twofactor.enable(user, session["totp_secret"], form.code.data)
            elif not twofactor.verify(user, form.code.data):
                raise DomainError(_("That code is not right."), field="code")
        if not work.failed:
            return _finish_login(user, session.get("pending_next") or url_for("main.home"))
    secret = session.get("totp_secret") if enrolling else None
    uri = twofactor.provisioning_uri(user, secret) if secret else None
    return render_template(
        "auth/two_factor.html",
        form=form,
        secret=secret,
        qr=twofactor.qr_data_uri(uri) if uri else None,
    )


@bp.post("/logout")
@login_required
def logout():
    with unit_of_work():
        end_session(current_user)
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept(token: str):
    invitation = find_invitation(token)
    if invitation is None:
        return render_template("auth/invitation_invalid.html"), 404
    form = AcceptInvitationForm(name=invitation.user.name)
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            user = accept_invitation(invitation, form.name.data, form.password.data)
        if not work.failed:
            if current_user.is_authenticated:
                logout_user()
            session.clear()
            login_user(user)
            flash(_("Your password is set. Welcome to tamatch."), "success")
            return redirect(url_for("main.home"))
    return render_template("auth/accept.html", form=form, invitation=invitation)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        with unit_of_work(form) as work:
            change_password(user, form.current.data, form.password.data)
        if not work.failed:
            session.clear()
            login_user(user)
            flash(_("Password changed. Other sessions are signed out."), "success")
            return redirect(url_for("main.home"))
    return render_template("auth/password.html", form=form)
