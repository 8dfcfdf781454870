"""Pages for needs: list, detail, post, edit and lifecycle moves."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tamatch.audit import record
from tamatch.auth.permissions import (
    can_change_need_status,
    can_count_interest,
    can_edit_need,
    can_name_interested,
    can_post_need,
    can_save_search,
    can_show_interest,
    role_required,
)
from tamatch.exports import export_response
from tamatch.forms import (
    as_choices,
    load_reference_choices,
    state_choices,
    term_choices,
)
from tamatch.interests.forms import ActionForm, SaveSearchForm
from tamatch.interests.queries import (
    interested_partners_count,
    need_interests,
    own_interests,
    own_levels,
)
from tamatch.interests.routes import interest_form
from tamatch.list_exports import audit_list_export, needs_frame
from tamatch.models import NeedStatus, Role, SupportKind, Theme, Visibility
from tamatch.needs import bp
from tamatch.needs.cohort_routes import cohort_forms
from tamatch.needs.forms import NeedForm, NeedStatusForm
from tamatch.needs.queries import NeedFilters, get_need, needs_query
from tamatch.needs.services import (
    MANUAL_TRANSITIONS,
    NeedData,
    create_need,
    transition_need,
    update_need,
)
from tamatch.planning import support as plan_support
from tamatch.recommendations.related import related_to_selection
from tamatch.recommendations.services import (
    state_recommendations,
    state_recommendations_total,
)
from tamatch.request_args import enum_arg, paginate
from tamatch.unit_of_work import unit_of_work


def _filters() -> NeedFilters:
    return NeedFilters.from_args(request.args)


@bp.get("/export.<fmt>")
def export(fmt: str):
    """The needs the user may see, as filtered on screen, as CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        abort(404)
    frame = needs_frame(current_user, _filters())
    with unit_of_work(reraise=True):
        audit_list_export(current_user, "needs", fmt, len(frame))
    return export_response(frame, "needs", fmt)


@bp.get("/")
def index():
    filters = _filters()
    page = paginate(needs_query(current_user, filters))
    partner = can_save_search(current_user)
    return render_template(
        "needs/index.html",
        page=page,
        filters=filters,
        save_form=SaveSearchForm(formdata=None) if partner else None,
        interest_form=ActionForm(formdata=None) if partner else None,
        levels=own_levels(current_user, [n.id for n in page.items]) if partner else {},
        states=state_choices(),
        themes=term_choices(Theme),
        kinds=term_choices(SupportKind),
        statuses=list(NeedStatus),
    )


@bp.get("/<int:need_id>")
def detail(need_id: int):
    need = get_need(need_id, current_user)
    if need.visibility == Visibility.CONFIDENTIAL:
        with unit_of_work(reraise=True):
            record(current_user, "need.view_confidential", need)
    moves = (
        sorted(MANUAL_TRANSITIONS[need.status])
        if can_change_need_status(current_user, need)
        else []
    )
    return render_template(
        "needs/detail.html",
        need=need,
        moves=moves,
        status_form=NeedStatusForm(),
        **cohort_forms(need),
        **interest_panel(need),
    )


def interest_panel(need) -> dict:
    """What the need's page shows of partners' interest, for the reader (permissions.py)."""
    panel = {"interest_count": None, "interested": [], "interest_form": None, "own_interests": []}
    if can_count_interest(current_user, need):
        panel["interest_count"] = interested_partners_count(need)
    if can_name_interested(current_user):
        panel["interested"] = need_interests(need)
    if can_show_interest(current_user, need):
        panel["interest_form"] = interest_form(need.id)
        panel["own_interests"] = own_interests(current_user, need)
    return panel


