"""Read-only endpoints: recommendations, offers, match rounds and proposals."""

import sqlalchemy as sa
from flask import jsonify
from flask.typing import ResponseReturnValue

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
from tamatch.auth.permissions import can_see_offer
from tamatch.models import (
    MatchRound,
    Mechanism,
    Need,
    Offer,
    OfferStatus,
    Proposal,
    ProposalStatus,
    Recommendation,
    Response,
    Role,
    RoundStatus,
    Sdg,
    State,
    Theme,
    User,
)
from tamatch.offers.queries import OfferFilters, offers_query
from tamatch.recommendations.services import RecommendationFilters, recommendations_query
from tamatch.rounds.consent import side_of

ROUND_ROLES = (Role.ORGANISER, Role.FOCAL_POINT, Role.PARTNER)


def _not_found(what: str) -> ApiError:
    return ApiError(404, f"No such {what}, or you may not see it.", "not_found")


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
        raise _not_found("recommendation")
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
        raise _not_found("offer")
    return jsonify(out.offer(item))


def _round_participant(user: User) -> None:
    if user.role not in ROUND_ROLES:
        raise _forbidden("Match rounds are for organisers, focal points and partners.")


@bp.get("/rounds")
@token_required
def rounds() -> ResponseReturnValue:
    user = api_user()
    _round_participant(user)
    stmt = sa.select(MatchRound).order_by(MatchRound.created_at.desc(), MatchRound.id.desc())
    if user.role != Role.ORGANISER:
        stmt = stmt.where(MatchRound.status != RoundStatus.DRAFT)
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
    if item is None or (user.role != Role.ORGANISER and item.status == RoundStatus.DRAFT):
        raise _not_found("round")
    return jsonify(out.match_round(item))


def _proposals_query(user: User) -> sa.Select:
    """Organisers: every proposal; a focal point or partner: its own side's published ones."""
    stmt = sa.select(Proposal)
    if user.role == Role.ORGANISER:
        return stmt
    stmt = stmt.where(Proposal.status != ProposalStatus.DRAFT)
    if user.role == Role.FOCAL_POINT:
        return stmt.join(Need, Need.id == Proposal.need_id).where(Need.state_id == user.state_id)
    return stmt.join(Offer, Offer.id == Proposal.offer_id).where(
        Offer.organisation_id == user.organisation_id
    )


@bp.get("/proposals")
@token_required
def proposals() -> ResponseReturnValue:
    user = api_user()
    _round_participant(user)
    stmt = _proposals_query(user)
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
    if item is None or (
        user.role != Role.ORGANISER
        and (side_of(user, item) is None or item.status == ProposalStatus.DRAFT)
    ):
        raise _not_found("proposal")
    return jsonify(out.proposal(user, item))
