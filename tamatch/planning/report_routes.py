"""Downloads of the reports a State writes: the UPR mid-term table, the treaty follow-up."""

from datetime import date

from flask import abort, render_template
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from tamatch.audit import record
from tamatch.auth.permissions import role_required
from tamatch.exports import export_response
from tamatch.i18n.names import state_name
from tamatch.models import Deadline, Role
from tamatch.planning import bp
from tamatch.planning.queries import get_own, treaty_followups
from tamatch.request_args import int_arg
from tamatch.unit_of_work import unit_of_work

FORMATS = ("docx", "xlsx")


@bp.get("/reports")
@role_required(Role.FOCAL_POINT)
def reports():
    from tamatch.planning.reports import upr_cycles

    return render_template(
        "planning/reports.html",
        cycles=upr_cycles(current_user.state_id),
        followups=treaty_followups(current_user.state_id),
    )


def _download(frame, basename: str, fmt: str, title: str, what: str):
    from tamatch.planning.docx_export import docx_response

    with unit_of_work(reraise=True):
        record(current_user, f"export.{what}", what, after={"format": fmt, "rows": len(frame)})
    if fmt == "xlsx":
        return export_response(frame, basename, fmt)
    lines = [
        state_name(current_user.state),
        _("Draft generated on %(day)s from the platform's plan.", day=format_date(date.today())),
    ]
    return docx_response(frame, basename, title, lines)


@bp.get("/reports/midterm.<fmt>")
@role_required(Role.FOCAL_POINT)
def midterm_report(fmt: str):
    from tamatch.planning.reports import midterm_frame, upr_cycles

    if fmt not in FORMATS:
        abort(404)
    cycle = int_arg("cycle")
    if cycle is None:
        cycles = upr_cycles(current_user.state_id)
        cycle = cycles[0] if cycles else None
    frame = midterm_frame(current_user.state_id, cycle)
    title = _("UPR mid-term report, cycle %(n)s: implementation of the recommendations", n=cycle)
    return _download(frame, f"upr-midterm-{cycle or 'all'}", fmt, title, "midterm_report")


@bp.get("/reports/treaty-followup.<fmt>")
@role_required(Role.FOCAL_POINT)
def treaty_followup_report(fmt: str):
    from tamatch.planning.reports import treaty_followup_frame

    if fmt not in FORMATS:
        abort(404)
    deadline_id = int_arg("deadline")
    if deadline_id is not None:
        get_own(Deadline, deadline_id, current_user)  # the State's own, or 404
    frame = treaty_followup_frame(current_user.state_id, deadline_id)
    title = _("Treaty-body follow-up: information on the recommendations selected")
    return _download(frame, "treaty-followup", fmt, title, "treaty_followup_report")
