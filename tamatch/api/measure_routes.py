"""The plan's measures, indicators and indicator values through the same services as the pages.

A tracking tool syncs by id: PATCH sends what changed; a value for a day that has one replaces
it (200) instead of adding a second (201).
"""

from typing import Any

from flask import jsonify, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from tamatch.api import bp
from tamatch.api import planning_serializers as out
from tamatch.api.params import (
    enum_param,
    get_row,
    int_param,
    json_body,
    lookup_param,
    paginated,
    reject_unknown,
)
from tamatch.api.planning_routes import PlanFields, forbidden, not_found, require_planner
from tamatch.api.tokens import api_user, token_required
from tamatch.models import Indicator, Measure, MeasureStatus, MeasureVisibility, State
from tamatch.planning import measures as services
from tamatch.planning.permissions import can_edit_measure, can_see_measure
from tamatch.planning.queries import MeasureFilters, measures_query
from tamatch.unit_of_work import unit_of_work

MEASURE_FIELDS = {
    "title",
    "description",
    "gap",
    "cluster_id",
    "recommendation_ids",
    "institution_ids",
    "start_on",
    "due_on",
    "visibility",
}
INDICATOR_FIELDS = {
    "definition",
    "unit",
    "baseline_value",
    "baseline_year",
    "target_value",
    "target_year",
    "source",
    "review_months",
}


def _measure(measure_id: int) -> Measure:
    item = get_row(Measure, measure_id)
    if item is None or not can_see_measure(api_user(), item):
        raise not_found("measure")
    return item


def _indicator(indicator_id: int) -> Indicator:
    item = get_row(Indicator, indicator_id)
    if item is None or not can_see_measure(api_user(), item.measure):
        raise not_found("indicator")
    return item


def _editable(measure: Measure) -> None:
    if not can_edit_measure(api_user(), measure):
        raise forbidden(_("Only the State's focal points change its measures."))


def _measure_data(body: dict[str, Any]) -> services.MeasureData:
    fields = PlanFields(body)
    data = services.MeasureData(
        title=fields.text("title", 1, 200) or "",
        description=fields.optional_text("description", 20000),
        gap=fields.optional_text("gap", 10000),
        cluster_id=fields.optional_id("cluster_id"),
        recommendation_ids=fields.id_list("recommendation_ids")
        if "recommendation_ids" in body
        else (),
        institution_ids=fields.id_list("institution_ids") if "institution_ids" in body else (),
        start_on=fields.optional_day("start_on"),
        due_on=fields.optional_day("due_on"),
        visibility=fields.choice("visibility", MeasureVisibility) or MeasureVisibility.INTERNAL,
    )
    fields.check()
    return data


@bp.get("/measures")
@token_required
def measures() -> ResponseReturnValue:
    filters = MeasureFilters(
        state_id=lookup_param("state", State, State.iso3),
        institution_id=int_param("institution"),
        cluster_id=int_param("cluster"),
        status=enum_param("status", MeasureStatus),
        visibility=enum_param("visibility", MeasureVisibility),
        overdue=request.args.get("overdue") == "true",
    )
    return paginated(measures_query(api_user(), filters), out.measure)


@bp.get("/measures/<int:measure_id>")
@token_required
def measure(measure_id: int) -> ResponseReturnValue:
    return jsonify(out.measure(_measure(measure_id)))


@bp.post("/measures")
@token_required
def post_measure() -> ResponseReturnValue:
    require_planner()
    body = json_body()
    reject_unknown(body, MEASURE_FIELDS | {"status"})
    flags = PlanFields(body)
    status = flags.choice("status", MeasureStatus) if "status" in body else MeasureStatus.PLANNED
    flags.check()
    body.setdefault("visibility", MeasureVisibility.INTERNAL.value)
    data = _measure_data(body)
    with unit_of_work(reraise=True):
        item = services.create_measure(api_user(), data, status=status)
    location = url_for("api.measure", measure_id=item.id)
    return jsonify(out.measure(item)), 201, {"Location": location}


