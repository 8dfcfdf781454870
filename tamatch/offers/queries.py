"""Offer queries with visibility applied in SQL."""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tamatch.auth.permissions import can_see_offer, visible_offers_clause
from tamatch.errors import unseen
from tamatch.extensions import db
from tamatch.models import Offer, OfferStatus, User
from tamatch.models.offer import offer_support_kind, offer_theme


@dataclass(frozen=True, slots=True)
class OfferFilters:
    q: str | None = None
    organisation_id: int | None = None
    theme_id: int | None = None
    support_kind_id: int | None = None
    status: OfferStatus | None = None


def offers_query(user: User | None, filters: OfferFilters) -> sa.Select:
    """SELECT of the offers `user` may see that match `filters`, newest first."""
    stmt = sa.select(Offer).where(visible_offers_clause(user))
    if filters.q:
        for word in filters.q.split()[:8]:
            stmt = stmt.where(
                sa.or_(
                    Offer.title.icontains(word, autoescape=True),
                    Offer.description.icontains(word, autoescape=True),
                )
            )
    if filters.organisation_id:
        stmt = stmt.where(Offer.organisation_id == filters.organisation_id)
    if filters.status:
        stmt = stmt.where(Offer.status == filters.status)
    if filters.theme_id:
        stmt = stmt.where(
            Offer.id.in_(
                sa.select(offer_theme.c.offer_id).where(offer_theme.c.theme_id == filters.theme_id)
            )
        )
    if filters.support_kind_id:
        stmt = stmt.where(
            Offer.id.in_(
                sa.select(offer_support_kind.c.offer_id).where(
                    offer_support_kind.c.support_kind_id == filters.support_kind_id
                )
            )
        )
    return stmt.options(selectinload(Offer.organisation)).order_by(
        Offer.created_at.desc(), Offer.id.desc()
    )


def get_offer(offer_id: int, user: User | None) -> Offer:
    """The offer, or 404 when it does not exist or `user` may not see it."""
    offer = db.session.get(Offer, offer_id)
    if offer is None or not can_see_offer(user, offer):
        unseen()
    return offer
