"""The audit log as one reader may read it: entries about a need the reader may not see keep
their action and time, and lose their details.

Entries store facts (codes and ids) and the need they concern (`AuditEntry.need_id`, filled by
`tamatch.audit.record`); the need's title is looked up at display time, for its readers only.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from tamatch.admin.audit_details import detail_lines, object_label
from tamatch.auth.permissions import visible_needs_clause
from tamatch.extensions import db
from tamatch.models import AuditEntry, Need, User


@dataclass(frozen=True, slots=True)
class AuditLine:
    """One entry as shown: what it was about, and its values unless they are masked."""

    entry: AuditEntry
    subject: str
    masked: bool
    before: dict | None
    after: dict | None
    before_lines: tuple[tuple[str, str, bool], ...] = ()
    after_lines: tuple[tuple[str, str, bool], ...] = ()


def audit_lines(reader: User | None, entries: Sequence[AuditEntry]) -> list[AuditLine]:
    """Render `entries` for `reader`, masking those about a need `reader` may not see.

    The rule is `visible_needs_clause` (the SQL mirror of `can_see_need`), in one query.
    """
    need_ids = {e.need_id for e in entries if e.need_id is not None}
    titles: dict[int, str] = {}
    if need_ids:
        stmt = sa.select(Need.id, Need.title).where(
            Need.id.in_(need_ids), visible_needs_clause(reader)
        )
        titles = dict(db.session.execute(stmt).all())
    return [_line(entry, titles) for entry in entries]


def _line(entry: AuditEntry, titles: dict[int, str]) -> AuditLine:
    masked = entry.need_id is not None and entry.need_id not in titles
    kind = object_label(entry.object_type)
    own = f"{kind} #{entry.object_id}" if entry.object_id is not None else kind
    if entry.need_id is None:
        subject = own
    elif masked:
        hidden = _("a need you may not see")
        subject = hidden if entry.object_type == "need" else f"{own} · {hidden}"
    else:
        need = _("need #%(id)s “%(title)s”", id=entry.need_id, title=titles[entry.need_id])
        subject = need if entry.object_type == "need" else f"{own} · {need}"
    if masked:
        return AuditLine(entry, subject, True, None, None)
    return AuditLine(
        entry,
        subject,
        False,
        entry.before,
        entry.after,
        tuple(detail_lines(entry.object_type, entry.before)),
        tuple(detail_lines(entry.object_type, entry.after)),
    )
