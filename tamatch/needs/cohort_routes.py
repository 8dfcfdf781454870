"""Pages of a joint need's cohort: the lead invites and removes States, each member answers."""

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from tamatch.auth.permissions import can_answer_for_cohort, can_lead_cohort, role_required
from tamatch.extensions import db
from tamatch.forms import as_choices, state_choices
from tamatch.models import CohortMember, Need, Role, State
from tamatch.needs import bp
from tamatch.needs import cohort as services
from tamatch.needs.forms import CohortAnswerForm, CohortInviteForm
from tamatch.needs.queries import get_need
from tamatch.unit_of_work import unit_of_work


def cohort_forms(need: Need) -> dict:
    """The forms the need page shows for its cohort (the template decides who sees which)."""
    taken = {need.state_id, *(m.state_id for m in need.cohort.members)} if need.cohort else set()
    invite = CohortInviteForm()
    invite.state_id.choices = as_choices(
        [(0, _("Choose a State"))] + [(i, name) for i, name in state_choices() if i not in taken]
    )
    return {"invite_form": invite, "answer_form": CohortAnswerForm()}


def _back(need: Need):
    return redirect(url_for("needs.detail", need_id=need.id))


@bp.post("/<int:need_id>/cohort/invite")
@role_required(Role.FOCAL_POINT)
def invite_to_cohort(need_id: int):
    need = get_need(need_id, current_user)
    if not can_lead_cohort(current_user, need):
        abort(403)
    form = cohort_forms(need)["invite_form"]
    if not form.validate_on_submit() or not form.state_id.data:
        flash(_("Choose the State to invite."), "danger")
        return _back(need)
    state = db.session.get(State, form.state_id.data) or abort(400)
    with unit_of_work() as work:
        services.invite_state(current_user, need, state)
    if not work.failed:
        flash(_("%(state)s is invited; its focal points are told.", state=state.name), "success")
    return _back(need)


@bp.post("/<int:need_id>/cohort/<int:member_id>/remove")
@role_required(Role.FOCAL_POINT)
def remove_from_cohort(need_id: int, member_id: int):
    need = get_need(need_id, current_user)
    member = db.session.get(CohortMember, member_id)
    if member is None or member.cohort.need_id != need.id:
        abort(404)
    if not can_lead_cohort(current_user, need):
        abort(403)
    if not FlaskForm().validate_on_submit():  # the CSRF token only
        abort(400)
    name = member.state.name
    with unit_of_work() as work:
        services.remove_member(current_user, need, member)
    if not work.failed:
        flash(_("%(state)s is no longer part of this need.", state=name), "success")
    return _back(need)


@bp.post("/<int:need_id>/cohort/answer")
@role_required(Role.FOCAL_POINT)
def answer_for_cohort(need_id: int):
    need = get_need(need_id, current_user)
    if not can_answer_for_cohort(current_user, need):
        abort(403)
    form = CohortAnswerForm()
    if not form.validate_on_submit() or not (form.consent.data or form.decline.data):
        abort(400)
    consent = bool(form.consent.data)
    with unit_of_work() as work:
        services.answer(current_user, need, consent)
    if not work.failed:
        flash(
            _("Your State consents to this need opening.")
            if consent
            else _("Your State declines; the need cannot open with it."),
            "success",
        )
    return _back(need)
