"""Figures for each role's home page, computed with grouped queries (no per-row loops)."""

import sqlalchemy as sa

from tamatch.auth.permissions import visible_needs_clause
from tamatch.extensions import db
from tamatch.models import (
    Invitation,
    Need,
    NeedStatus,
    Offer,
    OfferStatus,
    Role,
    State,
    Theme,
    User,
)
from tamatch.models.base import utcnow
from tamatch.models.need import need_theme
from tamatch.models.offer import offer_theme


def state_needs_by_status(state_id: int) -> dict[NeedStatus, list[Need]]:
    """The State's needs grouped by status, in lifecycle order."""
    grouped: dict[NeedStatus, list[Need]] = {status: [] for status in NeedStatus}
    for need in db.session.scalars(
        sa.select(Need).where(Need.state_id == state_id).order_by(Need.updated_at.desc())
    ):
        grouped[need.status].append(need)
    return grouped


def organisation_offers(organisation_id: int) -> list[Offer]:
    return list(
        db.session.scalars(
            sa.select(Offer)
            .where(Offer.organisation_id == organisation_id)
            .order_by(Offer.status, Offer.updated_at.desc())
        )
    )


def open_counts_by_theme(user: User) -> list[tuple[str, int, int]]:
    """(theme, open needs, open offers) for every theme with at least one of either."""
    needs = dict(
        db.session.execute(
            sa.select(need_theme.c.theme_id, sa.func.count())
            .join(Need, Need.id == need_theme.c.need_id)
            .where(Need.status == NeedStatus.OPEN, visible_needs_clause(user))
            .group_by(need_theme.c.theme_id)
        ).all()
    )
    offers = dict(
        db.session.execute(
            sa.select(offer_theme.c.theme_id, sa.func.count())
            .join(Offer, Offer.id == offer_theme.c.offer_id)
            .where(Offer.status == OfferStatus.OPEN)
            .group_by(offer_theme.c.theme_id)
        ).all()
    )
    themes = db.session.scalars(sa.select(Theme).where(Theme.id.in_(set(needs) | set(offers))))
    rows = [(t.name, needs.get(t.id, 0), offers.get(t.id, 0)) for t in themes]
    return sorted(rows, key=lambda r: (-r[1], r[0]))


def open_needs_by_region(user: User) -> list[tuple[str, int, int, int, int]]:
    """(regional group, open needs, of which LDC, SIDS, LLDC) for the needs `user` may see."""
    rows = db.session.execute(
        sa.select(
            State.regional_group,
            sa.func.count(),
            sa.func.sum(sa.case((State.ldc_on(utcnow().date()), 1), else_=0)),
            sa.func.sum(sa.case((State.is_sids, 1), else_=0)),
            sa.func.sum(sa.case((State.is_lldc, 1), else_=0)),
        )
        .select_from(Need)
        .join(State, State.id == Need.state_id)
        .where(Need.status == NeedStatus.OPEN, visible_needs_clause(user))
        .group_by(State.regional_group)
        .order_by(State.regional_group)
    ).all()
    return [
        (group, int(n), int(ldc or 0), int(sids or 0), int(lldc or 0))
        for group, n, ldc, sids, lldc in rows
    ]


def admin_figures() -> dict[str, int]:
    users_by_role = dict(
        db.session.execute(sa.select(User.role, sa.func.count()).group_by(User.role)).all()
    )
    pending = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Invitation)
        .where(Invitation.used_at.is_(None), Invitation.expires_at > utcnow())
    )
    return {"users_by_role": {Role(r): n for r, n in users_by_role.items()}, "pending": pending}
