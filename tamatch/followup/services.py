"""Filing progress reports, comments, reviews, outcomes and good practices."""

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from tamatch.audit import record
from tamatch.errors import DomainError, PermissionDenied, require
from tamatch.extensions import db
from tamatch.followup.permissions import (
    can_comment,
    can_edit_report,
    can_record_outcome,
    can_review,
    engagement_side,
    practice_refusal,
)
from tamatch.i18n.content import author_language, text_language
from tamatch.models import (
    Comment,
    Engagement,
    EngagementOutcome,
    EngagementStatus,
    GoodPractice,
    ImplementationStatus,
    NeedStatus,
    OutcomeKind,
    ProgressReport,
    Rating,
    RecommendationProgress,
    ReportDue,
    ReportReview,
    ReportStatus,
    Side,
    User,
    Visibility,
)
from tamatch.models.base import utcnow
from tamatch.needs.services import transition_need

NARRATIVE = ("achievements", "challenges", "obstacles", "lessons")


@dataclass(frozen=True, slots=True)
class ReportData:
    """A report's narrative and, for the State, a status per recommendation served."""

    achievements: str = ""
    challenges: str = ""
    obstacles: str = ""
    lessons: str = ""
    statuses: dict[int, ImplementationStatus] = field(default_factory=dict)
    text_locale: str | None = None  # the language of the narrative; None: as it was


def report_for(actor: User, due: ReportDue) -> ProgressReport:
    """The actor's side's report for this stage, created as a draft on first use."""
    side = engagement_side(actor, due.engagement)
    if side is None:
        raise PermissionDenied(_("Only the State's focal points and the partner file reports."))
    report = db.session.scalar(
        sa.select(ProgressReport).where(
            ProgressReport.report_due_id == due.id, ProgressReport.side == side
        )
    )
    if report is None:
        report = ProgressReport(
            report_due_id=due.id, engagement_id=due.engagement_id, side=side, author_id=actor.id
        )
        db.session.add(report)
        db.session.flush()
    return report


def save_report(actor: User, report: ProgressReport, data: ReportData, submit: bool) -> None:
    """Save a draft, or submit it. Submitting needs a narrative and, from the State, a status
    for every recommendation the engagement serves; it then becomes their current status."""
    if not can_edit_report(actor, report):
        raise PermissionDenied(_("This report cannot be changed by you now."))
    for name in NARRATIVE:
        setattr(report, name, getattr(data, name).strip())
    report.text_locale = text_language(data.text_locale, report.text_locale)
    served = {r.id for r in report.engagement.need.recommendations}
    if report.side == Side.STATE:
        _set_statuses(report, data.statuses, served)
    report.author_id = actor.id
    if submit:
        _check_complete(report, served)
        report.status, report.submitted_at = ReportStatus.SUBMITTED, utcnow()
        if report.side == Side.STATE:
            _update_current_status(report)
    db.session.flush()
    record(
        actor,
        "report.submit" if submit else "report.save",
        report,
        after={"side": report.side.value, "stage": report.report_due.stage_months},
    )


def _set_statuses(
    report: ProgressReport, statuses: dict[int, ImplementationStatus], served: set[int]
) -> None:
    if set(statuses) - served:
        raise DomainError(_("A status was given for a recommendation this need does not serve."))
    existing = {p.recommendation_id: p for p in report.statuses}
    for rid, status in statuses.items():
        if rid in existing:
            existing[rid].status = status
        else:
            report.statuses.append(RecommendationProgress(recommendation_id=rid, status=status))


def _check_complete(report: ProgressReport, served: set[int]) -> None:
    if not (report.achievements or report.challenges):
        raise DomainError(
            _("Describe at least the achievements or the challenges before submitting."),
            field="achievements",
        )
    if report.side == Side.STATE and {s.recommendation_id for s in report.statuses} != served:
        raise DomainError(
            _("Give the implementation status of every recommendation before submitting."),
            field="statuses",
        )


