"""Sign in and out, accept an invitation, change the password."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from tamatch.auth.forms import AcceptInvitationForm, ChangePasswordForm, LoginForm
from tamatch.auth.services import (
    accept_invitation,
    authenticate,
    change_password,
    end_session,
    find_invitation,
)
from tamatch.errors import DomainError
from tamatch.extensions import db
from tamatch.forms import show_domain_error

bp = Blueprint("auth", __name__)


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


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            db.session.commit()
            form.form_errors.append(_("Wrong e-mail or password."))
            return render_template("auth/login.html", form=form), 200
        session.clear()
        login_user(user)
        db.session.commit()
        flash(_("Welcome, %(name)s.", name=user.name), "success")
        return redirect(safe_next(request.args.get("next")) or url_for("main.home"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    end_session(current_user)
    db.session.commit()
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
        user = accept_invitation(invitation, form.name.data, form.password.data)
        db.session.commit()
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
        try:
            change_password(current_user, form.current.data, form.password.data)
        except DomainError as error:
            show_domain_error(form, error)
            return render_template("auth/password.html", form=form)
        user = current_user._get_current_object()
        db.session.commit()
        session.clear()
        login_user(user)
        flash(_("Password changed. Other sessions are signed out."), "success")
        return redirect(url_for("main.home"))
    return render_template("auth/password.html", form=form)
