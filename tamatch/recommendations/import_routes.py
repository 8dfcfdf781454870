"""The import pages (organisers and admins): upload, preview and correct the columns, import.

Nothing is written before the person has seen the preview (the format found, how each column
is read, the first recommendations as they would be stored, every row checked) and confirmed
it. The file waits server-side between the two (tamatch.recommendations.import_store).
"""

from pathlib import Path

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tamatch.auth.permissions import STEWARD_ROLES, role_required
from tamatch.i18n.names import current_language, state_name_in
from tamatch.recommendations import bp, import_store
from tamatch.recommendations.forms import ImportForm, PreviewForm
from tamatch.recommendations.import_formats import FORMATS, REQUIRED
from tamatch.recommendations.import_labels import FIELD_LABELS, FORMAT_LABELS
from tamatch.recommendations.import_preview import ImportPreview, build_preview
from tamatch.recommendations.import_sniff import document_kind, document_message
from tamatch.recommendations.importing import import_recommendations
from tamatch.unit_of_work import unit_of_work

SHOWN_ERRORS = 200


def _max_mb() -> int:
    return (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024)


@bp.route("/import", methods=["GET", "POST"])
@role_required(*STEWARD_ROLES)
def import_page():
    """Upload an export: it is kept for its preview; a Word or PDF file is refused here."""
    form = ImportForm()
    status = 200
    if form.validate_on_submit():
        data = form.file.data.read()
        kind = document_kind(data)
        if kind is None:
            name = Path(form.file.data.filename or "upload").name
            token = import_store.put(
                current_user.id, name, data, form.fmt.data, form.language.data or ""
            )
            return redirect(url_for("recommendations.import_preview", token=token))
        form.file.errors.append(document_message(kind))
        status = 422
    return render_template("recommendations/import.html", form=form, max_mb=_max_mb()), status


@bp.route("/import/<token>", methods=["GET", "POST"])
@role_required(*STEWARD_ROLES)
def import_preview(token: str):
    """The preview of an uploaded file; the person corrects the columns, then imports it."""
    upload = import_store.get(current_user.id, token)
    if upload is None:  # unknown, another person's, expired, or imported already
        flash(_("This upload is no longer waiting (it expires after a while, and is forgotten "
                "once imported or cancelled): upload the file again."), "warning")  # fmt: skip
        return redirect(url_for("recommendations.import_page"))
    form = PreviewForm(data={"fmt": upload.fmt, "language": upload.language})
    if form.is_submitted() and form.cancel.data:
        import_store.discard(current_user.id, token)
        flash(_("The file was not imported."), "info")
        return redirect(url_for("recommendations.import_page"))
    submitted = form.validate_on_submit()
    mapping = _chosen_columns(upload, form, submitted)
    preview = _preview(upload, form, mapping)
    if not submitted:
        return _render_preview(form, preview, None), 200
    return _submitted(upload, form, preview, reread=mapping is None)


def _submitted(upload, form: PreviewForm, preview: ImportPreview, reread: bool):
    """Another preview with the columns chosen, or (Import) the import; a bad row or column
    writes nothing and the file waits with the choices for another try."""
    if reread:  # another format: its columns as its headers give them, for the person to check
        _remember(upload, form, preview)
        return _render_preview(form, preview, None), 200
    if not form.check_columns(preview.fmt):
        return _render_preview(form, preview, None), 422
    _remember(upload, form, preview)
    if not form.confirm.data:
        return _render_preview(form, preview, None), 200
    report = _import(upload, form, preview)
    if not report.ok:
        return _render_preview(form, preview, report), 422
    import_store.discard(current_user.id, upload.token)
    return _done(report)


def _chosen_columns(upload, form: PreviewForm, submitted: bool) -> dict[str, int] | None:
    """The columns the person chose (posted, or remembered from an earlier preview); None
    when they must be read from the headers again (first view, or the format was changed)."""
    if submitted:
        fmt = form.mapped_fmt.data
        return form.mapping(fmt) if fmt in FORMATS and form.fmt.data == upload.fmt else None
    return upload.mapping if upload.mapping is not None and upload.mapping_fmt else None


def _preview(upload, form: PreviewForm, mapping: dict[str, int] | None) -> ImportPreview:
    """Build the preview with the chosen (or found) columns, and show them in the form."""
    wanted = form.fmt.data if form.fmt.data in FORMATS else "auto"
    preview = build_preview(upload.name, upload.data, wanted, form.language.data or None, mapping)
    form.set_columns(preview.headers, preview.letters)
    form.mapped_fmt.data = preview.fmt
    if mapping is None or not form.is_submitted():  # show the columns the preview used
        for column in form.column_fields(preview.fmt):
            name = column.name.removeprefix("col_")
            column.data = str(preview.mapping[name]) if name in preview.mapping else ""
    return preview


def _remember(upload, form: PreviewForm, preview: ImportPreview) -> None:
    upload.fmt, upload.language = form.fmt.data, form.language.data or ""
    upload.mapping, upload.mapping_fmt = preview.mapping, preview.fmt
    import_store.save_choices(current_user.id, upload)


def _import(upload, form: PreviewForm, preview: ImportPreview):
    actor = current_user._get_current_object()
    with unit_of_work(form):  # a bad row writes nothing: the report says why
        return import_recommendations(
            [(upload.name, upload.data)],
            preview.fmt,
            actor,
            language=form.language.data or None,
            mapping=preview.mapping,
        )


def _done(report):
    form = ImportForm()
    return render_template(
        "recommendations/import.html",
        form=form,
        report=report,
        shown=SHOWN_ERRORS,
        max_mb=_max_mb(),
        FORMAT_LABELS=FORMAT_LABELS,
    )


def _render_preview(form: PreviewForm, preview: ImportPreview, report):
    return render_template(
        "recommendations/import_preview.html",
        form=form,
        preview=preview,
        report=report,
        shown=SHOWN_ERRORS,
        FIELD_LABELS=FIELD_LABELS,
        FORMAT_LABELS=FORMAT_LABELS,
        REQUIRED=REQUIRED,
        iso3_name=lambda code: state_name_in(code, current_language(), code),
    )
