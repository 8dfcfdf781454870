"""Administration pages: users, invitations and organisations."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tamatch.admin import bp
from tamatch.admin.forms import ROLE_LABELS, ConfirmForm, InviteForm, OrganisationForm
from tamatch.admin.services import create_organisation
from tamatch.auth.invitation_mail import invitation_link
from tamatch.auth.permissions import role_required
from tamatch.auth.services import InvitationData, invite_user, issue_invitation, set_active
from tamatch.auth.services import reset_sign_in as reset_user_sign_in
from tamatch.extensions import db
from tamatch.forms import as_choices, state_choices
from tamatch.models import Organisation, OrganisationKind, Role, User
from tamatch.request_args import enum_arg, paginate
from tamatch.unit_of_work import unit_of_work


def _organisation_choices():
    rows = db.session.scalars(sa.select(Organisation).order_by(Organisation.name))
    return as_choices([("", "—"), *[(o.id, o.name) for o in rows]])


SHOWN_ONCE = "invitation_shown_once"  # the session key that carries a link to its one page


def _show_once(user: User, token: str, *, reset: bool = False):
    """POST-redirect-GET: the link rides in the session to one GET page, which spends it, so a
    reload shows no link and re-submits nothing."""
    session[SHOWN_ONCE] = {"user_id": user.id, "link": invitation_link(token), "reset": reset}
    return redirect(url_for("admin.invited", user_id=user.id))


@bp.get("/users/<int:user_id>/invited")
@role_required(Role.ADMIN)
def invited(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    shown = session.pop(SHOWN_ONCE, None) or {}
    fresh = shown.get("user_id") == user.id
    return render_template(
        "admin/invited.html",
        user=user,
        link=shown.get("link") if fresh else None,
        reset=bool(shown.get("reset")) if fresh else False,
    )


@bp.get("/users")
@role_required(Role.ADMIN)
def users():
    role = enum_arg("role", Role)
    stmt = sa.select(User).order_by(User.role, User.email)
    if role:
        stmt = stmt.where(User.role == role)
    page = paginate(stmt)
    return render_template(
        "admin/users.html", page=page, role=role, roles=ROLE_LABELS, confirm=ConfirmForm()
    )


@bp.route("/users/invite", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def invite():
    form = InviteForm()
    form.state_id.choices = as_choices([("", "—"), *state_choices()])
    form.organisation_id.choices = _organisation_choices()
    if form.validate_on_submit():
        data = InvitationData(
            email=form.email.data,
            name=form.name.data,
            role=Role(form.role.data),
            state_id=form.state_id.data,
            organisation_id=form.organisation_id.data,
        )
        with unit_of_work(form) as work:
            user, token = invite_user(current_user, data)
        if not work.failed:
            return _show_once(user, token)
    return render_template("admin/invite.html", form=form)


@bp.post("/users/<int:user_id>/reinvite")
@role_required(Role.ADMIN)
def reinvite(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with unit_of_work() as work:
        token = issue_invitation(current_user, user)
    if work.failed:
        return redirect(url_for("admin.users"))
    return _show_once(user, token)


@bp.post("/users/<int:user_id>/reset")
@role_required(Role.ADMIN)
def reset_sign_in(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with unit_of_work() as work:
        token = reset_user_sign_in(current_user, user)
    if work.failed:
        return redirect(url_for("admin.users"))
    return _show_once(user, token, reset=True)


@bp.post("/users/<int:user_id>/active")
@role_required(Role.ADMIN)
def toggle_active(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    active = request.form.get("active") == "1"
    with unit_of_work() as work:
        set_active(current_user, user, active)
    if not work.failed:
        flash(
            _("Account enabled.")
            if active
            else _("Account disabled. Its sessions ended and its API tokens were revoked."),
            "success",
        )
    return redirect(url_for("admin.users"))


@bp.route("/organisations", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def organisations():
    form = OrganisationForm()
    form.state_id.choices = as_choices([("", "—"), *state_choices()])
    if form.validate_on_submit():
        kind = OrganisationKind(form.kind.data)
        with unit_of_work(form) as work:
            create_organisation(current_user, form.name.data, kind, form.state_id.data)
        if not work.failed:
            flash(_("Organisation added."), "success")
            return redirect(url_for("admin.organisations"))
    page = paginate(sa.select(Organisation).order_by(Organisation.name))
    return render_template("admin/organisations.html", form=form, page=page)
