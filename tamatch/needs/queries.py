"""Need queries that apply visibility in SQL, so lists never show what a page would refuse."""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tamatch.auth.permissions import can_see_need, party_needs_clause, visible_needs_clause
from tamatch.errors import unseen
from tamatch.extensions import db
from tamatch.models import Need, NeedCohort, NeedStatus, User
from tamatch.models.need import need_support_kind, need_theme
from tamatch.request_args import enum_arg, int_arg, text_arg


@dataclass(frozen=True, slots=True)
class NeedFilters:
    q: str | None = None
    state_id: int | None = None
    theme_id: int | None = None
    support_kind_id: int | None = None
    status: NeedStatus | None = None
    mine: bool = False

    def to_json(self) -> dict:
        """The filters as a saved search stores them (only those set)."""
        data = {
            "q": self.q,
            "state_id": self.state_id,
            "theme_id": self.theme_id,
            "support_kind_id": self.support_kind_id,
            "status": self.status.value if self.status else None,
            "mine": self.mine or None,
        }
        return {k: v for k, v in data.items() if v is not None}

    @staticmethod
    def from_json(data: dict | None) -> "NeedFilters":
        """Stored filters read back; a value of the wrong type is dropped, never raised on."""
        data = data if isinstance(data, dict) else {}

        def number(key: str) -> int | None:
            value = data.get(key)
            return value if isinstance(value, int) and not isinstance(value, bool) else None

        q = data.get("q")
        try:
            status = NeedStatus(data.get("status")) if data.get("status") else None
        except ValueError:
            status = None
        return NeedFilters(
            q=q.strip()[:200] or None if isinstance(q, str) else None,
            state_id=number("state_id"),
            theme_id=number("theme_id"),
            support_kind_id=number("support_kind_id"),
            status=status,
            mine=data.get("mine") is True,
        )

    @staticmethod
    def from_args(args) -> "NeedFilters":
        """The needs list's filters from its query string (or a form repeating it), leniently."""
        return NeedFilters(
            q=text_arg("q", source=args),
            state_id=int_arg("state", source=args),
            theme_id=int_arg("theme", source=args),
            support_kind_id=int_arg("kind", source=args),
            status=enum_arg("status", NeedStatus, source=args),
            mine=args.get("mine") == "1",
        )

    def query_args(self) -> dict:
        """The needs list's query-string arguments for these filters (its `_filters` reads)."""
        names = {"state_id": "state", "theme_id": "theme", "support_kind_id": "kind"}
        args = {names.get(k, k): v for k, v in self.to_json().items()}
        if args.get("mine"):
            args["mine"] = "1"
        return args


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


def fits(user: User | None, filters: NeedFilters, need: Need) -> bool:
    """Whether `need` is in the needs list `user` sees with `filters`: the list's own query,
    asked about one need (so visibility and every filter have one home)."""
    stmt = needs_query(user, filters).where(Need.id == need.id).limit(1)
    return db.session.scalars(stmt).first() is not None


def get_need(need_id: int, user: User | None) -> Need:
    """The need, or 404 when it does not exist or `user` may not know it does."""
    need = db.session.get(Need, need_id)
    if need is None or not can_see_need(user, need):
        unseen()
    return need
