"""The plan's institutions and clusters: list, read, create and edit, as on the pages."""

import math
from datetime import date
from typing import Any

from flask import jsonify, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from tamatch.api import bp
from tamatch.api import planning_serializers as out
from tamatch.api.errors import ApiError
from tamatch.api.params import Fields, get_row, json_body, lookup_param, paginated, reject_unknown
from tamatch.api.tokens import api_user, token_required
from tamatch.models import Cluster, Institution, InstitutionKind, State, Theme
from tamatch.planning import services
from tamatch.planning.permissions import (
    can_edit_cluster,
    can_edit_institution,
    can_plan,
    can_see_cluster,
    can_see_institution,
)
from tamatch.planning.queries import clusters_query, institutions_query
from tamatch.request_args import MAX_NUMBER
from tamatch.unit_of_work import unit_of_work


class PlanFields(Fields):
    """Fields of the plan: several are optional and may be null."""

    def optional_text(self, name: str, maximum: int) -> str:
        if self.body.get(name) is None:
            return ""
        return self.text(name, 0, maximum) or ""

    def optional_number(self, name: str) -> float | None:
        value = self.body.get(name)
        if value is None:
            return None
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok or not math.isfinite(value) or abs(value) > MAX_NUMBER:
            self.fail(name, _("Must be a number (or null)."))
            return None
        return float(value)

    def optional_integer(self, name: str, minimum: int, maximum: int) -> int | None:
        return None if self.body.get(name) is None else self.integer(name, minimum, maximum)

    def optional_day(self, name: str) -> date | None:
        return None if self.body.get(name) is None else self.day(name)

    def optional_id(self, name: str) -> int | None:
        return None if self.body.get(name) is None else self.integer(name, 1)

    def optional_codes(self, name: str, model: Any) -> tuple[int, ...]:
        return () if self.body.get(name) in (None, []) else self.codes(name, model)


def not_found(message: str) -> ApiError:
    return ApiError(404, message, "not_found")


def forbidden(message: str) -> ApiError:
    return ApiError(403, message, "forbidden")


def require_planner() -> None:
    if not can_plan(api_user()):
        raise forbidden(_("Only a State's focal points keep its plan."))


# --- institutions --------------------------------------------------------------------------

INSTITUTION_FIELDS = {"name", "kind", "contact_role", "archived", "recommendation_ids"}


def _institution(institution_id: int) -> Institution:
    item = get_row(Institution, institution_id)
    if item is None or not can_see_institution(api_user(), item):
        raise not_found(_("No such institution, or you may not see it."))
    return item


@bp.get("/institutions")
@token_required
def institutions() -> ResponseReturnValue:
    stmt = institutions_query(api_user(), lookup_param("state", State, State.iso3))
    return paginated(stmt, lambda item: out.institution(api_user(), item))


@bp.get("/institutions/<int:institution_id>")
@token_required
def institution(institution_id: int) -> ResponseReturnValue:
    return jsonify(out.institution(api_user(), _institution(institution_id)))


def _institution_body(body: dict[str, Any]) -> tuple[services.InstitutionData, bool, tuple | None]:
    fields = PlanFields(body)
    data = services.InstitutionData(
        name=fields.text("name", 1, 200) or "",
        kind=fields.choice("kind", InstitutionKind) or InstitutionKind.OTHER,
        contact_role=fields.optional_text("contact_role", 200),
    )
    archived = fields.boolean("archived")
    recs = fields.id_list("recommendation_ids") if "recommendation_ids" in body else None
    fields.check()
    return data, archived, recs


def _hold(item: Institution, recommendation_ids: tuple[int, ...] | None) -> None:
    """Make the institution hold exactly these recommendations of its State."""
    if recommendation_ids is None:
        return
    current = {r.id for r in item.recommendations}
    wanted = set(recommendation_ids)
    services.assign_institution(api_user(), item, sorted(wanted - current), assign=True)
    services.assign_institution(api_user(), item, sorted(current - wanted), assign=False)


