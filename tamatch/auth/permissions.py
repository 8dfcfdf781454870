"""Who may see and do what: roles, the sides of a need-offer pair, needs and offers.

Each rule is written once, as a predicate on loaded objects and, where lists need it, as its
SQL mirror (a `*_clause`), so that a list never shows what a detail page would refuse. Views,
services, queries, exports, the API and templates (through PREDICATES) all call these.
"""

from collections.abc import Callable
from functools import wraps

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from tamatch.extensions import db, login_manager
from tamatch.models import (
    CohortConsent,
    CohortMember,
    Engagement,
    Need,
    NeedCohort,
    NeedStatus,
    Offer,
    OfferStatus,
    Role,
    Side,
    User,
    Visibility,
)

# Who may open each area's pages (the decorators and the navigation use the same tuples).
ROUND_ROLES = (Role.ORGANISER, Role.FOCAL_POINT, Role.PARTNER)  # match rounds
SIDE_ROLES = (Role.FOCAL_POINT, Role.PARTNER)  # answer for one side of a pair: proposals
FOLLOW_UP_ROLES = (Role.FOCAL_POINT, Role.PARTNER, Role.ORGANISER, Role.REVIEWER,
                   Role.CIVIL_SOCIETY)  # fmt: skip
ASSESSOR_ROLES = (Role.REVIEWER, Role.ORGANISER)  # the outcomes dashboard, reviews, outcomes
STEWARD_ROLES = (Role.ADMIN, Role.ORGANISER)  # the audit log, recommendation imports


