"""Need and offer forms: every problem in one pass, no silent cut, one message per bad number,
past dates refused, the recommendation search says when it shows only the first matches."""

import pytest
import sqlalchemy as sa

from tamatch.models import Need, Offer, Role, Theme
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


def test_themes_are_shown_by_the_levels_of_the_index_codes(make, login, db):
    """Group (D) > subgroup (D2) > theme (D23); our TM- themes under "Other themes", never as
    a "Group T"; plain nested check boxes, labelled groups, the script served, no inline code."""
    page = login(make.user(role=Role.FOCAL_POINT, state="HTI")).get("/needs/new").text
    picker = page.split("data-theme-picker", 1)[1]
    assert "Group T" not in page and "Group D" not in page
    group_d = picker.split('id="theme_ids-level-D"', 1)[1].split('id="theme_ids-level-E"', 1)[0]
    assert "Civil &amp; political rights" in group_d.split("</legend>", 1)[0]
    subgroup = group_d.split('id="theme_ids-level-D2"', 1)[1].split("</fieldset>", 1)[0]
    assert "Right to life &amp; physical integrity" in subgroup
    assert "Death penalty" in subgroup and "Right to life" in subgroup
    assert "Right to life &amp; physical integrity (the whole group)" in subgroup
    assert "Freedom of association" not in subgroup  # D45 lies in D4
    assert 'aria-labelledby="theme_ids-level-D2"' in group_d
    other = picker.split('id="theme_ids-level-other"', 1)[1]
    assert "Other themes" in other.split("</legend>", 1)[0]
    assert "National Mechanisms for Implementation, Reporting and Follow-up (NMIRF)" in other
    boxes = picker.count('name="theme_ids"')
    assert boxes == db.session.scalar(sa.select(sa.func.count()).select_from(Theme))
    assert 'src="/static/theme_picker.js"' in page
    assert "<script>" not in page and "style=" not in page


def test_the_picker_script_is_served_as_a_file(client):
    with client.get("/static/theme_picker.js") as script:
        assert script.status_code == 200 and "data-theme-subgroup" in script.text
