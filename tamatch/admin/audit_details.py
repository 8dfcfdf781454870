"""An audit entry's stored codes as a reader reads them: labels of states, "key: value" lines."""

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tamatch.admin.audit_actions import key_label
from tamatch.extensions import db
from tamatch.i18n.names import state_name
from tamatch.labels import (
    ENGAGEMENT_STATUS_LABELS,
    PROPOSAL_STATUS_LABELS,
    RESPONSE_LABELS,
    ROUND_STATUS_LABELS,
    RUN_STATUS_LABELS,
    SIDE_LABELS,
    STATUS_LABELS,
    label,
)
from tamatch.models import State
from tamatch.needs.forms import PRIORITY_LABELS, VISIBILITY_LABELS
from tamatch.offers.forms import MODALITY_LABELS
from tamatch.rounds.lapses import LAPSE_REASON_LABELS

OBJECT_LABELS = {
    "need": _l("Need"),
    "needs": _l("List of needs"),
    "offer": _l("Offer"),
    "offers": _l("List of offers"),
    "recommendations": _l("List of recommendations"),
    "proposal": _l("Proposal"),
    "engagement": _l("Engagement"),
    "matchround": _l("Round"),
    "solverun": _l("Run"),
    "user": _l("User"),
    "organisation": _l("Organisation"),
}
# Which labels name the values of `status` for each kind of object.
STATUS_BY_OBJECT = {
    "matchround": ROUND_STATUS_LABELS,
    "solverun": RUN_STATUS_LABELS,
    "proposal": PROPOSAL_STATUS_LABELS,
    "engagement": ENGAGEMENT_STATUS_LABELS,
}
VALUE_LABELS = {
    "visibility": VISIBILITY_LABELS,
    "priority": PRIORITY_LABELS,
    "side": SIDE_LABELS,
    "response": RESPONSE_LABELS,
    "modality": MODALITY_LABELS,
    "reason": LAPSE_REASON_LABELS,
}


def object_label(object_type: str) -> str:
    """The kind of object in the reader's words (the code itself when none is known)."""
    return str(OBJECT_LABELS.get(object_type, object_type.replace("_", " ")))


# Keys whose values are ids of States: shown by name in the reader's language.
STATE_KEYS = frozenset({"state_id", "states"})
# Keys whose values are ids of other objects: shown as "#id".
ID_KEYS = frozenset({"need_id", "offer_id", "proposal_id", "report_id", "round_id"})


def _state_names(ids) -> str:
    states = {s.id: s for s in db.session.scalars(sa.select(State).where(State.id.in_(ids)))}
    return ", ".join(state_name(states[i]) if i in states else f"#{i}" for i in ids)


def _ids(value) -> list[int] | None:
    """The ids a stored value holds (one id or a list of them), None for anything else."""
    ids = value if isinstance(value, list) else [value]
    return ids if all(isinstance(i, int) and not isinstance(i, bool) for i in ids) else None


def _id_value(key: str, value) -> str | None:
    """Ids of States by name, ids of other objects as "#id"; None when `value` is not that."""
    ids = _ids(value) if key in STATE_KEYS | ID_KEYS else None
    if ids is None:
        return None
    return _state_names(ids) if key in STATE_KEYS else ", ".join(f"#{i}" for i in ids)


def _value(object_type: str, key: str, value) -> str:
    if value is None or value in ("", []):
        return "—"
    if (ids := _id_value(key, value)) is not None:
        return ids
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(_value(object_type, key, v) for v in value) or "—"
    if isinstance(value, dict):
        pairs = detail_lines(object_type, value)
        return "; ".join(f"{k}: {text}" for k, text, _w in pairs) or "—"
    labels = STATUS_BY_OBJECT.get(object_type, STATUS_LABELS) if key == "status" else None
    labels = labels or VALUE_LABELS.get(key)
    return label(labels, value) if labels else str(value)


def detail_lines(object_type: str, values: dict | None) -> list[tuple[str, str, bool]]:
    """(key, value, worded) per stored value, the key in words: states and other codes through
    their labels, ids of States by name (worded), other values (numbers, dates, free codes) as
    stored."""
    lines = []
    for key, v in (values or {}).items():
        text = _value(object_type, key, v)
        worded = (
            key in VALUE_LABELS
            or key in STATE_KEYS
            or key == "status"
            or isinstance(v, bool)
            or text == "—"
        )
        lines.append((key_label(key), text, worded))
    return lines
