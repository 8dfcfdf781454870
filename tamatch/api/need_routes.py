"""Needs: list, read, post and edit through the same services and rules as the pages."""

from typing import Any

from flask import jsonify, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from tamatch.api import bp
from tamatch.api import serializers as out
from tamatch.api.errors import ApiError
from tamatch.api.params import (
    Fields,
    enum_param,
    get_row,
    json_body,
    lookup_param,
    paginated,
    reject_unknown,
    text_param,
)
from tamatch.api.tokens import api_user, token_required
from tamatch.auth.permissions import can_change_need_status, can_post_need, can_see_need
from tamatch.models import Language, Need, NeedStatus, State, SupportKind, Theme, Visibility
from tamatch.needs.queries import NeedFilters, needs_query
from tamatch.needs.services import NeedData, create_need, transition_need, update_need
from tamatch.unit_of_work import unit_of_work

EDITABLE = {
    "title",
    "gap",
    "text_locale",
    "recommendation_ids",
    "themes",
    "support_kinds",
    "languages",
    "cost_min",
    "cost_max",
    "window_start",
    "window_end",
    "priority",
    "visibility",
}


def _need(need_id: int) -> Need:
    need = get_row(Need, need_id)
    if need is None or not can_see_need(api_user(), need):
        raise ApiError(404, _("No such need, or you may not see it."), "not_found")
    return need


def _current(need: Need) -> dict[str, Any]:
    """The need's editable fields in the API's own shape, so a PATCH can merge onto them."""
    shown = out.need(need)
    return {name: shown[name] for name in EDITABLE}


def _need_data(body: dict[str, Any]) -> NeedData:
    """Check a complete body field by field (422 naming them all) and build the service's data."""
    fields = Fields(body)
    data = {
        "title": fields.text("title", 1, 200),
        "gap": fields.text("gap", 20, 10000),
        "recommendation_ids": fields.id_list("recommendation_ids"),
        "theme_ids": fields.codes("themes", Theme),
        "support_kind_ids": fields.codes("support_kinds", SupportKind),
        "language_ids": fields.codes("languages", Language),
        "cost_min": fields.integer("cost_min", 0),
        "cost_max": fields.integer("cost_max", 0),
        "window_start": fields.day("window_start"),
        "window_end": fields.day("window_end"),
        "priority": fields.integer("priority", 1, 3),
        "visibility": fields.choice("visibility", Visibility),
        "text_locale": fields.language("text_locale"),
    }
    fields.check()
    return NeedData(**data)


@bp.get("/needs")
@token_required
def needs() -> ResponseReturnValue:
    filters = NeedFilters(
        q=text_param("q"),
        state_id=lookup_param("state", State, State.iso3),
        theme_id=lookup_param("theme", Theme, Theme.code),
        support_kind_id=lookup_param("support_kind", SupportKind, SupportKind.code),
        status=enum_param("status", NeedStatus),
    )
    return paginated(needs_query(api_user(), filters), out.need)


@bp.get("/needs/<int:need_id>")
@token_required
def need(need_id: int) -> ResponseReturnValue:
    return jsonify(out.need(_need(need_id)))


@bp.post("/needs")
@token_required
def post_need() -> ResponseReturnValue:
    if not can_post_need(api_user()):
        raise ApiError(403, _("Only a State's focal point can post its needs."), "forbidden")
    body = json_body()
    reject_unknown(body, EDITABLE | {"publish"})
    flags = Fields(body)
    publish = flags.boolean("publish")
    flags.check()
    body.setdefault("priority", 2)
    body.setdefault("visibility", Visibility.MEMBERS.value)
    with unit_of_work(reraise=True):
        item = create_need(api_user(), _need_data(body), publish=publish)
    return jsonify(out.need(item)), 201, {"Location": url_for("api.need", need_id=item.id)}


@bp.patch("/needs/<int:need_id>")
@token_required
def patch_need(need_id: int) -> ResponseReturnValue:
    """Change any editable fields (the rest keep their values) and/or move the status."""
    item = _need(need_id)
    if not can_change_need_status(api_user(), item):
        raise ApiError(403, _("Only the State's focal points can change its needs."), "forbidden")
    body = json_body()
    reject_unknown(body, EDITABLE | {"status"})
    flags = Fields(body)
    target = flags.choice("status", NeedStatus) if "status" in body else None
    flags.check()
    changes = {name: value for name, value in body.items() if name in EDITABLE}
    with unit_of_work(reraise=True):
        if changes:
            update_need(api_user(), item, _need_data(_current(item) | changes))
        if target is not None and target != item.status:
            transition_need(api_user(), item, target)
    return jsonify(out.need(item))
