"""Pins and bars an organiser sets, checked against the round's own members, and what changed
in a round since a run was made (so that publishing an out-of-date run asks first)."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from tamatch.errors import require
from tamatch.extensions import db
from tamatch.models import AuditEntry, MatchRound, Need, Offer, PairRule, PairRuleKind, User
from tamatch.rounds.permissions import pair_rule_refusal
from tamatch.rounds.services import round_needs_query, round_offers_query, set_pair_rule
from tamatch.rounds.solving import offer_admits

# Audit actions that change what a solve of the round would propose.
CHANGES = ("round.pin", "round.forbid", "round.rule_removed", "round.participation")


def _takes_part(stmt: sa.Select, model, item_id: int) -> bool:
    ids = stmt.with_only_columns(model.id).where(model.id == item_id).order_by(None)
    return db.session.scalar(ids) is not None


def set_organiser_rule(
    actor: User, match_round: MatchRound, need: Need, offer: Offer, *, kind: PairRuleKind, reason=""
) -> PairRule:
    """Pin or bar a pair of the round's own, eligible need and offer. Raises DomainError
    (naming the field) for any other pair, InvalidTransition once archived."""
    require(
        pair_rule_refusal(
            actor,
            match_round,
            need_takes_part=_takes_part(round_needs_query(match_round), Need, need.id),
            offer_takes_part=_takes_part(round_offers_query(match_round), Offer, offer.id),
            admitted=offer_admits(offer, need),
        )
    )
    return set_pair_rule(actor, match_round, need, offer, kind=kind, reason=reason)


@dataclass(frozen=True, slots=True)
class RoundChange:
    at: object
    words: str


def _words(entry: AuditEntry) -> str:
    after = entry.after or {}
    before = entry.before or {}
    need, offer = after.get("need_id") or before.get("need_id"), after.get("offer_id")
    offer = offer or before.get("offer_id")
    if entry.action == "round.pin":
        return _("need #%(n)s pinned to offer #%(o)s", n=need, o=offer)
    if entry.action == "round.forbid":
        return _("need #%(n)s barred from offer #%(o)s", n=need, o=offer)
    if entry.action == "round.rule_removed":
        return _("a rule on need #%(n)s and offer #%(o)s lifted", n=need, o=offer)
    return _participation_words(str(after.get("item", "")), bool(after.get("take_part")))


def _participation_words(item: str, take_part: bool) -> str:
    kind, _sep, number = item.partition(":")
    if take_part:
        if kind == "need":
            return _("need #%(n)s put back in the round", n=number)
        return _("offer #%(n)s put back in the round", n=number)
    if kind == "need":
        return _("need #%(n)s taken out of the round", n=number)
    return _("offer #%(n)s taken out of the round", n=number)


def changes_since(match_round: MatchRound, since) -> list[RoundChange]:
    """Pins, bars and participation changes of the round after `since`, oldest first."""
    entries = db.session.scalars(
        sa.select(AuditEntry)
        .where(
            AuditEntry.object_type == "matchround",
            AuditEntry.object_id == match_round.id,
            AuditEntry.action.in_(CHANGES),
            AuditEntry.at > since,
        )
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    return [RoundChange(entry.at, _words(entry)) for entry in entries]
