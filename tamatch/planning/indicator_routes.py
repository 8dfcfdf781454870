"""Pages for a measure's indicators: define, read with values and comments, edit, record."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tamatch.auth.permissions import role_required
from tamatch.models import Indicator, Role
from tamatch.planning import bp
from tamatch.planning import measures as services
from tamatch.planning.forms import CommentForm, ConfirmForm, IndicatorForm, ValueForm
from tamatch.planning.permissions import can_edit_measure, can_see_plan_comment
from tamatch.planning.queries import get_indicator, get_measure, get_value, plan_comments
from tamatch.unit_of_work import unit_of_work


def _data(form: IndicatorForm) -> services.IndicatorData:
    return services.IndicatorData(
        definition=form.definition.data or "",
        unit=form.unit.data or "",
        baseline_value=form.baseline_value.data,
        baseline_year=form.baseline_year.data,
        target_value=form.target_value.data,
        target_year=form.target_year.data,
        source=form.source.data or "",
        review_months=form.review_months.data or 12,
    )


@bp.route("/measures/<int:measure_id>/indicators/new", methods=["GET", "POST"])
@role_required(Role.FOCAL_POINT)
def new_indicator(measure_id: int):
    measure = get_measure(measure_id, current_user)
    if not can_edit_measure(current_user, measure):
        abort(403)
    form = IndicatorForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            indicator = services.create_indicator(current_user, measure, _data(form))
        if not work.failed:
            flash(_("Indicator defined."), "success")
            return redirect(url_for("planning.indicator", indicator_id=indicator.id))
    return render_template(
        "planning/indicator_form.html", form=form, measure=measure, indicator=None
    )


def _page(item: Indicator, value_form: ValueForm):
    comments = plan_comments(indicator=item)
    return render_template(
        "planning/indicator.html",
        indicator=item,
        measure=item.measure,
        value_form=value_form,
        comment_form=CommentForm(),
        comments=[c for c in comments if can_see_plan_comment(current_user, c)],
        confirm=ConfirmForm(),
    )


@bp.get("/indicators/<int:indicator_id>")
def indicator(indicator_id: int):
    return _page(get_indicator(indicator_id, current_user), ValueForm())


def _owned(indicator_id: int) -> Indicator:
    item = get_indicator(indicator_id, current_user)
    if not can_edit_measure(current_user, item.measure):
        abort(403)
    return item


@bp.route("/indicators/<int:indicator_id>/edit", methods=["GET", "POST"])
@role_required(Role.FOCAL_POINT)
def edit_indicator(indicator_id: int):
    item = _owned(indicator_id)
    form = IndicatorForm(obj=item)
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            services.update_indicator(current_user, item, _data(form))
        if not work.failed:
            flash(_("Changes saved."), "success")
            return redirect(url_for("planning.indicator", indicator_id=item.id))
    return render_template(
        "planning/indicator_form.html", form=form, measure=item.measure, indicator=item
    )


@bp.post("/indicators/<int:indicator_id>/values")
@role_required(Role.FOCAL_POINT)
def record_value(indicator_id: int):
    item = _owned(indicator_id)
    form = ValueForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            _row, created = services.record_value(
                current_user, item, form.observed_on.data, form.value.data, form.note.data or ""
            )
        if not work.failed:
            flash(
                _("Value recorded.") if created else _("The value of that day is replaced."),
                "success",
            )
            return redirect(url_for("planning.indicator", indicator_id=item.id))
    return _page(item, form)


@bp.post("/values/<int:value_id>/delete")
@role_required(Role.FOCAL_POINT)
def delete_value(value_id: int):
    value = get_value(value_id, current_user)
    indicator_id = value.indicator_id
    if not can_edit_measure(current_user, value.indicator.measure):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with unit_of_work() as work:
        services.delete_value(current_user, value)
    if not work.failed:
        flash(_("Value deleted."), "success")
    return redirect(url_for("planning.indicator", indicator_id=indicator_id))


@bp.post("/indicators/<int:indicator_id>/delete")
@role_required(Role.FOCAL_POINT)
def delete_indicator(indicator_id: int):
    item = _owned(indicator_id)
    measure_id = item.measure_id
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with unit_of_work() as work:
        services.delete_indicator(current_user, item)
    if work.failed:
        return redirect(url_for("planning.indicator", indicator_id=item.id))
    flash(_("Indicator deleted."), "success")
    return redirect(url_for("planning.measure", measure_id=measure_id))
