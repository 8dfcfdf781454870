"""The organiser's consent tracking of a published run: every answer, counts, reminders."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tamatch.auth.permissions import role_required
from tamatch.extensions import db
from tamatch.models import ProposalStatus, Role, SolveRun
from tamatch.request_args import enum_arg, paginate
from tamatch.rounds import bp, queries
from tamatch.rounds.chasing import remind_unanswered, reminded_today
from tamatch.rounds.forms import ActionForm
from tamatch.rounds.lapses import LAPSE_REASON_LABELS
from tamatch.rounds.tracking_queries import (
    Waiting,
    tracking_query,
    unanswered_counts,
    unused_offers,
)
from tamatch.unit_of_work import unit_of_work


def _published_run(run_id: int) -> SolveRun:
    run = db.session.get(SolveRun, run_id) or abort(404)
    if run.published_at is None:
        abort(404)
    return run


@bp.get("/runs/<int:run_id>/consent")
@role_required(Role.ORGANISER)
def consent(run_id: int):
    run = _published_run(run_id)
    status = enum_arg("answer", ProposalStatus)
    waiting = enum_arg("waiting", Waiting)
    return render_template(
        "rounds/consent.html",
        run=run,
        page=paginate(tracking_query(run, status, waiting)),
        status=status,
        waiting=waiting,
        counts=queries.answer_counts(run),
        unanswered=unanswered_counts(run),
        unused=unused_offers(run),
        reminded=reminded_today(run),
        lapse_labels=LAPSE_REASON_LABELS,
        action=ActionForm(),
    )


@bp.post("/runs/<int:run_id>/remind")
@role_required(Role.ORGANISER)
def remind(run_id: int):
    run = _published_run(run_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    with unit_of_work() as work:
        sent = remind_unanswered(current_user, run)
    if not work.failed:
        flash(
            _(
                "Reminders sent to %(people)d people about %(n)d proposals.",
                people=sent["people"],
                n=sent["proposals"],
            ),
            "success",
        )
    return redirect(url_for("rounds.consent", run_id=run_id))
