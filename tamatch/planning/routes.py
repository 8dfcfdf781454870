"""The plan's dashboard, the recommendations tracker and the measures list (and its export)."""

from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tamatch.auth.permissions import role_required
from tamatch.errors import DomainError
from tamatch.forms import as_choices, cached_choices, state_choices
from tamatch.models import MeasureStatus, MeasureVisibility, Role
from tamatch.planning import bp, services
from tamatch.planning.dashboard import plan_summary
from tamatch.planning.forms import AssignForm
from tamatch.planning.queries import (
    MeasureFilters,
    TrackerFilters,
    get_cluster,
    get_institution,
    measures_query,
    mechanisms,
    own_clusters,
    own_institutions,
    tracker_query,
    tracker_rows,
)
from tamatch.request_args import enum_arg, int_arg, paginate, text_arg
from tamatch.unit_of_work import unit_of_work


@bp.context_processor
def _today() -> dict:
    return {"today": date.today()}


def per_page() -> int:
    return current_app.config["PER_PAGE"]


@bp.get("/")
@role_required(Role.FOCAL_POINT)
def dashboard():
    return render_template("planning/dashboard.html", plan=plan_summary(current_user.state_id))


def _tracker_filters() -> TrackerFilters:
    return TrackerFilters(
        q=text_arg("q"),
        mechanism_id=int_arg("mechanism"),
        cycle=int_arg("cycle"),
        institution_id=int_arg("institution"),
        cluster_id=int_arg("cluster"),
        unclustered=request.args.get("unclustered") == "1",
        unassigned=request.args.get("unassigned") == "1",
        without_measure=request.args.get("without_measure") == "1",
    )


def _assign_form(state_id: int) -> AssignForm:
    form = AssignForm()
    form.institution_id.choices = as_choices(
        [(0, _("Choose an institution"))] + [(i.id, i.name) for i in own_institutions(state_id)]
    )
    form.cluster_id.choices = as_choices(
        [(0, _("Choose a cluster"))] + [(c.id, c.title) for c in own_clusters(state_id)]
    )
    return form


@bp.get("/recommendations")
@role_required(Role.FOCAL_POINT)
def tracker():
    state_id = current_user.state_id
    filters = _tracker_filters()
    page = paginate(tracker_query(state_id, filters), per_page=per_page() * 5, max_per_page=200)
    form = _assign_form(state_id)
    form.recommendation_ids.choices = as_choices((r.id, r.reference) for r in page.items)
    codes = cached_choices("Mechanism:codes", lambda: [(m.id, m.code) for m in mechanisms()])
    return render_template(
        "planning/tracker.html",
        page=page,
        rows=tracker_rows(state_id, [r.id for r in page.items]),
        filters=filters,
        form=form,
        mechanisms=codes,
        institution_choices=_institution_choices(state_id),
        cluster_choices=_cluster_choices(state_id),
    )


def _institution_choices(state_id: int | None) -> list[tuple[int, str]]:
    if not state_id:
        return []
    return [(i.id, i.name) for i in own_institutions(state_id, include_archived=True)]


def _cluster_choices(state_id: int | None) -> list[tuple[int, str]]:
    return [(c.id, c.title) for c in own_clusters(state_id)] if state_id else []


@bp.post("/recommendations/assign")
@role_required(Role.FOCAL_POINT)
def assign():
    form = _assign_form(current_user.state_id)
    ids = [int(v) for v in request.form.getlist("recommendation_ids") if v.isdigit()]
    back = request.form.get("next") or ""
    target = back if back.startswith("/planning/recommendations") else url_for("planning.tracker")
    if not form.validate_on_submit() or not ids:
        flash(_("Tick at least one recommendation and choose an action."), "danger")
        return redirect(target)
    with unit_of_work() as work:
        count = _apply_assignment(form, ids)
    if not work.failed:
        flash(_("%(n)s recommendations changed.", n=count), "success")
    return redirect(target)


def _apply_assignment(form: AssignForm, ids: list[int]) -> int:
    if form.action.data == "cluster":
        if not form.cluster_id.data:
            raise DomainError(_("Choose the cluster."))
        cluster = get_cluster(form.cluster_id.data, current_user)
        return services.add_to_cluster(current_user, cluster, ids)
    if not form.institution_id.data:
        raise DomainError(_("Choose the institution."))
    institution = get_institution(form.institution_id.data, current_user)
    return services.assign_institution(
        current_user, institution, ids, assign=form.action.data == "assign"
    )


# --- measures list --------------------------------------------------------------------------


def measure_filters() -> MeasureFilters:
    state_id = int_arg("state")
    if state_id is None and request.args.get("state") is None and current_user.is_authenticated:
        state_id = current_user.state_id  # a focal point starts from their own State
    return MeasureFilters(
        q=text_arg("q"),
        state_id=state_id,
        institution_id=int_arg("institution"),
        cluster_id=int_arg("cluster"),
        status=enum_arg("status", MeasureStatus),
        visibility=enum_arg("visibility", MeasureVisibility),
        overdue=request.args.get("overdue") == "1",
    )


@bp.get("/measures")
def measures():
    filters = measure_filters()
    page = paginate(measures_query(current_user, filters), per_page=per_page())
    own = current_user.is_authenticated and current_user.role == Role.FOCAL_POINT
    state_id = current_user.state_id if own else None
    return render_template(
        "planning/measures.html",
        page=page,
        filters=filters,
        states=state_choices(),
        institution_choices=_institution_choices(state_id),
        cluster_choices=_cluster_choices(state_id),
    )


@bp.get("/measures/export.<fmt>")
def export_measures(fmt: str):
    """The measures the user may see, as filtered on screen, as CSV or XLSX."""
    from tamatch.exports import export_response
    from tamatch.list_exports import audit_list_export
    from tamatch.planning.reports import measures_frame

    if fmt not in ("csv", "xlsx"):
        abort(404)
    frame = measures_frame(current_user, measure_filters())
    with unit_of_work(reraise=True):
        audit_list_export(current_user, "measures", fmt, len(frame))
    return export_response(frame, "measures", fmt)
