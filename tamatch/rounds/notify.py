"""Who is told what when proposals are published and answered.

Each notification is written for its reader (tamatch/rounds/render.py): the need's title and the
State's reasons only for those entitled to the need; the e-mail for no reader in particular.
"""

from collections.abc import Callable, Iterable

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import lazy_gettext as _  # each recipient reads it in their language

from tamatch.auth.permissions import side_members
from tamatch.extensions import db
from tamatch.i18n.content import isolated
from tamatch.i18n.locales import DEFAULT_LOCALE
from tamatch.models import LapseReason, Proposal, Side, User
from tamatch.notifications.services import notify
from tamatch.rounds import render
from tamatch.rounds.consent import ConsentResult, Outcome
from tamatch.rounds.deadlines import unanswered_people
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
            text = _(
                "The organisers propose a match between %(need)s and the offer “%(offer)s”. "
                "Nothing is agreed until both the State and the partner accept.",
                need=render.need_phrase(reader, proposal.need),
                offer=isolated(proposal.offer.title),
            )
            return " ".join(str(part) for part in (text, _answer_by(proposal)) if part)

        sides = _members(proposal, Side.STATE) + _members(proposal, Side.PARTNER)
        tell(sides, subject, body, _link(proposal))


def tell_about_decision(proposal: Proposal, side: Side, result: ConsentResult) -> None:
    """The other side (and the round's organiser) learn of an answer."""
    other = _members(proposal, Side.PARTNER if side == Side.STATE else Side.STATE)
    organiser = [proposal.round.created_by] if proposal.round.created_by_id else []
    both = _members(proposal, Side.STATE) + _members(proposal, Side.PARTNER)
    link = _link(proposal)
    if result.outcome == Outcome.ENGAGED:
        tell(
            both + organiser,
            _("A match is agreed: the engagement starts"),
            _pair(
                proposal,
                lambda need, offer: _(
                    "Both sides accepted the match between %(need)s and the offer “%(offer)s”. "
                    "Progress reports will be due at the follow-up stages.",
                    need=need,
                    offer=offer,
                ),
            ),
            link,
        )
    elif result.outcome == Outcome.DECLINED:
        tell(other + organiser, _("A proposed match was declined"), _declined(proposal, side), link)
    elif result.outcome == Outcome.WAITING:
        # Only those whose answer is still awaited: on a joint need, the other side may have
        # answered already and it is a fellow State whose yes is missing.
        waiting = unanswered_people(proposal)
        tell(
            waiting[Side.PARTNER if side == Side.STATE else Side.STATE],
            _("The other side accepted a proposed match"),
            _pair(
                proposal,
                lambda need, offer: _(
                    "The other side accepted the match between %(need)s and the offer "
                    "“%(offer)s”: your answer is the one still awaited.",
                    need=need,
                    offer=offer,
                ),
                deadline=True,
            ),
            link,
        )
        if side == Side.STATE:
            tell(
                waiting[Side.STATE],
                _("Another State of the joint need accepted a proposed match"),
                _pair(
                    proposal,
                    lambda need, offer: _(
                        "A State of the joint need accepted the offer “%(offer)s” for %(need)s: "
                        "the engagement starts once every State and the partner accept.",
                        need=need,
                        offer=offer,
                    ),
                    deadline=True,
                ),
                link,
            )
    elif result.outcome == Outcome.LAPSED:
        why = lapse_words(LapseReason(proposal.lapse_reason or LapseReason.CAPACITY))
        tell(
            both + organiser,
            _("A proposed match lapsed"),
            _pair(
                proposal,
                lambda need, offer: _(
                    "The match between %(need)s and the offer “%(offer)s” lapsed.",
                    need=need,
                    offer=offer,
                ),
                why,
            ),
            link,
        )


def _answer_by(proposal: Proposal) -> str:
    """ "Answers are due by …", in the reader's language, or "" when the run set no date."""
    due = proposal.run.answers_due
    return str(_("Answers are due by %(date)s.", date=format_date(due))) if due else ""


def _pair(
    proposal: Proposal, words: Callable[[str, str], str], *extra, deadline: bool = False
) -> Callable[[User | None], str]:
    """A body that names the proposal's need (masked for a reader not entitled to it) and its
    offer, followed by `extra` sentences and, if asked, the answer deadline."""

    def body(reader: User | None) -> str:
        text = words(render.need_phrase(reader, proposal.need), isolated(proposal.offer.title))
        parts = (text, *extra, _answer_by(proposal) if deadline else "")
        return " ".join(str(part) for part in parts if part)

    return body


def _declined(proposal: Proposal, side: Side) -> Callable[[User | None], str]:
    """The body of a decline notice: who declined which pair, and why if the reader may know."""

    def body(reader: User | None) -> str:
        need = render.need_phrase(reader, proposal.need)
        reason = render.decision_reason(reader, proposal, side)
        if side == Side.STATE:
            who = _("The State declined the match between %(need)s and the offer “%(offer)s”.",
                    need=need, offer=isolated(proposal.offer.title))  # fmt: skip
        else:
            who = _("The partner declined the match between %(need)s and the offer “%(offer)s”.",
                    need=need, offer=isolated(proposal.offer.title))  # fmt: skip
        why = _("Their reason: %(reason)s", reason=reason) if reason else ""
        barred = _("The pair is barred from later passes; the need can be matched again.")
        return " ".join(str(part) for part in (who, why, barred) if part)

    return body
