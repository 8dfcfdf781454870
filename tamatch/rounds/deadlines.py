"""Answer deadlines: remind both sides before a run's deadline, lapse what is unanswered after.

`flask rounds expire` runs both once a day (tamatch.daily). Each is safe to run twice: a
reminder is sent once per proposal (a conditional UPDATE marks it), and lapsing touches only
proposals still waiting.
"""

from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import LazyString, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tamatch.auth.permissions import focal_points_of, side_members
from tamatch.extensions import db
from tamatch.models import Decision, LapseReason, Proposal, ProposalStatus, Side, SolveRun, User
from tamatch.models.base import utcnow
from tamatch.notifications.services import notify
from tamatch.rounds.lapses import lapse_waiting
from tamatch.rounds.permissions import member_answers

REMIND_DAYS = 3  # reminders go this many days before the deadline (and on any later day)


def _link(proposal: Proposal) -> str:
    adapter = current_app.url_map.bind("")
    return adapter.build("rounds.proposal", {"proposal_id": proposal.id})


def send_answer_reminders(today: date | None = None) -> dict[str, int]:
    """Remind each side that has not answered a waiting proposal whose deadline is within
    REMIND_DAYS days (and not past). Returns {"proposals": n, "people": n}."""
    today = today or utcnow().date()
    due_soon = sa.select(SolveRun.id).where(
        SolveRun.answers_due >= today, SolveRun.answers_due <= today + timedelta(REMIND_DAYS)
    )
    ids = list(
        db.session.scalars(
            sa.update(Proposal)
            .where(
                Proposal.status == ProposalStatus.PENDING,
                Proposal.reminded_at.is_(None),
                Proposal.run_id.in_(due_soon),
            )
            .values(reminded_at=utcnow())
            .returning(Proposal.id)
            .execution_options(synchronize_session=False)
        )
    )
    people = 0
    body = _l(
        "If both sides have not accepted by then, the proposal lapses and what it holds "
        "goes to other needs."
    )
    for proposal in db.session.scalars(sa.select(Proposal).where(Proposal.id.in_(ids))):
        subject = LazyString(
            lambda day: _(
                "Answer by %(day)s: a proposed match waits for you", day=format_date(day)
            ),
            proposal.run.answers_due,
        )
        people += tell_unanswered_sides(proposal, subject, body)
    return {"proposals": len(ids), "people": people}


def _answer_by(day: date) -> str:
    return _("Answer by %(day)s: a proposed match waits for you", day=format_date(day))


def unanswered_people(proposal: Proposal) -> dict[Side, list[User]]:
    """Per side, the people whose answer `proposal` still awaits: the partner's users while it
    has not answered; the focal points of the State, and on a joint need of each member State,
    that has not answered yet."""
    people: dict[Side, list[User]] = {Side.STATE: [], Side.PARTNER: []}
    if proposal.partner_decision == Decision.PENDING:
        people[Side.PARTNER] = side_members(Side.PARTNER, proposal.need, proposal.offer)
    states = [proposal.need.state_id] if proposal.state_decision == Decision.PENDING else []
    states += [m.state_id for m, answer in member_answers(proposal) if answer is None]
    if states:
        people[Side.STATE] = focal_points_of(states)
    return people


def tell_unanswered_sides(proposal: Proposal, subject, body) -> int:
    """Notify the people whose answer `proposal` awaits (each in their own language: `subject`
    and `body` are lazy); returns how many people were told."""
    waiting = unanswered_people(proposal)
    return sum(notify(users, subject, body, _link(proposal)) for users in waiting.values() if users)


def expire_answers(today: date | None = None) -> int:
    """Lapse every waiting proposal whose deadline has passed, freeing the capacity and budget
    it held and reopening its need. Returns how many lapsed."""
    today = today or utcnow().date()
    overdue = sa.select(SolveRun.id).where(SolveRun.answers_due < today)
    return len(lapse_waiting(None, Proposal.run_id.in_(overdue), LapseReason.DEADLINE))
