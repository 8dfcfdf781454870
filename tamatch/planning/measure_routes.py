"""Pages for a measure: plan, read, edit, its history, outcomes, comments, ask for support."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tamatch.auth.permissions import role_required
from tamatch.extensions import db
from tamatch.forms import as_choices
from tamatch.models import Engagement, Measure, MeasureStatus, MeasureVisibility, Role
from tamatch.planning import bp
from tamatch.planning import measures as services
from tamatch.planning.forms import (
    CommentForm,
    ConfirmForm,
    MeasureForm,
    OutcomeChoiceForm,
    UpdateForm,
)
from tamatch.planning.history import history
from tamatch.planning.permissions import (
    can_comment_on_measure,
    can_edit_measure,
    can_see_plan_comment,
)
from tamatch.planning.queries import get_measure, own_clusters, own_institutions, plan_comments
from tamatch.recommendations.services import state_recommendations
from tamatch.request_args import int_arg
from tamatch.unit_of_work import unit_of_work


def _prepare(form: MeasureForm, state_id: int) -> None:
    form.cluster_id.choices = as_choices(
        [(0, _("No cluster"))] + [(c.id, c.title) for c in own_clusters(state_id)]
    )
    form.institution_ids.choices = as_choices(
        (i.id, i.name) for i in own_institutions(state_id, include_archived=True)
    )
    selected = [int(v) for v in request.form.getlist("recommendation_ids") if v.isdigit()]
    if not selected and form.recommendation_ids.data:
        selected = list(form.recommendation_ids.data)
    form.candidates = state_recommendations(state_id, form.rec_query.data, selected)
    form.recommendation_ids.choices = as_choices((r.id, r.reference) for r in form.candidates)


def _data(form: MeasureForm) -> services.MeasureData:
    return services.MeasureData(
        title=form.title.data or "",
        description=form.description.data or "",
        gap=form.gap.data or "",
        cluster_id=form.cluster_id.data or None,
        recommendation_ids=tuple(form.recommendation_ids.data or ()),
        institution_ids=tuple(form.institution_ids.data or ()),
        start_on=form.start_on.data,
        due_on=form.due_on.data,
        visibility=MeasureVisibility(form.visibility.data),
        text_locale=form.text_locale.data,
    )


@bp.route("/measures/new", methods=["GET", "POST"])
@role_required(Role.FOCAL_POINT)
def new_measure():
    form = MeasureForm()
    if request.method == "GET":
        form.cluster_id.data = int_arg("cluster") or 0
        rec = int_arg("recommendation")
        form.recommendation_ids.data = [rec] if rec else []
    _prepare(form, current_user.state_id)
    if form.search.data or not form.validate_on_submit():
        return render_template("planning/measure_form.html", form=form, measure=None)
    with unit_of_work(form) as work:
        measure = services.create_measure(current_user, _data(form))
    if work.failed:
        return render_template("planning/measure_form.html", form=form, measure=None)
    flash(_("Measure planned."), "success")
    return redirect(url_for("planning.measure", measure_id=measure.id))


@bp.get("/measures/<int:measure_id>")
def measure(measure_id: int):
    item = get_measure(measure_id, current_user)
    comments = [c for c in plan_comments(measure=item) if can_see_plan_comment(current_user, c)]
    return render_template(
        "planning/measure.html",
        measure=item,
        history=history(current_user, item),
        comments=comments,
        comment_form=CommentForm(),
        update_form=UpdateForm(),
        outcome_form=OutcomeChoiceForm(),
        confirm=ConfirmForm(),
    )


def _owned(measure_id: int) -> Measure:
    item = get_measure(measure_id, current_user)
    if not can_edit_measure(current_user, item):
        abort(403)
    return item


@bp.route("/measures/<int:measure_id>/edit", methods=["GET", "POST"])
@role_required(Role.FOCAL_POINT)
def edit_measure(measure_id: int):
    item = _owned(measure_id)
    form = MeasureForm(obj=item)
    if request.method == "GET":
        form.cluster_id.data = item.cluster_id or 0
        form.recommendation_ids.data = [r.id for r in item.recommendations]
        form.institution_ids.data = [i.id for i in item.institutions]
        form.visibility.data = item.visibility.value
    _prepare(form, item.state_id)
    if form.search.data or not form.validate_on_submit():
        return render_template("planning/measure_form.html", form=form, measure=item)
    with unit_of_work(form) as work:
        services.update_measure(current_user, item, _data(form))
    if work.failed:
        return render_template("planning/measure_form.html", form=form, measure=item)
    flash(_("Changes saved."), "success")
    return redirect(url_for("planning.measure", measure_id=item.id))


def _back(item: Measure):
    return redirect(url_for("planning.measure", measure_id=item.id))


def _invalid(item: Measure, message: str):
    """A form of the measure page that did not validate: say why on the page."""
    flash(message, "danger")
    return _back(item)


@bp.post("/measures/<int:measure_id>/updates")
@role_required(Role.FOCAL_POINT)
def add_update(measure_id: int):
    item = _owned(measure_id)
    form = UpdateForm()
    if not form.validate_on_submit():
        return _invalid(item, " ".join(e for errs in form.errors.values() for e in errs))
    status = MeasureStatus(form.status.data) if form.status.data else None
    with unit_of_work() as work:
        services.add_update(current_user, item, form.note.data or "", status)
    if not work.failed:
        flash(_("Added to the history."), "success")
    return _back(item)


@bp.post("/measures/<int:measure_id>/outcomes/<int:engagement_id>")
@role_required(Role.FOCAL_POINT)
def apply_outcome(measure_id: int, engagement_id: int):
    item = _owned(measure_id)
    engagement = db.session.get(Engagement, engagement_id) or abort(404)
    form = OutcomeChoiceForm()
    if not form.validate_on_submit():
        abort(400)
    with unit_of_work() as work:
        services.apply_outcome(current_user, item, engagement, MeasureStatus(form.status.data))
    if not work.failed:
        flash(_("The engagement's outcome is applied to the measure."), "success")
    return _back(item)


@bp.post("/measures/<int:measure_id>/delete")
@role_required(Role.FOCAL_POINT)
def delete_measure(measure_id: int):
    item = _owned(measure_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with unit_of_work() as work:
        services.delete_measure(current_user, item)
    if work.failed:
        return _back(item)
    flash(_("Measure deleted."), "success")
    return redirect(url_for("planning.measures"))


@bp.post("/measures/<int:measure_id>/comments")
@login_required
def comment_measure(measure_id: int):
    item = get_measure(measure_id, current_user)
    if not can_comment_on_measure(current_user, item):
        abort(403)
    form = CommentForm()
    if not form.validate_on_submit():
        return _invalid(item, _("Write a comment first."))
    indicator = None
    indicator_id = int_arg("indicator", source=request.form)
    if indicator_id:
        indicator = next((i for i in item.indicators if i.id == indicator_id), None)
        if indicator is None:
            abort(400)
    with unit_of_work() as work:
        services.add_comment(
            current_user, item, form.body.data, bool(form.organisers_only.data), indicator
        )
    if work.failed:
        return _back(item)
    flash(_("Comment posted."), "success")
    if indicator is not None:
        return redirect(url_for("planning.indicator", indicator_id=indicator.id))
    return _back(item)
