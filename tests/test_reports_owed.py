"""One definition of reports owed and sent, on the dashboard and the State page alike."""

from datetime import UTC, date, datetime, timedelta

from tamatch.followup import dashboard as figures
from tamatch.followup.services import ReportData, report_for, save_report
from tamatch.models import ImplementationStatus, Side
from tamatch.public.queries import engagement_lines
from tests.factories import make_engagement


def _submit(db, actor, due, day):
    report = report_for(actor, due)
    need = due.engagement.need
    statuses = {r.id: ImplementationStatus.IN_PROGRESS for r in need.recommendations}
    data = ReportData(achievements="Done.", challenges="", statuses=statuses)
    save_report(actor, report, data, submit=True)
    report.submitted_at = datetime.combine(day, datetime.min.time(), UTC)
    db.session.commit()


def test_a_report_filed_early_is_owed_and_sent_everywhere(db, make):
    today = date(2027, 3, 1)
    world = make_engagement(db, make, months=(6, 12))
    first, second = sorted(world["engagement"].reports_due, key=lambda d: d.stage_months)
    first.due_on, second.due_on = today + timedelta(days=30), today + timedelta(days=200)
    db.session.commit()
    _submit(db, world["focal"], first, today - timedelta(days=2))  # a month early

    rows = {
        r.key: (r.due, r.submitted, r.on_time)
        for r in figures.report_figures(figures.public_scope() | True, today).by_side
    }
    assert rows[Side.STATE.value] == (1, 1, 1)  # not 0 of 0: the early report counts
    assert rows[Side.PARTNER.value] == (0, 0, 0)  # nothing owed by the partner yet
    assert rows["all"] == (1, 1, 1)

    (line,) = engagement_lines(world["organiser"], world["need"].state, today)
    assert (line.reports_submitted, line.reports_due) == (1, 1)  # was "1 / 0"


def test_reports_past_due_are_owed_by_both_sides(db, make):
    today = date(2027, 3, 1)
    world = make_engagement(db, make, months=(6, 12))
    first, second = sorted(world["engagement"].reports_due, key=lambda d: d.stage_months)
    first.due_on, second.due_on = today - timedelta(days=10), today + timedelta(days=100)
    db.session.commit()
    _submit(db, world["partner"], first, today - timedelta(days=3))  # a week late

    figures_all = figures.report_figures(figures.public_scope() | True, today)
    rows = {r.key: (r.due, r.submitted, r.on_time) for r in figures_all.by_side}
    assert rows == {"state": (1, 0, 0), "partner": (1, 1, 0), "all": (2, 1, 0)}
    (by_round,) = figures_all.by_round
    assert (by_round.due, by_round.submitted, by_round.missing, by_round.late) == (2, 1, 1, 1)
    (line,) = engagement_lines(world["organiser"], world["need"].state, today)
    assert (line.reports_submitted, line.reports_due) == (1, 2)


def test_figures_of_zeros_say_no_figures_yet(db, make, login):
    from tamatch.models import Role

    make_engagement(db, make, months=(6, 12))  # reports not due yet: every count is 0
    page = login(make.user(role=Role.ORGANISER)).get("/followup/dashboard").text
    section = page.split('aria-labelledby="h-reports-by-side"')[1].split("</section>")[0]
    assert "<svg" not in section and "No figures yet." in section


def test_follow_up_list_groups_stages_under_their_engagement(db, make, login):
    first = make_engagement(db, make, months=(6, 12))
    second = make_engagement(db, make, months=(3, 6, 12))
    page = login(first["organiser"]).get("/followup/").text
    assert page.count('scope="colgroup"') == 2  # one heading row per engagement
    groups = page.split('scope="colgroup"')[1:]
    assert [g.split("</tbody>")[0].count("months</td>") for g in groups] in ([4, 6], [6, 4])
    assert "2 in all" in page
    del second


def test_recording_an_outcome_early_warns_and_the_page_shows_completed(db, make, login):
    from tamatch.models import EngagementStatus

    world = make_engagement(db, make, months=(6, 12))
    client = login(world["organiser"])
    url = f"/followup/engagements/{world['engagement'].id}"
    page = client.get(url).text
    assert "4 reports are still to come" in page and "data-confirm=" in page
    assert "Active" in page.split("</h1>")[0]
    world["engagement"].status = EngagementStatus.COMPLETED
    db.session.commit()
    assert "Completed" in client.get(url).text.split("</h1>")[0]
