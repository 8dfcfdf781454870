"""Schemathesis against /api/v1: generated requests never fail the server or the document."""

import contextvars

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tamatch.api.tokens import create_token
from tamatch.followup.services import report_for
from tamatch.models import Visibility
from tests.factories import make_engagement

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Every operation of the document (test_every_operation_is_exercised keeps this list honest).
OPERATIONS = [
    ("GET", "/recommendations"),
    ("GET", "/recommendations/{recommendation_id}"),
    ("GET", "/needs"),
    ("POST", "/needs"),
    ("GET", "/needs/{need_id}"),
    ("PATCH", "/needs/{need_id}"),
    ("GET", "/interests"),
    ("POST", "/interests"),
    ("DELETE", "/interests/{interest_id}"),
    ("GET", "/offers"),
    ("GET", "/offers/{offer_id}"),
    ("GET", "/rounds"),
    ("GET", "/rounds/{round_id}"),
    ("GET", "/proposals"),
    ("GET", "/proposals/{proposal_id}"),
    ("GET", "/engagements"),
    ("GET", "/engagements/{engagement_id}"),
    ("GET", "/engagements/{engagement_id}/reports"),
    ("POST", "/engagements/{engagement_id}/reports"),
    ("GET", "/reports/{report_id}"),
    ("PATCH", "/reports/{report_id}"),
    ("GET", "/institutions"),
    ("POST", "/institutions"),
    ("GET", "/institutions/{institution_id}"),
    ("PATCH", "/institutions/{institution_id}"),
    ("GET", "/clusters"),
    ("POST", "/clusters"),
    ("GET", "/clusters/{cluster_id}"),
    ("PATCH", "/clusters/{cluster_id}"),
    ("GET", "/measures"),
    ("POST", "/measures"),
    ("GET", "/measures/{measure_id}"),
    ("PATCH", "/measures/{measure_id}"),
    ("GET", "/measures/{measure_id}/indicators"),
    ("POST", "/measures/{measure_id}/indicators"),
    ("GET", "/indicators/{indicator_id}"),
    ("PATCH", "/indicators/{indicator_id}"),
    ("GET", "/indicators/{indicator_id}/values"),
    ("POST", "/indicators/{indicator_id}/values"),
]
# Random ids rarely exist: each operation with a path id also runs against the seeded rows.
CASES = [
    *((method, path, mode) for method, path in OPERATIONS for mode in ("positive", "negative")),
    *((method, path, "seeded") for method, path in OPERATIONS if "{" in path),
]


def _isolated(app):
    """The app as a WSGI callable whose requests never share the test's app context."""

    def wsgi(environ, start_response):
        return contextvars.Context().run(app, environ, start_response)

    return wsgi


@pytest.fixture
def api(app, db, make):
    """The app's own OpenAPI document, a focal point's bearer header and the seeded rows' ids."""
    seeded = make_engagement(db, make)
    make.need(visibility=Visibility.PUBLIC)
    make.need(visibility=Visibility.CONFIDENTIAL, state="NPL")
    engagement = seeded["engagement"]
    ids = {
        "recommendation_id": seeded["need"].recommendations[0].id,
        "need_id": make.need(state=seeded["need"].state).id,  # open, editable by the focal point
        "offer_id": make.offer().id,
        "interest_id": _interest_id(db, make),
        "round_id": seeded["round"].id,
        "proposal_id": engagement.proposal_id,
        "engagement_id": engagement.id,
        "report_id": report_for(seeded["focal"], engagement.reports_due[0]).id,
        **_plan_ids(db, make, seeded["focal"]),
    }
    _token, raw = create_token(seeded["focal"], "schemathesis")
    db.session.commit()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _isolated(app))
    return schema, {"Authorization": f"Bearer {raw}"}, ids


def _interest_id(db, make) -> int:
    from tamatch.models import Interest

    row = Interest(offer=make.offer(), need=make.need(), level=1)
    db.session.add(row)
    db.session.commit()
    return row.id


def _plan_ids(db, make, focal) -> dict[str, int]:
    from tamatch.models import MeasureVisibility
    from tests.plan_factories import make_plan

    plan = make_plan(db, make, focal)
    return {
        "institution_id": plan.institution.id,
        "cluster_id": plan.cluster.id,
        "measure_id": plan.measures[MeasureVisibility.INTERNAL].id,
        "indicator_id": plan.indicator.id,
    }


def test_openapi_document_is_public(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.json
    assert doc["openapi"].startswith("3.")
    assert doc["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert {"/needs", "/reports/{report_id}", "/proposals"} <= set(doc["paths"])


def test_every_operation_is_exercised(api):
    schema, _headers, _ids = api
    documented = {
        (method.upper(), path)
        for path, item in schema.raw_schema["paths"].items()
        for method in item
    }
    assert documented == set(OPERATIONS)


@pytest.mark.parametrize(("method", "path", "mode"), CASES)
def test_operation_conforms_to_the_document(api, method, path, mode):
    schema, headers, ids = api
    operation = schema[path][method]
    if mode == "seeded":
        known = {name: value for name, value in ids.items() if "{" + name + "}" in path}
        strategy = operation.as_strategy(path_parameters=known)
    else:
        strategy = operation.as_strategy(generation_mode=GenerationMode(mode))

    @given(case=strategy)
    @settings(
        max_examples=12,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    check()
