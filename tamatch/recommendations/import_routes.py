"""The upload page for recommendation imports (organisers and admins)."""

from pathlib import Path

from flask import current_app, render_template
from flask_login import current_user

from tamatch.auth.permissions import STEWARD_ROLES, role_required
from tamatch.recommendations import bp
from tamatch.recommendations.forms import ImportForm
from tamatch.recommendations.importing import import_recommendations
from tamatch.unit_of_work import unit_of_work

SHOWN_ERRORS = 200


@bp.route("/import", methods=["GET", "POST"])
@role_required(*STEWARD_ROLES)
def import_page():
    """Upload an export; every row is checked first and nothing is written if one is bad."""
    form = ImportForm()
    report, status = None, 200
    if form.validate_on_submit():
        upload = form.file.data
        name = Path(upload.filename or "upload").name
        actor = current_user._get_current_object()
        with unit_of_work(form):  # a bad row writes nothing: the report says why
            report = import_recommendations(
                [(name, upload.read())], form.fmt.data, actor, language=form.language.data or None
            )
        status = 200 if report.ok else 422
    max_mb = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024)
    return render_template(
        "recommendations/import.html",
        form=form,
        report=report,
        shown=SHOWN_ERRORS,
        max_mb=max_mb,
    ), status
