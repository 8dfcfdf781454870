"""Match rounds: creation, lifecycle, which needs and offers take part, pins and bars."""

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import aliased

from solver.settings import COVERAGE_FIRST, LDC_TRANSITION_YEARS, TIME_LIMIT, WEIGHT_NAMES
from tamatch.audit import record, snapshot
from tamatch.errors import DomainError, InvalidTransition, require
from tamatch.extensions import db
from tamatch.models import (
    LapseReason,
    MatchRound,
    Need,
    NeedStatus,
    Offer,
    OfferStatus,
    PairRule,
    PairRuleKind,
    Proposal,
    RegionalGroup,
    RoundExclusion,
    RoundStatus,
    State,
    Theme,
    User,
)
from tamatch.models.need import need_theme
from tamatch.models.offer import offer_theme
from tamatch.models.round import round_theme
from tamatch.rounds.lapses import lapse_waiting
from tamatch.rounds.permissions import (
    edit_round_refusal,
    organiser_refusal,
    participation_refusal,
)

AUDITED = (
    "name",
    "serves",
    "status",
    "submission_deadline",
    "followup_months",
    "weights",
    "max_per_state",
    "coverage_first",
    "time_limit",
    "ldc_transition_years",
    "themes",
    "regional_groups",
)

TRANSITIONS: dict[RoundStatus, frozenset[RoundStatus]] = {
    RoundStatus.DRAFT: frozenset({RoundStatus.OPEN}),
    RoundStatus.OPEN: frozenset({RoundStatus.CLOSED}),
    RoundStatus.CLOSED: frozenset({RoundStatus.OPEN, RoundStatus.ARCHIVED}),
    RoundStatus.SOLVED: frozenset({RoundStatus.ARCHIVED}),
    RoundStatus.PUBLISHED: frozenset({RoundStatus.ARCHIVED}),
    RoundStatus.ARCHIVED: frozenset(),
}


@dataclass(frozen=True, slots=True)
class RoundData:
    """Validated fields of a round."""

    name: str
    serves: str
    submission_deadline: date
    followup_months: tuple[int, ...] = (6,)
    theme_ids: tuple[int, ...] = ()
    regional_groups: tuple[RegionalGroup, ...] = ()
    weights: dict[str, int] = field(default_factory=dict)
    max_per_state: int | None = None
    coverage_first: bool = COVERAGE_FIRST
    time_limit: int = TIME_LIMIT
    ldc_transition_years: int = LDC_TRANSITION_YEARS


def _apply(match_round: MatchRound, data: RoundData) -> None:
    months = sorted(set(data.followup_months))
    if not months or any(m < 1 or m > 60 for m in months):
        raise DomainError(
            _("Give follow-up stages in months between 1 and 60, such as 6 and 12."),
            field="followup_months",
        )
    unknown = set(data.weights) - set(WEIGHT_NAMES)
    if unknown or any(v < 0 or v > 1000 for v in data.weights.values()):
        raise DomainError(_("Weights are whole numbers from 0 to 1000."), field="weights")
    if not 0 <= data.ldc_transition_years <= 10:
        raise DomainError(
            _("Give the LDC transition period in whole years from 0 to 10."),
            field="ldc_transition_years",
        )
    themes = (
        list(db.session.scalars(sa.select(Theme).where(Theme.id.in_(data.theme_ids))))
        if data.theme_ids
        else []
    )
    match_round.name = data.name.strip()
    match_round.serves = data.serves.strip()
    match_round.submission_deadline = data.submission_deadline
    match_round.followup_months = months
    match_round.themes = themes
    match_round.regional_groups = list(data.regional_groups)
    match_round.weights = dict(data.weights)
    match_round.max_per_state = data.max_per_state
    match_round.coverage_first = data.coverage_first
    match_round.time_limit = data.time_limit
    match_round.ldc_transition_years = data.ldc_transition_years


def create_round(actor: User, data: RoundData) -> MatchRound:
    """A new round in draft. Raises PermissionDenied unless organiser, DomainError on data."""
    require(organiser_refusal(actor))
    match_round = MatchRound(created_by_id=actor.id, status=RoundStatus.DRAFT)
    _apply(match_round, data)
    db.session.add(match_round)
    db.session.flush()
    record(actor, "round.create", match_round, after=snapshot(match_round, AUDITED))
    return match_round


def update_round(actor: User, match_round: MatchRound, data: RoundData) -> MatchRound:
    """Change a round's settings; not once archived."""
    require(edit_round_refusal(actor, match_round))
    before = snapshot(match_round, AUDITED)
    _apply(match_round, data)
    db.session.flush()
    record(actor, "round.update", match_round, before, snapshot(match_round, AUDITED))
    return match_round


def transition_round(actor: User | None, match_round: MatchRound, target: RoundStatus) -> None:
    """Move a round; `actor=None` is the platform (solved, published). Raises on a bad move."""
    if actor is not None:
        require(organiser_refusal(actor))
        allowed = TRANSITIONS[match_round.status]
    else:
        allowed = frozenset({RoundStatus.SOLVED, RoundStatus.PUBLISHED})
    if target not in allowed:
        raise InvalidTransition(
            _(
                "A round that is %(current)s cannot become %(target)s.",
                current=_(match_round.status.value),
                target=_(target.value),
            )
        )
    before = match_round.status
    if target == RoundStatus.ARCHIVED:
        lapse_waiting(actor, Proposal.round_id == match_round.id, LapseReason.ROUND)
    match_round.status = target
    db.session.flush()
    record(actor, "round.status", match_round, {"status": before.value}, {"status": target.value})


