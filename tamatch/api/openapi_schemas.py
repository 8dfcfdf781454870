"""Component schemas of the OpenAPI description, mirroring tamatch.api.serializers."""

from typing import Any

import sqlalchemy as sa

from tamatch.api.params import MAX_ID, MAX_PER_PAGE
from tamatch.extensions import db
from tamatch.followup.services import NARRATIVE
from tamatch.models import (
    CohortConsent,
    Decision,
    EngagementStatus,
    ImplementationStatus,
    Modality,
    NeedStatus,
    OfferStatus,
    OrganisationKind,
    ProposalStatus,
    RegionalGroup,
    ReportStatus,
    Response,
    RoundStatus,
    Side,
    Visibility,
)

Schema = dict[str, Any]
STR: Schema = {"type": "string"}
INT: Schema = {"type": "integer"}
BOOL: Schema = {"type": "boolean"}
DAY: Schema = {"type": "string", "format": "date"}
MOMENT: Schema = {"type": "string", "format": "date-time"}
ID: Schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
AMOUNT: Schema = {"type": "integer", "minimum": 0, "maximum": MAX_ID}
CODES: Schema = {"type": "array", "items": STR}
ERROR_TEXT = {
    400: "Malformed request or query parameter.",
    401: "No valid bearer token.",
    403: "Your role or side may not do this.",
    404: "No such object, or you may not see it.",
    409: "The object's current state does not allow this.",
    422: "The body has invalid values; `fields` names them.",
}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def null(schema: Schema) -> Schema:
    return {**schema, "nullable": True}


def enum(values) -> Schema:
    return {"type": "string", "enum": [getattr(v, "value", v) for v in values]}


def obj(properties: dict[str, Schema], required: list[str] | None = None) -> Schema:
    """A closed object; every property is required unless `required` says otherwise."""
    return {
        "type": "object",
        "properties": properties,
        "required": sorted(properties) if required is None else required,
        "additionalProperties": False,
    }


def page_of(name: str) -> Schema:
    return obj(
        {
            "items": {"type": "array", "items": ref(name)},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            "total": {"type": "integer", "minimum": 0},
            "pages": {"type": "integer", "minimum": 0},
        }
    )


def state(nullable: bool = False) -> Schema:
    schema = obj({"iso3": STR, "name": STR})
    return null(schema) if nullable else schema


def codes(column: sa.ColumnElement) -> list[str]:
    """Every value of a reference table's code column, for an enum."""
    return [str(v) for v in db.session.scalars(sa.select(column).order_by(column))]


TEXT_LOCALE = (
    "The language the texts are written in (ISO 639-1); by default the account's language."
)


