"""The JSON API: token lifecycle, errors, pagination, permissions per role, needs and reports."""

import pytest
import sqlalchemy as sa

from tamatch.models import (
    AuditEntry,
    Language,
    MatchRound,
    Need,
    NeedStatus,
    OfferStatus,
    OrganisationKind,
    Proposal,
    ReportStatus,
    Role,
    SupportKind,
    Theme,
    Visibility,
)
from tests.api_support import bearer
from tests.factories import make_engagement, make_proposal

# --- errors and pagination ---------------------------------------------------------------


def _error(response, status):
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.json["error"]
    assert body["status"] == status and body["code"] and body["message"]
    assert isinstance(body["fields"], dict)
    return body


def test_error_bodies_are_json_everywhere_under_the_prefix(make, client, token_for):
    headers = bearer(token_for(make.user(role=Role.FOCAL_POINT)))
    _error(client.get("/api/v1/nothing-here", headers=headers), 404)
    _error(client.get("/api/v1/needs/999999", headers=headers), 404)
    _error(client.get("/api/v1/needs/99999999999999999999", headers=headers), 404)
    gone = client.delete("/api/v1/needs/1", headers=headers)
    assert _error(gone, 405)["code"] == "method_not_allowed"
    assert set(gone.headers["Allow"].split(", ")) >= {"GET", "PATCH"}
    assert _error(client.get("/api/v1/needs?per_page=500", headers=headers), 400)["fields"] == {
        "per_page": "Must be from 1 to 100."
    }
    assert "state" in _error(client.get("/api/v1/needs?state=XXX", headers=headers), 400)["fields"]
    _error(client.post("/api/v1/needs", data="not json", headers=headers), 400)
    # The rest of the site keeps its HTML error pages.
    assert client.get("/no-such-page").mimetype == "text/html"


def test_pagination_envelope(make, client, token_for):
    headers = bearer(token_for(make.user(role=Role.REVIEWER)))
    for _ in range(3):
        make.need(visibility=Visibility.PUBLIC)
    first = client.get("/api/v1/needs?per_page=2", headers=headers).json
    assert (first["page"], first["per_page"], first["total"], first["pages"]) == (1, 2, 3, 2)
    second = client.get("/api/v1/needs?per_page=2&page=2", headers=headers).json
    assert len(first["items"]) == 2 and len(second["items"]) == 1
    assert {i["id"] for i in first["items"]}.isdisjoint(i["id"] for i in second["items"])
    assert client.get("/api/v1/needs?page=9", headers=headers).json["items"] == []


def test_recommendation_filters(make, client, token_for):
    headers = bearer(token_for(make.user(role=Role.CIVIL_SOCIETY)))
    make.recommendation(state="HTI", text="Ratify the optional protocol")
    make.recommendation(state="NPL", text="Ratify the convention")
    found = client.get("/api/v1/recommendations?state=HTI&q=ratify", headers=headers).json
    assert [r["state"]["iso3"] for r in found["items"]] == ["HTI"]
    assert found["items"][0]["mechanism"] == "UPR"
    assert client.get("/api/v1/recommendations?response=noted", headers=headers).json["total"] == 0


# --- permissions for every role ----------------------------------------------------------

ROLES = [
    "anonymous",
    "focal_own",
    "focal_other",
    "partner_own",
    "partner_other",
    "civil_own",
    "civil_other",
    "organiser",
    "reviewer",
    "admin",
]


def _pending_proposal(db, match_round, need, offer) -> Proposal:
    return make_proposal(db, match_round, need, offer, cost=1, score=5)


@pytest.fixture
def world(make, db, token_for):
    """Two HTI engagements (members, confidential) and an account for every role."""
    shared = make_engagement(db, make)
    secret = make_engagement(db, make, visibility=Visibility.CONFIDENTIAL)
    users = {
        "focal_own": shared["focal"],
        "focal_other": make.user(role=Role.FOCAL_POINT, state="NPL"),
        "partner_own": shared["partner"],
        "partner_other": make.user(role=Role.PARTNER),
        "civil_own": make.user(role=Role.CIVIL_SOCIETY, state="HTI"),
        "civil_other": make.user(
            role=Role.CIVIL_SOCIETY,
            organisation=make.organisation(
                kind=OrganisationKind.CIVIL_SOCIETY, state=make.state("NPL")
            ),
        ),
        "organiser": shared["organiser"],
        "reviewer": make.user(role=Role.REVIEWER),
        "admin": make.user(role=Role.ADMIN),
    }
    hidden = make.need(visibility=Visibility.CONFIDENTIAL)  # HTI, no engagement
    masked = _pending_proposal(db, shared["round"], hidden, shared["offer"])
    draft_round = MatchRound(
        name="Draft", serves="HRC 62", submission_deadline=shared["round"].submission_deadline
    )
    db.session.add(draft_round)
    db.session.commit()
    return {
        "tokens": {role: token_for(user) for role, user in users.items()},
        "ids": {
            "shared": shared["engagement"].id,
            "secret": secret["engagement"].id,
            "secret_need": secret["need"].id,
            "matched_need": shared["need"].id,
            "hidden_need": hidden.id,
            "draft_need": make.need(status=NeedStatus.DRAFT).id,
            "draft_offer": make.offer(users["partner_other"].organisation, OfferStatus.DRAFT).id,
            "round": shared["round"].id,
            "draft_round": draft_round.id,
            "proposal": shared["engagement"].proposal_id,
            "masked": masked.id,
        },
    }


