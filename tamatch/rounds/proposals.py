"""Consent pages: what waits for a focal point or a partner, and their answer."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tamatch.auth.permissions import ROUND_ROLES, SIDE_ROLES, can_see_need, role_required, side_of
from tamatch.extensions import db
from tamatch.models import Proposal
from tamatch.request_args import paginate
from tamatch.rounds import bp, queries
from tamatch.rounds.consent import decide_and_commit
from tamatch.rounds.forms import DecisionForm
from tamatch.rounds.notify import tell_about_decision
from tamatch.rounds.permissions import can_see_proposal
from tamatch.unit_of_work import unit_of_work


@bp.get("/proposals")
@role_required(*SIDE_ROLES)
def proposals():
    page = paginate(queries.waiting_proposals_first(current_user))
    return render_template("rounds/proposals.html", page=page, can_see_need=can_see_need)


@bp.route("/proposals/<int:proposal_id>", methods=["GET", "POST"])
@role_required(*ROUND_ROLES)
def proposal(proposal_id: int):
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or not can_see_proposal(current_user, proposal):
        abort(404)  # unpublished proposals stay with the organisers
    side = side_of(current_user, proposal.need, proposal.offer)
    form = DecisionForm()
    if side is not None and form.validate_on_submit():
        accept = form.decision.data == "accept"
        with unit_of_work(form) as work:
            proposal, result = decide_and_commit(
                current_user, proposal.id, accept, form.reason.data or ""
            )
            tell_about_decision(proposal, side, result)
        if not work.failed:
            flash(_("Your answer is recorded."), "success")
            return redirect(url_for("rounds.proposal", proposal_id=proposal.id))
    return render_template(
        "rounds/proposal.html",
        proposal=proposal,
        side=side,
        form=form,
        need_visible=can_see_need(current_user, proposal.need),
    )