def schemas(terms: dict[str, list[str]]) -> dict[str, Schema]:
    """Component schemas; `terms` holds the codes of the reference tables for enums."""
    term_lists = {name: {"type": "array", "items": enum(codes)} for name, codes in terms.items()}
    organisation = obj({"id": ID, "name": STR, "kind": enum(OrganisationKind)})
    need_fields = {
        "title": {"type": "string", "minLength": 1, "maxLength": 200},
        "gap": {"type": "string", "minLength": 20, "maxLength": 10000},
        "text_locale": {**enum(terms["languages"]), "description": TEXT_LOCALE},
        "recommendation_ids": {"type": "array", "items": ID},
        "themes": {**term_lists["themes"], "minItems": 1},
        "support_kinds": {**term_lists["support_kinds"], "minItems": 1},
        "languages": {**term_lists["languages"], "minItems": 1},
        "cost_min": AMOUNT,
        "cost_max": AMOUNT,
        "window_start": DAY,
        "window_end": DAY,
        "priority": {"type": "integer", "minimum": 1, "maximum": 3},
        "visibility": enum(Visibility),
    }
    narrative = {name: {"type": "string", "maxLength": 20000} for name in NARRATIVE}
    return {
        "Error": obj(
            {
                "error": obj(
                    {
                        "status": INT,
                        "code": STR,
                        "message": STR,
                        "fields": {"type": "object", "additionalProperties": STR},
                    }
                )
            }
        ),
        "State": state(),
        "Recommendation": obj(
            {
                "id": ID,
                "reference": STR,
                "mechanism": STR,
                "body": STR,
                "session": null(STR),
                "cycle": null(INT),
                "document_symbol": null(STR),
                "paragraph": null(STR),
                "issued_on": null(DAY),
                "state": state(),
                "text": STR,
                "text_locale": null(STR),
                "texts": {
                    "type": "object",
                    "additionalProperties": STR,
                    "description": "The text in the source's other languages, by ISO 639-1 code.",
                },
                "response": null(enum([*Response, None])),  # None: no position recorded
                "response_text": null(STR),
                "response_source": null(STR),
                "themes": CODES,
                "affected_groups": CODES,
                "sdgs": {
                    "type": "array",
                    "items": {"type": "integer", "minimum": 1, "maximum": 17},
                },
                "recommending_states": CODES,
                "implementation_status": null(STR),
                "implementation_reported_at": null(DAY),
            }
        ),
        "Need": obj(
            {
                "id": ID,
                "state": state(),
                "title": STR,
                "gap": STR,
                "text_locale": null(STR),
                "status": enum(NeedStatus),
                "visibility": enum(Visibility),
                "recommendation_ids": {"type": "array", "items": ID},
                "themes": CODES,
                "support_kinds": CODES,
                "languages": CODES,
                "cost_min": INT,
                "cost_max": INT,
                "window_start": DAY,
                "window_end": DAY,
                "priority": INT,
                "cohort": {
                    "type": "array",
                    "items": obj({"state": state(), "consent": enum(CohortConsent)}),
                    "description": "A joint need's other States and their answers to it "
                    "opening; empty for a State's own need.",
                },
                "created_at": MOMENT,
                "updated_at": MOMENT,
            }
        ),
        "NeedInput": obj(
            {**need_fields, "publish": BOOL},
            required=[
                *("title", "gap", "recommendation_ids", "themes", "support_kinds", "languages"),
                *("cost_min", "cost_max", "window_start", "window_end"),
            ],
        ),
        "NeedPatch": obj({**need_fields, "status": enum(NeedStatus)}, required=[]),
        "NeedSummary": obj(
            {
                "id": ID,
                "masked": BOOL,
                "title": null(STR),
                "gap": null(STR),
                "state": state(nullable=True),
                "themes": CODES,
            }
        ),
        "Offer": obj(
            {
                "id": ID,
                "organisation": organisation,
                "title": STR,
                "description": STR,
                "text_locale": null(STR),
                "status": enum(OfferStatus),
                "modality": enum(Modality),
                "capacity": INT,
                "remaining_capacity": INT,
                "budget": INT,
                "remaining_budget": INT,
                "typical_cost": INT,
                "window_start": DAY,
                "window_end": DAY,
                "eligibility": obj(
                    {
                        "all": BOOL,
                        "ldc": BOOL,
                        "sids": BOOL,
                        "lldc": BOOL,
                        "regional_groups": {"type": "array", "items": enum(RegionalGroup)},
                        "states": CODES,
                    }
                ),
                "themes": CODES,
                "support_kinds": CODES,
                "languages": CODES,
                "created_at": MOMENT,
                "updated_at": MOMENT,
            }
        ),
        "OfferSummary": obj({"id": ID, "title": STR, "organisation": organisation}),
        "Round": obj(
            {
                "id": ID,
                "name": STR,
                "serves": STR,
                "status": enum(RoundStatus),
                "submission_deadline": DAY,
                "followup_months": {"type": "array", "items": INT},
                "themes": CODES,
                "regional_groups": {"type": "array", "items": enum(RegionalGroup)},
                "created_at": MOMENT,
            }
        ),
        "Proposal": obj(
            {
                "id": ID,
                "round_id": ID,
                "status": enum(ProposalStatus),
                "need": ref("NeedSummary"),
                "offer": ref("OfferSummary"),
                "score": INT,
                "cost": INT,
                "explanation": {"type": "array", "items": STR},
                "state_decision": enum(Decision),
                "partner_decision": enum(Decision),
                "state_reason": null(STR),
                "partner_reason": null(STR),
                "member_decisions": {
                    "type": "array",
                    "items": obj({"state": null(STR), "decision": enum(Decision)}),
                    "description": "On a joint need, each member State's answer; the State is "
                    "null for a reader who may not see the need.",
                },
                "engagement_id": null(ID),
            }
        ),
        "Engagement": obj(
            {
                "id": ID,
                "proposal_id": ID,
                "round_id": ID,
                "status": enum(EngagementStatus),
                "need": ref("NeedSummary"),
                "offer": ref("OfferSummary"),
                "cost": INT,
                "started_on": DAY,
                "reports_due": {
                    "type": "array",
                    "items": obj({"stage_months": INT, "due_on": DAY}),
                },
                "created_at": MOMENT,
            }
        ),
        "Report": obj(
            {
                "id": ID,
                "engagement_id": ID,
                "stage_months": INT,
                "due_on": DAY,
                "side": enum(Side),
                "status": enum(ReportStatus),
                **dict.fromkeys(NARRATIVE, STR),
                "statuses": {"type": "object", "additionalProperties": enum(ImplementationStatus)},
                "created_at": MOMENT,
                "updated_at": MOMENT,
                "submitted_at": null(MOMENT),
            }
        ),
        "ReportList": obj({"items": {"type": "array", "items": ref("Report")}}),
        "ReportStart": obj({"stage_months": {"type": "integer", "minimum": 1, "maximum": 1200}}),
        "ReportPatch": obj(
            {
                **narrative,
                "statuses": {"type": "object", "additionalProperties": enum(ImplementationStatus)},
                "submit": BOOL,
            },
            required=[],
        ),
        "Interest": obj(
            {
                "id": ID,
                "need_id": ID,
                "offer_id": ID,
                "level": enum(["interested", "very_interested"]),
                "created_at": MOMENT,
                "updated_at": MOMENT,
            }
        ),
        "InterestInput": obj(
            {"need_id": ID, "offer_id": ID, "level": enum(["interested", "very_interested"])},
            required=["need_id", "offer_id"],
        ),
        **{f"{name}Page": page_of(name) for name in ("Recommendation", "Need", "Offer")},
        "InterestPage": page_of("Interest"),
        **{f"{name}Page": page_of(name) for name in ("Round", "Proposal", "Engagement")},
    }
