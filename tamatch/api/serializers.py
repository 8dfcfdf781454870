"""Plain JSON shapes of the domain objects: snake_case fields, ISO dates, codes for terms."""

from datetime import date, datetime
from typing import Any

from tamatch.auth.permissions import can_see_need
from tamatch.models import (
    Decision,
    Engagement,
    MatchRound,
    Need,
    Offer,
    ProgressReport,
    Proposal,
    Recommendation,
    Side,
    State,
    User,
)
from tamatch.rounds import render
from tamatch.rounds.permissions import member_answers


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _state(state: State | None) -> dict[str, str] | None:
    return {"iso3": state.iso3, "name": state.name} if state is not None else None


def _codes(rows) -> list[str]:
    return [row.code for row in rows]


def recommendation(rec: Recommendation) -> dict[str, Any]:
    return {
        "id": rec.id,
        "reference": rec.reference,
        "mechanism": rec.mechanism.code,
        "body": rec.body,
        "session": rec.session,
        "cycle": rec.cycle,
        "document_symbol": rec.document_symbol,
        "paragraph": rec.paragraph,
        "issued_on": _day(rec.issued_on),
        "state": _state(rec.state),
        "text": rec.text,
        "text_locale": rec.text_locale,
        "texts": {version.locale: version.text for version in rec.translations},
        "response": rec.response.value if rec.response else None,
        "response_text": rec.response_text,
        "response_source": rec.response_source,
        "themes": _codes(rec.themes),
        "affected_groups": _codes(rec.affected_groups),
        "sdgs": sorted(sdg.number for sdg in rec.sdgs),
        "recommending_states": [s.iso3 for s in rec.recommending_states],
        "implementation_status": rec.implementation_status,
        "implementation_reported_at": _day(rec.implementation_reported_at),
    }


def need(item: Need) -> dict[str, Any]:
    return {
        "id": item.id,
        "state": _state(item.state),
        "title": item.title,
        "gap": item.gap,
        "text_locale": item.text_locale,
        "status": item.status.value,
        "visibility": item.visibility.value,
        "recommendation_ids": sorted(r.id for r in item.recommendations),
        "themes": _codes(item.themes),
        "support_kinds": _codes(item.support_kinds),
        "languages": _codes(item.languages),
        "cost_min": item.cost_min,
        "cost_max": item.cost_max,
        "window_start": _day(item.window_start),
        "window_end": _day(item.window_end),
        "priority": item.priority,
        # A joint need's other States and their answers to it opening (empty: the State's own).
        "cohort": [
            {"state": _state(m.state), "consent": m.consent.value}
            for m in (item.cohort.members if item.cohort else [])
        ],
        "created_at": _moment(item.created_at),
        "updated_at": _moment(item.updated_at),
    }


def need_summary(user: User, item: Need) -> dict[str, Any]:
    """A need inside a proposal or engagement; masked for those who may not see it."""
    visible = can_see_need(user, item)
    return {
        "id": item.id,
        "masked": not visible,
        "title": item.title if visible else None,
        "gap": item.gap if visible else None,
        "state": _state(item.state) if visible else None,
        "themes": _codes(item.themes),
    }


def _organisation(offer: Offer) -> dict[str, Any]:
    org = offer.organisation
    return {"id": org.id, "name": org.name, "kind": org.kind.value}


def offer(item: Offer) -> dict[str, Any]:
    return {
        "id": item.id,
        "organisation": _organisation(item),
        "title": item.title,
        "description": item.description,
        "text_locale": item.text_locale,
        "status": item.status.value,
        "modality": item.modality.value,
        "capacity": item.capacity,
        "remaining_capacity": item.remaining_capacity,
        "budget": item.budget,
        "remaining_budget": item.remaining_budget,
        "typical_cost": item.typical_cost,
        "window_start": _day(item.window_start),
        "window_end": _day(item.window_end),
        "eligibility": {
            "all": item.eligible_all,
            "ldc": item.eligible_ldc,
            "sids": item.eligible_sids,
            "lldc": item.eligible_lldc,
            "regional_groups": [g.value for g in item.eligible_groups],
            "states": [s.iso3 for s in item.eligible_states],
        },
        "themes": _codes(item.themes),
        "support_kinds": _codes(item.support_kinds),
        "languages": _codes(item.languages),
        "created_at": _moment(item.created_at),
        "updated_at": _moment(item.updated_at),
    }


def offer_summary(item: Offer) -> dict[str, Any]:
    return {"id": item.id, "title": item.title, "organisation": _organisation(item)}


def match_round(item: MatchRound) -> dict[str, Any]:
    return {
        "id": item.id,
        "name": item.name,
        "serves": item.serves,
        "status": item.status.value,
        "submission_deadline": _day(item.submission_deadline),
        "followup_months": list(item.followup_months),
        "themes": _codes(item.themes),
        "regional_groups": [g.value for g in item.regional_groups],
        "created_at": _moment(item.created_at),
    }


def proposal(user: User, item: Proposal) -> dict[str, Any]:
    """A proposal as `user` may read it: its explanation and the sides' reasons rendered for
    `user`, as on the page (tamatch/rounds/render.py)."""
    return {
        "id": item.id,
        "round_id": item.round_id,
        "status": item.status.value,
        "need": need_summary(user, item.need),
        "offer": offer_summary(item.offer),
        "score": item.score,
        "cost": item.cost,
        "explanation": render.explanation(user, item.outcome),
        "state_decision": item.state_decision.value,
        "partner_decision": item.partner_decision.value,
        "state_reason": render.decision_reason(user, item, Side.STATE) or None,
        "partner_reason": render.decision_reason(user, item, Side.PARTNER) or None,
        # On a joint need, each member State's answer (its State masked as for the need).
        "member_decisions": [
            {
                "state": member.state.iso3 if render.entitled(user, item.need) else None,
                "decision": (answer.decision if answer else Decision.PENDING).value,
            }
            for member, answer in member_answers(item)
        ],
        "engagement_id": item.engagement.id if item.engagement else None,
    }


def engagement(user: User, item: Engagement) -> dict[str, Any]:
    return {
        "id": item.id,
        "proposal_id": item.proposal_id,
        "round_id": item.round_id,
        "status": item.status.value,
        "need": need_summary(user, item.need),
        "offer": offer_summary(item.offer),
        "cost": item.cost,
        "started_on": _day(item.started_on),
        "reports_due": [
            {"stage_months": due.stage_months, "due_on": _day(due.due_on)}
            for due in item.reports_due
        ],
        "created_at": _moment(item.created_at),
    }


def report(item: ProgressReport) -> dict[str, Any]:
    return {
        "id": item.id,
        "engagement_id": item.engagement_id,
        "stage_months": item.report_due.stage_months,
        "due_on": _day(item.report_due.due_on),
        "side": item.side.value,
        "status": item.status.value,
        "achievements": item.achievements,
        "challenges": item.challenges,
        "obstacles": item.obstacles,
        "lessons": item.lessons,
        "statuses": {str(p.recommendation_id): p.status.value for p in item.statuses},
        "created_at": _moment(item.created_at),
        "updated_at": _moment(item.updated_at),
        "submitted_at": _moment(item.submitted_at),
    }
