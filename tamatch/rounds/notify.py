"""Who is told what when proposals are published and answered."""

from collections.abc import Iterable

from flask import current_app
from flask_babel import lazy_gettext as _  # each recipient reads it in their language

from tamatch.auth.permissions import side_members
from tamatch.extensions import db
from tamatch.models import LapseReason, Proposal, Side, User
from tamatch.notifications.services import notify
from tamatch.rounds.consent import ConsentResult, Outcome
from tamatch.rounds.lapses import lapse_words


def _members(proposal: Proposal, side: Side) -> list[User]:
    return side_members(side, proposal.need, proposal.offer)


def _link(proposal: Proposal) -> str:
    """A site-relative link that works in a request, a job or the CLI alike."""
    adapter = current_app.url_map.bind("")
    return adapter.build("rounds.proposal", {"proposal_id": proposal.id})


def tell_about_publication(proposals: Iterable[Proposal]) -> None:
    """Each side of each new proposal learns that an answer is awaited."""
    db.session.flush()
    for proposal in proposals:
        subject = _("A proposed match waits for your answer (%(round)s)", round=proposal.round.name)
        body = _(
            "The organisers propose a match between a need and an offer. Nothing is agreed "
            "until both the State and the partner accept."
        )
        notify(_members(proposal, Side.STATE), subject, body, _link(proposal))
        notify(_members(proposal, Side.PARTNER), subject, body, _link(proposal))


def tell_about_decision(proposal: Proposal, side: Side, result: ConsentResult) -> None:
    """The other side (and the round's organiser) learn of an answer."""
    other = _members(proposal, Side.PARTNER if side == Side.STATE else Side.STATE)
    organiser = [proposal.round.created_by] if proposal.round.created_by_id else []
    both = _members(proposal, Side.STATE) + _members(proposal, Side.PARTNER)
    link = _link(proposal)
    if result.outcome == Outcome.ENGAGED:
        notify(
            both + organiser,
            _("A match is agreed: the engagement starts"),
            _("Both sides accepted. Progress reports will be due at the follow-up stages."),
            link,
        )
    elif result.outcome == Outcome.DECLINED:
        notify(
            other + organiser,
            _("A proposed match was declined"),
            _("The pair is barred from later passes; the need can be matched again."),
            link,
        )
    elif result.outcome == Outcome.WAITING:
        notify(
            other,
            _("The other side accepted a proposed match"),
            _("Your answer is the one still awaited."),
            link,
        )
    elif result.outcome == Outcome.LAPSED:
        notify(
            both + organiser,
            _("A proposed match lapsed"),
            lapse_words(LapseReason(proposal.lapse_reason or LapseReason.CAPACITY)),
            link,
        )
