"""Follow-up: due dates and lights, reminders, reports, comments, reviews, outcomes, practices."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tamatch.errors import DomainError, InvalidTransition, PermissionDenied
from tamatch.followup import services
from tamatch.followup.permissions import can_see_comment, can_see_report
from tamatch.followup.schedule import Light, light_for, schedule, send_reminders
from tamatch.models import (
    EngagementStatus,
    ImplementationStatus,
    NeedStatus,
    Notification,
    OrganisationKind,
    OutcomeKind,
    Rating,
    Reminder,
    ReportStatus,
    Role,
    Side,
    Visibility,
)
from tests.factories import make_engagement


@pytest.fixture
def eng(make, db):
    return make_engagement(db, make)


def _state_data(engagement, status=ImplementationStatus.IN_PROGRESS, **kw):
    statuses = {r.id: status for r in engagement.need.recommendations}
    return services.ReportData(
        achievements=kw.get("achievements", "Trained 40 staff."),
        challenges="Turnover.",
        statuses=statuses,
    )


def test_due_dates_and_lights(eng):
    engagement = eng["engagement"]
    assert [d.stage_months for d in engagement.reports_due] == [6, 12]
    today = date.today()
    assert light_for(today - timedelta(days=1), False, today) == Light.OVERDUE
    assert light_for(today + timedelta(days=30), False, today) == Light.DUE_SOON
    assert light_for(today + timedelta(days=31), False, today) == Light.LATER
    assert light_for(today - timedelta(days=90), True, today) == Light.REPORTED
    items = schedule([engagement], today=engagement.reports_due[0].due_on - timedelta(days=10))
    assert [(i.due.stage_months, i.side, i.light) for i in items[:2]] == [
        (6, Side.STATE, Light.DUE_SOON),
        (6, Side.PARTNER, Light.DUE_SOON),
    ]


def test_reminders_are_sent_once_per_stage_and_kind(eng, db):
    first_due = eng["engagement"].reports_due[0].due_on
    counts = send_reminders(today=first_due - timedelta(days=5))
    db.session.commit()
    assert (counts["due"], counts["overdue"]) == (1, 0)
    assert send_reminders(today=first_due - timedelta(days=4))["due"] == 0  # cron again
    late = send_reminders(today=first_due + timedelta(days=1))
    db.session.commit()
    assert late["overdue"] == 1
    assert send_reminders(today=first_due + timedelta(days=2))["overdue"] == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Reminder)) == 2
    told = set(db.session.scalars(sa.select(Notification.user_id)))
    assert {eng["focal"].id, eng["partner"].id, eng["organiser"].id} <= told


def test_no_reminder_once_both_sides_reported(eng, db):
    engagement = eng["engagement"]
    due = engagement.reports_due[0]
    for actor, data in (
        (eng["focal"], _state_data(engagement)),
        (eng["partner"], services.ReportData(achievements="Delivered.")),
    ):
        services.save_report(actor, services.report_for(actor, due), data, submit=True)
    db.session.commit()
    assert send_reminders(today=due.due_on - timedelta(days=3))["due"] == 0


def test_state_report_draft_then_submit_sets_current_status(eng, db):
    engagement, focal = eng["engagement"], eng["focal"]
    report = services.report_for(focal, engagement.reports_due[0])
    partial = services.ReportData(achievements="Begun.", statuses={})
    services.save_report(focal, report, partial, submit=False)
    assert report.status == ReportStatus.DRAFT
    with pytest.raises(DomainError, match="every recommendation"):
        services.save_report(focal, report, partial, submit=True)
    db.session.rollback()
    report = services.report_for(focal, engagement.reports_due[0])
    services.save_report(focal, report, _state_data(engagement), submit=True)
    db.session.commit()
    rec = engagement.need.recommendations[0]
    assert rec.implementation_status == "in_progress"
    second = services.report_for(focal, engagement.reports_due[1])
    services.save_report(
        focal, second, _state_data(engagement, ImplementationStatus.FULLY_IMPLEMENTED), submit=True
    )
    db.session.commit()
    assert rec.implementation_status == "fully_implemented"
    assert [s for _, s in services.status_history(rec.id)] == [
        ImplementationStatus.IN_PROGRESS,
        ImplementationStatus.FULLY_IMPLEMENTED,
    ]
    with pytest.raises(PermissionDenied):
        services.save_report(focal, second, _state_data(engagement), submit=False)  # submitted


def test_who_files_and_reads(eng, make, db):
    engagement = eng["engagement"]
    due = engagement.reports_due[0]
    with pytest.raises(PermissionDenied):
        services.report_for(make.user(role=Role.FOCAL_POINT, state="NPL"), due)
    with pytest.raises(PermissionDenied):
        services.report_for(make.user(role=Role.PARTNER), due)
    draft = services.report_for(eng["focal"], due)
    db.session.commit()
    cso = make.user(
        role=Role.CIVIL_SOCIETY,
        organisation=make.organisation(
            kind=OrganisationKind.CIVIL_SOCIETY, state=make.state("HTI")
        ),
    )
    reviewer = make.user(role=Role.REVIEWER)
    assert can_see_report(eng["focal"], draft)
    assert not can_see_report(eng["partner"], draft)  # the other side's draft
    assert not can_see_report(cso, draft) and not can_see_report(reviewer, draft)
    services.save_report(eng["focal"], draft, _state_data(engagement), submit=True)
    assert can_see_report(eng["partner"], draft) and can_see_report(cso, draft)
    assert can_see_report(reviewer, draft)
    assert not can_see_report(make.user(role=Role.CIVIL_SOCIETY, state="NPL"), draft)


def test_confidential_engagement_reports_stay_with_the_entitled(make, db):
    eng = make_engagement(db, make, visibility=Visibility.CONFIDENTIAL)
    report = services.report_for(eng["focal"], eng["engagement"].reports_due[0])
    services.save_report(eng["focal"], report, _state_data(eng["engagement"]), submit=True)
    cso = make.user(role=Role.CIVIL_SOCIETY, state="HTI")
    assert not can_see_report(cso, report)
    assert not can_see_report(make.user(role=Role.REVIEWER), report)
    assert can_see_report(eng["organiser"], report) and can_see_report(eng["partner"], report)


def test_comments_from_domestic_voices_only_and_organisers_only_flag(eng, make, db):
    engagement = eng["engagement"]
    report = services.report_for(eng["focal"], engagement.reports_due[0])
    services.save_report(eng["focal"], report, _state_data(engagement), submit=True)
    nhri = make.user(role=Role.CIVIL_SOCIETY, state="HTI")
    public = services.add_comment(nhri, report, "The training reached only the capital.", False)
    private = services.add_comment(nhri, report, "We were threatened after speaking.", True)
    with pytest.raises(PermissionDenied):
        services.add_comment(eng["focal"], report, "Not true!", False)
    with pytest.raises(PermissionDenied):
        services.add_comment(make.user(role=Role.CIVIL_SOCIETY, state="NPL"), report, "x", False)
    db.session.commit()
    assert can_see_comment(eng["focal"], public)
    assert not can_see_comment(eng["focal"], private)
    assert not can_see_comment(eng["partner"], private)
    assert can_see_comment(eng["organiser"], private) and can_see_comment(nhri, private)


def test_reviews_outcome_and_good_practice(eng, make, db):
    engagement, focal = eng["engagement"], eng["focal"]
    report = services.report_for(focal, engagement.reports_due[0])
    services.save_report(focal, report, _state_data(engagement), submit=True)
    reviewer = make.user(role=Role.REVIEWER)
    services.review_report(reviewer, report, Rating.SUBSTANTIAL, "Good progress.")
    with pytest.raises(PermissionDenied):
        services.review_report(focal, report, Rating.COMPLETE, "")
    with pytest.raises(InvalidTransition):
        services.publish_good_practice(focal, engagement, "Title", "Lessons for peers, at length.")
    services.record_outcome(reviewer, engagement, OutcomeKind.ACHIEVED, "Database running.")
    assert engagement.status == EngagementStatus.COMPLETED
    assert engagement.need.status == NeedStatus.COMPLETED
    with pytest.raises(PermissionDenied):
        services.publish_good_practice(eng["partner"], engagement, "T", "Lessons for peers here.")
    practice = services.publish_good_practice(
        focal, engagement, "A tracking database in six months", "Start with the ministries..."
    )
    db.session.commit()
    assert practice.themes == engagement.need.themes


def test_report_pages_through_http(eng, make, login, db, no_csrf):
    engagement = eng["engagement"]
    due = engagement.reports_due[0]
    state = login(eng["focal"])
    assert "Write the report" in state.get(f"/followup/engagements/{engagement.id}").get_data(
        as_text=True
    )
    response = state.post(f"/followup/dues/{due.id}/report")
    report_url = response.headers["Location"]
    rec = engagement.need.recommendations[0]
    missing = state.post(report_url, data={"achievements": "Trained staff.", "submit": "1"})
    assert "every recommendation" in missing.get_data(as_text=True)
    state.post(
        report_url,
        data={
            "achievements": "Trained staff.",
            f"status_{rec.id}": "partially_implemented",
            "submit": "1",
        },
    )
    page = login(make.user(role=Role.CIVIL_SOCIETY, state="HTI")).get(report_url)
    assert "Trained staff." in page.get_data(as_text=True)
    assert "Post comment" in page.get_data(as_text=True)
    outsider = login(make.user(role=Role.FOCAL_POINT, state="NPL"))
    assert outsider.get(report_url).status_code == 404
    assert outsider.get(f"/followup/engagements/{engagement.id}").status_code == 404
    rec_page = state.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert "Partially implemented" in rec_page
    listing = state.get("/followup/").get_data(as_text=True)
    assert "Reported" in listing


def test_remind_command(eng, runner, db):
    result = runner.invoke(args=["followup", "remind"])
    assert result.exit_code == 0, result.output
    assert "Reminders:" in result.output


def test_confidential_reports_leave_no_trace_on_the_recommendation_page(make, login, db, app):
    eng = make_engagement(db, make, visibility=Visibility.CONFIDENTIAL)
    report = services.report_for(eng["focal"], eng["engagement"].reports_due[0])
    services.save_report(
        eng["focal"],
        report,
        _state_data(eng["engagement"], ImplementationStatus.FULLY_IMPLEMENTED),
        submit=True,
    )
    db.session.commit()
    rec = eng["engagement"].need.recommendations[0]
    assert rec.implementation_status is None
    anonymous = app.test_client().get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert "Fully implemented" not in anonymous and "not reported yet" in anonymous
    own = login(eng["focal"]).get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert "Fully implemented" in own
