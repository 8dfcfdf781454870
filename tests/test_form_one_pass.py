"""Need and offer forms: every problem in one pass, no silent cut, one message per bad number,
past dates refused, the recommendation search says when it shows only the first matches."""

import pytest
import sqlalchemy as sa

from tamatch.models import Need, Offer, Role
from tests.test_needs import _form as need_form
from tests.test_offers import _form as offer_form

pytestmark = pytest.mark.usefixtures("no_csrf")


def _post_need(make, login, **overrides):
    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    rec = make.recommendation(state="HTI")
    response = login(focal).post("/needs/new", data=need_form(make, [rec], **overrides))
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_need_recommendation_error_comes_with_the_others(make, login, db):
    body = _post_need(make, login, recommendation_ids=[], title="", theme_ids=[])
    assert "Tie the need to at least one recommendation" in body
    assert "This field is required." in body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Need)) == 0


def test_offer_rules_come_with_the_field_errors(make, login, db):
    partner = make.user(role=Role.PARTNER)
    data = offer_form(make, title="", eligible_all="some", typical_cost="900000")
    body = login(partner).post("/offers/new", data=data).get_data(as_text=True)
    assert "This field is required." in body
    assert "Say which States are eligible" in body
    assert "cannot exceed the total budget" in body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Offer)) == 0


def test_a_long_title_is_refused_not_cut(make, login, db):
    body = _post_need(make, login, title="x" * 5000)
    assert "Field cannot be longer than 200 characters." in body
    assert "x" * 5000 in body  # kept as typed, to be shortened by its author
    assert 'maxlength="200"' not in body  # no silent cut by the browser
    assert "Up to 200 characters." in body


def test_a_non_number_cost_gets_one_message_and_stays(make, login, db):
    body = _post_need(make, login, cost_min="lots")
    assert body.count("Enter a whole number, such as 1500.") == 2  # summary and field
    assert "Number must be at least 0." not in body
    assert 'value="lots"' in body
    assert 'type="number"' not in body.split('id="cost_min"')[0].rsplit("<input", 1)[-1]


@pytest.mark.parametrize("path", ["needs", "offers"])
def test_a_window_ending_in_the_past_is_refused(make, login, db, path):
    data = {"window_start": "2020-01-01", "window_end": "2020-02-01"}
    if path == "needs":
        body = _post_need(make, login, **data)
    else:
        partner = make.user(role=Role.PARTNER)
        body = (
            login(partner).post("/offers/new", data=offer_form(make, **data)).get_data(as_text=True)
        )
    assert "This date is in the past" in body


def test_round_refuses_past_deadline_and_all_zero_weights(app):
    from tamatch.rounds.forms import WEIGHT_LABELS, RoundForm

    data = {
        "name": "R",
        "serves": "HRC 61",
        "submission_deadline": "2020-01-01",
        "followup_months": "6",
        "time_limit": "20",
        **{f"weight_{name}": "0" for name in WEIGHT_LABELS},
    }
    with app.test_request_context(method="POST", data=data):
        form = RoundForm(meta={"csrf": False})
        form.theme_ids.choices = []
        assert not form.validate()
        assert any("in the past" in str(e) for e in form.submission_deadline.errors)
        assert any("At least one weight" in str(e) for e in form.weight_theme.errors)


def test_recommendation_search_finds_a_reference_as_displayed(make, login, db):
    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    target = make.recommendation(state="HTI", document_symbol="A/HRC/59/15", paragraph="140.44")
    make.recommendation(state="HTI", document_symbol="A/HRC/59/15", paragraph="140.45")
    client = login(focal)
    for typed in (target.reference, "para. 140.44"):
        data = need_form(make, [], rec_query=typed, search="Search")
        del data["publish"]
        body = client.post("/needs/new", data=data).get_data(as_text=True)
        assert "A/HRC/59/15 para. 140.44" in body
        assert "140.45" not in body


def test_recommendation_search_says_it_shows_only_the_first(make, login, db):
    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    for n in range(27):
        make.recommendation(state="HTI", text=f"Protect water sources number {n}.")
    data = need_form(make, [], rec_query="water", search="Search")
    del data["publish"]
    body = login(focal).post("/needs/new", data=data).get_data(as_text=True)
    assert "Showing 25 of 27 matching recommendations" in body


@pytest.fixture
def extra_themes(db):
    """Three themes of made-up groups; the theme table is kept between tests: removed after."""
    from tamatch.models import Theme

    themes = [Theme(code=c, name=n) for c, n in [("Q1", "Right to water"), ("Q2", "Housing"),
                                                 ("Z3", "Torture")]]  # fmt: skip
    db.session.add_all(themes)
    db.session.commit()
    yield themes
    db.session.rollback()
    for theme in themes:
        db.session.delete(theme)
    db.session.commit()


@pytest.mark.usefixtures("extra_themes")
def test_themes_are_grouped_by_the_first_letter_of_their_code(make, login, db):
    page = login(make.user(role=Role.FOCAL_POINT, state="HTI")).get("/needs/new").text
    picker = page.split("data-theme-picker", 1)[1].split("</fieldset>\n  </fieldset>", 1)[0]
    group_a = picker.split("Group Q", 1)[1].split("Group Z", 1)[0]
    assert "Right to water" in group_a and "Housing" in group_a
    assert "Torture" in picker.split("Group Z", 1)[1]
    assert 'src="/static/theme_picker.js"' in page
    assert "<script>" not in page and "style=" not in page
