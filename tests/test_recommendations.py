"""Recommendations: search, filters, pagination, detail with the needs citing it."""

import pytest

from tamatch.models import Mechanism, Response, Sdg, Theme


@pytest.fixture
def recs(make, db):
    cedaw = make.term(Mechanism, "CEDAW")
    theme = make.term(Theme)
    sdg5 = db.session.scalar(db.select(Sdg).where(Sdg.number == 5))
    water = make.recommendation(state="HTI", text="Guarantee access to safe drinking water.")
    women = make.recommendation(
        state="HTI",
        text="Adopt a law on violence against women.",
        mechanism=cedaw,
        response=Response.NOTED,
        document_symbol="CEDAW/C/HTI/CO/8-9",
        paragraph="21",
    )
    women.themes = [theme]
    women.sdgs = [sdg5]
    nepal = make.recommendation(state="NPL", text="Improve drinking water in rural areas.")
    db.session.commit()
    return {
        "water": water,
        "women": women,
        "nepal": nepal,
        "cedaw": cedaw,
        "theme": theme,
        "sdg5": sdg5,
    }


def _texts(client, query):
    """The list's HTML, without the <mark> of highlighted words."""
    html = client.get(f"/recommendations/?{query}").get_data(as_text=True)
    return html.replace("<mark>", "").replace("</mark>", "")


def test_search_and_filters(client, recs, make):
    assert "safe drinking water" in _texts(client, "q=water")
    assert "water in rural areas" in _texts(client, "q=water")
    assert "violence against women" not in _texts(client, "q=water")
    assert "water in rural areas" not in _texts(client, f"q=water&state={make.state('HTI').id}")
    assert "safe drinking water" not in _texts(client, f"mechanism={recs['cedaw'].id}")
    assert "violence against women" in _texts(client, f"theme={recs['theme'].id}")
    assert "safe drinking water" not in _texts(client, f"sdg={recs['sdg5'].id}")
    assert "violence against women" in _texts(client, "response=noted")
    assert "safe drinking water" not in _texts(client, "response=noted")
    assert "violence against women" in _texts(client, "q=CEDAW/C/HTI")  # by symbol
    assert "No recommendation matches" in _texts(client, "q=nothing-like-this")


def test_search_treats_like_wildcards_literally(client, recs):
    assert "No recommendation matches" in _texts(client, "q=%25")
    assert "No recommendation matches" in _texts(client, "q=_")


def test_pagination(client, make, db):
    for i in range(23):
        make.recommendation(state="FJI", text=f"Paged recommendation {i}")
    first = _texts(client, "q=Paged")
    third = _texts(client, "q=Paged&page=3")
    assert first.count("Paged recommendation") == 10
    assert third.count("Paged recommendation") == 3
    assert "23 in all" in first


def test_detail_page(client, recs, make):
    need = make.need(state="HTI", recommendations=[recs["women"]], title="Shelters for survivors")
    body = client.get(f"/recommendations/{recs['women'].id}").get_data(as_text=True)
    assert "violence against women" in body
    assert "CEDAW/C/HTI/CO/8-9 para. 21" in body
    assert "SDG 5" in body
    # members-only need: not shown to the anonymous visitor
    assert need.title not in body
    assert client.get("/recommendations/999999").status_code == 404