def role_required(*roles: Role) -> Callable:
    """View decorator: 401 (redirect to sign-in) when anonymous, 403 when the role is wrong."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not has_role(current_user, *roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def has_role(user: User | None, *roles: Role) -> bool:
    """Signed in with one of `roles`; False for nobody (None) and anonymous visitors."""
    return bool(user is not None and user.is_authenticated and user.role in roles)


def role_clause(*roles: Role) -> sa.ColumnElement[bool]:
    """SQL mirror of `has_role(User, *roles)`: the accounts that have one of `roles`."""
    return User.role.in_(roles)


def is_organiser(user: User | None) -> bool:
    return has_role(user, Role.ORGANISER)


# --- the sides of a need-offer pair ------------------------------------------------------


def side_of(user: User | None, need: Need, offer: Offer) -> Side | None:
    """The side `user` answers for on the pair (need, offer): the need's State (its focal
    points, and on a joint need those of every member State, each a party) or the offer's
    partner (its organisation's partner users); None for anyone else."""
    if is_own_state_focal_point(user, need) or member_party_of(user, need) is not None:
        return Side.STATE
    if is_own_organisation_partner(user, offer):
        return Side.PARTNER
    return None


def own_side_clause(user: User | None) -> sa.ColumnElement[bool]:
    """SQL mirror of `side_of(user, Need, Offer) is not None`: rows of pairs on which `user` is
    a side. The query must have Need and Offer in its FROM clause."""
    if has_role(user, Role.FOCAL_POINT) and user.state_id is not None:
        return sa.or_(Need.state_id == user.state_id, Need.id.in_(_cohort_needs(user, True)))
    if has_role(user, Role.PARTNER) and user.organisation_id is not None:
        return Offer.organisation_id == user.organisation_id
    return sa.false()


def side_members_clause(side: Side, need: Need, offer: Offer) -> sa.ColumnElement[bool]:
    """SQL mirror of `side_of(User, need, offer) == side`: the users who answer for `side`."""
    if side == Side.STATE:
        return sa.and_(User.role == Role.FOCAL_POINT, User.state_id.in_(party_state_ids(need)))
    return sa.and_(User.role == Role.PARTNER, User.organisation_id == offer.organisation_id)


def focal_points_of(state_ids: list[int]) -> list[User]:
    """The active focal points of these States, who answer for them, by id."""
    stmt = sa.select(User).where(
        User.role == Role.FOCAL_POINT, User.state_id.in_(state_ids), User.active.is_(True)
    )
    return list(db.session.scalars(stmt.order_by(User.id)))


def side_members(side: Side, need: Need, offer: Offer) -> list[User]:
    """The users who answer for `side` of the pair (need, offer), by id."""
    stmt = sa.select(User).where(side_members_clause(side, need, offer)).order_by(User.id)
    return list(db.session.scalars(stmt))


# --- needs -------------------------------------------------------------------------------


def is_own_state_focal_point(user: User | None, need: Need) -> bool:
    return has_role(user, Role.FOCAL_POINT) and user.state_id == need.state_id


def can_see_need(user: User | None, need: Need) -> bool:
    """Mirror of `visible_needs_clause` for one loaded need."""
    if is_own_state_focal_point(user, need) or is_cohort_member_focal_point(user, need):
        return True
    if need.status == NeedStatus.DRAFT:
        return False
    if need.visibility == Visibility.PUBLIC:
        return True
    authenticated = user is not None and user.is_authenticated
    if need.visibility == Visibility.MEMBERS:
        return authenticated
    if has_role(user, Role.PARTNER):
        return bool(
            db.session.scalar(
                sa.select(
                    sa.exists(_partner_engagements(user).where(Engagement.need_id == need.id))
                )
            )
        )
    return is_organiser(user)


def _partner_engagements(user: User) -> sa.Select:
    """Needs on which the user's organisation has an engagement."""
    return (
        sa.select(Engagement.need_id)
        .join(Offer, Offer.id == Engagement.offer_id)
        .where(Offer.organisation_id == user.organisation_id)
    )


def visible_needs_clause(user: User | None) -> sa.ColumnElement[bool]:
    """SQL condition selecting the needs `user` may see; apply it in every need query."""
    public = sa.and_(Need.status != NeedStatus.DRAFT, Need.visibility == Visibility.PUBLIC)
    if user is None or not user.is_authenticated:
        return public
    not_draft = Need.status != NeedStatus.DRAFT
    allowed = [Visibility.PUBLIC, Visibility.MEMBERS]
    if is_organiser(user):
        allowed.append(Visibility.CONFIDENTIAL)
    clause = sa.and_(not_draft, Need.visibility.in_(allowed))
    if user.role == Role.FOCAL_POINT:
        clause = sa.or_(clause, party_needs_clause(user))
    if user.role == Role.PARTNER:
        clause = sa.or_(clause, sa.and_(not_draft, Need.id.in_(_partner_engagements(user))))
    return clause


def can_post_need(user: User | None) -> bool:
    return has_role(user, Role.FOCAL_POINT)


def can_edit_need(user: User | None, need: Need) -> bool:
    """A State's own draft or open need; a joint need only as a draft (its members consented
    to the text they read: an edit asks them again, tamatch/needs/cohort.py)."""
    if not is_own_state_focal_point(user, need):
        return False
    return need.status == NeedStatus.DRAFT or (
        need.status == NeedStatus.OPEN and not is_joint(need)
    )


def can_change_need_status(user: User | None, need: Need) -> bool:
    return is_own_state_focal_point(user, need)


# --- peer cohorts: a joint need of several States, led by one focal point ----------------


def is_joint(need: Need) -> bool:
    """The need is posted with other States (it has a cohort with members)."""
    return need.cohort is not None and bool(need.cohort.members)


def cohort_member_of(user: User | None, need: Need) -> CohortMember | None:
    """The membership of the user's State in the need's cohort, for a focal point of it."""
    if not has_role(user, Role.FOCAL_POINT) or need.cohort is None:
        return None
    return next((m for m in need.cohort.members if m.state_id == user.state_id), None)


def is_cohort_member_focal_point(user: User | None, need: Need) -> bool:
    """A focal point of a State in the need's cohort, whatever its answer (a State that
    declined can change its mind while the need is a draft; a declined member keeps the need
    a draft until the lead takes it out, and then it sees the need no more)."""
    return cohort_member_of(user, need) is not None


def _cohort_needs(user: User, consented: bool = False) -> sa.Select:
    """The needs whose cohort the user's State is in (only as a consented party if asked)."""
    return cohort_needs_of_state(user.state_id, consented)


def cohort_needs_of_state(state_id: int, consented: bool = False) -> sa.Select:
    """The needs whose cohort the State is in (only as a consented party if asked)."""
    stmt = (
        sa.select(NeedCohort.need_id)
        .join(CohortMember, CohortMember.cohort_id == NeedCohort.id)
        .where(CohortMember.state_id == state_id)
    )
    if consented:
        stmt = stmt.where(CohortMember.consent == CohortConsent.CONSENTED)
    return stmt


def party_state_clause(state_id: int) -> sa.ColumnElement[bool]:
    """SQL mirror of `state_id in party_state_ids(Need)`: needs the State is a party to."""
    return sa.or_(Need.state_id == state_id, Need.id.in_(cohort_needs_of_state(state_id, True)))


def member_party_of(user: User | None, need: Need) -> CohortMember | None:
    """The user's member State, when it is a party to the joint need (it consented: a joint
    need opens only once every member did, so on proposals and engagements each member is
    one). Its focal points answer each proposal for their State and report on the engagement."""
    member = cohort_member_of(user, need)
    return member if member is not None and member.consent == CohortConsent.CONSENTED else None


def party_state_ids(need: Need) -> list[int]:
    """The States that are parties on the need's side: its own, then its consented members."""
    members = need.cohort.members if need.cohort is not None else []
    return [need.state_id] + [m.state_id for m in members if m.consent == CohortConsent.CONSENTED]


def party_needs_clause(user: User | None) -> sa.ColumnElement[bool]:
    """SQL mirror of `is_own_state_focal_point or is_cohort_member_focal_point`: the needs a
    focal point's State posts, alone or with others (every status, drafts too)."""
    if not has_role(user, Role.FOCAL_POINT) or user.state_id is None:
        return sa.false()
    return sa.or_(Need.state_id == user.state_id, Need.id.in_(_cohort_needs(user)))


def can_lead_cohort(user: User | None, need: Need) -> bool:
    """Invite and remove member States: the lead focal point, while the need is a draft. When
    the lead is no longer an active focal point of the need's State, any of them leads."""
    if not is_own_state_focal_point(user, need) or need.status != NeedStatus.DRAFT:
        return False
    cohort = need.cohort
    if cohort is None or cohort.lead_id == user.id:
        return True
    lead = cohort.lead
    return not (lead.active and lead.role == Role.FOCAL_POINT and lead.state_id == need.state_id)


def can_answer_for_cohort(user: User | None, need: Need) -> bool:
    """Consent or decline, for the user's member State, to the need opening (drafts only:
    once it opens, what was consented to is fixed; each engagement asks every State again)."""
    return cohort_member_of(user, need) is not None and need.status == NeedStatus.DRAFT


def cohort_waits_for(need: Need) -> list[CohortMember]:
    """The members whose consent the need still lacks before it may open."""
    if need.cohort is None:
        return []
    return [m for m in need.cohort.members if m.consent != CohortConsent.CONSENTED]


# --- offers ------------------------------------------------------------------------------


def is_own_organisation_partner(user: User | None, offer: Offer) -> bool:
    return has_role(user, Role.PARTNER) and user.organisation_id == offer.organisation_id


def can_see_offer(user: User | None, offer: Offer) -> bool:
    """Open and closed offers are visible to platform members; drafts only to their partner."""
    if is_own_organisation_partner(user, offer):
        return True
    return bool(user is not None and user.is_authenticated) and offer.status != OfferStatus.DRAFT


def visible_offers_clause(user: User | None) -> sa.ColumnElement[bool]:
    """SQL condition selecting the offers `user` may see."""
    if user is None or not user.is_authenticated:
        return sa.false()
    clause = Offer.status != OfferStatus.DRAFT
    if user.role == Role.PARTNER:
        clause = sa.or_(clause, Offer.organisation_id == user.organisation_id)
    return clause


def can_post_offer(user: User | None) -> bool:
    return has_role(user, Role.PARTNER)


def can_edit_offer(user: User | None, offer: Offer) -> bool:
    return is_own_organisation_partner(user, offer) and offer.status != OfferStatus.CLOSED


# --- partners' interest before a round, and saved searches ---------------------------------


def can_show_interest(user: User | None, need: Need) -> bool:
    """A partner asks to support a need: only an open need it may see (`can_see_need`)."""
    return (
        has_role(user, Role.PARTNER)
        and user.organisation_id is not None
        and need.status == NeedStatus.OPEN
        and can_see_need(user, need)
    )


def can_bid_with(user: User | None, offer: Offer) -> bool:
    """An offer a partner may show interest with: its own organisation's, not closed."""
    return is_own_organisation_partner(user, offer) and offer.status != OfferStatus.CLOSED


def can_count_interest(user: User | None, need: Need) -> bool:
    """How many partners asked to support a need: for its State(s) and the organisers."""
    return (
        is_own_state_focal_point(user, need)
        or is_cohort_member_focal_point(user, need)
        or is_organiser(user)
    )


def can_name_interested(user: User | None) -> bool:
    """Which partners asked to support a need: the organisers only. The State sees a count:
    it consents to a partner when a proposal comes, not before (and a partner may withdraw)."""
    return is_organiser(user)


def can_save_search(user: User | None) -> bool:
    """Partners keep needs searches and are told when a new need fits one."""
    return has_role(user, Role.PARTNER)


PREDICATES = {
    "has_role": has_role,
    "is_organiser": is_organiser,
    "side_of": side_of,
    "can_see_need": can_see_need,
    "can_edit_need": can_edit_need,
    "can_change_need_status": can_change_need_status,
    "can_post_need": can_post_need,
    "is_joint": is_joint,
    "cohort_member_of": cohort_member_of,
    "member_party_of": member_party_of,
    "can_lead_cohort": can_lead_cohort,
    "can_answer_for_cohort": can_answer_for_cohort,
    "cohort_waits_for": cohort_waits_for,
    "can_see_offer": can_see_offer,
    "can_edit_offer": can_edit_offer,
    "can_post_offer": can_post_offer,
    "can_show_interest": can_show_interest,
    "can_count_interest": can_count_interest,
    "can_name_interested": can_name_interested,
    "can_save_search": can_save_search,
}
