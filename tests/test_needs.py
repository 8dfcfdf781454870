"""Needs: posting for one's own State, validation, lifecycle, visibility in every list."""

from datetime import date

import pytest
import sqlalchemy as sa

from tamatch.auth.permissions import can_see_need
from tamatch.errors import InvalidTransition, PermissionDenied
from tamatch.models import (
    AuditEntry,
    Language,
    Need,
    NeedStatus,
    Role,
    SupportKind,
    Theme,
    Visibility,
)
from tamatch.needs.services import transition_need

pytestmark = pytest.mark.usefixtures("no_csrf")


def _form(make, recs, **overrides):
    data = {
        "title": "Strengthen the national mechanism for reporting",
        "gap": "Our NMRF lacks a tracking database and trained staff in line ministries.",
        "recommendation_ids": [r.id for r in recs],
        "theme_ids": [make.term(Theme).id],
        "support_kind_ids": [make.term(SupportKind).id],
        "language_ids": [make.term(Language, "fr").id],
        "cost_min": "20000",
        "cost_max": "50000",
        "window_start": "2027-01-01",
        "window_end": "2027-03-31",
        "priority": "3",
        "visibility": "members",
        "publish": "Publish",
    }
    data.update(overrides)
    return data


def test_focal_point_posts_a_need_for_own_state_only(make, login, db):
    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    own = make.recommendation(state="HTI")
    other_state = make.make_state_id = make.state("NPL").id
    client = login(focal)
    # The State in the form is ignored: it comes from the account.
    response = client.post("/needs/new", data=_form(make, [own], state_id=str(other_state)))
    assert response.status_code == 302
    need = db.session.scalar(sa.select(Need))
    assert need.state.iso3 == "HTI"
    assert need.status == NeedStatus.OPEN
    assert [r.id for r in need.recommendations] == [own.id]
    assert db.session.scalar(sa.select(AuditEntry.action)) == "need.create"


def test_need_cannot_cite_another_states_recommendation(make, login, db):
    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    foreign = make.recommendation(state="NPL")
    response = login(focal).post("/needs/new", data=_form(make, [foreign]))
    # The foreign recommendation is not even among the choices offered.
    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Need)) == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"gap": "too short"}, "Field must be between 20 and 10000 characters long."),
        ({"recommendation_ids": []}, "Tie the need to at least one recommendation"),
        ({"cost_max": "100"}, "The highest cost must not be below the lowest."),
        ({"window_end": "2026-01-01"}, "The window must end after it starts."),
        ({"theme_ids": []}, "This field is required."),
        ({"cost_min": "-5"}, "Number must be at least 0."),
        ({"window_start": "not a date"}, "Not a valid date value."),
    ],
)
def test_need_form_validation_messages_keep_the_input(make, login, db, overrides, message):
    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    rec = make.recommendation(state="HTI")
    data = _form(make, [rec], **overrides)
    response = login(focal).post("/needs/new", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in body
    if overrides.get("title") != "":
        assert "Strengthen the national mechanism" in body  # nothing typed is lost
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Need)) == 0


def test_search_button_finds_recommendations_without_saving(make, login, db):
    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    water = make.recommendation(state="HTI", text="Guarantee access to safe drinking water.")
    make.recommendation(state="HTI", text="Ratify the convention on enforced disappearance.")
    make.recommendation(state="NPL", text="Improve drinking water in rural areas.")
    data = _form(make, [], rec_query="water", search="Search")
    del data["publish"]
    response = login(focal).post("/needs/new", data=data)
    body = response.get_data(as_text=True)
    assert "safe drinking water" in body
    assert "enforced disappearance" not in body
    assert "water in rural areas" not in body  # another State's recommendation
    assert water.reference in body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Need)) == 0


@pytest.mark.parametrize("role", [Role.PARTNER, Role.ORGANISER, Role.REVIEWER, Role.ADMIN])
def test_only_focal_points_post_needs(make, login, role):
    user = make.user(role=role)
    assert login(user).get("/needs/new").status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/needs/new")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_only_the_states_focal_points_edit(make, login, db):
    need = make.need(state="HTI")
    colleague = make.user(role=Role.FOCAL_POINT, state="HTI")
    stranger = make.user(role=Role.FOCAL_POINT, state="NPL")
    assert login(colleague).get(f"/needs/{need.id}/edit").status_code == 200
    assert login(stranger).get(f"/needs/{need.id}/edit").status_code == 403
    response = login(colleague).post(
        f"/needs/{need.id}/edit",
        data=_form(make, need.recommendations, title="A better title", save="Save"),
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Need, need.id).title == "A better title"


def test_confidential_need_is_404_for_those_not_entitled(make, login, db):
    need = make.need(state="HTI", visibility=Visibility.CONFIDENTIAL)
    assert (
        login(make.user(role=Role.FOCAL_POINT, state="NPL")).get(f"/needs/{need.id}").status_code
        == 404
    )
    assert login(make.user(role=Role.PARTNER)).get(f"/needs/{need.id}").status_code == 404
    assert login(make.user(role=Role.ORGANISER)).get(f"/needs/{need.id}").status_code == 200
    assert (
        login(make.user(role=Role.FOCAL_POINT, state="HTI")).get(f"/needs/{need.id}").status_code
        == 200
    )


