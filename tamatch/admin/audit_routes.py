"""The audit log: who changed what and when, for administrators and organisers."""

from datetime import UTC, datetime, time

import sqlalchemy as sa
from flask import current_app, render_template, request
from flask_login import current_user

from tamatch.admin import bp
from tamatch.admin.audit_actions import action_label
from tamatch.admin.audit_details import object_label
from tamatch.admin.audit_view import audit_lines
from tamatch.auth.permissions import STEWARD_ROLES, role_required
from tamatch.extensions import db
from tamatch.models import AuditEntry, User
from tamatch.models.account import normalise_email
from tamatch.request_args import paginate


def _day(name: str, end: bool = False) -> datetime | None:
    try:
        day = datetime.strptime(request.args.get(name, ""), "%Y-%m-%d").date()
    except ValueError:
        return None
    return datetime.combine(day, time.max if end else time.min, tzinfo=UTC)


@bp.get("/audit")
@role_required(*STEWARD_ROLES)
def audit():
    stmt = sa.select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    action = (request.args.get("action") or "").strip()[:60]
    object_type = (request.args.get("object") or "").strip()[:40]
    actor = normalise_email(request.args.get("actor") or "")[:254]
    if action:
        stmt = stmt.where(AuditEntry.action.startswith(action, autoescape=True))
    if object_type:
        stmt = stmt.where(AuditEntry.object_type == object_type)
    if actor:
        stmt = stmt.join(User, User.id == AuditEntry.actor_id).where(
            User.email.icontains(actor, autoescape=True)
        )
    if (start := _day("from")) is not None:
        stmt = stmt.where(AuditEntry.at >= start)
    if (end := _day("to", end=True)) is not None:
        stmt = stmt.where(AuditEntry.at <= end)
    page = paginate(stmt, per_page=current_app.config["PER_PAGE"] * 2, max_per_page=200)
    actions = db.session.scalars(
        sa.select(AuditEntry.action).distinct().order_by(AuditEntry.action)
    ).all()
    objects = db.session.scalars(
        sa.select(AuditEntry.object_type).distinct().order_by(AuditEntry.object_type)
    ).all()
    return render_template(
        "admin/audit.html",
        page=page,
        lines=audit_lines(current_user, page.items),
        actions=actions,
        objects=objects,
        action_label=action_label,
        object_label=object_label,
        args=request.args,
    )
