"""Public figures page and State page: aggregates only, and confidential needs never leak."""

import re

import pytest

from tamatch.followup.dashboard import public_scope
from tamatch.models import GoodPractice
from tamatch.public.queries import headline
from tests.test_dashboard import SECRET, TODAY, build_dataset, scratch_site

CONFIDENTIAL_TITLE = "Protection of defenders XJ"


@pytest.fixture(scope="module")
def site(app):
    yield from scratch_site(app)


def test_headline_leaves_confidential_needs_out(make, db):
    build_dataset(make, db)
    figures = headline(public_scope(), TODAY)
    # HTI x2 + n5, SVN x2, MLI: 5 needs of 3 States (TUV's only need is confidential).
    assert (figures.needs, figures.states) == (5, 3)
    assert (figures.engagements, figures.recommendations_served) == (2, 3)


def test_public_page_shows_aggregates_never_a_confidential_need(make, db, site):
    build_dataset(make, db)
    page = site.test_client().get("/public/")
    assert page.status_code == 200
    html = page.text
    assert "Confidential needs are left out of every figure" in html
    assert html.count('role="img"') == 5 and "<caption" in html
    for leak in (CONFIDENTIAL_TITLE, SECRET, "Tuvalu", "TUV", "Asia-Pacific"):
        assert leak not in html
    assert "Latin American and Caribbean Group" in html  # Haiti's needs, as a group only
    assert "Haiti" not in html


def test_state_page_speaks_in_the_states_words_within_visibility(make, db, site):
    data = build_dataset(make, db)
    reviewer = site.test_client(user=data["reviewer"])
    haiti = reviewer.get("/states/hti")
    assert haiti.status_code == 200
    assert "Judges trained in three provinces." in haiti.text
    assert "Recommendations received" in haiti.text and 'role="img"' in haiti.text
    hti_id = make.state("HTI").id
    assert f"/recommendations/?state={hti_id}" in haiti.text
    tuvalu = reviewer.get("/states/TUV").text
    assert SECRET not in tuvalu and CONFIDENTIAL_TITLE not in tuvalu
    for entitled in (data["organiser"], data["focal"]["TUV"]):
        page = site.test_client(user=entitled).get("/states/TUV").text
        assert SECRET in page and CONFIDENTIAL_TITLE in page
    anonymous = site.test_client().get("/states/HTI").text
    assert "Public HTI need" in anonymous and "Judges trained" not in anonymous
    assert "Sign in to read" in anonymous
    assert site.test_client().get("/states/XXX").status_code == 404


def _status_cells(html: str, mechanism: str) -> list[int]:
    row = html.split(f'<th scope="row" class="fw-normal">{mechanism}</th>', 1)[1]
    return [int(n) for n in re.findall(r'<td class="text-end">(\d+)</td>', row.split("</tr>")[0])]


def test_state_page_status_counts_only_visible_reports(make, db, site):
    data = build_dataset(make, db)
    # The confidential need's report said its recommendation was "not started": the organiser
    # counts that; for the reviewer the recommendation is "not reported yet".
    upr = "Universal Periodic Review"
    reviewer = site.test_client(user=data["reviewer"]).get("/states/TUV").text
    organiser = site.test_client(user=data["organiser"]).get("/states/TUV").text
    assert _status_cells(reviewer, upr) == [1, 0, 0, 0, 0, 1]
    assert _status_cells(organiser, upr) == [0, 1, 0, 0, 0, 1]


def test_good_practices_search_by_theme_kind_and_words(make, db, site):
    data = build_dataset(make, db)
    anonymous = site.test_client()
    listing = anonymous.get("/followup/practices").text
    assert "Training judges on fair trial" in listing and "Data systems for the NMRF" in listing
    assert SECRET not in listing  # drawn from a confidential need
    by_theme = anonymous.get(f"/followup/practices?theme={data['t2'].id}").text
    assert "Data systems" in by_theme and "Training judges" not in by_theme
    by_kind = anonymous.get(f"/followup/practices?kind={data['k2'].id}").text
    assert "Data systems" in by_kind and "Training judges" not in by_kind
    by_words = anonymous.get("/followup/practices?q=judges+fair").text
    assert "Training judges" in by_words and "Data systems" not in by_words
    organiser = site.test_client(user=data["organiser"]).get("/followup/practices").text
    assert SECRET in organiser


def test_practice_page_and_confidential_practice_hidden(make, db, site):
    data = build_dataset(make, db)
    practices = {p.title: p.id for p in db.session.scalars(db.select(GoodPractice))}
    anonymous = site.test_client()
    page = anonymous.get(f"/followup/practices/{practices['Training judges on fair trial']}")
    assert page.status_code == 200 and "What worked" in page.text and "/states/HTI" in page.text
    secret = practices[f"Lessons of the {SECRET}"]
    assert anonymous.get(f"/followup/practices/{secret}").status_code == 404
    assert (
        site.test_client(user=data["reviewer"]).get(f"/followup/practices/{secret}").status_code
        == 404
    )
    assert (
        site.test_client(user=data["focal"]["TUV"]).get(f"/followup/practices/{secret}").status_code
        == 200
    )