VISIBILITY_CASES = [
    # (visibility, status, viewer) -> sees it
    (Visibility.PUBLIC, NeedStatus.OPEN, "anonymous", True),
    (Visibility.MEMBERS, NeedStatus.OPEN, "anonymous", False),
    (Visibility.MEMBERS, NeedStatus.OPEN, "partner", True),
    (Visibility.CONFIDENTIAL, NeedStatus.OPEN, "partner", False),
    (Visibility.CONFIDENTIAL, NeedStatus.OPEN, "other_focal", False),
    (Visibility.CONFIDENTIAL, NeedStatus.OPEN, "civil_society", False),
    (Visibility.CONFIDENTIAL, NeedStatus.OPEN, "reviewer", False),
    (Visibility.CONFIDENTIAL, NeedStatus.OPEN, "admin", False),
    (Visibility.CONFIDENTIAL, NeedStatus.OPEN, "organiser", True),
    (Visibility.CONFIDENTIAL, NeedStatus.OPEN, "own_focal", True),
    (Visibility.PUBLIC, NeedStatus.DRAFT, "organiser", False),
    (Visibility.PUBLIC, NeedStatus.DRAFT, "anonymous", False),
    (Visibility.PUBLIC, NeedStatus.DRAFT, "own_focal", True),
]


def _viewer(make, kind):
    return {
        "anonymous": lambda: None,
        "partner": lambda: make.user(role=Role.PARTNER),
        "other_focal": lambda: make.user(role=Role.FOCAL_POINT, state="NPL"),
        "own_focal": lambda: make.user(role=Role.FOCAL_POINT, state="HTI"),
        "civil_society": lambda: make.user(role=Role.CIVIL_SOCIETY, state="HTI"),
        "reviewer": lambda: make.user(role=Role.REVIEWER),
        "admin": lambda: make.user(role=Role.ADMIN),
        "organiser": lambda: make.user(role=Role.ORGANISER),
    }[kind]()


@pytest.mark.parametrize(("visibility", "status", "viewer", "sees"), VISIBILITY_CASES)
def test_visibility_in_list_search_detail_and_recommendation_page(
    app, make, login, db, visibility, status, viewer, sees
):
    marker = "Zebracorn"
    rec = make.recommendation(state="HTI")
    need = make.need(
        state="HTI",
        visibility=visibility,
        status=status,
        title=f"{marker} need",
        recommendations=[rec],
    )
    user = _viewer(make, viewer)
    client = login(user) if user else app.test_client()
    pages = [
        "/needs/",
        f"/needs/?q={marker}",
        f"/needs/?state={need.state_id}",
        f"/recommendations/{rec.id}",
    ]
    for url in pages:
        body = client.get(url).get_data(as_text=True)
        assert (f"{marker} need" in body) is sees, url
    assert (client.get(f"/needs/{need.id}").status_code == 200) is sees
    assert can_see_need(user, need) is sees


def test_lifecycle_moves_by_hand_and_by_the_platform(make, db):
    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    need = make.need(state="HTI", status=NeedStatus.DRAFT)
    transition_need(focal, need, NeedStatus.OPEN)
    with pytest.raises(InvalidTransition):
        transition_need(focal, need, NeedStatus.MATCHED)  # only a round matches
    transition_need(None, need, NeedStatus.MATCHED)
    transition_need(None, need, NeedStatus.IN_PROGRESS)
    with pytest.raises(InvalidTransition):
        transition_need(focal, need, NeedStatus.WITHDRAWN)
    transition_need(focal, need, NeedStatus.COMPLETED)
    with pytest.raises(InvalidTransition):
        transition_need(focal, need, NeedStatus.OPEN)
    stranger = make.user(role=Role.FOCAL_POINT, state="NPL")
    with pytest.raises(PermissionDenied):
        transition_need(stranger, make.need(state="HTI"), NeedStatus.WITHDRAWN)
    actions = db.session.scalars(sa.select(AuditEntry.action)).all()
    assert actions.count("need.status") == 4


def test_status_buttons_through_http(make, login, db):
    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    need = make.need(state="HTI", status=NeedStatus.DRAFT)
    client = login(focal)
    assert "Publish" in client.get(f"/needs/{need.id}").get_data(as_text=True)
    client.post(f"/needs/{need.id}/status", data={"target": "open"})
    bad = client.post(
        f"/needs/{need.id}/status", data={"target": "completed"}, follow_redirects=True
    )
    assert "cannot become completed" in bad.get_data(as_text=True)
    other = make.user(role=Role.FOCAL_POINT, state="NPL")
    # Visible to members, so another State's focal point sees it but may not act: 403.
    assert (
        login(other).post(f"/needs/{need.id}/status", data={"target": "withdrawn"}).status_code
        == 403
    )
    db.session.expire_all()
    assert db.session.get(Need, need.id).status == NeedStatus.OPEN


def test_database_refuses_an_inverted_cost_range(make, db):
    need = make.need()
    need.cost_min, need.cost_max = 500, 100
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_list_paginates_and_filters(make, login, db):
    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    for i in range(12):
        make.need(state="HTI", title=f"Paged need {i:02d}", window_start=date(2027, 1, 1))
    client = login(focal)
    first = client.get("/needs/").get_data(as_text=True)
    second = client.get("/needs/?page=2").get_data(as_text=True)
    assert first.count("Paged need") == 10
    assert second.count("Paged need") == 2
    assert "12 in all" in first
    assert client.get("/needs/?status=withdrawn").get_data(as_text=True).count("Paged need") == 0
    beyond = client.get("/needs/?page=99")  # a page beyond the last shows the last one
    assert beyond.status_code == 200 and beyond.get_data(as_text=True).count("Paged need") == 2
    assert client.get("/needs/?state=abc").status_code == 200  # a bad filter is ignored


def test_withdraw_button_asks_for_confirmation(make, login):
    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    need = make.need(state="HTI")
    body = login(focal).get(f"/needs/{need.id}").get_data(as_text=True)
    # a data attribute read by static/tamatch.js: no inline script, so the CSP can forbid it
    assert 'data-confirm="Withdraw this need? It leaves every list and round."' in body