# Status per role, in the order of ROLES; writes run in that order too.
CASES = {
    "GET /recommendations": "401 200 200 200 200 200 200 200 200 200",
    "GET /needs": "401 200 200 200 200 200 200 200 200 200",
    "GET /needs/{hidden_need}": "401 200 404 404 404 404 404 200 404 404",
    "GET /needs/{secret_need}": "401 200 404 404 404 404 404 200 404 404",
    "GET /needs/{draft_need}": "401 200 404 404 404 404 404 404 404 404",
    "PATCH /needs/{hidden_need}": "401 200 404 404 404 404 404 403 404 404",
    "PATCH /needs/{matched_need}": "401 403 403 403 403 403 403 403 403 403",
    "POST /needs": "401 422 422 403 403 403 403 403 403 403",
    "GET /offers": "401 200 200 200 200 200 200 200 200 200",
    "GET /offers/{draft_offer}": "401 404 404 404 200 404 404 404 404 404",
    "GET /rounds": "401 200 200 200 200 403 403 200 403 403",
    "GET /rounds/{round}": "401 200 200 200 200 403 403 200 403 403",
    "GET /rounds/{draft_round}": "401 404 404 404 404 403 403 200 403 403",
    "GET /proposals": "401 200 200 200 200 403 403 200 403 403",
    "GET /proposals/{proposal}": "401 200 404 200 404 403 403 200 403 403",
    "GET /proposals/{masked}": "401 200 404 200 404 403 403 200 403 403",
    "GET /engagements": "401 200 200 200 200 200 200 200 200 200",
    "GET /engagements/{shared}": "401 200 404 200 404 200 404 200 200 404",
    "GET /engagements/{secret}": "401 200 404 404 404 404 404 200 404 404",
    "GET /engagements/{shared}/reports": "401 200 404 200 404 200 404 200 200 404",
    "POST /engagements/{shared}/reports": "401 201 404 201 404 403 404 403 403 404",
    "POST /engagements/{secret}/reports": "401 201 404 404 404 404 404 403 404 404",
}
BODIES = {"PATCH": {"title": "A title the State chose"}, "POST": {"stage_months": 6}}
# POST /needs gets the same body: only a focal point goes on to its validation (a 422).


@pytest.mark.parametrize("case", list(CASES))
def test_permissions_per_role(client, world, case):
    method, path = case.split()
    url = "/api/v1" + path.format(**world["ids"])
    expected = dict(zip(ROLES, (int(s) for s in CASES[case].split()), strict=True))
    actual = {}
    for role in ROLES:
        headers = bearer(world["tokens"][role]) if role != "anonymous" else {}
        response = client.open(url, method=method, headers=headers, json=BODIES.get(method))
        actual[role] = response.status_code
    assert actual == expected


def test_lists_hide_what_details_refuse(client, world):
    ids, tokens = world["ids"], world["tokens"]
    refused = {ids["hidden_need"], ids["secret_need"], ids["draft_need"]}
    for role in ("focal_other", "partner_own", "civil_own", "reviewer"):
        listed = client.get("/api/v1/needs?per_page=100", headers=bearer(tokens[role])).json
        assert refused.isdisjoint(n["id"] for n in listed["items"])
    seen = client.get("/api/v1/engagements", headers=bearer(tokens["reviewer"])).json["items"]
    assert [e["id"] for e in seen] == [ids["shared"]]
    assert client.get("/api/v1/engagements", headers=bearer(tokens["admin"])).json["total"] == 0


def test_confidential_need_is_masked_in_a_partners_proposal(client, world):
    url = f"/api/v1/proposals/{world['ids']['masked']}"
    for_partner = client.get(url, headers=bearer(world["tokens"]["partner_own"])).json["need"]
    assert for_partner["masked"] is True
    assert (for_partner["title"], for_partner["gap"], for_partner["state"]) == (None, None, None)
    listed = client.get("/api/v1/proposals", headers=bearer(world["tokens"]["partner_own"])).json
    assert [p["need"] for p in listed["items"] if p["id"] == world["ids"]["masked"]] == [
        for_partner
    ]
    for_state = client.get(url, headers=bearer(world["tokens"]["focal_own"])).json["need"]
    assert for_state["masked"] is False and for_state["title"]


# --- needs: create and update ------------------------------------------------------------


def _need_body(make, recs, **overrides):
    body = {
        "title": "A tracking database for the NMRF",
        "gap": "Our NMRF follows recommendations in spreadsheets that no ministry updates.",
        "recommendation_ids": [r.id for r in recs],
        "themes": [make.term(Theme).code],
        "support_kinds": [make.term(SupportKind).code],
        "languages": [make.term(Language, "fr").code],
        "cost_min": 20_000,
        "cost_max": 50_000,
        "window_start": "2027-01-01",
        "window_end": "2027-06-30",
        "priority": 3,
        "visibility": "members",
    }
    body.update(overrides)
    return body


