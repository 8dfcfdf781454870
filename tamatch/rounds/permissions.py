"""Who may see and do what in match rounds: rounds, runs, participation and proposals.

A lifecycle rule is a `*_refusal` function: the domain error that a service raises, or None
when the action is allowed. The `can_*` predicates that templates call are the same rules, so
a page offers an action exactly when the service would accept it. `actor=None` is the
platform itself (the CLI, an automatic bar), which passes the organiser checks.
"""

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from tamatch.auth.permissions import (
    SIDE_ROLES,
    has_role,
    is_organiser,
    is_own_organisation_partner,
    is_own_state_focal_point,
    member_party_of,
    own_side_clause,
    side_of,
)
from tamatch.errors import DomainError, InvalidTransition, PermissionDenied
from tamatch.extensions import db
from tamatch.models import (
    CohortMember,
    Decision,
    MatchRound,
    MemberAnswer,
    Need,
    NeedCohort,
    Offer,
    Proposal,
    ProposalStatus,
    RoundStatus,
    RunStatus,
    Side,
    SolveRun,
    User,
)
from tamatch.models.base import utcnow

TAKING_SUBMISSIONS = frozenset({RoundStatus.DRAFT, RoundStatus.OPEN})
SOLVABLE = frozenset({RoundStatus.CLOSED, RoundStatus.SOLVED, RoundStatus.PUBLISHED})
PUBLISHING = frozenset({RoundStatus.SOLVED, RoundStatus.PUBLISHED})
# Solver statuses that carry no usable assignment: such a run fails and is never published.
UNUSABLE_RESULTS = frozenset({"INFEASIBLE", "MODEL_INVALID"})


def organiser_refusal(actor: User | None) -> DomainError | None:
    if actor is None or is_organiser(actor):
        return None
    return PermissionDenied(_("Only organisers run match rounds."))


# --- rounds ------------------------------------------------------------------------------


def can_see_round(user: User | None, match_round: MatchRound) -> bool:
    """Organisers see every round; focal points and partners see rounds out of draft."""
    return is_organiser(user) or (
        has_role(user, *SIDE_ROLES) and match_round.status != RoundStatus.DRAFT
    )


def visible_rounds_clause(user: User | None) -> sa.ColumnElement[bool]:
    """SQL mirror of `can_see_round`."""
    if is_organiser(user):
        return sa.true()
    if has_role(user, *SIDE_ROLES):
        return MatchRound.status != RoundStatus.DRAFT
    return sa.false()


def edit_round_refusal(actor: User | None, match_round: MatchRound) -> DomainError | None:
    if (refusal := organiser_refusal(actor)) is not None:
        return refusal
    if match_round.status == RoundStatus.ARCHIVED:
        return InvalidTransition(_("An archived round cannot change."))
    return None


def can_edit_round(user: User | None, match_round: MatchRound) -> bool:
    return user is not None and edit_round_refusal(user, match_round) is None


def takes_submissions(match_round: MatchRound, today: date | None = None) -> bool:
    """Needs and offers may still go in or out: in draft or open, on or before the deadline."""
    today = today or date.today()
    return match_round.status in TAKING_SUBMISSIONS and today <= match_round.submission_deadline


def participation_refusal(
    actor: User | None, match_round: MatchRound, item: Need | Offer
) -> DomainError | None:
    """Only the need's State or the offer's partner takes it out of a round (or back in), and
    only while the round takes submissions."""
    own = (
        is_own_state_focal_point(actor, item)
        if isinstance(item, Need)
        else is_own_organisation_partner(actor, item)
    )
    if not own:
        return PermissionDenied(_("You can only take your own needs and offers out of a round."))
    if not takes_submissions(match_round):
        return InvalidTransition(_("The round's deadline has passed."))
    return None


def can_set_participation(user: User | None, match_round: MatchRound, item: Need | Offer) -> bool:
    return participation_refusal(user, match_round, item) is None