# --- who takes part ----------------------------------------------------------------------


def _excluded(match_round: MatchRound, column) -> sa.Select:
    return sa.select(column).where(RoundExclusion.round_id == match_round.id, column.is_not(None))


def round_theme_ids(match_round: MatchRound) -> sa.Select:
    """Ids of the themes a round covers: its own and every theme under them (a round on D2
    takes needs and offers on D21, D23, ...), by a recursive query on theme.parent_code."""
    covered = (
        sa.select(Theme.code)
        .join(round_theme, round_theme.c.theme_id == Theme.id)
        .where(round_theme.c.round_id == match_round.id)
        .cte("covered", recursive=True)
    )
    child = aliased(Theme)
    covered = covered.union(sa.select(child.code).where(child.parent_code == covered.c.code))
    return sa.select(Theme.id).where(Theme.code.in_(sa.select(covered.c.code)))


def round_needs_query(match_round: MatchRound, statuses=(NeedStatus.OPEN,)) -> sa.Select:
    """Needs that fit the round: open, in its themes (or under them) and groups, not taken out."""
    stmt = sa.select(Need).where(
        Need.status.in_(statuses),
        Need.id.not_in(_excluded(match_round, RoundExclusion.need_id)),
    )
    if match_round.themes:
        stmt = stmt.where(
            Need.id.in_(
                sa.select(need_theme.c.need_id).where(
                    need_theme.c.theme_id.in_(round_theme_ids(match_round))
                )
            )
        )
    if match_round.regional_groups:
        stmt = stmt.where(
            Need.state_id.in_(
                sa.select(State.id).where(State.regional_group.in_(match_round.regional_groups))
            )
        )
    return stmt.order_by(Need.id)


def round_offers_query(match_round: MatchRound) -> sa.Select:
    """Offers that fit the round: open, with room left, sharing a theme, not taken out."""
    stmt = sa.select(Offer).where(
        Offer.status == OfferStatus.OPEN,
        Offer.capacity_used < Offer.capacity,
        Offer.id.not_in(_excluded(match_round, RoundExclusion.offer_id)),
    )
    if match_round.themes:
        stmt = stmt.where(
            Offer.id.in_(
                sa.select(offer_theme.c.offer_id).where(
                    offer_theme.c.theme_id.in_(round_theme_ids(match_round))
                )
            )
        )
    return stmt.order_by(Offer.id)


def set_participation(actor: User, match_round: MatchRound, item: Need | Offer, take_part: bool):
    """Take one's own need or offer out of a round (or back in) before its deadline."""
    require(participation_refusal(actor, match_round, item))
    column = RoundExclusion.need_id if isinstance(item, Need) else RoundExclusion.offer_id
    existing = db.session.scalar(
        sa.select(RoundExclusion).where(
            RoundExclusion.round_id == match_round.id, column == item.id
        )
    )
    if take_part and existing is not None:
        db.session.delete(existing)
    elif not take_part and existing is None:
        db.session.add(
            RoundExclusion(
                round_id=match_round.id,
                by_id=actor.id,
                **{"need_id" if isinstance(item, Need) else "offer_id": item.id},
            )
        )
    db.session.flush()
    record(
        actor,
        "round.participation",
        match_round,
        after={
            "item": f"{type(item).__name__.lower()}:{item.id}",
            "take_part": take_part,
        },
    )


# --- pins and bars -----------------------------------------------------------------------


def set_pair_rule(
    actor: User | None,
    match_round: MatchRound,
    need: Need,
    offer: Offer,
    *,
    kind: PairRuleKind,
    reason: str = "",
) -> PairRule:
    """Pin a pair into the next solve, or bar it. A later rule on the same pair replaces it."""
    require(organiser_refusal(actor))
    rule = db.session.scalar(
        sa.select(PairRule).where(
            PairRule.round_id == match_round.id,
            PairRule.need_id == need.id,
            PairRule.offer_id == offer.id,
        )
    )
    if rule is None:
        rule = PairRule(round_id=match_round.id, need_id=need.id, offer_id=offer.id, kind=kind)
        db.session.add(rule)
    rule.kind, rule.reason, rule.by_id = kind, reason[:500], getattr(actor, "id", None)
    db.session.flush()
    record(
        actor,
        f"round.{kind.value}",
        match_round,
        after={
            "need_id": need.id,
            "offer_id": offer.id,
        },
    )
    return rule


def remove_pair_rule(actor: User, rule: PairRule) -> None:
    """Lift a pin or a bar set by an organiser."""
    require(organiser_refusal(actor))
    record(
        actor,
        "round.rule_removed",
        db.session.get(MatchRound, rule.round_id),
        before={"kind": rule.kind.value, "need_id": rule.need_id, "offer_id": rule.offer_id},
    )
    db.session.delete(rule)
    db.session.flush()
