"""Showing and withdrawing interest in needs, and keeping saved searches.

Services take models and validated data, flush and raise domain errors; the view commits.
Who may do what is in tamatch/auth/permissions.py.
"""

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from tamatch.auth.permissions import (
    can_bid_with,
    can_save_search,
    can_show_interest,
    is_own_organisation_partner,
)
from tamatch.errors import DomainError, PermissionDenied
from tamatch.extensions import db
from tamatch.models import (
    Interest,
    InterestLevel,
    Need,
    Offer,
    OfferStatus,
    SavedSearch,
    SearchAlert,
    User,
)
from tamatch.needs.queries import NeedFilters

MAX_SAVED_SEARCHES = 20


def biddable_offers(user: User) -> list[Offer]:
    """The offers `user` may show interest with: its organisation's, not closed, by title."""
    if user.organisation_id is None:
        return []
    stmt = sa.select(Offer).where(
        Offer.organisation_id == user.organisation_id, Offer.status != OfferStatus.CLOSED
    )
    return list(db.session.scalars(stmt.order_by(Offer.title, Offer.id)))


def show_interest(
    actor: User, need: Need, offers: list[Offer], level: InterestLevel
) -> list[Interest]:
    """Mark (or change) the interest of each of `offers` in `need`; returns the rows.

    Raises PermissionDenied when the actor may not show interest in the need (not a partner,
    a need it may not see, or one no longer open); DomainError for an offer that is not its
    own or is closed, or for no offer at all.
    """
    if not can_show_interest(actor, need):
        raise PermissionDenied(_("You can show interest only in open needs you may see."))
    if not offers:
        raise DomainError(_("Post an offer first: interest is shown with an offer."), "offer")
    if any(not can_bid_with(actor, offer) for offer in offers):
        raise DomainError(_("Choose one of your own offers that is not closed."), "offer")
    existing = {
        row.offer_id: row
        for row in db.session.scalars(
            sa.select(Interest).where(
                Interest.need_id == need.id, Interest.offer_id.in_([o.id for o in offers])
            )
        )
    }
    rows = []
    for offer in offers:
        row = existing.get(offer.id) or _insert(actor, need, offer, level)
        row.level = int(level)
        rows.append(row)
    db.session.flush()
    return rows


def _insert(actor: User, need: Need, offer: Offer, level: InterestLevel) -> Interest:
    """A new interest row; when another request inserted it first (a double click), that row.
    The database's unique (offer, need) decides, in a savepoint."""
    row = Interest(offer_id=offer.id, need_id=need.id, level=int(level), created_by_id=actor.id)
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return db.session.scalars(
            sa.select(Interest).where(Interest.need_id == need.id, Interest.offer_id == offer.id)
        ).one()
    return row


def withdraw_interest(actor: User, interest: Interest) -> None:
    """Withdraw an interest of the actor's organisation (at any time). Raises PermissionDenied."""
    if not is_own_organisation_partner(actor, interest.offer):
        raise PermissionDenied(_("Only the offer's partner can withdraw its interest."))
    db.session.delete(interest)
    db.session.flush()


def _clean_name(name: str) -> str:
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise DomainError(_("Give the search a name."), "name")
    if len(cleaned) > 100:
        raise DomainError(_("A name has at most 100 characters."), "name")
    return cleaned


def _name_taken(user: User, name: str, but: int | None = None) -> bool:
    stmt = sa.select(SavedSearch.id).where(
        SavedSearch.user_id == user.id, sa.func.lower(SavedSearch.name) == name.lower()
    )
    if but is not None:
        stmt = stmt.where(SavedSearch.id != but)
    return db.session.scalar(stmt) is not None


def save_search(actor: User, name: str, filters: NeedFilters) -> SavedSearch:
    """Keep the needs-list search `filters` under `name`. Raises PermissionDenied (not a
    partner) and DomainError (no name, a name already used, too many searches)."""
    if not can_save_search(actor):
        raise PermissionDenied(_("Partners can save needs searches."))
    name = _clean_name(name)
    if _name_taken(actor, name):
        raise DomainError(_("You already have a search with this name."), "name")
    count = db.session.scalar(
        sa.select(sa.func.count()).select_from(SavedSearch).where(SavedSearch.user_id == actor.id)
    )
    if count >= MAX_SAVED_SEARCHES:
        raise DomainError(
            _("You can keep at most %(num)d searches; delete one first.", num=MAX_SAVED_SEARCHES),
            "name",
        )
    search = SavedSearch(user_id=actor.id, name=name, filters=filters.to_json())
    db.session.add(search)
    db.session.flush()
    return search


def rename_search(actor: User, search: SavedSearch, name: str) -> SavedSearch:
    """Rename one of the actor's searches. Raises PermissionDenied, DomainError."""
    if search.user_id != actor.id:
        raise PermissionDenied(_("This search is not yours."))
    name = _clean_name(name)
    if _name_taken(actor, name, but=search.id):
        raise DomainError(_("You already have a search with this name."), "name")
    search.name = name
    db.session.flush()
    return search


def delete_search(actor: User, search: SavedSearch) -> None:
    """Delete one of the actor's searches (and the record of its alerts)."""
    if search.user_id != actor.id:
        raise PermissionDenied(_("This search is not yours."))
    db.session.execute(sa.delete(SearchAlert).where(SearchAlert.saved_search_id == search.id))
    db.session.delete(search)
    db.session.flush()