@bp.post("/institutions")
@token_required
def post_institution() -> ResponseReturnValue:
    require_planner()
    body = json_body()
    reject_unknown(body, INSTITUTION_FIELDS)
    data, archived, recs = _institution_body(body)
    with unit_of_work(reraise=True):
        item = services.create_institution(api_user(), data)
        services.set_institution_archived(api_user(), item, archived)
        _hold(item, recs)
    location = url_for("api.institution", institution_id=item.id)
    return jsonify(out.institution(api_user(), item)), 201, {"Location": location}


@bp.patch("/institutions/<int:institution_id>")
@token_required
def patch_institution(institution_id: int) -> ResponseReturnValue:
    item = _institution(institution_id)
    if not can_edit_institution(api_user(), item):
        raise forbidden(_("Only the State's focal points change its institutions."))
    body = json_body()
    reject_unknown(body, INSTITUTION_FIELDS)
    current = out.institution(api_user(), item)
    merged = {k: current[k] for k in ("name", "kind", "contact_role", "archived")} | body
    data, archived, recs = _institution_body(merged)
    with unit_of_work(reraise=True):
        services.update_institution(api_user(), item, data)
        services.set_institution_archived(api_user(), item, archived)
        _hold(item, recs)
    return jsonify(out.institution(api_user(), item))


# --- clusters ------------------------------------------------------------------------------

CLUSTER_FIELDS = {"title", "description", "themes", "institution_ids", "recommendation_ids"}


def _cluster(cluster_id: int) -> Cluster:
    item = get_row(Cluster, cluster_id)
    if item is None or not can_see_cluster(api_user(), item):
        raise not_found(_("No such cluster, or you may not see it."))
    return item


@bp.get("/clusters")
@token_required
def clusters() -> ResponseReturnValue:
    stmt = clusters_query(api_user(), lookup_param("state", State, State.iso3))
    return paginated(stmt, out.cluster)


@bp.get("/clusters/<int:cluster_id>")
@token_required
def cluster(cluster_id: int) -> ResponseReturnValue:
    return jsonify(out.cluster(_cluster(cluster_id)))


def _cluster_body(body: dict[str, Any]) -> tuple[services.ClusterData, tuple[int, ...]]:
    fields = PlanFields(body)
    data = services.ClusterData(
        title=fields.text("title", 1, 200) or "",
        description=fields.optional_text("description", 10000),
        theme_ids=fields.optional_codes("themes", Theme),
        institution_ids=fields.id_list("institution_ids") if "institution_ids" in body else (),
    )
    recs = fields.id_list("recommendation_ids")
    fields.check()
    return data, recs


@bp.post("/clusters")
@token_required
def post_cluster() -> ResponseReturnValue:
    require_planner()
    body = json_body()
    reject_unknown(body, CLUSTER_FIELDS)
    data, recs = _cluster_body(body)
    with unit_of_work(reraise=True):
        item = services.create_cluster(api_user(), data, recs)
    location = url_for("api.cluster", cluster_id=item.id)
    return jsonify(out.cluster(item)), 201, {"Location": location}


@bp.patch("/clusters/<int:cluster_id>")
@token_required
def patch_cluster(cluster_id: int) -> ResponseReturnValue:
    """Fields not sent keep their values; `recommendation_ids` is the whole new membership
    (recommendations of another cluster move in)."""
    item = _cluster(cluster_id)
    if not can_edit_cluster(api_user(), item):
        raise forbidden(_("Only the State's focal points change its clusters."))
    body = json_body()
    reject_unknown(body, CLUSTER_FIELDS)
    data, recs = _cluster_body(out.cluster(item) | body)
    with unit_of_work(reraise=True):
        services.update_cluster(api_user(), item, data)
        if "recommendation_ids" in body:
            current = {r.id for r in item.recommendations}
            services.add_to_cluster(api_user(), item, sorted(set(recs) - current))
            services.remove_from_cluster(api_user(), item, sorted(current - set(recs)))
    return jsonify(out.cluster(item))