# --- runs --------------------------------------------------------------------------------


def solve_refusal(actor: User | None, match_round: MatchRound) -> DomainError | None:
    """A round is solved once closed to submissions (and again for later passes)."""
    if (refusal := organiser_refusal(actor)) is not None:
        return refusal
    if match_round.status not in SOLVABLE:
        return InvalidTransition(_("Close the round to submissions before solving it."))
    return None


def can_solve_round(user: User | None, match_round: MatchRound) -> bool:
    return user is not None and solve_refusal(user, match_round) is None


def publish_refusal(actor: User | None, run: SolveRun) -> DomainError | None:
    """A finished run is published once, while its round is solved or already publishing."""
    if (refusal := organiser_refusal(actor)) is not None:
        return refusal
    if (
        run.status != RunStatus.DONE
        or run.solver_status in UNUSABLE_RESULTS
        or run.published_at is not None
    ):
        return InvalidTransition(_("Only a finished, unpublished solve can be published."))
    if run.round.status not in PUBLISHING:
        return InvalidTransition(_("This round cannot publish proposals now."))
    return None


def pair_rule_refusal(
    actor: User | None,
    match_round: MatchRound,
    *,
    need_takes_part: bool,
    offer_takes_part: bool,
    admitted: bool,
) -> DomainError | None:
    """An organiser pins or bars only a pair of the round's own needs and offers (open,
    fitting its themes and groups, not taken out) whose offer may serve the need's State."""
    if (refusal := edit_round_refusal(actor, match_round)) is not None:
        return refusal
    if not need_takes_part:
        return DomainError(_("That need does not take part in this round."), field="need_id")
    if not offer_takes_part:
        return DomainError(_("That offer does not take part in this round."), field="offer_id")
    if not admitted:
        return DomainError(_("That offer cannot serve the State of that need."), field="offer_id")
    return None


def can_publish_run(user: User | None, run: SolveRun) -> bool:
    return user is not None and publish_refusal(user, run) is None


# --- proposals ---------------------------------------------------------------------------


def can_see_proposal(user: User | None, proposal: Proposal) -> bool:
    """Organisers see every proposal; each side sees its own once published."""
    if is_organiser(user):
        return True
    return (
        proposal.status != ProposalStatus.DRAFT
        and side_of(user, proposal.need, proposal.offer) is not None
    )


def visible_proposals_clause(user: User | None) -> sa.ColumnElement[bool]:
    """SQL mirror of `can_see_proposal` (Need and Offer in the FROM clause)."""
    if is_organiser(user):
        return sa.true()
    return sa.and_(Proposal.status != ProposalStatus.DRAFT, own_side_clause(user))


def decision_column(side: Side):
    return Proposal.state_decision if side == Side.STATE else Proposal.partner_decision


def answers_closed_refusal(proposal: Proposal, today: date | None = None) -> DomainError | None:
    """Answers are taken while the round is published and the run's deadline has not passed
    (the deadline day itself counts, in UTC)."""
    if proposal.round.status != RoundStatus.PUBLISHED:
        return InvalidTransition(_("This round no longer takes answers."))
    due = proposal.run.answers_due
    if due is not None and (today or utcnow().date()) > due:
        return InvalidTransition(_("The answer deadline has passed."))
    return None


def answers_open_clause(round_id: int, run_id: int, today: date | None = None):
    """SQL mirror of `answers_closed_refusal` being None, for a conditional UPDATE."""
    today = today or utcnow().date()
    return sa.and_(
        sa.exists().where(MatchRound.id == round_id, MatchRound.status == RoundStatus.PUBLISHED),
        sa.exists().where(
            SolveRun.id == run_id,
            sa.or_(SolveRun.answers_due.is_(None), SolveRun.answers_due >= today),
        ),
    )


