"""An audit entry's stored codes as a reader reads them: labels of states, "key: value" lines."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

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


def _value(object_type: str, key: str, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(_value(object_type, key, v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(detail_lines(object_type, value)) or "—"
    labels = STATUS_BY_OBJECT.get(object_type, STATUS_LABELS) if key == "status" else None
    labels = labels or VALUE_LABELS.get(key)
    return label(labels, value) if labels else str(value)


def detail_lines(object_type: str, values: dict | None) -> list[str]:
    """One "key: value" line per stored value, values of states through their labels."""
    return [
        _("%(key)s: %(value)s", key=key.replace("_", " "), value=_value(object_type, key, v))
        for key, v in (values or {}).items()
    ]
