"""Outcomes dashboard: exact figures on a known data set, charts, downloads, role access."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

import tamatch.followup.dashboard_routes  # noqa: F401 - routes on the followup blueprint
from tamatch import create_app
from tamatch.auth.permissions import visible_needs_clause
from tamatch.charts import Series, bar_chart, line_chart, nice_ticks, stacked_bar_chart
from tamatch.extensions import db as _db
from tamatch.followup import dashboard as fig
from tamatch.followup.services import (
    ReportData,
    publish_good_practice,
    record_outcome,
    report_for,
    save_report,
)
from tamatch.models import (
    ImplementationStatus,
    Mechanism,
    NeedStatus,
    OutcomeKind,
    Proposal,
    ProposalStatus,
    Role,
    RoundStatus,
    RunOutcome,
    RunStatus,
    SolveRun,
    SupportKind,
    Theme,
    Visibility,
)
from tamatch.models.base import utcnow
from tamatch.rounds.consent import decide
from tests.conftest import IsolatedClient
from tests.factories import make_round

TODAY = date(2026, 6, 30)
IS = ImplementationStatus
SECRET = "Funafuti shelter for defenders"  # words only a confidential need's report holds


def scratch_site(app):
    """The app with the public blueprint: the session app once tamatch/__init__.py registers
    it, meanwhile a second app on the same database."""
    if "public" in app.blueprints:
        yield app
        return
    from tamatch.public.routes import bp as public_bp

    other = create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    other.register_blueprint(public_bp)
    other.test_client_class = IsolatedClient
    yield other
    with other.app_context():
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture(scope="module")
def site(app):
    yield from scratch_site(app)


def _run(db, match_round, entries, published=True):
    """A run of `match_round` with `entries` [(need, offer or None)]; proposals pending."""
    run = SolveRun(
        round_id=match_round.id,
        status=RunStatus.DONE,
        published_at=utcnow() if published else None,
    )
    db.session.add(run)
    if published:
        match_round.status = RoundStatus.PUBLISHED  # answers are taken while published
    db.session.flush()
    proposals = []
    for need, offer in entries:
        outcome = RunOutcome(run_id=run.id, need_id=need.id, offer_id=offer and offer.id, score=9)
        db.session.add(outcome)
        db.session.flush()
        if offer is not None:
            proposals.append(
                Proposal(
                    outcome_id=outcome.id,
                    run_id=run.id,
                    round_id=match_round.id,
                    need_id=need.id,
                    offer_id=offer.id,
                    score=9,
                    cost=20_000,
                    status=ProposalStatus.PENDING,
                )
            )
    db.session.add_all(proposals)
    db.session.commit()
    return proposals


def _engage(db, proposal, focal, partner, started, dues):
    decide(focal, proposal, True)
    engagement = decide(partner, proposal, True).engagement
    engagement.started_on = started
    for due, day in zip(engagement.reports_due, dues, strict=True):
        due.due_on = day
    db.session.commit()
    return engagement


def _report(db, actor, due, submitted_on, statuses=None, **words):
    report = report_for(actor, due)
    data = ReportData(
        achievements=words.get("achievements", "Progress made."),
        challenges=words.get("challenges", ""),
        statuses=statuses or {},
    )
    save_report(actor, report, data, submit=True)
    report.submitted_at = datetime.combine(submitted_on, datetime.min.time(), UTC)
    db.session.commit()
    return report


def build_dataset(make, db):
    """Two rounds, five needs in four groups (one confidential), three engagements, reports."""
    organiser = make.user(role=Role.ORGANISER)
    reviewer = make.user(role=Role.REVIEWER)
    focal = {iso: make.user(role=Role.FOCAL_POINT, state=iso) for iso in ("HTI", "SVN", "TUV")}
    partner = make.user(role=Role.PARTNER)
    offer = make.offer(organisation=partner.organisation, capacity=9, budget=900_000)
    t1, t2 = db.session.scalars(db.select(Theme).order_by(Theme.id).limit(2)).all()
    k2 = db.session.scalars(db.select(SupportKind).order_by(SupportKind.id).offset(1)).first()
    cedaw = make.term(Mechanism, "CEDAW")
    rec1 = make.recommendation(state="HTI")
    rec1b = make.recommendation(state="HTI", mechanism=cedaw)
    rec2 = make.recommendation(state="SVN")
    rec1.themes, rec2.themes = [t1], [t1, t2]
    n1 = make.need(state="HTI", status=NeedStatus.MATCHED, recommendations=[rec1, rec1b])
    n2 = make.need(state="SVN", status=NeedStatus.MATCHED, recommendations=[rec2])
    n2.themes, n2.support_kinds = [t1, t2], [k2]
    n3 = make.need(
        state="TUV",
        status=NeedStatus.MATCHED,
        visibility=Visibility.CONFIDENTIAL,
        title="Protection of defenders XJ",
    )
    n4 = make.need(state="MLI")
    n5 = make.need(state="HTI", visibility=Visibility.PUBLIC, title="Public HTI need")
    n6 = make.need(state="SVN")
    round_a = make_round(db, organiser, name="Round A")
    round_b = make_round(db, organiser, name="Round B")
    p1, p3 = _run(db, round_a, [(n1, offer), (n2, None), (n3, offer), (n4, None)])
    _run(db, round_b, [(n6, None)], published=False)
    (p2,) = _run(db, round_b, [(n2, offer), (n5, None)])
    e1 = _engage(
        db, p1, focal["HTI"], partner, date(2025, 1, 10), [date(2025, 7, 10), date(2026, 1, 10)]
    )
    e3 = _engage(
        db, p3, focal["TUV"], partner, date(2025, 1, 10), [date(2025, 7, 10), date(2030, 1, 1)]
    )
    e2 = _engage(
        db, p2, focal["SVN"], partner, date(2025, 8, 5), [date(2026, 2, 5), date(2030, 1, 1)]
    )
    d1, d1b = e1.reports_due
    _report(
        db,
        focal["HTI"],
        d1,
        date(2025, 7, 1),
        {rec1.id: IS.IN_PROGRESS, rec1b.id: IS.NOT_STARTED},
        achievements="Judges trained in three provinces.",
    )
    _report(db, partner, d1, date(2025, 7, 20))
    _report(
        db,
        focal["HTI"],
        d1b,
        date(2026, 1, 20),
        {rec1.id: IS.FULLY_IMPLEMENTED, rec1b.id: IS.IN_PROGRESS},
    )
    _report(
        db, focal["SVN"], e2.reports_due[0], date(2026, 2, 1), {rec2.id: IS.PARTIALLY_IMPLEMENTED}
    )
    _report(db, partner, e2.reports_due[0], date(2026, 2, 5))
    rec3 = n3.recommendations[0]
    _report(
        db,
        focal["TUV"],
        e3.reports_due[0],
        date(2025, 7, 5),
        {rec3.id: IS.NOT_STARTED},
        achievements=SECRET,
    )
    for engagement, state, title in (
        (e1, "HTI", "Training judges on fair trial"),
        (e2, "SVN", "Data systems for the NMRF"),
        (e3, "TUV", f"Lessons of the {SECRET}"),
    ):
        record_outcome(
            reviewer if state != "TUV" else organiser, engagement, OutcomeKind.ACHIEVED, "Done."
        )
        publish_good_practice(focal[state], engagement, title, "What worked, told at length. " * 2)
    db.session.commit()
    return {
        "organiser": organiser,
        "reviewer": reviewer,
        "focal": focal,
        "partner": partner,
        "needs": (n1, n2, n3, n4, n5, n6),
        "t1": t1,
        "t2": t2,
        "k2": k2,
    }


@pytest.fixture
def data(make, db):
    return build_dataset(make, db)


def _shares(rows):
    return {r.label: (r.entered, r.served) for r in rows}


def _scope(data, role):
    return visible_needs_clause(data[role])


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("organiser", {"Round A": (4, 2), "Round B": (2, 1)}),
        ("reviewer", {"Round A": (3, 1), "Round B": (2, 1)}),
    ],
)
def test_response_by_round_counts_published_runs_only(data, role, expected):
    assert _shares(fig.response_by_round(_scope(data, role))) == expected


def test_response_by_group_flag_and_theme_count_each_need_once(data):
    org, rev = _scope(data, "organiser"), _scope(data, "reviewer")
    groups = {"grulac": (2, 1), "eastern_european": (1, 1), "african": (1, 0)}
    assert _shares(fig.response_by_group(org)) == {**groups, "asia_pacific": (1, 1)}
    assert _shares(fig.response_by_group(rev)) == groups
    flags = _shares(fig.response_by_flag(org))
    assert flags == {"ldc": (4, 2), "sids": (3, 2), "lldc": (1, 0), "other": (1, 1)}
    assert _shares(fig.response_by_flag(rev))["ldc"] == (3, 1)
    themes = _shares(fig.response_by_theme(org))
    assert themes == {data["t1"].name: (5, 3), data["t2"].name: (1, 1)}
    assert fig.response_by_round(org)[0].share == 0.5


def _report_rows(rows):
    return {r.key: (r.due, r.submitted, r.on_time) for r in rows}


def test_submission_rate_and_timeliness(data):
    org = fig.report_figures(_scope(data, "organiser"), TODAY)
    assert _report_rows(org.by_side) == {
        "state": (4, 4, 3),
        "partner": (4, 2, 1),
        "all": (8, 6, 4),
    }
    assert [(r.label, r.due, r.submitted, r.on_time) for r in org.by_round] == [
        ("Round A", 6, 4, 2),
        ("Round B", 2, 2, 2),
    ]
    rev = fig.report_figures(_scope(data, "reviewer"), TODAY)
    assert _report_rows(rev.by_side)["all"] == (6, 5, 3)
    all_row = org.by_side[-1]
    assert (all_row.rate, all_row.timeliness, all_row.late, all_row.missing) == (0.75, 4 / 6, 2, 2)


def _counts(row):
    return {k: v for k, v in row.counts.items() if v}


def test_status_over_time_by_quarter(data):
    points = fig.status_over_time(_scope(data, "organiser"), TODAY)
    starts = [(start.year, start.month) for start, _row in points]
    assert starts == [(2025, 1), (2025, 4), (2025, 7), (2025, 10), (2026, 1), (2026, 4)]
    nr, ns, ip, pi, fi = fig.STATUS_KEYS
    counts = [_counts(row) for _start, row in points]
    assert counts[0] == counts[1] == {nr: 3}
    assert counts[2] == counts[3] == {nr: 1, ns: 2, ip: 1}
    assert counts[4] == counts[5] == {ns: 1, ip: 1, pi: 1, fi: 1}
    reviewer = [
        _counts(row) for _start, row in fig.status_over_time(_scope(data, "reviewer"), TODAY)
    ]
    assert reviewer[2] == {nr: 1, ns: 1, ip: 1}
    assert reviewer[5] == {ip: 1, pi: 1, fi: 1}
    months = fig.status_over_time(_scope(data, "organiser"), TODAY, "month")
    assert len(months) == 18
    assert _counts(months[6][1]) == {ns: 2, ip: 1}  # July 2025: SVN's engagement not begun
    assert _counts(months[7][1]) == {nr: 1, ns: 2, ip: 1}


def test_current_status_by_mechanism_and_theme(data):
    org = _scope(data, "organiser")
    by_mechanism = {r.key: _counts(r) for r in fig.served_status(org, TODAY, "mechanism")}
    assert by_mechanism == {
        "UPR": {"fully_implemented": 1, "partially_implemented": 1, "not_started": 1},
        "CEDAW": {"in_progress": 1},
    }
    by_theme = {r.label: _counts(r) for r in fig.served_status(org, TODAY, "theme")}
    assert by_theme == {
        data["t1"].name: {"fully_implemented": 1, "partially_implemented": 1},
        data["t2"].name: {"partially_implemented": 1},
    }


def test_dashboard_page_has_charts_tables_and_definitions(data, site):
    page = site.test_client(user=data["organiser"]).get("/followup/dashboard")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" role="img"') == 9
    assert 'aria-labelledby="response-by-round-title response-by-round-desc"' in html
    assert '<table class="table table-sm" id="t-reports-by-side">' in html
    assert "<caption" in html and '<th scope="row"' in html
    assert "Submission rate" in html and "on or before their due date" in html
    assert "/followup/dashboard/status-by-theme.xlsx" in html
    monthly = site.test_client(user=data["reviewer"]).get("/followup/dashboard?period=month")
    assert monthly.status_code == 200 and "Confidential needs are not counted" in monthly.text


def test_csv_and_xlsx_downloads_match_the_figures(data, site):
    client = site.test_client(user=data["organiser"])
    got = client.get("/followup/dashboard/response-by-round.csv")
    assert got.status_code == 200 and got.mimetype == "text/csv"
    assert "attachment" in got.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(got.data.decode("utf-8-sig"))))
    assert rows == [
        ["Round", "Needs entered", "Needs served", "Share served (%)"],
        ["Round A", "4", "2", "50.0"],
        ["Round B", "2", "1", "50.0"],
    ]
    got = client.get("/followup/dashboard/reports-by-side.xlsx")
    sheet = load_workbook(io.BytesIO(got.data)).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][:4] == ["Reports", "Due", "Submitted", "Submission rate (%)"]
    assert values[1:] == [
        ["State reports", 4, 4, 100, 3, 1, 0, 75],
        ["Partner reports", 4, 2, 50, 1, 1, 2, 50],
        ["All reports", 8, 6, 75, 4, 2, 2, 66.7],
    ]
    assert client.get("/followup/dashboard/nothing.csv").status_code == 404
    assert client.get("/followup/dashboard/response-by-round.pdf").status_code == 404


@pytest.mark.parametrize(
    ("role", "code"),
    [
        (Role.REVIEWER, 200),
        (Role.ORGANISER, 200),
        (Role.FOCAL_POINT, 403),
        (Role.PARTNER, 403),
        (Role.CIVIL_SOCIETY, 403),
        (Role.ADMIN, 403),
        (None, 302),
    ],
)
def test_dashboard_access_by_role(make, site, role, code):
    client = site.test_client(user=make.user(role=role)) if role else site.test_client()
    for url in ("/followup/dashboard", "/followup/dashboard/reports-by-round.csv"):
        got = client.get(url)
        assert got.status_code == code
        if role is None:
            assert "/auth/login" in got.headers["Location"]


def test_charts_escape_labels_and_are_accessible():
    evil = '<script>alert("x")</script> & co'
    svg = str(bar_chart("c1", evil, categories=[evil], series=Series(evil, (3,))))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'role="img"' in svg and 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">' in svg and "tm-legend" in svg
    stacked = str(
        stacked_bar_chart(
            "c2", "T", categories=["a", "b"], series=[Series("x", (1, 2)), Series("y", (0, 3))]
        )
    )
    assert stacked.count("<rect") == 3 + 2  # three non-empty parts and two legend swatches
    line = str(line_chart("c3", "T", periods=["Q1", "Q2"], series=[Series(evil, (1, 4))]))
    assert "<polyline" in line and "&lt;script&gt;" in line
    with pytest.raises(ValueError, match="chart id"):
        bar_chart('x" onload="boom', "T", categories=[], series=Series("s", ()))
    assert nice_ticks(0) == [0, 1] and nice_ticks(7) == [0, 2, 4, 6, 8]
