"""The plan end to end: forms, the need it asks for and back, reports, calendar, API, reminders."""

import io
import re
from datetime import date

import openpyxl
import pytest
import sqlalchemy as sa
from docx import Document
from icalendar import Calendar

from tamatch.models import (
    CalendarFeed,
    DeadlineKind,
    Measure,
    MeasureStatus,
    MeasureVisibility,
    Need,
    Notification,
    OutboxMessage,
    OutcomeKind,
    PlanReminder,
    Role,
)
from tamatch.planning import calendar
from tamatch.planning import measures as ms
from tamatch.planning.reminders import send_planning_reminders
from tests.api_support import bearer
from tests.factories import make_engagement
from tests.plan_factories import make_plan


def checked(html: str, name: str, value) -> bool:
    return re.search(rf'<input checked[^>]*name="{name}"[^>]*value="{value}"', html) is not None


@pytest.fixture
def plan(db, make):
    return make_plan(db, make, make.user(role=Role.FOCAL_POINT, state="HTI"), "Plan ")


def test_a_measure_form_loses_nothing_and_explains(plan, login, no_csrf):
    client = login(plan.focal)
    form = {
        "title": "Train judges",
        "description": "Twelve sessions.",
        "start_on": "2026-05-01",
        "due_on": "2026-01-01",
        "institution_ids": str(plan.institution.id),
        "visibility": "members",
        "cluster_id": "0",
    }
    page = client.post("/planning/measures/new", data=form)
    assert page.status_code == 200
    assert "The due date must not be before the start." in page.text
    assert "Twelve sessions.</textarea>" in page.text and checked(
        page.text, "visibility", "members"
    )
    form |= {"due_on": "2026-12-31", "recommendation_ids": str(plan.recommendations[2].id)}
    done = client.post("/planning/measures/new", data=form)
    assert done.status_code == 302
    measure = Measure.query.filter_by(title="Train judges").one()
    assert measure.institutions == [plan.institution] and measure.visibility == "members"


def test_ask_for_support_prefills_the_need_and_links_it(db, plan, login, no_csrf):
    measure = plan.measures[MeasureVisibility.PUBLIC]
    measure.gap = "No trainers speak Creole; the school has no curriculum yet."
    db.session.commit()
    client = login(plan.focal)
    page = client.get(f"/needs/new?measure={measure.id}")
    assert measure.title in page.text and "No trainers speak Creole" in page.text
    for rec in measure.all_recommendations:
        assert checked(page.text, "recommendation_ids", rec.id)
    assert checked(page.text, "institution_ids", plan.institution.id)
    assert checked(page.text, "theme_ids", plan.cluster.themes[0].id)
    form = {
        "title": measure.title,
        "gap": measure.gap,
        "measure_id": str(measure.id),
        "recommendation_ids": [str(r.id) for r in measure.all_recommendations],
        "institution_ids": str(plan.institution.id),
        "theme_ids": [str(t.id) for t in plan.cluster.themes],
        "support_kind_ids": "1",
        "language_ids": "1",
        "cost_min": "1000",
        "cost_max": "2000",
        "window_start": "2027-01-01",
        "window_end": "2027-03-01",
        "priority": "2",
        "visibility": "members",
        "publish": "1",
    }
    assert client.post(f"/needs/new?measure={measure.id}", data=form).status_code == 302
    need = db.session.scalar(sa.select(Need).where(Need.title == measure.title))
    assert need.measures == [measure] and need.institutions == [plan.institution]


def test_engagement_reports_show_in_the_history_and_the_outcome_moves_it(db, make, login):
    from tamatch.followup import services as followup

    eng = make_engagement(db, make, state="HTI")
    plan = make_plan(db, make, eng["focal"])
    measure = plan.measures[MeasureVisibility.INTERNAL]
    eng["need"].measures.append(measure)
    db.session.commit()
    due = eng["engagement"].reports_due[0]
    report = followup.report_for(eng["partner"], due)
    followup.save_report(
        eng["partner"], report, followup.ReportData(achievements="Delivered."), submit=True
    )
    followup.record_outcome(eng["organiser"], eng["engagement"], OutcomeKind.ACHIEVED, "")
    db.session.commit()
    client = login(plan.focal)
    page = client.get(f"/planning/measures/{measure.id}")
    assert "6-month progress report" in page.text and "Apply to the measure" in page.text
    assert client.get("/").text.count("Engagement outcomes to apply") == 1
    ms.apply_outcome(plan.focal, measure, eng["engagement"], MeasureStatus.COMPLETED)
    db.session.commit()
    assert measure.status == MeasureStatus.COMPLETED
    assert measure.updates[-1].engagement_id == eng["engagement"].id
    assert "Apply to the measure" not in client.get(f"/planning/measures/{measure.id}").text


def test_midterm_and_treaty_tables_in_word_and_excel(db, make, plan, login):
    plan.cluster.title = "=HYPERLINK(evil)"  # a spreadsheet would run it
    calendar.create_deadline(
        plan.focal,
        calendar.DeadlineData(
            kind=DeadlineKind.TREATY_FOLLOWUP,
            title="@CRC follow-up",
            due_on=date(2027, 2, 1),
            recommendation_ids=(plan.recommendations[2].id,),
        ),
    )
    db.session.commit()
    client = login(plan.focal)
    sheet = client.get("/planning/reports/midterm.xlsx?cycle=4")
    assert sheet.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(sheet.data)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Recommendation", "Text", "Recommended by", "Response")
    assert len(rows) == 4  # a header and the three recommendations of the cycle
    assert any("'=HYPERLINK(evil)" in (cell or "") for row in rows for cell in row)
    assert "25.5 %" in " ".join(str(c) for row in rows for c in row)
    word = client.get("/planning/reports/treaty-followup.docx")
    table = Document(io.BytesIO(word.data)).tables[0]
    assert table.rows[1].cells[0].text == "'@CRC follow-up"
    assert "Plan internal measure" in table.rows[1].cells[7].text


