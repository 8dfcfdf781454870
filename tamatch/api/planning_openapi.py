"""The plan's part of the OpenAPI document: paths and component schemas."""

from typing import Any

from tamatch.api.openapi_ops import get_op, list_op, path_id, query
from tamatch.api.openapi_ops import operation as op
from tamatch.api.openapi_schemas import (
    BOOL,
    DAY,
    ID,
    MOMENT,
    STR,
    Schema,
    enum,
    null,
    obj,
    page_of,
    ref,
    state,
)
from tamatch.models import InstitutionKind, MeasureStatus, MeasureVisibility

NUMBER: Schema = {"type": "number", "minimum": -1e15, "maximum": 1e15}
YEAR: Schema = {"type": "integer", "minimum": 1945, "maximum": 2100}
IDS: Schema = {"type": "array", "items": ID}


def _text(maximum: int, minimum: int = 0) -> Schema:
    return {"type": "string", "minLength": minimum, "maxLength": maximum}


def planning_paths(state_query: dict[str, Any]) -> dict[str, Any]:
    """Paths of the plan."""

    def write(summary, ok, name, body, forbidden=True):
        errors = (400, 403, 404, 409, 422) if forbidden else (400, 403, 422)
        return op(summary, ok, errors, [path_id(name)] if name else None, body=body)

    def items(summary, schema, name):
        return op(summary, {200: schema}, (404,), [path_id(name)])

    return {
        "/institutions": {
            "get": list_op("Institutions you may see", "Institution", [state_query]),
            "post": write("Add an institution to your State", {201: "Institution"}, None,
                          "InstitutionInput", forbidden=False),
        },
        "/institutions/{institution_id}": {
            "get": get_op("One institution", "Institution", "institution_id"),
            "patch": write("Edit an institution of your State; `recommendation_ids` is all it "
                           "holds", {200: "Institution"}, "institution_id", "InstitutionPatch"),
        },
        "/clusters": {
            "get": list_op("Clusters you may see", "Cluster", [state_query]),
            "post": write("Group recommendations of your State", {201: "Cluster"}, None,
                          "ClusterInput", forbidden=False),
        },
        "/clusters/{cluster_id}": {
            "get": get_op("One cluster", "Cluster", "cluster_id"),
            "patch": write("Edit a cluster; `recommendation_ids` is its whole membership",
                           {200: "Cluster"}, "cluster_id", "ClusterPatch"),
        },
        "/measures": {
            "get": list_op(
                "Measures you may see, soonest due first",
                "Measure",
                [
                    state_query,
                    query("institution", ID, "Institution id."),
                    query("cluster", ID, "Cluster id."),
                    query("status", enum(MeasureStatus), "Measure status."),
                    query("visibility", enum(MeasureVisibility), "Who may see it."),
                    query("overdue", {"type": "string", "enum": ["true", "false"]},
                          "Only measures past their due date and not done."),
                ],
            ),
            "post": write("Plan a measure for your State", {201: "Measure"}, None,
                          "MeasureInput", forbidden=False),
        },
        "/measures/{measure_id}": {
            "get": get_op("One measure with its history", "Measure", "measure_id"),
            "patch": write("Edit a measure; `status` and `note` add to its history",
                           {200: "Measure"}, "measure_id", "MeasurePatch"),
        },
        "/measures/{measure_id}/indicators": {
            "get": items("The measure's indicators", "IndicatorList", "measure_id"),
            "post": write("Define an indicator of the measure", {201: "Indicator"},
                          "measure_id", "IndicatorInput"),
        },
        "/indicators/{indicator_id}": {
            "get": get_op("One indicator", "Indicator", "indicator_id"),
            "patch": write("Edit an indicator", {200: "Indicator"}, "indicator_id",
                           "IndicatorPatch"),
        },
        "/indicators/{indicator_id}/values": {
            "get": items("The indicator's values, oldest first", "ValueList", "indicator_id"),
            "post": write("Record a value: new (201), or replacing that day's (200)",
                          {200: "Value", 201: "Value"}, "indicator_id", "ValueInput"),
        },
    }  # fmt: skip


