"""Exports of a round's proposals and engagements as frames, with confidential needs masked."""

from datetime import date
from typing import Any

import pandas as pd
import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from tamatch.audit import record
from tamatch.auth.permissions import (
    is_organiser,
    own_side_clause,
    visible_needs_clause,
)
from tamatch.extensions import db
from tamatch.i18n.names import state_name
from tamatch.labels import DECISION_LABELS, ENGAGEMENT_STATUS_LABELS, PROPOSAL_STATUS_LABELS
from tamatch.models import (
    AuditEntry,
    Engagement,
    EngagementStatus,
    MatchRound,
    Need,
    Offer,
    Proposal,
    ProposalStatus,
    Side,
    User,
)
from tamatch.rounds.render import decision_reason

EXPORT_ACTIONS = {"proposals": "export.proposals", "engagements": "export.engagements"}


def _proposal_headers() -> list[str]:
    return [
        _("Proposal ID"),
        _("Pass"),
        _("Run ID"),
        _("State (ISO3)"),
        _("State"),
        _("Need ID"),
        _("Need"),
        _("Offer ID"),
        _("Offer"),
        _("Partner"),
        _("Score"),
        _("Cost (US$)"),
        _("Status"),
        _("State's answer"),
        _("State's reason"),
        _("Partner's answer"),
        _("Partner's reason"),
    ]


def _engagement_headers() -> list[str]:
    return [
        _("Engagement ID"),
        _("State (ISO3)"),
        _("State"),
        _("Need"),
        _("Offer"),
        _("Partner"),
        _("Cost (US$)"),
        _("Started on"),
        _("Status"),
        _("Next report due"),
    ]


def _visible_need_ids(user: User | None, needs: list[Need]) -> set[int]:
    """The ids among `needs` that `user` may see: `can_see_need`'s rule, in one query."""
    ids = {need.id for need in needs}
    if not ids:
        return set()
    stmt = sa.select(Need.id).where(Need.id.in_(ids), visible_needs_clause(user))
    return set(db.session.scalars(stmt))


def _need_cells(
    user: User | None, need: Need, visible: set[int]
) -> tuple[int | None, str, str, str]:
    """Need ID, title, State ISO3 and name as `user` may see them.

    A need the user may not see shows as "Confidential need" without its ID; its State is
    kept only for an organiser, who oversees every round.
    """
    if need.id in visible:
        return need.id, need.title, need.state.iso3, state_name(need.state)
    if is_organiser(user):
        return None, _("Confidential need"), need.state.iso3, state_name(need.state)
    return None, _("Confidential need"), "", ""


def _label(labels: dict, value: Any) -> str:
    return str(labels.get(value, value))


def _proposal_row(user: User | None, proposal: Proposal, visible_ids: set[int]) -> list[Any]:
    need, offer = proposal.need, proposal.offer
    need_id, need_title, iso3, state_name = _need_cells(user, need, visible_ids)
    return [
        proposal.id,
        proposal.run.pass_number,
        proposal.run_id,
        iso3,
        state_name,
        need_id,
        need_title,
        offer.id,
        offer.title,
        offer.organisation.name,
        proposal.score,
        proposal.cost,
        _label(PROPOSAL_STATUS_LABELS, proposal.status),
        _label(DECISION_LABELS, proposal.state_decision),
        decision_reason(user, proposal, Side.STATE),
        _label(DECISION_LABELS, proposal.partner_decision),
        decision_reason(user, proposal, Side.PARTNER),
    ]