def test_the_feed_is_secret_hashed_regenerable_and_revocable(app, db, plan, login, no_csrf):
    calendar.create_deadline(
        plan.focal,
        calendar.DeadlineData(DeadlineKind.UPR_REVIEW, "Fifth review", date(2029, 11, 5)),
        add_midterm=True,
    )
    db.session.commit()
    client = login(plan.focal)
    page = client.post("/planning/due/feed")
    url = page.text.split('id="feed-url" value="')[1].split('"')[0]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert db.session.scalar(sa.select(CalendarFeed.token_hash)) != token
    feed = app.test_client().get(f"/planning/feed/{token}.ics")  # no session: the address is it
    events = Calendar.from_ical(feed.data).walk("VEVENT")
    summaries = {str(e["SUMMARY"]) for e in events}
    assert "UPR review: Fifth review" in summaries
    assert "UPR mid-term report: Fifth review" in summaries  # 27 months on: 2032-02-05
    assert any(e.decoded("DTSTART") == date(2032, 2, 5) for e in events)
    client.post("/planning/due/feed")  # a new address: the old one stops working
    assert client.get(f"/planning/feed/{token}.ics").status_code == 404
    client.post("/planning/due/feed/revoke")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CalendarFeed)) == 0


def test_reminders_once_per_date_without_titles(db, plan):
    today = date(2026, 7, 1)
    first = send_planning_reminders(today)
    db.session.commit()
    assert (first["measure_overdue"], first["indicator_stale"]) == (3, 1)
    assert first["plan_people"] == 1
    again = send_planning_reminders(today)
    assert again["measure_overdue"] == again["indicator_stale"] == again["plan_people"] == 0
    measure = plan.measures[MeasureVisibility.INTERNAL]
    measure.due_on = date(2026, 5, 31)  # a new due date, late again: reminded once more
    db.session.commit()
    assert send_planning_reminders(today)["measure_overdue"] == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PlanReminder)) == 5
    told = " ".join(m.subject + m.body for m in db.session.scalars(sa.select(OutboxMessage)))
    assert "internal measure" not in told and "Plan " not in told
    assert db.session.scalar(sa.select(Notification.user_id)) == plan.focal.id


def test_the_api_syncs_a_measure_with_the_same_rules(app, db, make, plan, token_for):
    own = bearer(token_for(plan.focal))
    other = bearer(token_for(make.user(role=Role.FOCAL_POINT, state="NPL")))
    client = app.test_client()
    body = {
        "title": "Open a legal aid office",
        "recommendation_ids": [plan.recommendations[0].id],
        "institution_ids": [plan.institution.id],
        "due_on": "2027-06-30",
    }
    created = client.post("/api/v1/measures", json=body, headers=own)
    assert created.status_code == 201 and created.json["visibility"] == "internal"
    url = created.headers["Location"]
    assert client.get(url, headers=other).status_code == 404
    ids = {
        m["id"] for m in client.get("/api/v1/measures?per_page=100", headers=other).json["items"]
    }
    assert created.json["id"] not in ids
    moved = client.patch(
        url, json={"status": "in_progress", "note": "Premises found."}, headers=own
    )
    assert moved.json["updates"][-1]["note"] == "Premises found."
    assert moved.json["institution_ids"] == [plan.institution.id]  # kept
    indicator = client.post(
        url + "/indicators", json={"definition": "Cases handled", "unit": "cases"}, headers=own
    )
    values = indicator.json["id"]
    first = client.post(
        f"/api/v1/indicators/{values}/values",
        json={"observed_on": "2026-01-31", "value": 12},
        headers=own,
    )
    again = client.post(
        f"/api/v1/indicators/{values}/values",
        json={"observed_on": "2026-01-31", "value": 14},
        headers=own,
    )
    assert (first.status_code, again.status_code, again.json["value"]) == (201, 200, 14)
    public = plan.measures[MeasureVisibility.PUBLIC].id
    refused = client.patch(f"/api/v1/measures/{public}", json={"note": "x"}, headers=other)
    assert refused.status_code == 403
    bad = client.post("/api/v1/measures", json={"title": "", "due_on": "soon"}, headers=own)
    assert bad.status_code == 422 and set(bad.json["error"]["fields"]) == {"title", "due_on"}


def test_other_states_internal_measures_stay_out_of_lists_and_exports(db, make, plan, login):
    other = login(make.user(role=Role.FOCAL_POINT, state="NPL"))
    internal = plan.measures[MeasureVisibility.INTERNAL].title
    assert internal not in other.get("/planning/measures?state=").text
    export = other.get("/planning/measures/export.csv?state=")
    assert export.status_code == 200 and internal not in export.text
    assert "Plan public measure" in export.text
    own = login(plan.focal).get("/planning/measures/export.csv")
    assert internal in own.text


def test_the_daily_command_reminds_the_plans_too(db, make, runner):
    from datetime import timedelta

    focal = make.user(role=Role.FOCAL_POINT, state="NPL")
    make_plan(db, make, focal, due=date.today() - timedelta(days=1))
    result = runner.invoke(args=["followup", "remind"])
    assert result.exit_code == 0, result.output
    assert "Plans: 3 measures overdue" in result.output
