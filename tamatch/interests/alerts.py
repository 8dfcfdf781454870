"""Alerts of saved searches: when a need opens, each saved search it fits tells its owner once.

The fit is the needs list's own query (`tamatch.needs.queries.fits`) for the search's owner, so
a need the owner may not see (a confidential one) never fits, and the filters have one home.
"""

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _  # each recipient reads it in their language

from tamatch.auth.permissions import can_save_search
from tamatch.extensions import db
from tamatch.models import Need, NeedStatus, SavedSearch, SearchAlert, User
from tamatch.needs.queries import NeedFilters, fits
from tamatch.rounds import render
from tamatch.rounds.notify import tell


def alert_saved_searches(need: Need) -> int:
    """Tell the owner of each saved search that `need` (just opened) fits, unless told before
    about it for that search. Returns how many searches alerted. Flushes, never commits."""
    if need.status != NeedStatus.OPEN:
        return 0
    db.session.flush()
    told = set(
        db.session.scalars(
            sa.select(SearchAlert.saved_search_id).where(SearchAlert.need_id == need.id)
        )
    )
    searches = db.session.scalars(
        sa.select(SavedSearch)
        .join(User, User.id == SavedSearch.user_id)
        .where(User.active.is_(True))
        .order_by(SavedSearch.id)
    )
    link = current_app.url_map.bind("").build("needs.detail", {"need_id": need.id})
    count = 0
    for search in searches:
        owner = search.user
        if search.id in told or not can_save_search(owner):
            continue
        if not fits(owner, NeedFilters.from_json(search.filters), need):
            continue
        db.session.add(SearchAlert(saved_search_id=search.id, need_id=need.id))

        def body(reader: User | None) -> str:
            return _(
                "%(need)s of %(state)s is open. If you would like to support it, mark your "
                "interest on its page before the next round.",
                need=render.need_phrase(reader, need),
                state=render.state_label(reader, need),
            )

        subject = _("A new need fits your saved search “%(search)s”", search=search.name)
        tell([owner], subject, body, link)
        count += 1
    db.session.flush()
    return count
