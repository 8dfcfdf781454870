"""The organiser's reminder to those who have not answered a published run's proposals.

Once a day per run at most: the run's row is locked, and an audit entry of the day says the
reminder went, so a double click (or two organisers at once) sends it once.
"""

from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from tamatch.audit import record
from tamatch.auth.permissions import side_members
from tamatch.errors import InvalidTransition
from tamatch.extensions import db
from tamatch.models import AuditEntry, Decision, Proposal, Side, SolveRun, User
from tamatch.models.base import utcnow
from tamatch.notifications.services import notify
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


def _link(proposal: Proposal) -> str:
    adapter = current_app.url_map.bind("")
    return adapter.build("rounds.proposal", {"proposal_id": proposal.id})


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
        _l("Please accept or decline it by %(day)s.", day=run.answers_due.isoformat())
        if run.answers_due
        else _l("Please accept or decline it.")
    )
    people = 0
    for proposal in proposals:
        for side, decision in (
            (Side.STATE, proposal.state_decision),
            (Side.PARTNER, proposal.partner_decision),
        ):
            if decision == Decision.PENDING:
                members = side_members(side, proposal.need, proposal.offer)
                people += notify(members, subject, body, _link(proposal))
    counts = {"proposals": len(proposals), "people": people}
    record(actor, ACTION, run, after={"day": today.isoformat(), **counts})
    return counts
