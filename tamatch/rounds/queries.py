"""Round queries for the pages: what fits a round, who takes part, runs' outcomes, proposals."""

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tamatch.auth.permissions import has_role, own_side_clause
from tamatch.extensions import db
from tamatch.models import (
    MatchRound,
    Need,
    Offer,
    PairRule,
    Proposal,
    ProposalStatus,
    Role,
    RoundExclusion,
    RunOutcome,
    SolveRun,
    User,
)
from tamatch.rounds.permissions import visible_proposals_clause, visible_rounds_clause
from tamatch.rounds.services import round_needs_query, round_offers_query


def rounds_query(user: User | None) -> sa.Select:
    """The rounds `user` may see, newest first."""
    return (
        sa.select(MatchRound)
        .where(visible_rounds_clause(user))
        .order_by(MatchRound.created_at.desc())
    )


def _count(stmt: sa.Select) -> int:
    return int(db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0)


def fitting_counts(match_round: MatchRound) -> dict[str, int]:
    """How many needs and offers fit the round now."""
    return {
        "needs": _count(round_needs_query(match_round)),
        "offers": _count(round_offers_query(match_round)),
    }


def pair_rules(match_round: MatchRound) -> list[PairRule]:
    """The round's pins and bars, oldest first."""
    stmt = sa.select(PairRule).where(PairRule.round_id == match_round.id).order_by(PairRule.id)
    return list(db.session.scalars(stmt))


# --- who takes part ----------------------------------------------------------------------


def participant_model(user: User | None) -> type[Need] | type[Offer]:
    """What a participant puts into rounds: a focal point its State's needs, a partner its
    organisation's offers."""
    return Need if has_role(user, Role.FOCAL_POINT) else Offer


def excluded_ids(match_round: MatchRound, model: type[Need] | type[Offer]) -> set[int]:
    """Ids of the needs (or offers) taken out of the round, in one query."""
    column = RoundExclusion.need_id if model is Need else RoundExclusion.offer_id
    stmt = sa.select(column).where(RoundExclusion.round_id == match_round.id, column.is_not(None))
    return set(db.session.scalars(stmt))


def participation_rows(
    user: User | None, match_round: MatchRound
) -> list[tuple[Need | Offer, bool, bool]]:
    """(item, fits the round now, taken out) for each of `user`'s own needs or offers."""
    model = participant_model(user)
    items = db.session.scalars(sa.select(model).where(own_side_clause(user)).order_by(model.id))
    fitting = round_needs_query if model is Need else round_offers_query
    fits = set(db.session.scalars(fitting(match_round).with_only_columns(model.id)))
    excluded = excluded_ids(match_round, model)
    return [(item, item.id in fits, item.id in excluded) for item in items]


# --- runs ----------------------------------------------------------------------------------


def run_outcomes_query(run: SolveRun, unmatched: bool = False) -> sa.Select:
    """The run's matches (or its needs left without one), best score first."""
    matched = RunOutcome.offer_id.is_(None) if unmatched else RunOutcome.offer_id.is_not(None)
    return (
        sa.select(RunOutcome)
        .where(RunOutcome.run_id == run.id, matched)
        .order_by(RunOutcome.score.desc().nulls_last(), RunOutcome.id)
    )


def offers_by_id(ids: Iterable[int | None]) -> dict[int, Offer]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return {o.id: o for o in db.session.scalars(sa.select(Offer).where(Offer.id.in_(wanted)))}


def offers_named(outcomes: Iterable[RunOutcome]) -> dict[int, Offer]:
    """The offers the outcomes name: each match's and each next-best alternative's."""
    outcomes = list(outcomes)
    ids = [o.offer_id for o in outcomes]
    ids += [alt["offer_id"] for o in outcomes for alt in o.alternatives]
    return offers_by_id(ids)


# --- proposals -------------------------------------------------------------------------------


def run_answers_query(run: SolveRun) -> sa.Select:
    """Every proposal of a published run with both answers, for its organisers."""
    return (
        sa.select(Proposal)
        .where(Proposal.run_id == run.id)
        .options(selectinload(Proposal.need), selectinload(Proposal.offer))
        .order_by(Proposal.id)
    )


def answer_counts(run: SolveRun) -> dict[ProposalStatus, int]:
    """How many of a run's proposals wait, were accepted, declined or lapsed (zeros too)."""
    rows = db.session.execute(
        sa.select(Proposal.status, sa.func.count())
        .where(Proposal.run_id == run.id)
        .group_by(Proposal.status)
    ).all()
    counts = dict.fromkeys(ANSWERS, 0)
    counts.update({status: int(n) for status, n in rows if status in counts})
    return counts


ANSWERS = (
    ProposalStatus.PENDING,
    ProposalStatus.ACCEPTED,
    ProposalStatus.DECLINED,
    ProposalStatus.LAPSED,
)


def proposals_query(user: User | None) -> sa.Select:
    """The proposals `user` may see (a side: its own, once published), need and offer loaded."""
    return (
        sa.select(Proposal)
        .join(Need, Need.id == Proposal.need_id)
        .join(Offer, Offer.id == Proposal.offer_id)
        .where(visible_proposals_clause(user))
        .options(selectinload(Proposal.need), selectinload(Proposal.offer))
    )


def waiting_proposals_first(user: User | None) -> sa.Select:
    """`proposals_query`, those waiting for answers first, then the newest."""
    pending_first = sa.case((Proposal.status == ProposalStatus.PENDING, 0), else_=1)
    return (
        proposals_query(user)
        .order_by(pending_first, Proposal.id.desc())
        .options(selectinload(Proposal.run))  # the answer deadline of each row
    )
