"""Follow-up queries: an engagement's outcome and practice, the good-practice library."""

import sqlalchemy as sa

from tamatch.auth.permissions import visible_needs_clause
from tamatch.extensions import db
from tamatch.models import Engagement, EngagementOutcome, GoodPractice, Need, User, Visibility
from tamatch.models.followup import good_practice_kind, good_practice_theme


def practices_query(
    user: User | None, q: str | None, theme_id: int | None, kind_id: int | None
) -> sa.Select:
    """Published practices `user` may read, newest first. A practice drawn from a confidential
    need is read only by those who may see that need."""
    stmt = (
        sa.select(GoodPractice)
        .join(Engagement, Engagement.id == GoodPractice.engagement_id)
        .join(Need, Need.id == Engagement.need_id)
        .where(sa.or_(Need.visibility != Visibility.CONFIDENTIAL, visible_needs_clause(user)))
    )
    for word in (q or "").split()[:8]:
        stmt = stmt.where(
            sa.or_(
                GoodPractice.title.icontains(word, autoescape=True),
                GoodPractice.summary.icontains(word, autoescape=True),
            )
        )
    if theme_id:
        themed = sa.select(good_practice_theme.c.good_practice_id)
        stmt = stmt.where(
            GoodPractice.id.in_(themed.where(good_practice_theme.c.theme_id == theme_id))
        )
    if kind_id:
        kinds = sa.select(good_practice_kind.c.good_practice_id)
        stmt = stmt.where(
            GoodPractice.id.in_(kinds.where(good_practice_kind.c.support_kind_id == kind_id))
        )
    return stmt.order_by(GoodPractice.published_at.desc(), GoodPractice.id.desc())


def engagement_outcome(engagement: Engagement) -> EngagementOutcome | None:
    return db.session.scalar(
        sa.select(EngagementOutcome).where(EngagementOutcome.engagement_id == engagement.id)
    )


def engagement_practice(engagement: Engagement) -> GoodPractice | None:
    return db.session.scalar(
        sa.select(GoodPractice).where(GoodPractice.engagement_id == engagement.id)
    )
