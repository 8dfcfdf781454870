"""Who may see and do what: coarse role decorators and per-object predicates.

The predicates are used by views, templates and (through the visibility clauses) queries,
so that a list never shows what a detail page would refuse.
"""

from collections.abc import Callable
from functools import wraps

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from tamatch.extensions import db, login_manager
from tamatch.models import Engagement, Need, NeedStatus, Offer, Role, User, Visibility


def role_required(*roles: Role) -> Callable:
    """View decorator: 401 (redirect to sign-in) when anonymous, 403 when the role is wrong."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def _is(user: User | None, role: Role) -> bool:
    return bool(user is not None and user.is_authenticated and user.role == role)


# --- needs -------------------------------------------------------------------------------


def is_own_state_focal_point(user: User | None, need: Need) -> bool:
    return _is(user, Role.FOCAL_POINT) and user.state_id == need.state_id


def can_see_need(user: User | None, need: Need) -> bool:
    """Mirror of `visible_needs_clause` for one loaded need."""
    if is_own_state_focal_point(user, need):
        return True
    if need.status == NeedStatus.DRAFT:
        return False
    if need.visibility == Visibility.PUBLIC:
        return True
    authenticated = user is not None and user.is_authenticated
    if need.visibility == Visibility.MEMBERS:
        return authenticated
    if _is(user, Role.PARTNER):
        return bool(
            db.session.scalar(
                sa.select(
                    sa.exists(_partner_engagements(user).where(Engagement.need_id == need.id))
                )
            )
        )
    return _is(user, Role.ORGANISER)


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
    if user.role == Role.ORGANISER:
        allowed.append(Visibility.CONFIDENTIAL)
    clause = sa.and_(not_draft, Need.visibility.in_(allowed))
    if user.role == Role.FOCAL_POINT:
        clause = sa.or_(clause, Need.state_id == user.state_id)
    if user.role == Role.PARTNER:
        clause = sa.or_(clause, sa.and_(not_draft, Need.id.in_(_partner_engagements(user))))
    return clause


def can_post_need(user: User | None) -> bool:
    return _is(user, Role.FOCAL_POINT)


def can_edit_need(user: User | None, need: Need) -> bool:
    return is_own_state_focal_point(user, need) and need.status in (
        NeedStatus.DRAFT,
        NeedStatus.OPEN,
    )


def can_change_need_status(user: User | None, need: Need) -> bool:
    return is_own_state_focal_point(user, need)


# --- offers ------------------------------------------------------------------------------


def is_own_organisation_partner(user: User | None, offer: Offer) -> bool:
    return _is(user, Role.PARTNER) and user.organisation_id == offer.organisation_id


def can_see_offer(user: User | None, offer: Offer) -> bool:
    """Open and closed offers are visible to platform members; drafts only to their partner."""
    if is_own_organisation_partner(user, offer):
        return True
    return bool(user is not None and user.is_authenticated) and offer.status != "draft"


def visible_offers_clause(user: User | None) -> sa.ColumnElement[bool]:
    """SQL condition selecting the offers `user` may see."""
    if user is None or not user.is_authenticated:
        return sa.false()
    clause = Offer.status != "draft"
    if user.role == Role.PARTNER:
        clause = sa.or_(clause, Offer.organisation_id == user.organisation_id)
    return clause


def can_post_offer(user: User | None) -> bool:
    return _is(user, Role.PARTNER)


def can_edit_offer(user: User | None, offer: Offer) -> bool:
    return is_own_organisation_partner(user, offer) and offer.status != "closed"


PREDICATES = {
    "can_see_need": can_see_need,
    "can_edit_need": can_edit_need,
    "can_change_need_status": can_change_need_status,
    "can_post_need": can_post_need,
    "can_see_offer": can_see_offer,
    "can_edit_offer": can_edit_offer,
    "can_post_offer": can_post_offer,
}
