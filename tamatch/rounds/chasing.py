"""The organiser's reminder to those who have not answered a published run's proposals.

Once a day per run at most: the run's row is locked, and an audit entry of the day says the
reminder went, so a double click (or two organisers at once) sends it once.
"""

from datetime import date

import sqlalchemy as sa
from flask_babel import LazyString, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tamatch.audit import record
from tamatch.errors import InvalidTransition
from tamatch.extensions import db
from tamatch.models import AuditEntry, SolveRun, User
from tamatch.models.base import utcnow
from tamatch.rounds.deadlines import tell_unanswered_sides
from tamatch.rounds.tracking_queries import Waiting, tracking_query

ACTION = "run.remind"


def reminded_today(run: SolveRun, today: date | None = None) -> bool:
    """Whether the run's unanswered sides were reminded already `today` (UTC)."""
    day = (today or utcnow().date()).isoformat()
    stmt = sa.select(AuditEntry.after).where(
        AuditEntry.action == ACTION,
        AuditEntry.object_type == type(run).__name__.lower(),
        AuditEntry.object_id == run.id,
    )
    return any((after or {}).get("day") == day for after in db.session.scalars(stmt))


def remind_unanswered(actor: User, run: SolveRun, today: date | None = None) -> dict[str, int]:
    """Tell every side that has not answered a waiting proposal of `run` that its answer is
    awaited. Returns {"proposals": n, "people": n}. Raises InvalidTransition when the run is
    not published or was reminded already today. Flushes, never commits."""
    if run.published_at is None:
        raise InvalidTransition(_l("Only a published run's proposals can be answered."))
    db.session.execute(sa.select(SolveRun.id).where(SolveRun.id == run.id).with_for_update())
    today = today or utcnow().date()
    if reminded_today(run, today):
        raise InvalidTransition(_l("Those who have not answered were reminded today already."))
    proposals = list(db.session.scalars(tracking_query(run, waiting=Waiting.ANY)))
    subject = _l(
        "Reminder: a proposed match waits for your answer (%(round)s)", round=run.round.name
    )
    body = (
        LazyString(
            lambda day: _("Please accept or decline it by %(day)s.", day=format_date(day)),
            run.answers_due,
        )
        if run.answers_due
        else _l("Please accept or decline it.")
    )
    people = sum(tell_unanswered_sides(p, subject, body) for p in proposals)
    counts = {"proposals": len(proposals), "people": people}
    record(actor, ACTION, run, after={"day": today.isoformat(), **counts})
    return counts
