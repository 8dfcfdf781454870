"""Writing audit entries: services call `record` after a change, inside the same transaction.

An entry stores facts (codes and ids, never free text) and the need it concerns, if any, so the
audit log shows its details only to those entitled to that need (tamatch/admin/audit_view.py).
"""

from datetime import date, datetime
from enum import Enum
from typing import Any

import sqlalchemy as sa

from tamatch.extensions import db
from tamatch.models import AuditEntry, Engagement, Need, Proposal, User


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return sorted(_plain(v) for v in value)
    return value


def snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """The named attributes of `obj` as JSON-ready values (related rows by their id)."""
    out: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, list):
            value = [getattr(v, "id", v) for v in value]
        out[name] = _plain(value)
    return out


def need_of(obj: Any, values: dict | None = None) -> int | None:
    """The id of the need an audited action concerns, or None.

    The need itself; the need of a row that belongs to one (a proposal, an engagement, a pin; a
    report, its evidence and comments through the engagement); or the need its values name
    ({"need_id": 7}, {"item": "need:7"}), also through a row of that need they name
    ({"engagement_id": 3} from a measure's progress, {"proposal_id": 5}).
    """
    if isinstance(obj, Need):
        return obj.id
    report = getattr(obj, "report", None)
    for owner in (obj, getattr(obj, "engagement", None), getattr(report, "engagement", None)):
        if isinstance(getattr(owner, "need_id", None), int):
            return owner.need_id
    values = values or {}
    if isinstance(values.get("need_id"), int):
        return values["need_id"]
    item = values.get("item")
    if isinstance(item, str) and item.startswith("need:") and item[5:].isdigit():
        return int(item[5:])
    for key, model in (("engagement_id", Engagement), ("proposal_id", Proposal)):
        if isinstance(values.get(key), int):
            return db.session.scalar(sa.select(model.need_id).where(model.id == values[key]))
    return None


def record(
    actor: User | None,
    action: str,
    obj: Any,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    """Add an audit entry for `action` on `obj` (a row, or a string naming what was acted on,
    such as "needs" for a list export); flushes so the entry has its id, never commits."""
    if before is not None and after is not None:
        changed = {k for k in after if before.get(k) != after.get(k)}
        before = {k: v for k, v in before.items() if k in changed}
        after = {k: v for k, v in after.items() if k in changed}
    entry = AuditEntry(
        need_id=need_of(obj, after) or need_of(obj, before),
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=obj if isinstance(obj, str) else type(obj).__name__.lower(),
        object_id=None if isinstance(obj, str) else getattr(obj, "id", None),
        before=before,
        after=after,
    )
    db.session.add(entry)
    db.session.flush()
    return entry
