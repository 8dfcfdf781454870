"""Partners' interest in open needs: list, mark (or change) and withdraw, as on the pages."""

from typing import Any

from flask import url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from tamatch.api import bp
from tamatch.api.errors import ApiError
from tamatch.api.params import Fields, get_row, json_body, paginated, reject_unknown
from tamatch.api.tokens import api_user, token_required
from tamatch.auth.permissions import can_save_search, can_see_need, is_own_organisation_partner
from tamatch.interests.queries import my_interests_query
from tamatch.interests.services import show_interest, withdraw_interest
from tamatch.models import Interest, InterestLevel, Need, Offer
from tamatch.unit_of_work import unit_of_work

LEVELS = {"interested": InterestLevel.INTERESTED, "very_interested": InterestLevel.VERY_INTERESTED}
LEVEL_NAMES = {level: name for name, level in LEVELS.items()}


def interest(item: Interest) -> dict[str, Any]:
    return {
        "id": item.id,
        "need_id": item.need_id,
        "offer_id": item.offer_id,
        "level": LEVEL_NAMES[InterestLevel(item.level)],
        "created_at": item.created_at.isoformat(),
        "updated_at": item.updated_at.isoformat(),
    }


def _partner():
    user = api_user()
    if not can_save_search(user):  # the partner role, as on the pages
        raise ApiError(403, _("Only partners show interest in needs."), "forbidden")
    return user


@bp.get("/interests")
@token_required
def interests() -> ResponseReturnValue:
    return paginated(my_interests_query(_partner()), interest)


@bp.post("/interests")
@token_required
def post_interest() -> ResponseReturnValue:
    user = _partner()
    body = json_body()
    reject_unknown(body, {"need_id", "offer_id", "level"})
    fields = Fields(body)
    need_id, offer_id = fields.integer("need_id", 1), fields.integer("offer_id", 1)
    level = body.get("level", "interested")
    if level not in LEVELS:
        fields.fail("level", _("Must be one of: interested, very_interested."))
    fields.check()
    need = get_row(Need, need_id)
    if need is None or not can_see_need(user, need):
        raise ApiError(404, _("No such need, or you may not see it."), "not_found")
    offer = get_row(Offer, offer_id)
    if offer is None or not is_own_organisation_partner(user, offer):
        raise ApiError(404, _("No such offer of yours."), "not_found")
    with unit_of_work(reraise=True):
        (item,) = show_interest(user, need, [offer], LEVELS[level])
    return interest(item), 201, {"Location": url_for("api.interests")}


@bp.delete("/interests/<int:interest_id>")
@token_required
def delete_interest(interest_id: int) -> ResponseReturnValue:
    user = _partner()
    item = get_row(Interest, interest_id)
    if item is None or not is_own_organisation_partner(user, item.offer):
        raise ApiError(404, _("No such interest of yours."), "not_found")
    with unit_of_work(reraise=True):
        withdraw_interest(user, item)
    return "", 204
