"""The in-app list of what waits for a user, and the development outbox."""

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from tamatch.auth.permissions import role_required
from tamatch.models import Notification, OutboxMessage, Role
from tamatch.notifications import bp
from tamatch.notifications.forms import DIGEST, IMMEDIATE, EmailSettingForm
from tamatch.notifications.services import mark_read
from tamatch.request_args import int_arg, paginate
from tamatch.unit_of_work import unit_of_work


@bp.get("/")
@login_required
def index():
    page = paginate(
        sa.select(Notification)
        .where(Notification.user_id == current_user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    return render_template("notifications/index.html", page=page, form=FlaskForm())


@bp.post("/read")
@login_required
def read():
    if not FlaskForm().validate_on_submit():
        abort(400)
    with unit_of_work():
        mark_read(current_user, int_arg("id", source=request.form))
    return redirect(url_for("notifications.index"))


@bp.route("/email", methods=["GET", "POST"])
@login_required
def email_setting():
    form = EmailSettingForm()
    if request.method == "GET":
        form.delivery.data = DIGEST if current_user.email_digest else IMMEDIATE
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            current_user.email_digest = form.delivery.data == DIGEST
        if not work.failed:
            flash(_("Your e-mail setting is saved."), "success")
            return redirect(url_for("notifications.email_setting"))
    return render_template("notifications/email.html", form=form)


@bp.get("/outbox")
@role_required(Role.ADMIN)
def outbox():
    page = paginate(sa.select(OutboxMessage).order_by(OutboxMessage.id.desc()))
    return render_template(
        "notifications/outbox.html", page=page, sending=current_app.config.get("MAIL_SEND")
    )
