"""Need queries that apply visibility in SQL, so lists never show what a page would refuse."""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tamatch.auth.permissions import can_see_need, party_needs_clause, visible_needs_clause
from tamatch.errors import unseen
from tamatch.extensions import db
from tamatch.models import Need, NeedCohort, NeedStatus, User
from tamatch.models.need import need_support_kind, need_theme


@dataclass(frozen=True, slots=True)
class NeedFilters:
    q: str | None = None
    state_id: int | None = None
    theme_id: int | None = None
    support_kind_id: int | None = None
    status: NeedStatus | None = None
    mine: bool = False


def needs_query(user: User | None, filters: NeedFilters) -> sa.Select:
    """SELECT of the needs `user` may see that match `filters`, newest first."""
    stmt = sa.select(Need).where(visible_needs_clause(user))
    if filters.mine and user is not None and user.is_authenticated and user.state_id:
        # The State's own, and (for its focal points) the joint needs it is in.
        stmt = stmt.where(sa.or_(Need.state_id == user.state_id, party_needs_clause(user)))
    if filters.q:
        for word in filters.q.split()[:8]:
            stmt = stmt.where(
                sa.or_(
                    Need.title.icontains(word, autoescape=True),
                    Need.gap.icontains(word, autoescape=True),
                )
            )
    if filters.state_id:
        stmt = stmt.where(Need.state_id == filters.state_id)
    if filters.status:
        stmt = stmt.where(Need.status == filters.status)
    if filters.theme_id:
        stmt = stmt.where(
            Need.id.in_(
                sa.select(need_theme.c.need_id).where(need_theme.c.theme_id == filters.theme_id)
            )
        )
    if filters.support_kind_id:
        stmt = stmt.where(
            Need.id.in_(
                sa.select(need_support_kind.c.need_id).where(
                    need_support_kind.c.support_kind_id == filters.support_kind_id
                )
            )
        )
    return stmt.options(
        selectinload(Need.state), selectinload(Need.cohort).selectinload(NeedCohort.members)
    ).order_by(Need.created_at.desc(), Need.id.desc())


def get_need(need_id: int, user: User | None) -> Need:
    """The need, or 404 when it does not exist or `user` may not know it does."""
    need = db.session.get(Need, need_id)
    if need is None or not can_see_need(user, need):
        unseen()
    return need
