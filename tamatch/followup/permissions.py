"""Who may see, file, comment on and assess follow-up of an engagement.

Confidential needs keep their rule: only the State's focal points, organisers and the partner of
the engagement see anything of them, so their reports stay out of civil society's and reviewers'
reach; organisers assess those.
"""

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from tamatch.models import (
    Comment,
    Engagement,
    Need,
    Offer,
    ProgressReport,
    ReportStatus,
    Role,
    Side,
    User,
    Visibility,
)


def _role(user: User | None) -> Role | None:
    return user.role if user is not None and user.is_authenticated else None


def engagement_side(user: User | None, engagement: Engagement) -> Side | None:
    """The side `user` reports for on this engagement, if any."""
    role = _role(user)
    if role == Role.FOCAL_POINT and user.state_id == engagement.need.state_id:
        return Side.STATE
    if role == Role.PARTNER and user.organisation_id == engagement.offer.organisation_id:
        return Side.PARTNER
    return None


def is_domestic_voice(user: User | None, engagement: Engagement) -> bool:
    """Civil society or an NHRI of the engagement's State."""
    return (
        _role(user) == Role.CIVIL_SOCIETY
        and user.organisation is not None
        and user.organisation.state_id == engagement.need.state_id
    )


def can_see_engagement(user: User | None, engagement: Engagement) -> bool:
    role = _role(user)
    if role is None:
        return False
    if role == Role.ORGANISER or engagement_side(user, engagement) is not None:
        return True
    if engagement.need.visibility == Visibility.CONFIDENTIAL:
        return False
    return role == Role.REVIEWER or is_domestic_voice(user, engagement)


def visible_engagements_clause(user: User | None) -> sa.ColumnElement[bool]:
    """SQL mirror of `can_see_engagement` (needs Engagement joined with Need and Offer)."""
    role = _role(user)
    not_confidential = Need.visibility != Visibility.CONFIDENTIAL
    clauses = {
        Role.ORGANISER: sa.true,
        Role.FOCAL_POINT: lambda: Need.state_id == user.state_id,
        Role.PARTNER: lambda: Offer.organisation_id == user.organisation_id,
        Role.REVIEWER: lambda: not_confidential,
        Role.CIVIL_SOCIETY: lambda: sa.and_(
            not_confidential, Need.state_id == user.organisation.state_id
        ),
    }
    if role not in clauses or (role == Role.CIVIL_SOCIETY and user.organisation is None):
        return sa.false()
    return clauses[role]()


def can_see_report(user: User | None, report: ProgressReport) -> bool:
    """Drafts only to their own side; submitted reports to all who see the engagement."""
    if not can_see_engagement(user, report.engagement):
        return False
    return report.status == ReportStatus.SUBMITTED or (
        engagement_side(user, report.engagement) == report.side
    )


def can_edit_report(user: User | None, report: ProgressReport) -> bool:
    return report.status == ReportStatus.DRAFT and (
        engagement_side(user, report.engagement) == report.side
    )


def can_comment(user: User | None, report: ProgressReport) -> bool:
    return report.status == ReportStatus.SUBMITTED and is_domestic_voice(user, report.engagement)


def can_see_comment(user: User | None, comment: Comment) -> bool:
    if not can_see_report(user, comment.report):
        return False
    if not comment.organisers_only:
        return True
    return _role(user) == Role.ORGANISER or (user is not None and user.id == comment.author_id)


def can_review(user: User | None, report: ProgressReport) -> bool:
    """Reviewers assess what they can see; organisers assess too (confidential ones included)."""
    return (
        report.status == ReportStatus.SUBMITTED
        and _role(user) in (Role.REVIEWER, Role.ORGANISER)
        and can_see_report(user, report)
    )


def can_record_outcome(user: User | None, engagement: Engagement) -> bool:
    return _role(user) in (Role.REVIEWER, Role.ORGANISER) and can_see_engagement(user, engagement)


def engagements_query(user: User | None) -> sa.Select:
    """Engagements `user` may see, newest first, with need and offer joined."""
    return (
        sa.select(Engagement)
        .join(Need, Need.id == Engagement.need_id)
        .join(Offer, Offer.id == Engagement.offer_id)
        .where(visible_engagements_clause(user))
        .options(
            contains_eager(Engagement.need).selectinload(Need.state),
            contains_eager(Engagement.offer),
        )
        .order_by(Engagement.started_on.desc(), Engagement.id.desc())
    )


PREDICATES = {
    "engagement_side": engagement_side,
    "can_see_engagement": can_see_engagement,
    "can_see_report": can_see_report,
    "can_edit_report": can_edit_report,
    "can_comment": can_comment,
    "can_see_comment": can_see_comment,
    "can_review": can_review,
    "can_record_outcome": can_record_outcome,
}
