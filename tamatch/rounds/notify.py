"""Who is told what when proposals are published and answered.

Each notification is written for its reader (tamatch/rounds/render.py): the need's title and the
State's reasons only for those entitled to the need; the e-mail for no reader in particular.
"""

from collections.abc import Callable, Iterable

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _  # each recipient reads it in their language

from tamatch.auth.permissions import side_members
from tamatch.extensions import db
from tamatch.i18n.locales import DEFAULT_LOCALE
from tamatch.models import LapseReason, Proposal, Side, User
from tamatch.notifications.services import notify
from tamatch.rounds import render
from tamatch.rounds.consent import ConsentResult, Outcome
from tamatch.rounds.lapses import lapse_words


def _members(proposal: Proposal, side: Side) -> list[User]:
    return side_members(side, proposal.need, proposal.offer)


def _link(proposal: Proposal) -> str:
    """A site-relative link that works in a request, a job or the CLI alike."""
    adapter = current_app.url_map.bind("")
    return adapter.build("rounds.proposal", {"proposal_id": proposal.id})


def tell(
    users: Iterable[User], subject: str, body: Callable[[User | None], str], link: str
) -> None:
    """Notify each of `users` with `body(user)`, and e-mail them `body(None)`, each in the
    recipient's language (the body is made for its reader, so it is rendered here)."""
    for user in {u.id: u for u in users if u is not None}.values():
        with force_locale(user.locale or DEFAULT_LOCALE):
            text, mail = str(body(user)), str(body(None))
        notify([user], subject, text, link, mail_body=mail)


def tell_about_publication(proposals: Iterable[Proposal]) -> None:
    """Each side of each new proposal learns that an answer is awaited."""
    db.session.flush()
    for proposal in proposals:
        subject = _("A proposed match waits for your answer (%(round)s)", round=proposal.round.name)

        def body(reader: User | None, proposal: Proposal = proposal) -> str:
            return _(
                "The organisers propose a match between %(need)s and the offer “%(offer)s”. "
                "Nothing is agreed until both the State and the partner accept.",
                need=render.need_phrase(reader, proposal.need),
                offer=proposal.offer.title,
            )

        sides = _members(proposal, Side.STATE) + _members(proposal, Side.PARTNER)
        tell(sides, subject, body, _link(proposal))


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
        tell(other + organiser, _("A proposed match was declined"), _declined(proposal, side), link)
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


def _declined(proposal: Proposal, side: Side) -> Callable[[User | None], str]:
    """The body of a decline notice: who declined which pair, and why if the reader may know."""

    def body(reader: User | None) -> str:
        need = render.need_phrase(reader, proposal.need)
        reason = render.decision_reason(reader, proposal, side)
        if side == Side.STATE:
            who = _("The State declined the match between %(need)s and the offer “%(offer)s”.",
                    need=need, offer=proposal.offer.title)  # fmt: skip
        else:
            who = _("The partner declined the match between %(need)s and the offer “%(offer)s”.",
                    need=need, offer=proposal.offer.title)  # fmt: skip
        why = _("Their reason: %(reason)s", reason=reason) if reason else ""
        barred = _("The pair is barred from later passes; the need can be matched again.")
        return " ".join(str(part) for part in (who, why, barred) if part)

    return body
