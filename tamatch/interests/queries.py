"""Interest and saved-search queries, visibility applied in SQL."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tamatch.auth.permissions import visible_needs_clause
from tamatch.errors import unseen
from tamatch.extensions import db
from tamatch.models import Interest, Need, Offer, SavedSearch, User


def my_interests_query(user: User) -> sa.Select:
    """The interests of the user's organisation in needs the user may still see, newest first."""
    return (
        sa.select(Interest)
        .join(Offer, Offer.id == Interest.offer_id)
        .join(Need, Need.id == Interest.need_id)
        .where(Offer.organisation_id == user.organisation_id, visible_needs_clause(user))
        .options(selectinload(Interest.offer), selectinload(Interest.need).selectinload(Need.state))
        .order_by(Interest.updated_at.desc(), Interest.id.desc())
    )


def own_interests(user: User, need: Need) -> list[Interest]:
    """The interests of the user's organisation in `need`, by offer title."""
    if user.organisation_id is None:
        return []
    return list(
        db.session.scalars(
            sa.select(Interest)
            .join(Offer, Offer.id == Interest.offer_id)
            .where(Interest.need_id == need.id, Offer.organisation_id == user.organisation_id)
            .order_by(Offer.title, Offer.id)
        )
    )


def own_levels(user: User, need_ids: list[int]) -> dict[int, int]:
    """Need id -> the highest interest level of the user's organisation, for a list's page."""
    if user.organisation_id is None or not need_ids:
        return {}
    rows = db.session.execute(
        sa.select(Interest.need_id, sa.func.max(Interest.level))
        .join(Offer, Offer.id == Interest.offer_id)
        .where(Offer.organisation_id == user.organisation_id, Interest.need_id.in_(need_ids))
        .group_by(Interest.need_id)
    )
    return {need_id: int(level) for need_id, level in rows}


def interested_partners_count(need: Need) -> int:
    """How many partner organisations asked to support `need` (with one offer or more)."""
    return db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Offer.organisation_id)))
        .select_from(Interest)
        .join(Offer, Offer.id == Interest.offer_id)
        .where(Interest.need_id == need.id)
    )


def need_interests(need: Need) -> list[Interest]:
    """Every interest in `need` with its offer and organisation (for the organisers)."""
    return list(
        db.session.scalars(
            sa.select(Interest)
            .where(Interest.need_id == need.id)
            .options(selectinload(Interest.offer).selectinload(Offer.organisation))
            .order_by(Interest.level.desc(), Interest.id)
        )
    )


def get_own_interest(interest_id: int, user: User) -> Interest:
    """The interest of the user's organisation, or 404."""
    interest = db.session.get(Interest, interest_id)
    if interest is None or interest.offer.organisation_id != user.organisation_id:
        unseen()
    return interest


def my_searches(user: User) -> list[SavedSearch]:
    return list(
        db.session.scalars(
            sa.select(SavedSearch).where(SavedSearch.user_id == user.id).order_by(SavedSearch.name)
        )
    )


def get_own_search(search_id: int, user: User) -> SavedSearch:
    """One of the user's saved searches, or 404."""
    search = db.session.get(SavedSearch, search_id)
    if search is None or search.user_id != user.id:
        unseen()
    return search