def planning_schemas(themes: Schema) -> dict[str, Schema]:
    """Component schemas mirroring tamatch.api.planning_serializers."""
    institution_fields = {
        "name": _text(200, 1),
        "kind": enum(InstitutionKind),
        "contact_role": _text(200),
        "archived": BOOL,
        "recommendation_ids": IDS,
    }
    cluster_fields = {
        "title": _text(200, 1),
        "description": _text(10000),
        "themes": themes,
        "institution_ids": IDS,
        "recommendation_ids": IDS,
    }
    measure_fields = {
        "title": _text(200, 1),
        "description": _text(20000),
        "gap": _text(10000),
        "cluster_id": null(ID),
        "recommendation_ids": IDS,
        "institution_ids": IDS,
        "start_on": null(DAY),
        "due_on": null(DAY),
        "visibility": enum(MeasureVisibility),
    }
    indicator_fields = {
        "definition": _text(5000, 1),
        "unit": _text(60),
        "baseline_value": null(NUMBER),
        "baseline_year": null(YEAR),
        "target_value": null(NUMBER),
        "target_year": null(YEAR),
        "source": _text(300),
        "review_months": {"type": "integer", "minimum": 1, "maximum": 120},
    }
    value = obj(
        {"id": ID, "indicator_id": ID, "observed_on": DAY, "value": {"type": "number"}, "note": STR}
    )
    update = obj(
        {
            "at": MOMENT,
            "status_from": null(enum(MeasureStatus)),
            "status_to": null(enum(MeasureStatus)),
            "note": STR,
            "engagement_id": null(ID),
        }
    )
    return {
        "Institution": obj(
            {
                "id": ID,
                "state": state(),
                "name": STR,
                "kind": enum(InstitutionKind),
                "contact_role": STR,
                "archived": BOOL,
                "recommendation_ids": null(IDS),
            }
        ),
        "InstitutionInput": obj(institution_fields, required=["name", "kind"]),
        "InstitutionPatch": obj(institution_fields, required=[]),
        "Cluster": obj(
            {
                "id": ID,
                "state": state(),
                "title": STR,
                "description": STR,
                "themes": {"type": "array", "items": STR},
                "institution_ids": IDS,
                "recommendation_ids": IDS,
                "created_at": MOMENT,
                "updated_at": MOMENT,
            }
        ),
        "ClusterInput": obj(cluster_fields, required=["title", "recommendation_ids"]),
        "ClusterPatch": obj(cluster_fields, required=[]),
        "Measure": obj(
            {
                "id": ID,
                "state": state(),
                **dict.fromkeys(("title", "description", "gap"), STR),
                "status": enum(MeasureStatus),
                "visibility": enum(MeasureVisibility),
                "cluster_id": null(ID),
                "recommendation_ids": IDS,
                "institution_ids": IDS,
                "start_on": null(DAY),
                "due_on": null(DAY),
                "overdue": BOOL,
                "indicator_ids": IDS,
                "updates": {"type": "array", "items": update},
                "created_at": MOMENT,
                "updated_at": MOMENT,
            }
        ),
        "MeasureInput": obj({**measure_fields, "status": enum(MeasureStatus)}, required=["title"]),
        "MeasurePatch": obj(
            {**measure_fields, "status": enum(MeasureStatus), "note": _text(10000)}, required=[]
        ),
        "Indicator": obj(
            {
                "id": ID,
                "measure_id": ID,
                "definition": STR,
                "unit": STR,
                "baseline_value": null({"type": "number"}),
                "baseline_year": null({"type": "integer"}),
                "target_value": null({"type": "number"}),
                "target_year": null({"type": "integer"}),
                "source": STR,
                "review_months": {"type": "integer"},
                "latest": null(value),  # inline: a nullable $ref is not valid OpenAPI 3.0
                "created_at": MOMENT,
            }
        ),
        "IndicatorInput": obj(indicator_fields, required=["definition"]),
        "IndicatorPatch": obj(indicator_fields, required=[]),
        "IndicatorList": obj({"items": {"type": "array", "items": ref("Indicator")}}),
        "Value": value,
        "ValueList": obj({"items": {"type": "array", "items": ref("Value")}}),
        "ValueInput": obj(
            {"observed_on": DAY, "value": NUMBER, "note": _text(500)},
            required=["observed_on", "value"],
        ),
        **{f"{name}Page": page_of(name) for name in ("Institution", "Cluster", "Measure")},
    }
