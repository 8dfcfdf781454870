"""The OpenAPI 3 description of /api/v1, served (without a token) at /api/v1/openapi.json."""

from typing import Any

from flask import jsonify
from flask.typing import ResponseReturnValue

from tamatch.api import bp
from tamatch.api.openapi_ops import get_op, json_content, list_op, operation, path_id, query
from tamatch.api.openapi_schemas import ERROR_TEXT, ID, codes, enum, ref, schemas
from tamatch.api.params import MAX_QUERY_LENGTH
from tamatch.api.planning_openapi import planning_paths, planning_schemas
from tamatch.models import (
    EngagementStatus,
    Language,
    Mechanism,
    NeedStatus,
    OfferStatus,
    ProposalStatus,
    Response,
    RoundStatus,
    State,
    SupportKind,
    Theme,
)


def paths(terms: dict[str, list[str]]) -> dict[str, Any]:
    text = {"type": "string", "maxLength": MAX_QUERY_LENGTH}
    q = query(
        "q",
        text,
        "Words that must all appear, or a reference: 'A/HRC/59/15 para. 140.44', '140.44'.",
    )
    state = query("state", enum(terms["states"]), "ISO 3166 alpha-3 code of the State.")
    theme = query("theme", enum(terms["themes"]), "Theme code.")
    return {
        "/recommendations": {
            "get": list_op(
                "Recommendations: best matches first when words are searched, else newest first",
                "Recommendation",
                [
                    q,
                    state,
                    query("mechanism", enum(terms["mechanisms"]), "Mechanism code (UPR, CCPR...)."),
                    query("body", text, "Body, as the recommendations give it."),
                    query("cycle", {"type": "integer", "minimum": 1, "maximum": 99}, "UPR cycle."),
                    query("session", text, "Session, as given ('UPR 34')."),
                    theme,
                    query("sdg", {"type": "integer", "minimum": 1, "maximum": 17}, "SDG number."),
                    query("response", enum(Response), "The State's response."),
                ],
            )
        },
        "/recommendations/{recommendation_id}": {
            "get": get_op("One recommendation", "Recommendation", "recommendation_id")
        },
        "/needs": {
            "get": list_op(
                "Needs you may see, newest first",
                "Need",
                [
                    q,
                    state,
                    theme,
                    query("support_kind", enum(terms["support_kinds"]), "Kind of support code."),
                    query("status", enum(NeedStatus), "Lifecycle status."),
                ],
            ),
            "post": operation(
                "Post a need for your own State (focal points)",
                {201: "Need"},
                (400, 403, 422),
                body="NeedInput",
            ),
        },
        "/interests": {
            "get": list_op(
                "Your organisation's interest in needs you may see (partners)",
                "Interest",
                [],
                forbidden=True,
            ),
            "post": operation(
                "Show (or change) interest in an open need with one of your offers (partners)",
                {201: "Interest"},
                (400, 403, 404, 422),
                body="InterestInput",
            ),
        },
        "/interests/{interest_id}": {"delete": _withdraw_op()},
        "/needs/{need_id}": {
            "get": get_op("One need", "Need", "need_id"),
            "patch": operation(
                "Edit a draft or open need of your State; `status` moves it",
                {200: "Need"},
                (400, 403, 404, 409, 422),
                [path_id("need_id")],
                body="NeedPatch",
            ),
        },
        "/offers": {
            "get": list_op(
                "Offers you may see, newest first",
                "Offer",
                [
                    q,
                    query("organisation", ID, "Organisation id."),
                    theme,
                    query("status", enum(OfferStatus), "Offer status."),
                ],
            )
        },
        "/offers/{offer_id}": {"get": get_op("One offer", "Offer", "offer_id")},
        "/rounds": {
            "get": list_op(
                "Match rounds (organisers: all; focal points and partners: not drafts)",
                "Round",
                [query("status", enum(RoundStatus), "Round status.")],
                forbidden=True,
            )
        },
        "/rounds/{round_id}": {"get": get_op("One match round", "Round", "round_id", True)},
        "/proposals": {
            "get": list_op(
                "Proposals of your side (organisers: all); confidential needs masked",
                "Proposal",
                [
                    query("status", enum(ProposalStatus), "Proposal status."),
                    query("round", ID, "Round id."),
                ],
                forbidden=True,
            )
        },
        "/proposals/{proposal_id}": {
            "get": get_op("One proposal", "Proposal", "proposal_id", True)
        },
        "/engagements": {
            "get": list_op(
                "Engagements you may see, newest first",
                "Engagement",
                [query("status", enum(EngagementStatus), "Engagement status.")],
            )
        },
        "/engagements/{engagement_id}": {
            "get": get_op("One engagement", "Engagement", "engagement_id")
        },
        "/engagements/{engagement_id}/reports": {
            "get": operation(
                "Progress reports on the engagement you may see",
                {200: "ReportList"},
                (404,),
                [path_id("engagement_id")],
            ),
            "post": operation(
                "Your side's report for a follow-up stage: created (201) or the existing one",
                {200: "Report", 201: "Report"},
                (400, 403, 404, 422),
                [path_id("engagement_id")],
                body="ReportStart",
            ),
        },
        **planning_paths(state),
        "/reports/{report_id}": {
            "get": get_op("One progress report", "Report", "report_id"),
            "patch": operation(
                "Edit your side's draft; `submit: true` submits it",
                {200: "Report"},
                (400, 403, 404, 422),
                [path_id("report_id")],
                body="ReportPatch",
            ),
        },
    }


def _withdraw_op() -> dict[str, Any]:
    op = operation(
        "Withdraw one of your organisation's interests (partners)",
        {},
        (403, 404),
        [path_id("interest_id")],
    )
    op["responses"] = {"204": {"description": "Withdrawn."}, **op["responses"]}
    return op


def document() -> dict[str, Any]:
    """The whole OpenAPI document; enums of reference codes come from the database."""
    terms = {
        "states": codes(State.iso3),
        "mechanisms": codes(Mechanism.code),
        "themes": codes(Theme.code),
        "support_kinds": codes(SupportKind.code),
        "languages": codes(Language.code),
    }
    openapi_doc = {
        "openapi": "3.0.3",
        "info": {
            "title": "tamatch API",
            "version": "1.0.0",
            "description": (
                "Recommendations, needs, offers, match rounds, proposals, engagements, "
                "progress reports and States' implementation plans (institutions, clusters, "
                "measures, indicators) of the Item 10 voluntary platform, for national mechanisms' "
                "tracking databases and partners' systems. Authenticate with a personal token "
                "(`Authorization: Bearer tm_...`); you see and change exactly what your account "
                "sees and changes on the site."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": paths(terms),
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                **schemas(terms),
                **planning_schemas({"type": "array", "items": enum(terms["themes"])}),
            },
            "responses": {
                f"E{code}": {"description": text, "content": json_content(ref("Error"))}
                for code, text in ERROR_TEXT.items()
            },
        },
    }
    return openapi_doc


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    return jsonify(document())
