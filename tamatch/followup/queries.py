"""Follow-up queries: what a user may open, an engagement's outcome, the practice library."""

import sqlalchemy as sa

from tamatch.auth.permissions import visible_needs_clause
from tamatch.errors import unseen
from tamatch.extensions import db
from tamatch.followup.permissions import can_see_engagement, can_see_report
from tamatch.models import (
    Engagement,
    EngagementOutcome,
    Evidence,
    GoodPractice,
    Need,
    ProgressReport,
    User,
    Visibility,
)
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


def get_engagement(engagement_id: int, user: User | None) -> Engagement:
    """The engagement, or 404 when it does not exist or `user` may not know it does."""
    engagement = db.session.get(Engagement, engagement_id)
    if engagement is None or not can_see_engagement(user, engagement):
        unseen()
    return engagement


def get_report(report_id: int, user: User | None) -> ProgressReport:
    """The report, or 404 when it does not exist or `user` may not see it."""
    report = db.session.get(ProgressReport, report_id)
    if report is None or not can_see_report(user, report):
        unseen()
    return report


def get_evidence(evidence_id: int, user: User | None) -> Evidence:
    """The evidence, or 404 unless `user` may see its report."""
    evidence = db.session.get(Evidence, evidence_id)
    if evidence is None or not can_see_report(user, evidence.report):
        unseen()
    return evidence


def engagement_outcome(engagement: Engagement) -> EngagementOutcome | None:
    return db.session.scalar(
        sa.select(EngagementOutcome).where(EngagementOutcome.engagement_id == engagement.id)
    )


def engagement_practice(engagement: Engagement) -> GoodPractice | None:
    return db.session.scalar(
        sa.select(GoodPractice).where(GoodPractice.engagement_id == engagement.id)
    )
