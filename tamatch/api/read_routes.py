"""Read-only endpoints: recommendations, offers, match rounds and proposals."""

import sqlalchemy as sa
from flask import jsonify
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from tamatch.api import bp
from tamatch.api import serializers as out
from tamatch.api.errors import ApiError
from tamatch.api.params import (
    enum_param,
    get_row,
    int_param,
    lookup_param,
    paginated,
    text_param,
)
from tamatch.api.tokens import api_user, token_required
from tamatch.auth.permissions import ROUND_ROLES, can_see_offer, has_role
from tamatch.models import (
    MatchRound,
    Mechanism,
    Offer,
    OfferStatus,
    Proposal,
    ProposalStatus,
    Recommendation,
    Response,
    RoundStatus,
    Sdg,
    State,
    Theme,
    User,
)
from tamatch.offers.queries import OfferFilters, offers_query
from tamatch.recommendations.services import RecommendationFilters, recommendations_query
from tamatch.rounds.permissions import can_see_proposal, can_see_round, visible_rounds_clause
from tamatch.rounds.queries import proposals_query


def _not_found(message: str) -> ApiError:
    return ApiError(404, message, "not_found")


def _forbidden(message: str) -> ApiError:
    return ApiError(403, message, "forbidden")


@bp.get("/recommendations")
@token_required
def recommendations() -> ResponseReturnValue:
    filters = RecommendationFilters(
        q=text_param("q"),
        state_id=lookup_param("state", State, State.iso3),
        mechanism_id=lookup_param("mechanism", Mechanism, Mechanism.code),
        body=text_param("body"),
        cycle=int_param("cycle", maximum=99),
        session=text_param("session"),
        theme_id=lookup_param("theme", Theme, Theme.code),
        sdg_id=lookup_param("sdg", Sdg, sa.cast(Sdg.number, sa.String)),
        response=enum_param("response", Response),
    )
    return paginated(recommendations_query(filters), out.recommendation)


@bp.get("/recommendations/<int:recommendation_id>")
@token_required
def recommendation(recommendation_id: int) -> ResponseReturnValue:
    rec = get_row(Recommendation, recommendation_id)
    if rec is None:
        raise _not_found(_("No such recommendation, or you may not see it."))
    return jsonify(out.recommendation(rec))


@bp.get("/offers")
@token_required
def offers() -> ResponseReturnValue:
    filters = OfferFilters(
        q=text_param("q"),
        organisation_id=int_param("organisation"),
        theme_id=lookup_param("theme", Theme, Theme.code),
        status=enum_param("status", OfferStatus),
    )
    return paginated(offers_query(api_user(), filters), out.offer)


@bp.get("/offers/<int:offer_id>")
@token_required
def offer(offer_id: int) -> ResponseReturnValue:
    item = get_row(Offer, offer_id)
    if item is None or not can_see_offer(api_user(), item):
        raise _not_found(_("No such offer, or you may not see it."))
    return jsonify(out.offer(item))


def _round_participant(user: User) -> None:
    if not has_role(user, *ROUND_ROLES):
        raise _forbidden(_("Match rounds are for organisers, focal points and partners."))


@bp.get("/rounds")
@token_required
def rounds() -> ResponseReturnValue:
    user = api_user()
    _round_participant(user)
    stmt = (
        sa.select(MatchRound)
        .where(visible_rounds_clause(user))
        .order_by(MatchRound.created_at.desc(), MatchRound.id.desc())
    )
    status = enum_param("status", RoundStatus)
    if status is not None:
        stmt = stmt.where(MatchRound.status == status)
    return paginated(stmt, out.match_round)


@bp.get("/rounds/<int:round_id>")
@token_required
def match_round(round_id: int) -> ResponseReturnValue:
    user = api_user()
    _round_participant(user)
    item = get_row(MatchRound, round_id)
    if item is None or not can_see_round(user, item):
        raise _not_found(_("No such round, or you may not see it."))
    return jsonify(out.match_round(item))


@bp.get("/proposals")
@token_required
def proposals() -> ResponseReturnValue:
    user = api_user()
    _round_participant(user)
    stmt = proposals_query(user)
    status = enum_param("status", ProposalStatus)
    if status is not None:
        stmt = stmt.where(Proposal.status == status)
    round_id = int_param("round")
    if round_id is not None:
        stmt = stmt.where(Proposal.round_id == round_id)
    return paginated(stmt.order_by(Proposal.id.desc()), lambda p: out.proposal(user, p))


@bp.get("/proposals/<int:proposal_id>")
@token_required
def proposal(proposal_id: int) -> ResponseReturnValue:
    user = api_user()
    _round_participant(user)
    item = get_row(Proposal, proposal_id)
    if item is None or not can_see_proposal(user, item):
        raise _not_found(_("No such proposal, or you may not see it."))
    return jsonify(out.proposal(user, item))
