"""From posting needs and offers to engagements, through the HTTP routes only."""

import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from tamatch.models import (
    Engagement,
    Language,
    MatchRound,
    Notification,
    Proposal,
    Role,
    SolveRun,
    SupportKind,
    Theme,
    Visibility,
)

pytestmark = pytest.mark.usefixtures("no_csrf")


def test_needs_and_offers_to_engagement(make, login, db):
    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    partner = make.user(role=Role.PARTNER)
    organiser = make.user(role=Role.ORGANISER)
    rec = make.recommendation(state="HTI")
    theme, kind = make.term(Theme), make.term(SupportKind)
    english = make.term(Language, "en")
    state, org, boss = login(focal), login(partner), login(organiser)

    assert (
        state.post(
            "/needs/new",
            data={
                "title": '=HYPERLINK("evil") tracking database',
                "gap": "No tracking database; staff untrained.",
                "recommendation_ids": [rec.id],
                "theme_ids": [theme.id],
                "support_kind_ids": [kind.id],
                "language_ids": [english.id],
                "cost_min": "10000",
                "cost_max": "30000",
                "window_start": "2027-01-01",
                "window_end": "2027-06-30",
                "priority": "3",
                "visibility": "members",
                "publish": "Publish",
            },
        ).status_code
        == 302
    )
    assert (
        org.post(
            "/offers/new",
            data={
                "title": "Tracking databases",
                "description": "Expert support to set up a tracking database.",
                "theme_ids": [theme.id],
                "support_kind_ids": [kind.id],
                "language_ids": [english.id],
                "modality": "remote",
                "eligible_all": "all",
                "capacity": "2",
                "budget": "80000",
                "typical_cost": "25000",
                "window_start": "2027-01-01",
                "window_end": "2027-12-31",
                "publish": "Publish",
            },
        ).status_code
        == 302
    )

    response = boss.post(
        "/rounds/new",
        data={
            "name": "HRC 61",
            "serves": "61st session",
            "submission_deadline": "2030-01-01",
            "followup_months": "6, 12",
            "weight_theme": "40",
            "weight_kind": "20",
            "weight_priority": "15",
            "weight_ldc": "10",
            "weight_sids": "8",
            "weight_lldc": "6",
            "weight_south_south": "10",
            "weight_urgency": "10",
            "coverage_first": "y",
            "time_limit": "5",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    round_id = db.session.scalar(sa.select(MatchRound.id))
    for target in ("open", "closed"):
        boss.post(f"/rounds/{round_id}/status", data={"target": target})
    page = boss.get(f"/rounds/{round_id}").get_data(as_text=True)
    assert "1 open needs and 1 offers" in page
    assert boss.post(f"/rounds/{round_id}/solve", data={"label": "first"}).status_code == 302
    run_id = db.session.scalar(sa.select(SolveRun.id))
    review = boss.get(f"/rounds/runs/{run_id}").get_data(as_text=True)
    assert "1 of 1 needs served" in review
    assert "Tracking databases" in review and "Total:" in review
    assert boss.post(f"/rounds/runs/{run_id}/publish").status_code == 302

    proposal_id = db.session.scalar(sa.select(Proposal.id))
    assert "Tracking databases" in state.get("/rounds/proposals").get_data(as_text=True)
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Notification)
            .where(Notification.user_id == focal.id)
        )
        == 1
    )
    missing_reason = org.post(f"/rounds/proposals/{proposal_id}", data={"decision": "decline"})
    assert "Say why you decline" in missing_reason.get_data(as_text=True)
    state.post(f"/rounds/proposals/{proposal_id}", data={"decision": "accept"})
    org.post(f"/rounds/proposals/{proposal_id}", data={"decision": "accept"})
    engagement = db.session.scalar(sa.select(Engagement))
    assert engagement is not None and len(engagement.reports_due) == 2
    assert "engagement starts" in state.get("/notifications/").get_data(as_text=True)

    csv = boss.get(f"/rounds/{round_id}/export/proposals.csv")
    assert csv.status_code == 200
    assert "'=HYPERLINK" in csv.get_data(as_text=True)
    xlsx = boss.get(f"/rounds/{round_id}/export/engagements.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet.max_row == 2


ROUND_ROUTES = [
    ("get", "/rounds/new"),
    ("get", "/rounds/{round}/edit"),
    ("post", "/rounds/{round}/status"),
    ("post", "/rounds/{round}/solve"),
    ("get", "/rounds/runs/{run}"),
    ("post", "/rounds/runs/{run}/publish"),
    ("post", "/rounds/{round}/rules"),
    ("get", "/rounds/{round}/compare?a={run}&b={run}"),
]


@pytest.mark.parametrize(("method", "url"), ROUND_ROUTES)
@pytest.mark.parametrize(
    "role", [Role.FOCAL_POINT, Role.PARTNER, Role.REVIEWER, Role.ADMIN, Role.CIVIL_SOCIETY]
)
def test_only_organisers_manage_rounds(make, login, db, method, url, role):
    from tests.factories import make_round

    match_round = make_round(db, make.user(role=Role.ORGANISER))
    run = SolveRun(round_id=match_round.id)
    db.session.add(run)
    db.session.commit()
    client = login(make.user(role=role))
    response = getattr(client, method)(url.format(round=match_round.id, run=run.id))
    assert response.status_code == 403


def test_focal_point_takes_a_need_out_of_an_open_round(make, login, db):
    from tamatch.models import RoundStatus

    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    need = make.need(state="HTI", title="Our need", visibility=Visibility.PUBLIC)
    organiser = make.user(role=Role.ORGANISER)
    from tests.factories import make_round

    match_round = make_round(db, organiser)
    match_round.status = RoundStatus.OPEN
    db.session.commit()
    client = login(focal)
    assert "Our need" in client.get(f"/rounds/{match_round.id}").get_data(as_text=True)
    client.post(f"/rounds/{match_round.id}/participation", data={"item": need.id, "take_part": "0"})
    assert "Taken out" in client.get(f"/rounds/{match_round.id}").get_data(as_text=True)
    other = make.need(state="NPL")
    response = client.post(
        f"/rounds/{match_round.id}/participation",
        data={"item": other.id, "take_part": "0"},
        follow_redirects=True,
    )
    assert "only take your own" in response.get_data(as_text=True)


def test_partner_sees_a_confidential_need_masked_in_its_proposal(make, login, db):
    from tests.factories import make_round
    from tests.test_consent import _proposal

    partner = make.user(role=Role.PARTNER)
    offer = make.offer(organisation=partner.organisation)
    need = make.need(state="HTI", visibility=Visibility.CONFIDENTIAL, title="Defenders Zebracorn")
    proposal = _proposal(db, make_round(db, make.user(role=Role.ORGANISER)), need, offer)
    client = login(partner)
    for url in ("/rounds/proposals", f"/rounds/proposals/{proposal.id}"):
        body = client.get(url).get_data(as_text=True)
        assert "Zebracorn" not in body
        assert "Confidential need" in body or "confidential need" in body
    outsider = login(make.user(role=Role.PARTNER))
    assert outsider.get(f"/rounds/proposals/{proposal.id}").status_code == 404


def test_unpublished_proposals_stay_with_the_organisers(make, login, db):
    from tests.factories import make_round
    from tests.test_consent import _proposal

    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    need = make.need(state="HTI")
    proposal = _proposal(db, make_round(db, make.user(role=Role.ORGANISER)), need, make.offer())
    from tamatch.models import ProposalStatus

    proposal.status = ProposalStatus.DRAFT
    db.session.commit()
    assert login(focal).get(f"/rounds/proposals/{proposal.id}").status_code == 404
