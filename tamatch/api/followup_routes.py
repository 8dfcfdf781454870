"""Engagements and their progress reports: read what one may see, file one's own side's."""

import sqlalchemy as sa
from flask import jsonify
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from tamatch.api import bp
from tamatch.api import serializers as out
from tamatch.api.errors import ApiError, invalid
from tamatch.api.params import Fields, enum_param, get_row, json_body, paginated, reject_unknown
from tamatch.api.tokens import api_user, token_required
from tamatch.extensions import db
from tamatch.followup.permissions import (
    can_see_engagement,
    can_see_report,
    engagement_side,
    engagements_query,
)
from tamatch.followup.services import NARRATIVE, ReportData, report_for, save_report
from tamatch.models import (
    Engagement,
    EngagementStatus,
    ImplementationStatus,
    ProgressReport,
    ReportDue,
)
from tamatch.unit_of_work import unit_of_work

MAX_NARRATIVE = 20000


def _engagement(engagement_id: int) -> Engagement:
    item = get_row(Engagement, engagement_id)
    if item is None or not can_see_engagement(api_user(), item):
        raise ApiError(404, _("No such engagement, or you may not see it."), "not_found")
    return item


def _report(report_id: int) -> ProgressReport:
    item = get_row(ProgressReport, report_id)
    if item is None or not can_see_report(api_user(), item):
        raise ApiError(404, _("No such report, or you may not see it."), "not_found")
    return item


@bp.get("/engagements")
@token_required
def engagements() -> ResponseReturnValue:
    user = api_user()
    stmt = engagements_query(user)
    status = enum_param("status", EngagementStatus)
    if status is not None:
        stmt = stmt.where(Engagement.status == status)
    return paginated(stmt, lambda item: out.engagement(user, item))


@bp.get("/engagements/<int:engagement_id>")
@token_required
def engagement(engagement_id: int) -> ResponseReturnValue:
    return jsonify(out.engagement(api_user(), _engagement(engagement_id)))


@bp.get("/engagements/<int:engagement_id>/reports")
@token_required
def engagement_reports(engagement_id: int) -> ResponseReturnValue:
    """Every report on the engagement the user may see (drafts only of their own side)."""
    item = _engagement(engagement_id)
    reports = db.session.scalars(
        sa.select(ProgressReport)
        .join(ReportDue, ReportDue.id == ProgressReport.report_due_id)
        .where(ProgressReport.engagement_id == item.id)
        .order_by(ReportDue.stage_months, ProgressReport.side)
    )
    visible = [out.report(r) for r in reports if can_see_report(api_user(), r)]
    return jsonify({"items": visible})


@bp.post("/engagements/<int:engagement_id>/reports")
@token_required
def start_report(engagement_id: int) -> ResponseReturnValue:
    """The user's side's report for a follow-up stage: created as a draft, or the existing one."""
    item = _engagement(engagement_id)
    side = engagement_side(api_user(), item)
    if side is None:
        raise ApiError(
            403, _("Only the State's focal points and the partner file reports."), "forbidden"
        )
    body = json_body()
    reject_unknown(body, {"stage_months"})
    fields = Fields(body)
    stage = fields.integer("stage_months", 1, 1200)
    fields.check()
    due = db.session.scalar(
        sa.select(ReportDue).where(
            ReportDue.engagement_id == item.id, ReportDue.stage_months == stage
        )
    )
    if due is None:
        stages = ", ".join(str(d.stage_months) for d in item.reports_due)
        raise invalid(
            {
                "stage_months": _(
                    "No report is due at that stage; stages: %(stages)s.", stages=stages
                )
            }
        )
    existed = db.session.scalar(
        sa.select(
            sa.exists().where(ProgressReport.report_due_id == due.id, ProgressReport.side == side)
        )
    )
    with unit_of_work(reraise=True):
        report = report_for(api_user(), due)
    return jsonify(out.report(report)), 200 if existed else 201


def _statuses(fields: Fields) -> dict[int, ImplementationStatus]:
    value = fields.body.get("statuses", {})
    result: dict[int, ImplementationStatus] = {}
    if not isinstance(value, dict):
        fields.fail("statuses", _("Must be an object of recommendation id to status."))
        return result
    for key, status in value.items():
        try:
            result[int(key)] = ImplementationStatus(status)
        except (TypeError, ValueError):
            choices = ", ".join(s.value for s in ImplementationStatus)
            fields.fail(
                "statuses",
                _("Keys are recommendation ids; values one of: %(choices)s.", choices=choices),
            )
    return result


@bp.patch("/reports/<int:report_id>")
@token_required
def patch_report(report_id: int) -> ResponseReturnValue:
    """Change the narrative and statuses of one's own draft; `submit: true` submits it."""
    report = _report(report_id)
    body = json_body()
    reject_unknown(body, {*NARRATIVE, "statuses", "submit"})
    fields = Fields(body)
    narrative = {
        name: fields.text(name, 0, MAX_NARRATIVE) if name in body else getattr(report, name)
        for name in NARRATIVE
    }
    statuses = _statuses(fields)
    submit = fields.boolean("submit")
    fields.check()
    with unit_of_work(reraise=True):
        data = ReportData(**narrative, statuses=statuses)
        save_report(api_user(), report, data, submit=submit)
    return jsonify(out.report(report))


@bp.get("/reports/<int:report_id>")
@token_required
def report(report_id: int) -> ResponseReturnValue:
    return jsonify(out.report(_report(report_id)))
