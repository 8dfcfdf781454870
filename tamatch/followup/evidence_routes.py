"""Evidence routes: add a link or a file to a report, remove it, download it if entitled."""

from flask import abort, flash, redirect, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from tamatch.errors import DomainError
from tamatch.followup import bp
from tamatch.followup.evidence import add_file, add_link, evidence_path, remove_evidence
from tamatch.followup.forms import EvidenceForm
from tamatch.followup.permissions import can_edit_report
from tamatch.followup.queries import get_evidence, get_report
from tamatch.unit_of_work import unit_of_work


def _back(report_id: int) -> Response:
    return redirect(url_for("followup.report", report_id=report_id, _anchor="evidence"))


@bp.post("/reports/<int:report_id>/evidence")
@login_required
def add_evidence(report_id: int) -> Response:
    report = get_report(report_id, current_user)
    if not can_edit_report(current_user, report):
        abort(403)
    form = EvidenceForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "danger")
        return _back(report.id)
    url = (form.url.data or "").strip()
    with unit_of_work() as work:
        if not (form.file.data or url):
            raise DomainError(_("Choose a file or give a link."))
        if url:
            add_link(current_user, report, url)
        if form.file.data:
            add_file(current_user, report, form.file.data)
    if not work.failed:
        flash(_("Evidence added."), "success")
    return _back(report.id)


@bp.post("/evidence/<int:evidence_id>/delete")
@login_required
def delete_evidence(evidence_id: int) -> Response:
    evidence = get_evidence(evidence_id, current_user)
    report_id = evidence.report_id
    if not can_edit_report(current_user, evidence.report):
        abort(403)
    if not FlaskForm().validate_on_submit():
        flash(_("The form had expired; please try again."), "danger")
        return _back(report_id)
    with unit_of_work() as work:
        remove_evidence(current_user, evidence)
    if not work.failed:
        flash(_("Evidence removed."), "success")
    return _back(report_id)


@bp.get("/evidence/<int:evidence_id>")
@login_required
def download_evidence(evidence_id: int) -> Response:
    evidence = get_evidence(evidence_id, current_user)
    path = evidence_path(evidence)
    if path is None:
        abort(404)
    response = send_file(
        path,
        mimetype=evidence.content_type,
        as_attachment=True,
        download_name=evidence.filename or path.name,
        conditional=False,
        etag=False,
        max_age=0,
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
