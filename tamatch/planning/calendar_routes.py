"""Pages of the mechanism calendar, 'what is due', and the secret iCalendar feed."""

from flask import Response, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tamatch.auth.permissions import role_required
from tamatch.extensions import csrf, db
from tamatch.forms import as_choices, cached_choices
from tamatch.i18n.names import term_name
from tamatch.models import Deadline, DeadlineKind, Role
from tamatch.planning import bp
from tamatch.planning import calendar as services
from tamatch.planning.forms import ConfirmForm, DeadlineForm
from tamatch.planning.queries import get_own, mechanisms
from tamatch.recommendations.services import state_recommendations
from tamatch.unit_of_work import unit_of_work


def _prepare(form: DeadlineForm, state_id: int) -> None:
    names = cached_choices(
        "Mechanism:names", lambda: [(m.id, m.code, m.name) for m in mechanisms()]
    )
    choices = [(key, f"{code}: {term_name(name)}") for key, code, name in names]
    form.mechanism_id.choices = as_choices([(0, _("Not a particular mechanism")), *choices])
    selected = [int(v) for v in request.form.getlist("recommendation_ids") if v.isdigit()]
    if not selected and form.recommendation_ids.data:
        selected = list(form.recommendation_ids.data)
    form.candidates = state_recommendations(state_id, form.rec_query.data, selected, limit=15)
    form.recommendation_ids.choices = as_choices((r.id, r.reference) for r in form.candidates)


def _data(form: DeadlineForm) -> services.DeadlineData:
    return services.DeadlineData(
        kind=DeadlineKind(form.kind.data),
        title=form.title.data or "",
        due_on=form.due_on.data,
        mechanism_id=form.mechanism_id.data or None,
        notes=form.notes.data or "",
        recommendation_ids=tuple(form.recommendation_ids.data or ()),
    )


def _calendar_page(form: DeadlineForm):
    state_id = current_user.state_id
    return render_template(
        "planning/calendar.html",
        form=form,
        upcoming=db.session.scalars(services.state_deadlines(state_id)).all(),
        past=db.session.scalars(services.state_deadlines(state_id, past=True).limit(20)).all(),
        confirm=ConfirmForm(),
    )


@bp.route("/calendar", methods=["GET", "POST"])
@role_required(Role.FOCAL_POINT)
def calendar():
    form = DeadlineForm()
    _prepare(form, current_user.state_id)
    if form.search.data or not form.validate_on_submit():
        return _calendar_page(form)
    with unit_of_work(form) as work:
        added = services.create_deadline(current_user, _data(form), bool(form.add_midterm.data))
    if work.failed:
        return _calendar_page(form)
    flash(_("%(n)s dates added to the calendar.", n=len(added)), "success")
    return redirect(url_for("planning.calendar"))


@bp.route("/calendar/<int:deadline_id>/edit", methods=["GET", "POST"])
@role_required(Role.FOCAL_POINT)
def edit_deadline(deadline_id: int):
    deadline = get_own(Deadline, deadline_id, current_user)
    form = DeadlineForm(obj=deadline)
    if request.method == "GET":
        form.kind.data = deadline.kind.value
        form.mechanism_id.data = deadline.mechanism_id or 0
        form.recommendation_ids.data = [r.id for r in deadline.recommendations]
    _prepare(form, deadline.state_id)
    if not form.search.data and form.validate_on_submit():
        with unit_of_work(form) as work:
            services.update_deadline(current_user, deadline, _data(form))
        if not work.failed:
            flash(_("Changes saved."), "success")
            return redirect(url_for("planning.calendar"))
    return render_template("planning/deadline_form.html", form=form, deadline=deadline)


@bp.post("/calendar/<int:deadline_id>/delete")
@role_required(Role.FOCAL_POINT)
def delete_deadline(deadline_id: int):
    deadline = get_own(Deadline, deadline_id, current_user)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with unit_of_work() as work:
        services.delete_deadline(current_user, deadline)
    if not work.failed:
        flash(_("Date deleted."), "success")
    return redirect(url_for("planning.calendar"))


# --- what is due, and the feed -------------------------------------------------------------


def _due_page(feed_url: str | None = None):
    response = make_response(
        render_template(
            "planning/due.html",
            entries=services.what_is_due(current_user),
            feed=services.feed_of(current_user),
            feed_url=feed_url,
            confirm=ConfirmForm(),
        )
    )
    response.headers["Cache-Control"] = "no-store"  # the feed address must not linger
    return response


@bp.get("/due")
@role_required(Role.FOCAL_POINT, Role.PARTNER)
def due():
    return _due_page()


@bp.post("/due/feed")
@role_required(Role.FOCAL_POINT, Role.PARTNER)
def issue_feed():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with unit_of_work() as work:
        raw = services.issue_feed(current_user)
    if work.failed:
        return redirect(url_for("planning.due"))
    # Shown on this response only: the database keeps its hash.
    return _due_page(url_for("planning.feed", token=raw, _external=True))


@bp.post("/due/feed/revoke")
@role_required(Role.FOCAL_POINT, Role.PARTNER)
def revoke_feed():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with unit_of_work() as work:
        revoked = services.revoke_feed(current_user)
    if revoked and not work.failed:
        flash(
            _("The calendar address is revoked; calendar apps get nothing from it now."), "success"
        )
    return redirect(url_for("planning.due"))


@bp.get("/feed/<token>.ics")
@csrf.exempt
def feed(token: str):
    """The feed itself: the secret in the address is the only credential."""
    with unit_of_work(reraise=True):  # a read, but it stamps the feed's last_used_at
        user = services.feed_user(token)
    if user is None:
        abort(404)
    body = services.icalendar_bytes(user, request.host_url)
    response = Response(body, mimetype="text/calendar")
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Disposition"] = 'inline; filename="tamatch.ics"'
    return response