def _need_data(form: NeedForm) -> NeedData:
    return NeedData(
        title=form.title.data,
        gap=form.gap.data,
        recommendation_ids=tuple(form.recommendation_ids.data or ()),
        theme_ids=tuple(form.theme_ids.data),
        support_kind_ids=tuple(form.support_kind_ids.data),
        language_ids=tuple(form.language_ids.data),
        cost_min=form.cost_min.data,
        cost_max=form.cost_max.data,
        window_start=form.window_start.data,
        window_end=form.window_end.data,
        priority=form.priority.data,
        visibility=form.visibility.data,
        institution_ids=tuple(form.institution_ids.data or ()),
        measure_ids=plan_support.measure_ids(form),
        text_locale=form.text_locale.data,
    )


def _prepare(form: NeedForm, state_id: int) -> None:
    load_reference_choices(form)
    plan_support.institution_choices(form, state_id)
    selected = [int(v) for v in request.form.getlist("recommendation_ids") if v.isdigit()]
    if not selected and form.recommendation_ids.data:
        selected = list(form.recommendation_ids.data)
    candidates = state_recommendations(state_id, form.rec_query.data, selected)
    form.shown_others = len(candidates) - len([r for r in candidates if r.id in set(selected)])
    form.matching_others = state_recommendations_total(state_id, form.rec_query.data, selected)
    ticked = set(selected)
    related = related_to_selection(state_id, selected) if selected else []
    form.related_ids = {r.id for r in related}
    form.candidates = (
        [r for r in candidates if r.id in ticked]
        + related
        + [r for r in candidates if r.id not in ticked and r.id not in form.related_ids]
    )
    form.recommendation_ids.choices = as_choices((r.id, r.reference) for r in form.candidates)
    if not form.candidates:  # nothing to tick yet: the summary links to the search box
        form.recommendation_ids.summary_anchor = form.rec_query.id


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.FOCAL_POINT)
def new():
    if not can_post_need(current_user):
        abort(403)
    form = NeedForm()
    measure = plan_support.own_measure(current_user, request.args.get("measure"))
    if request.method == "GET" and measure is not None:
        plan_support.prefill(form, measure)  # "ask for support" on a measure of the plan
    _prepare(form, current_user.state_id)
    if not form.search.data and form.validate_on_submit():
        with unit_of_work(form) as work:
            need = create_need(current_user, _need_data(form), publish=bool(form.publish.data))
        if not work.failed:
            published = need.status == NeedStatus.OPEN
            flash(_("Need published.") if published else _("Draft saved."), "success")
            return redirect(url_for("needs.detail", need_id=need.id))
    return render_template("needs/form.html", form=form, need=None)


@bp.route("/<int:need_id>/edit", methods=["GET", "POST"])
@login_required
def edit(need_id: int):
    need = get_need(need_id, current_user)
    if not can_edit_need(current_user, need):
        abort(403)
    form = NeedForm(obj=need)
    if request.method == "GET":
        form.recommendation_ids.data = [r.id for r in need.recommendations]
        form.theme_ids.data = [t.id for t in need.themes]
        form.support_kind_ids.data = [k.id for k in need.support_kinds]
        form.language_ids.data = [lang.id for lang in need.languages]
        form.institution_ids.data = [i.id for i in need.institutions]
        form.visibility.data = need.visibility.value
    _prepare(form, need.state_id)
    if not form.search.data and form.validate_on_submit():
        with unit_of_work(form) as work:
            update_need(current_user, need, _need_data(form))
        if not work.failed:
            flash(_("Changes saved."), "success")
            return redirect(url_for("needs.detail", need_id=need.id))
    return render_template("needs/form.html", form=form, need=need)


@bp.post("/<int:need_id>/status")
@login_required
def change_status(need_id: int):
    need = get_need(need_id, current_user)
    if not can_change_need_status(current_user, need):
        abort(403)
    form = NeedStatusForm()
    if not form.validate_on_submit():
        abort(400)
    target = enum_arg("target", NeedStatus, source=request.form)
    if target is None:
        abort(400)
    with unit_of_work() as work:
        transition_need(current_user, need, target)
    if not work.failed:
        status = _(target.value.replace("_", " "))
        flash(_("The need is now %(status)s.", status=status), "success")
    return redirect(url_for("needs.detail", need_id=need.id))
