"""Follow-up pages: what is due, the progress reports, comments, reviews and outcomes."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from tamatch.extensions import db
from tamatch.followup import bp, services
from tamatch.followup.evidence import change_evidence
from tamatch.followup.forms import (
    CommentForm,
    EvidenceForm,
    OutcomeForm,
    PracticeForm,
    ReportForm,
    ReviewForm,
    status_field,
)
from tamatch.followup.permissions import (
    can_comment,
    can_edit_report,
    can_record_outcome,
    can_see_comment,
    can_see_engagement,
    engagement_side,
    engagements_query,
)
from tamatch.followup.queries import (
    engagement_outcome,
    engagement_practice,
    get_engagement,
    get_report,
)
from tamatch.followup.schedule import schedule
from tamatch.models import (
    Engagement,
    ImplementationStatus,
    OutcomeKind,
    ProgressReport,
    Rating,
    ReportDue,
    ReportStatus,
    Side,
)
from tamatch.request_args import int_arg, paginate
from tamatch.unit_of_work import unit_of_work


def _engagement(engagement_id: int) -> Engagement:
    return get_engagement(engagement_id, current_user)


def _report(report_id: int) -> ProgressReport:
    return get_report(report_id, current_user)


@bp.get("/")
@login_required
def index():
    page = paginate(engagements_query(current_user).options(selectinload(Engagement.reports_due)))
    engagements = list(page.items)
    stages = {e.id: [] for e in engagements}  # each engagement's reports under it, in page order
    for item in schedule(engagements):
        stages[item.due.engagement_id].append(item)
    groups = [(e, stages[e.id]) for e in engagements]
    return render_template("followup/index.html", page=page, groups=groups)


@bp.get("/engagements/<int:engagement_id>")
@login_required
def engagement(engagement_id: int):
    engagement = _engagement(engagement_id)
    outcome, practice = engagement_outcome(engagement), engagement_practice(engagement)
    items = schedule([engagement])
    return render_template(
        "followup/engagement.html",
        engagement=engagement,
        items=items,
        to_come=sum(
            1 for i in items if not (i.report and i.report.status == ReportStatus.SUBMITTED)
        ),
        side=engagement_side(current_user, engagement),
        outcome=outcome,
        practice=practice,
        outcome_form=OutcomeForm(obj=outcome)
        if can_record_outcome(current_user, engagement)
        else None,
        practice_form=PracticeForm(obj=practice),
    )


def _report_form(report: ProgressReport) -> ReportForm:
    """The report form with one status select per recommendation (State reports only)."""
    recommendations = report.engagement.need.recommendations if report.side == Side.STATE else []

    class _Form(ReportForm):
        pass

    for rec in recommendations:
        setattr(_Form, f"status_{rec.id}", status_field(rec.reference))
    form = _Form(obj=report)
    if request.method == "GET":
        for progress in report.statuses:
            getattr(form, f"status_{progress.recommendation_id}").data = progress.status.value
    form.recommendations = recommendations
    return form


@bp.post("/dues/<int:due_id>/report")
@login_required
def file_report(due_id: int):
    due = db.session.get(ReportDue, due_id) or abort(404)
    if engagement_side(current_user, due.engagement) is None:
        abort(404 if not can_see_engagement(current_user, due.engagement) else 403)
    with unit_of_work() as work:
        report = services.report_for(current_user, due)
    if work.failed:
        return redirect(url_for("followup.engagement", engagement_id=due.engagement_id))
    return redirect(url_for("followup.report", report_id=report.id))


@bp.route("/reports/<int:report_id>", methods=["GET", "POST"])
@login_required
def report(report_id: int):
    report = _report(report_id)
    if request.method == "POST" and not can_edit_report(current_user, report):
        abort(403)
    form, evidence_form = _report_form(report), EvidenceForm()
    # One form: adding or removing evidence saves the narrative typed beside it as well.
    adding = request.method == "POST" and bool(request.form.get("add_evidence"))
    removing = int_arg("remove_evidence", source=request.form) if request.method == "POST" else None
    if request.method == "POST" and form.validate_on_submit() and evidence_form.validate():
        with unit_of_work(form) as work:
            change_evidence(
                current_user,
                report,
                url=(evidence_form.url.data or "").strip(),
                file=evidence_form.file.data or None,
                adding=adding,
                remove_id=removing,
            )
            services.save_report(
                current_user, report, _report_data(form), submit=bool(form.submit.data)
            )
        if not work.failed:
            flash(_saved_message(form, adding, removing), "success")
            anchor = "evidence" if adding or removing else None
            return redirect(url_for("followup.report", report_id=report.id, _anchor=anchor))
    return render_template(
        "followup/report.html",
        report=report,
        form=form,
        comments=[c for c in report.comments if can_see_comment(current_user, c)],
        comment_form=CommentForm(),
        review_form=ReviewForm(),
        evidence_form=evidence_form,
    )


def _saved_message(form: ReportForm, adding: bool, removing: int | None) -> str:
    if form.submit.data:
        return _("Report submitted.")
    if adding:
        return _("Evidence added; the draft is saved.")
    if removing:
        return _("Evidence removed; the draft is saved.")
    return _("Draft saved.")


def _report_data(form: ReportForm) -> services.ReportData:
    return services.ReportData(
        achievements=form.achievements.data or "",
        challenges=form.challenges.data or "",
        obstacles=form.obstacles.data or "",
        lessons=form.lessons.data or "",
        text_locale=form.text_locale.data,
        statuses={
            rec.id: ImplementationStatus(getattr(form, f"status_{rec.id}").data)
            for rec in form.recommendations
            if getattr(form, f"status_{rec.id}").data
        },
    )


@bp.post("/reports/<int:report_id>/comments")
@login_required
def comment(report_id: int):
    report = _report(report_id)
    if not can_comment(current_user, report):
        abort(403)
    form = CommentForm()
    if not form.validate_on_submit():
        flash(_("Write a comment first."), "danger")
        return redirect(url_for("followup.report", report_id=report.id))
    with unit_of_work() as work:
        services.add_comment(current_user, report, form.body.data, form.organisers_only.data)
    if not work.failed:
        flash(_("Comment posted."), "success")
    return redirect(url_for("followup.report", report_id=report.id))


@bp.post("/reports/<int:report_id>/reviews")
@login_required
def review(report_id: int):
    report = _report(report_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        flash(_("Choose a rating."), "danger")
        return redirect(url_for("followup.report", report_id=report.id))
    rating = Rating(form.rating.data)
    with unit_of_work() as work:
        services.review_report(current_user, report, rating, form.comment.data or "")
    if not work.failed:
        flash(_("Assessment recorded."), "success")
    return redirect(url_for("followup.report", report_id=report.id))


@bp.post("/engagements/<int:engagement_id>/outcome")
@login_required
def outcome(engagement_id: int):
    engagement = _engagement(engagement_id)
    form = OutcomeForm()
    if not can_record_outcome(current_user, engagement):
        abort(403)
    if not form.validate_on_submit():
        flash(_("Choose an outcome."), "danger")
        return redirect(url_for("followup.engagement", engagement_id=engagement.id))
    kind = OutcomeKind(form.outcome.data)
    with unit_of_work() as work:
        services.record_outcome(current_user, engagement, kind, form.summary.data or "")
    if not work.failed:
        flash(_("Outcome recorded; the engagement is completed."), "success")
    return redirect(url_for("followup.engagement", engagement_id=engagement.id))


@bp.post("/engagements/<int:engagement_id>/practice")
@login_required
def practice(engagement_id: int):
    engagement = _engagement(engagement_id)
    if engagement_side(current_user, engagement) != Side.STATE:
        abort(403)
    form = PracticeForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(errors), "danger")
        return redirect(url_for("followup.engagement", engagement_id=engagement.id))
    with unit_of_work() as work:
        services.publish_good_practice(current_user, engagement, form.title.data, form.summary.data)
    if not work.failed:
        flash(_("Published in the good-practice library."), "success")
    return redirect(url_for("followup.engagement", engagement_id=engagement.id))