def test_focal_point_posts_and_edits_a_need_through_the_service(make, client, db, token_for):
    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    headers = bearer(token_for(focal))
    rec = make.recommendation(state="HTI")
    created = client.post(
        "/api/v1/needs", json=_need_body(make, [rec], publish=True), headers=headers
    )
    need, url = created.json, created.headers["Location"]
    assert (created.status_code, need["state"]["iso3"], need["status"]) == (201, "HTI", "open")
    assert need["recommendation_ids"] == [rec.id] and url.endswith(f"/api/v1/needs/{need['id']}")
    edited = client.patch(url, json={"title": "A national tracking database"}, headers=headers)
    assert edited.status_code == 200
    assert edited.json["title"] == "A national tracking database"
    assert edited.json["cost_max"] == 50_000  # untouched fields keep their values
    withdrawn = client.patch(url, json={"status": "withdrawn"}, headers=headers)
    assert withdrawn.json["status"] == "withdrawn"
    assert _error(client.patch(url, json={"status": "completed"}, headers=headers), 409)
    actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-3:] == ["need.create", "need.update", "need.status"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"gap": "too short"}, "gap"),
        ({"themes": ["no-such-theme"]}, "themes"),
        ({"languages": []}, "languages"),
        ({"window_start": "2027-02-30"}, "window_start"),
        ({"cost_min": -1}, "cost_min"),
        ({"priority": 7}, "priority"),
        ({"visibility": "secret"}, "visibility"),
        ({"cost_min": 9, "cost_max": 5}, "cost_max"),  # the service's rule
        ({"recommendation_ids": []}, "recommendation_ids"),  # the service's rule
        ({"state": "NPL"}, "state"),  # unknown field: the State comes from the account
    ],
)
def test_need_validation_errors_name_their_fields(make, client, db, token_for, overrides, field):
    headers = bearer(token_for(make.user(role=Role.FOCAL_POINT)))
    body = _need_body(make, [make.recommendation(state="HTI")], **overrides)
    error = _error(client.post("/api/v1/needs", json=body, headers=headers), 422)
    assert field in error["fields"], error
    assert db.session.scalar(sa.select(sa.func.count(Need.id))) == 0


def test_need_cannot_cite_another_states_recommendation(make, client, token_for):
    headers = bearer(token_for(make.user(role=Role.FOCAL_POINT, state="HTI")))
    body = _need_body(make, [make.recommendation(state="NPL")])
    error = _error(client.post("/api/v1/needs", json=body, headers=headers), 422)
    assert "own State" in error["fields"]["recommendation_ids"]


# --- progress reports --------------------------------------------------------------------


def test_filing_a_state_report_through_the_api(make, client, db, token_for):
    eng = make_engagement(db, make)
    engagement, rec_ids = eng["engagement"], [r.id for r in eng["need"].recommendations]
    state, partner = bearer(token_for(eng["focal"])), bearer(token_for(eng["partner"]))
    reviewer = bearer(token_for(make.user(role=Role.REVIEWER)))
    start = f"/api/v1/engagements/{engagement.id}/reports"
    created = client.post(start, json={"stage_months": 6}, headers=state)
    assert created.status_code == 201
    assert (created.json["side"], created.json["status"]) == ("state", "draft")
    again = client.post(start, json={"stage_months": 6}, headers=state)
    assert (again.status_code, again.json["id"]) == (200, created.json["id"])
    no_stage = client.post(start, json={"stage_months": 7}, headers=state)
    assert "stage_months" in _error(no_stage, 422)["fields"]
    assert client.post(start, json={"stage_months": 6}, headers=reviewer).status_code == 403
    url = f"/api/v1/reports/{created.json['id']}"
    assert client.get(url, headers=partner).status_code == 404  # another side's draft
    draft = client.patch(url, json={"achievements": "Trained 40 staff."}, headers=state)
    assert (draft.status_code, draft.json["status"]) == (200, "draft")
    incomplete = client.patch(url, json={"submit": True}, headers=state)
    assert "statuses" in _error(incomplete, 422)["fields"]
    body = {"statuses": {str(rid): "in_progress" for rid in rec_ids}, "submit": True}
    submitted = client.patch(url, json=body, headers=state)
    assert submitted.status_code == 200, submitted.json
    assert submitted.json["status"] == ReportStatus.SUBMITTED.value
    assert submitted.json["achievements"] == "Trained 40 staff."  # kept from the draft
    assert client.get(url, headers=reviewer).json["statuses"] == body["statuses"]
    assert client.patch(url, json={"lessons": "More."}, headers=state).status_code == 403
    assert client.patch(url, json={"lessons": "Mine."}, headers=partner).status_code == 403
    listed = client.get(start, headers=partner).json["items"]
    assert [r["id"] for r in listed] == [created.json["id"]]
