"""Who may see, file, comment on and assess follow-up of an engagement.

Confidential needs keep their rule: only the State's focal points, organisers and the partner of
the engagement see anything of them, so their reports stay out of civil society's and reviewers'
reach; organisers assess those.
"""

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager

from tamatch.auth.permissions import (
    ASSESSOR_ROLES,
    has_role,
    is_organiser,
    own_side_clause,
    party_state_clause,
    party_state_ids,
    side_of,
)
from tamatch.errors import DomainError, InvalidTransition, PermissionDenied
from tamatch.models import (
    Comment,
    Engagement,
    EngagementStatus,
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
    return side_of(user, engagement.need, engagement.offer)


def is_domestic_voice(user: User | None, engagement: Engagement) -> bool:
    """Civil society or an NHRI of the engagement's State (of any State party to a joint need)."""
    return (
        _role(user) == Role.CIVIL_SOCIETY
        and user.organisation is not None
        and user.organisation.state_id in party_state_ids(engagement.need)
    )


def can_see_engagement(user: User | None, engagement: Engagement) -> bool:
    role = _role(user)
    if role is None:
        return False
    if is_organiser(user) or engagement_side(user, engagement) is not None:
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
        Role.FOCAL_POINT: lambda: own_side_clause(user),
        Role.PARTNER: lambda: own_side_clause(user),
        Role.REVIEWER: lambda: not_confidential,
        Role.CIVIL_SOCIETY: lambda: sa.and_(
            not_confidential, party_state_clause(user.organisation.state_id)
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
    return is_organiser(user) or (user is not None and user.id == comment.author_id)


def can_review(user: User | None, report: ProgressReport) -> bool:
    """Reviewers assess what they can see; organisers assess too (confidential ones included)."""
    return (
        report.status == ReportStatus.SUBMITTED
        and has_role(user, *ASSESSOR_ROLES)
        and can_see_report(user, report)
    )


def can_record_outcome(user: User | None, engagement: Engagement) -> bool:
    return has_role(user, *ASSESSOR_ROLES) and can_see_engagement(user, engagement)


def practice_refusal(user: User | None, engagement: Engagement) -> DomainError | None:
    """Only the State publishes lessons of its engagement (its consent is the act), once the
    engagement is completed; the error a service raises, or None when it may."""
    if engagement_side(user, engagement) != Side.STATE:
        return PermissionDenied(_("Only the State's focal points publish its good practices."))
    if engagement.status != EngagementStatus.COMPLETED:
        return InvalidTransition(_("Good practices come from completed engagements."))
    return None


def can_publish_practice(user: User | None, engagement: Engagement) -> bool:
    return practice_refusal(user, engagement) is None


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
    "can_publish_practice": can_publish_practice,
}
