"""Pages for a State's institutions: list and add, detail, edit, archive, delete."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tamatch.auth.permissions import role_required
from tamatch.extensions import db
from tamatch.models import InstitutionKind, Role
from tamatch.planning import bp, services
from tamatch.planning.forms import ConfirmForm, InstitutionForm
from tamatch.planning.permissions import can_edit_institution
from tamatch.planning.queries import (
    MeasureFilters,
    get_institution,
    institutions_query,
    measures_query,
)
from tamatch.unit_of_work import unit_of_work


def _data(form: InstitutionForm) -> services.InstitutionData:
    return services.InstitutionData(
        name=form.name.data or "",
        kind=InstitutionKind(form.kind.data),
        contact_role=form.contact_role.data or "",
    )


def _list(form: InstitutionForm, status: int = 200):
    rows = db.session.scalars(institutions_query(current_user, current_user.state_id)).all()
    return render_template(
        "planning/institutions.html", institutions=rows, form=form, confirm=ConfirmForm()
    ), status


@bp.route("/institutions", methods=["GET", "POST"])
@role_required(Role.FOCAL_POINT)
def institutions():
    form = InstitutionForm()
    if not form.validate_on_submit():
        return _list(form, 200)
    with unit_of_work(form) as work:
        institution = services.create_institution(current_user, _data(form))
    if work.failed:
        return _list(form, 200)
    flash(_("Institution added: %(name)s.", name=institution.name), "success")
    return redirect(url_for("planning.institutions"))


@bp.get("/institutions/<int:institution_id>")
def institution(institution_id: int):
    item = get_institution(institution_id, current_user)
    measures = db.session.scalars(
        measures_query(current_user, MeasureFilters(institution_id=item.id))
    ).all()
    own = can_edit_institution(current_user, item)
    return render_template(
        "planning/institution.html",
        institution=item,
        measures=measures,
        recommendations=item.recommendations if own else [],
        confirm=ConfirmForm(),
    )


def _owned(institution_id: int):
    item = get_institution(institution_id, current_user)
    if not can_edit_institution(current_user, item):
        abort(403)
    return item


@bp.route("/institutions/<int:institution_id>/edit", methods=["GET", "POST"])
@role_required(Role.FOCAL_POINT)
def edit_institution(institution_id: int):
    item = _owned(institution_id)
    form = InstitutionForm(obj=item)
    if request.method == "GET":
        form.kind.data = item.kind.value
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            services.update_institution(current_user, item, _data(form))
        if not work.failed:
            flash(_("Changes saved."), "success")
            return redirect(url_for("planning.institution", institution_id=item.id))
    return render_template("planning/institution_form.html", form=form, institution=item)


@bp.post("/institutions/<int:institution_id>/archive")
@role_required(Role.FOCAL_POINT)
def archive_institution(institution_id: int):
    item = _owned(institution_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    archived = request.form.get("archived") == "1"
    with unit_of_work() as work:
        services.set_institution_archived(current_user, item, archived)
    if not work.failed:
        flash(_("Archived: no longer offered in forms.") if archived else _("Restored."), "success")
    return redirect(url_for("planning.institutions"))


@bp.post("/institutions/<int:institution_id>/delete")
@role_required(Role.FOCAL_POINT)
def delete_institution(institution_id: int):
    item = _owned(institution_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with unit_of_work() as work:
        services.delete_institution(current_user, item)
    if work.failed:
        return redirect(url_for("planning.institution", institution_id=item.id))
    flash(_("Institution deleted."), "success")
    return redirect(url_for("planning.institutions"))