def answer_refusal(actor: User | None, proposal: Proposal) -> DomainError | None:
    """A side answers a proposal while it waits and its round takes answers."""
    if side_of(actor, proposal.need, proposal.offer) is None:
        return PermissionDenied(_("Only the State's focal points and the partner can answer."))
    if proposal.status == ProposalStatus.LAPSED:
        return InvalidTransition(_("This proposal has lapsed; it can no longer be answered."))
    if proposal.status != ProposalStatus.PENDING:
        return InvalidTransition(_("This proposal has already been answered."))
    return answers_closed_refusal(proposal)


def can_answer(user: User | None, proposal: Proposal) -> bool:
    """A side answers a pending proposal once (the same answer again changes nothing); on a
    joint need, each member State answers once for itself."""
    if answer_refusal(user, proposal) is not None:
        return False
    member = answering_member(user, proposal)
    if member is not None:
        return member_answer(proposal, member.state_id) is None
    side = side_of(user, proposal.need, proposal.offer)
    return getattr(proposal, f"{side.value}_decision") == Decision.PENDING


# --- joint needs: each member State answers too -------------------------------------------


def answering_member(user: User | None, proposal: Proposal) -> CohortMember | None:
    """The member State `user` answers for on a joint need's proposal (None for the lead
    State, whose answer is the proposal's own `state_decision`, and for everyone else)."""
    if is_own_state_focal_point(user, proposal.need):
        return None
    return member_party_of(user, proposal.need)


def member_answer(proposal: Proposal, state_id: int) -> MemberAnswer | None:
    return db.session.scalar(
        sa.select(MemberAnswer).where(
            MemberAnswer.proposal_id == proposal.id, MemberAnswer.state_id == state_id
        )
    )


def member_answers(proposal: Proposal) -> list[tuple[CohortMember, MemberAnswer | None]]:
    """Each member State of the proposal's joint need with its answer (None: not yet)."""
    if proposal.need.cohort is None:
        return []
    answers = {
        a.state_id: a
        for a in db.session.scalars(
            sa.select(MemberAnswer).where(MemberAnswer.proposal_id == proposal.id)
        )
    }
    return [(m, answers.get(m.state_id)) for m in proposal.need.cohort.members]


def _members_of_proposal_need():
    return (
        sa.select(CohortMember.state_id)
        .join(NeedCohort, NeedCohort.id == CohortMember.cohort_id)
        .where(NeedCohort.need_id == Proposal.need_id)
    )


def members_accepted_clause() -> sa.ColumnElement[bool]:
    """SQL: every member State of the proposal's need (none for a State's own need) accepted
    it. The UPDATE that starts the engagement re-states it, so no answer is passed over."""
    accepted = sa.select(MemberAnswer.state_id).where(
        MemberAnswer.proposal_id == Proposal.id, MemberAnswer.decision == Decision.ACCEPTED
    )
    return ~sa.exists(_members_of_proposal_need().where(CohortMember.state_id.not_in(accepted)))


def members_unanswered_clause() -> sa.ColumnElement[bool]:
    """SQL: some member State of the proposal's need has not answered it yet."""
    answered = sa.select(MemberAnswer.state_id).where(MemberAnswer.proposal_id == Proposal.id)
    return sa.exists(_members_of_proposal_need().where(CohortMember.state_id.not_in(answered)))


def answerable_clause(side: Side) -> sa.ColumnElement[bool]:
    """SQL mirror of `can_answer` for a side known to be the user's: the conditional UPDATE
    that records an answer re-states it, so racing answers cannot both count."""
    return sa.and_(
        Proposal.status == ProposalStatus.PENDING, decision_column(side) == Decision.PENDING
    )


PREDICATES = {
    "can_see_round": can_see_round,
    "can_edit_round": can_edit_round,
    "can_set_participation": can_set_participation,
    "can_solve_round": can_solve_round,
    "can_publish_run": can_publish_run,
    "can_see_proposal": can_see_proposal,
    "can_answer": can_answer,
    "member_answers": member_answers,
}