@bp.patch("/measures/<int:measure_id>")
@token_required
def patch_measure(measure_id: int) -> ResponseReturnValue:
    """Change any fields (the rest keep their values); `status` and/or `note` append an entry
    to the measure's history."""
    item = _measure(measure_id)
    _editable(item)
    body = json_body()
    reject_unknown(body, MEASURE_FIELDS | {"status", "note"})
    flags = PlanFields(body)
    status = flags.choice("status", MeasureStatus) if "status" in body else None
    note = flags.optional_text("note", 10000)
    flags.check()
    changes = {k: v for k, v in body.items() if k in MEASURE_FIELDS}
    data = _measure_data(out.measure(item) | changes) if changes else None
    with unit_of_work(reraise=True):
        if data is not None:
            services.update_measure(api_user(), item, data)
        if note or (status is not None and status != item.status):
            services.add_update(api_user(), item, note, status)
    return jsonify(out.measure(item))


# --- indicators and values -----------------------------------------------------------------


def _indicator_data(body: dict[str, Any]) -> services.IndicatorData:
    fields = PlanFields(body)
    data = services.IndicatorData(
        definition=fields.text("definition", 1, 5000) or "",
        unit=fields.optional_text("unit", 60),
        baseline_value=fields.optional_number("baseline_value"),
        baseline_year=fields.optional_integer("baseline_year", 1945, 2100),
        target_value=fields.optional_number("target_value"),
        target_year=fields.optional_integer("target_year", 1945, 2100),
        source=fields.optional_text("source", 300),
        review_months=fields.integer("review_months", 1, 120) if "review_months" in body else 12,
    )
    fields.check()
    return data


@bp.get("/measures/<int:measure_id>/indicators")
@token_required
def measure_indicators(measure_id: int) -> ResponseReturnValue:
    return jsonify({"items": [out.indicator(i) for i in _measure(measure_id).indicators]})


@bp.post("/measures/<int:measure_id>/indicators")
@token_required
def post_indicator(measure_id: int) -> ResponseReturnValue:
    item = _measure(measure_id)
    _editable(item)
    body = json_body()
    reject_unknown(body, INDICATOR_FIELDS)
    data = _indicator_data(body)
    with unit_of_work(reraise=True):
        indicator = services.create_indicator(api_user(), item, data)
    location = url_for("api.indicator", indicator_id=indicator.id)
    return jsonify(out.indicator(indicator)), 201, {"Location": location}


@bp.get("/indicators/<int:indicator_id>")
@token_required
def indicator(indicator_id: int) -> ResponseReturnValue:
    return jsonify(out.indicator(_indicator(indicator_id)))


@bp.patch("/indicators/<int:indicator_id>")
@token_required
def patch_indicator(indicator_id: int) -> ResponseReturnValue:
    item = _indicator(indicator_id)
    _editable(item.measure)
    body = json_body()
    reject_unknown(body, INDICATOR_FIELDS)
    current = {k: v for k, v in out.indicator(item).items() if k in INDICATOR_FIELDS}
    data = _indicator_data(current | body)
    with unit_of_work(reraise=True):
        services.update_indicator(api_user(), item, data)
    return jsonify(out.indicator(item))


@bp.get("/indicators/<int:indicator_id>/values")
@token_required
def indicator_values(indicator_id: int) -> ResponseReturnValue:
    return jsonify({"items": [out.value(v) for v in _indicator(indicator_id).values]})


@bp.post("/indicators/<int:indicator_id>/values")
@token_required
def post_value(indicator_id: int) -> ResponseReturnValue:
    item = _indicator(indicator_id)
    _editable(item.measure)
    body = json_body()
    reject_unknown(body, {"observed_on", "value", "note"})
    fields = PlanFields(body)
    observed_on = fields.day("observed_on")
    number = fields.optional_number("value")
    if number is None and "value" not in fields.errors:
        fields.fail("value", _("Must be a number."))
    note = fields.optional_text("note", 500)
    fields.check()
    with unit_of_work(reraise=True):
        row, created = services.record_value(api_user(), item, observed_on, number, note)
    if not created:
        return jsonify(out.value(row))
    return jsonify(out.value(row)), 201