def _update_current_status(report: ProgressReport) -> None:
    """The recommendation's public current status: only reports on needs that are not
    confidential move it (a confidential engagement must leave no trace on public pages)."""
    if report.engagement.need.visibility == Visibility.CONFIDENTIAL:
        return
    day = report.submitted_at.date()
    db.session.flush()  # new status rows get their recommendation loaded
    for progress in report.statuses:
        db.session.refresh(progress, ["recommendation"])
        recommendation = progress.recommendation
        if (
            recommendation.implementation_reported_at is None
            or recommendation.implementation_reported_at <= day
        ):
            recommendation.implementation_status = progress.status.value
            recommendation.implementation_reported_at = day


def status_history(recommendation_id: int) -> list[tuple[ProgressReport, ImplementationStatus]]:
    """Every status submitted State reports gave the recommendation, oldest first."""
    rows = db.session.execute(
        sa.select(ProgressReport, RecommendationProgress.status)
        .join(RecommendationProgress, RecommendationProgress.report_id == ProgressReport.id)
        .where(
            RecommendationProgress.recommendation_id == recommendation_id,
            ProgressReport.status == ReportStatus.SUBMITTED,
        )
        .order_by(ProgressReport.submitted_at)
    ).all()
    return [(report, status) for report, status in rows]


def add_comment(actor: User, report: ProgressReport, body: str, organisers_only: bool) -> Comment:
    """Civil society or an NHRI of the State comments on a submitted report."""
    if not can_comment(actor, report):
        raise PermissionDenied(_("Only civil society and NHRIs of this State comment here."))
    if not body.strip():
        raise DomainError(_("Write a comment first."), field="body")
    comment = Comment(
        report_id=report.id,
        author_id=actor.id,
        body=body.strip(),
        organisers_only=organisers_only,
        text_locale=author_language(None),
    )
    db.session.add(comment)
    db.session.flush()
    record(actor, "comment.create", comment, after={"organisers_only": organisers_only})
    return comment


def review_report(
    actor: User, report: ProgressReport, rating: Rating, comment: str
) -> ReportReview:
    """A reviewer's (or organiser's) assessment of a submitted report."""
    if not can_review(actor, report):
        raise PermissionDenied(_("Only reviewers and organisers assess reports."))
    review = ReportReview(
        report_id=report.id, reviewer_id=actor.id, rating=rating, comment=(comment or "").strip()
    )
    db.session.add(review)
    db.session.flush()
    record(actor, "report.review", report, after={"rating": rating.value})
    return review


def record_outcome(actor: User, engagement: Engagement, outcome: OutcomeKind, summary: str) -> None:
    """Record (or change) the engagement's outcome; achieved or not, the engagement completes
    and its need with it."""
    if not can_record_outcome(actor, engagement):
        raise PermissionDenied(_("Only reviewers and organisers record outcomes."))
    row = db.session.scalar(
        sa.select(EngagementOutcome).where(EngagementOutcome.engagement_id == engagement.id)
    )
    before = row.outcome.value if row else None
    if row is None:
        row = EngagementOutcome(engagement_id=engagement.id, reviewer_id=actor.id, outcome=outcome)
        db.session.add(row)
    row.outcome, row.summary, row.reviewer_id = outcome, summary.strip(), actor.id
    engagement.status = EngagementStatus.COMPLETED
    if engagement.need.status == NeedStatus.IN_PROGRESS:
        transition_need(None, engagement.need, NeedStatus.COMPLETED)
    db.session.flush()
    record(actor, "engagement.outcome", engagement, {"outcome": before}, {"outcome": outcome.value})


def publish_good_practice(
    actor: User, engagement: Engagement, title: str, summary: str
) -> GoodPractice:
    """The State publishes lessons from its completed engagement (its consent is the act)."""
    require(practice_refusal(actor, engagement))
    if not title.strip() or len(summary.strip()) < 20:
        raise DomainError(
            _("Give a title and at least a few sentences of lessons."), field="summary"
        )
    practice = db.session.scalar(
        sa.select(GoodPractice).where(GoodPractice.engagement_id == engagement.id)
    ) or GoodPractice(engagement_id=engagement.id, consented_by_id=actor.id)
    practice.title, practice.summary = title.strip()[:200], summary.strip()
    practice.themes = list(engagement.need.themes)
    practice.support_kinds = list(engagement.need.support_kinds)
    practice.consented_by_id, practice.published_at = actor.id, utcnow()
    db.session.add(practice)
    db.session.flush()
    record(actor, "good_practice.publish", practice)
    return practice
