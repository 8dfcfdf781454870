"""Consent pages: what waits for a focal point or a partner, and their answer."""

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from tamatch.auth.permissions import can_see_need, role_required
from tamatch.errors import DomainError
from tamatch.extensions import db
from tamatch.forms import show_domain_error
from tamatch.models import Need, Offer, Proposal, ProposalStatus, Role
from tamatch.rounds import bp
from tamatch.rounds.consent import decide_and_commit, side_of
from tamatch.rounds.forms import DecisionForm
from tamatch.rounds.notify import tell_about_decision


def _mine() -> sa.Select:
    stmt = (
        sa.select(Proposal)
        .where(Proposal.status != ProposalStatus.DRAFT)
        .options(selectinload(Proposal.need), selectinload(Proposal.offer))
    )
    if current_user.role == Role.FOCAL_POINT:
        return stmt.join(Need, Need.id == Proposal.need_id).where(
            Need.state_id == current_user.state_id
        )
    return stmt.join(Offer, Offer.id == Proposal.offer_id).where(
        Offer.organisation_id == current_user.organisation_id
    )


@bp.get("/proposals")
@role_required(Role.FOCAL_POINT, Role.PARTNER)
def proposals():
    pending_first = sa.case((Proposal.status == ProposalStatus.PENDING, 0), else_=1)
    page = db.paginate(
        _mine().order_by(pending_first, Proposal.id.desc()),
        per_page=current_app.config["PER_PAGE"],
        max_per_page=100,
    )
    return render_template("rounds/proposals.html", page=page, can_see_need=can_see_need)


@bp.route("/proposals/<int:proposal_id>", methods=["GET", "POST"])
@role_required(Role.FOCAL_POINT, Role.PARTNER, Role.ORGANISER)
def proposal(proposal_id: int):
    proposal = db.session.get(Proposal, proposal_id)
    side = side_of(current_user, proposal) if proposal else None
    visible = proposal is not None and (
        current_user.role == Role.ORGANISER
        or (side is not None and proposal.status != ProposalStatus.DRAFT)
    )
    if not visible:
        abort(404)  # unpublished proposals stay with the organisers
    form = DecisionForm()
    if side is not None and form.validate_on_submit():
        try:
            proposal, result = decide_and_commit(
                current_user, proposal.id, form.decision.data == "accept", form.reason.data or ""
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            tell_about_decision(proposal, side, result)
            db.session.commit()
            flash(_("Your answer is recorded."), "success")
            return redirect(url_for("rounds.proposal", proposal_id=proposal.id))
    return render_template(
        "rounds/proposal.html",
        proposal=proposal,
        side=side,
        form=form,
        need_visible=can_see_need(current_user, proposal.need),
    )
