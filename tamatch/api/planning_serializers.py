"""JSON shapes of the plan: institutions, clusters, measures, indicators and their values."""

from datetime import date
from typing import Any

from tamatch.api.serializers import _codes, _day, _moment, _state
from tamatch.models import Cluster, Indicator, IndicatorValue, Institution, Measure, User
from tamatch.planning.permissions import is_plan_owner


def institution(user: User | None, item: Institution) -> dict[str, Any]:
    """The recommendations it holds are the State's working detail: listed for its focal
    points only (null for others)."""
    own = is_plan_owner(user, item.state_id)
    return {
        "id": item.id,
        "state": _state(item.state),
        "name": item.name,
        "kind": item.kind.value,
        "contact_role": item.contact_role,
        "archived": item.archived,
        "recommendation_ids": sorted(r.id for r in item.recommendations) if own else None,
    }


def cluster(item: Cluster) -> dict[str, Any]:
    return {
        "id": item.id,
        "state": _state(item.state),
        "title": item.title,
        "description": item.description,
        "themes": _codes(item.themes),
        "institution_ids": sorted(i.id for i in item.institutions),
        "recommendation_ids": sorted(r.id for r in item.recommendations),
        "created_at": _moment(item.created_at),
        "updated_at": _moment(item.updated_at),
    }


def measure(item: Measure, today: date | None = None) -> dict[str, Any]:
    return {
        "id": item.id,
        "state": _state(item.state),
        "title": item.title,
        "description": item.description,
        "gap": item.gap,
        "status": item.status.value,
        "visibility": item.visibility.value,
        "cluster_id": item.cluster_id,
        "recommendation_ids": sorted(r.id for r in item.recommendations),
        "institution_ids": sorted(i.id for i in item.institutions),
        "start_on": _day(item.start_on),
        "due_on": _day(item.due_on),
        "overdue": item.is_overdue(today or date.today()),
        "indicator_ids": [i.id for i in item.indicators],
        "updates": [
            {
                "at": _moment(u.created_at),
                "status_from": u.status_from.value if u.status_from else None,
                "status_to": u.status_to.value if u.status_to else None,
                "note": u.note,
                "engagement_id": u.engagement_id,
            }
            for u in item.updates
        ],
        "created_at": _moment(item.created_at),
        "updated_at": _moment(item.updated_at),
    }


def value(item: IndicatorValue) -> dict[str, Any]:
    return {
        "id": item.id,
        "indicator_id": item.indicator_id,
        "observed_on": _day(item.observed_on),
        "value": item.value,
        "note": item.note,
    }


def indicator(item: Indicator) -> dict[str, Any]:
    latest = item.latest
    return {
        "id": item.id,
        "measure_id": item.measure_id,
        "definition": item.definition,
        "unit": item.unit,
        "baseline_value": item.baseline_value,
        "baseline_year": item.baseline_year,
        "target_value": item.target_value,
        "target_year": item.target_year,
        "source": item.source,
        "review_months": item.review_months,
        "latest": value(latest) if latest is not None else None,
        "created_at": _moment(item.created_at),
    }