def round_proposals(
    match_round: MatchRound, user: User | None, *, mine_only: bool = False
) -> list[Proposal]:
    """The round's proposals `user` may list, with need, State, offer, partner and run loaded.

    Proposals of unpublished runs (drafts) are for organisers only.
    """
    stmt = (
        sa.select(Proposal)
        .join(Proposal.need)
        .join(Proposal.offer)
        .where(Proposal.round_id == match_round.id)
        .options(
            contains_eager(Proposal.need).joinedload(Need.state),
            contains_eager(Proposal.need).joinedload(Need.cohort),  # a joint need's answers
            contains_eager(Proposal.offer).joinedload(Offer.organisation),
            joinedload(Proposal.run),
        )
        .order_by(Proposal.run_id, Proposal.id)
    )
    if not is_organiser(user):
        stmt = stmt.where(Proposal.status != ProposalStatus.DRAFT)
    if mine_only:
        stmt = stmt.where(own_side_clause(user))
    return list(db.session.scalars(stmt).unique())


def proposals_frame(
    match_round: MatchRound, user: User | None, *, mine_only: bool = False
) -> pd.DataFrame:
    """One row per proposal of the round, confidential needs masked for `user`."""
    proposals = round_proposals(match_round, user, mine_only=mine_only)
    visible = _visible_need_ids(user, [p.need for p in proposals])
    rows = [_proposal_row(user, p, visible) for p in proposals]
    headers = _proposal_headers()
    frame = pd.DataFrame(rows, columns=headers)
    return frame.astype({headers[5]: "Int64"})


def _next_report_due(engagement: Engagement, today: date) -> date | None:
    if engagement.status != EngagementStatus.ACTIVE:
        return None
    upcoming = [r.due_on for r in engagement.reports_due if r.due_on >= today]
    return min(upcoming, default=None)


def _engagement_row(
    user: User | None, engagement: Engagement, visible: set[int], today: date
) -> list[Any]:
    offer = engagement.offer
    _need_id, need_title, iso3, state_name = _need_cells(user, engagement.need, visible)
    return [
        engagement.id,
        iso3,
        state_name,
        need_title,
        offer.title,
        offer.organisation.name,
        engagement.cost,
        engagement.started_on,
        _label(ENGAGEMENT_STATUS_LABELS, engagement.status),
        _next_report_due(engagement, today),
    ]


def round_engagements(
    match_round: MatchRound, user: User | None, *, mine_only: bool = False
) -> list[Engagement]:
    """The round's engagements, with need, State, offer, partner and reports due loaded."""
    stmt = (
        sa.select(Engagement)
        .join(Engagement.need)
        .join(Engagement.offer)
        .where(Engagement.round_id == match_round.id)
        .options(
            contains_eager(Engagement.need).joinedload(Need.state),
            contains_eager(Engagement.offer).joinedload(Offer.organisation),
            selectinload(Engagement.reports_due),
        )
        .order_by(Engagement.id)
    )
    if mine_only:
        stmt = stmt.where(own_side_clause(user))
    return list(db.session.scalars(stmt).unique())


def engagements_frame(
    match_round: MatchRound,
    user: User | None,
    *,
    mine_only: bool = False,
    today: date | None = None,
) -> pd.DataFrame:
    """One row per engagement of the round; the next report due is the first on or after today.

    Only active engagements have a next report due.
    """
    today = today or date.today()
    engagements = round_engagements(match_round, user, mine_only=mine_only)
    visible = _visible_need_ids(user, [e.need for e in engagements])
    rows = [_engagement_row(user, e, visible, today) for e in engagements]
    return pd.DataFrame(rows, columns=_engagement_headers())


def export_basename(match_round: MatchRound, what: str) -> str:
    """A file name without extension, e.g. "round-3-proposals"."""
    return f"round-{match_round.id}-{what}"


def audit_export(
    user: User | None, match_round: MatchRound, what: str, fmt: str, rows: int
) -> AuditEntry:
    """Record that `user` exported `what` ("proposals" or "engagements"); flushes, never commits.

    Raises ValueError for any other `what`.
    """
    if what not in EXPORT_ACTIONS:
        raise ValueError(f"unknown export {what!r}")
    return record(user, EXPORT_ACTIONS[what], match_round, after={"format": fmt, "rows": rows})
