"""Search: references as displayed, ranked words, safe highlighting, the index kept in step
with every write, and the citation filters, on the list, the API and the need form."""

import pytest
import sqlalchemy as sa

from tamatch.models import Mechanism, Recommendation, Role
from tamatch.recommendations import services
from tamatch.recommendations.importing import import_recommendations
from tamatch.recommendations.search import excerpt, parse_query, segments
from tamatch.recommendations.services import RecommendationFilters, recommendations_query
from tamatch.seeding.recommendations import UPR_BODY, RecommendationSeed, insert_recommendations


def _ids(db, q: str, **filters) -> list[int]:
    stmt = recommendations_query(RecommendationFilters(q=q, **filters))
    return [rec.id for rec in db.session.scalars(stmt)]


def _page(client, query: str) -> str:
    return client.get(f"/recommendations/?{query}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("typed", "symbol", "paragraph", "words"),
    [
        ("A/HRC/59/15 para. 140.44", "A/HRC/59/15", "140.44", ()),
        ("para. 140.44", None, "140.44", ()),
        ("140.44", None, "140.44", ()),
        ("A/HRC/59/15", "A/HRC/59/15", None, ()),
        ("a/hrc/59/15, paragraph 21", "a/hrc/59/15", "21", ()),
        ("CEDAW/C/HTI/CO/8-9 para. 21", "CEDAW/C/HTI/CO/8-9", "21", ()),
        ("E/C.12/GBR/CO/6", "E/C.12/GBR/CO/6", None, ()),
        ("A/HRC/40/6/Add.1", "A/HRC/40/6/Add.1", None, ()),
        ("CEDAW/C/HTI", "CEDAW/C/HTI", None, ()),
        ("torture A/HRC/40/6", "A/HRC/40/6", None, ("torture",)),
        ("women and/or girls", None, None, ("women", "and", "or", "girls")),
        ("Human-rights  defenders!", None, None, ("human", "rights", "defenders")),
        ("%", None, None, ()),
    ],
)
def test_parse_query(typed, symbol, paragraph, words):
    query = parse_query(typed)
    assert (query.symbol, query.paragraph, query.words) == (symbol, paragraph, words)


@pytest.fixture
def cited(make, db):
    """Recommendations of two documents whose symbols and paragraphs look alike."""
    rows = {
        "target": ("A/HRC/59/15", "140.44", "Adopt a national action plan on business."),
        "same_doc": ("A/HRC/59/15", "140.4", "Ratify the Optional Protocol."),
        "longer_symbol": ("A/HRC/59/150", "140.44", "Strengthen the ombudsperson."),
        "addendum": ("A/HRC/59/15/Add.1", "3", "Views on conclusions."),
        "other": ("CCPR/C/SVN/CO/4", "140.44", "Guarantee the right to a fair trial."),
    }
    made = {
        name: make.recommendation(state="SVN", document_symbol=s, paragraph=p, text=t)
        for name, (s, p, t) in rows.items()
    }
    db.session.commit()
    return {name: rec.id for name, rec in made.items()}


def test_a_reference_is_found_as_displayed(db, cited):
    assert _ids(db, "A/HRC/59/15 para. 140.44") == [cited["target"]]
    assert _ids(db, "a/hrc/59/15 para 140.44") == [cited["target"]]
    assert set(_ids(db, "para. 140.44")) == {cited[n] for n in ("target", "longer_symbol", "other")}
    assert set(_ids(db, "140.44")) == set(_ids(db, "para. 140.44"))
    # The symbol alone: its recommendations and its addendum's, not A/HRC/59/150's.
    expected = {cited[n] for n in ("target", "same_doc", "addendum")}
    assert set(_ids(db, "A/HRC/59/15")) == expected
    assert _ids(db, "A/HRC/59/15 ratify") == [cited["same_doc"]]
    assert _ids(db, "A/HRC/59/16") == []


def test_the_list_marks_the_reference_it_found(client, db, cited):
    html = _page(client, "q=A/HRC/59/15+para.+140.44")
    assert "<mark>A/HRC/59/15 para. 140.44</mark>" in html
    assert "Ratify the Optional Protocol" not in html


def test_words_are_ranked_stemmed_and_the_last_is_a_prefix(make, db):
    one = make.recommendation(
        text="Consider ratifying the Convention against Torture, the Convention on the Rights of "
        "the Child and the other instruments to which it is not yet party, and report on them."
    )
    best = make.recommendation(text="Prevent torture and investigate every torture allegation.")
    other = make.recommendation(text="Protect human rights defenders.")
    db.session.commit()

    assert _ids(db, "torture") == [best.id, one.id]
    assert _ids(db, "tortured") == [best.id, one.id]  # stems: torture, tortured, torturing
    assert _ids(db, "rights defend") == [other.id]  # "defend" finds "defenders"
    assert _ids(db, "torture defenders") == []  # every word must appear


def test_a_search_too_broad_to_rank_is_newest_first(make, client, db, monkeypatch):
    from datetime import date

    for day in (1, 2, 3):
        make.recommendation(text=f"Combat torture (day {day}).", issued_on=date(2024, 1, day))
    db.session.commit()
    monkeypatch.setattr(services, "MATCH_LIMIT", 2)
    monkeypatch.setattr(services, "RANK_LIMIT", 2)

    found = [
        r.text for r in db.session.scalars(recommendations_query(RecommendationFilters("torture")))
    ]
    assert found == [f"Combat torture (day {day})." for day in (3, 2, 1)]
    html = _page(client, "q=torture")
    assert "shown newest first" in html
    assert "More than 2;" in html


def test_highlighting_escapes_the_text_and_marks_the_matched_words(make, client, db):
    make.recommendation(
        text='Train judges on <script>alert("x")</script> torture & "ill-treatment".'
    )
    db.session.commit()

    html = _page(client, "q=tortures")
    assert "<mark>torture</mark>" in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "&amp; &#34;ill-treatment&#34;" in html


def test_search_input_is_never_markup_or_index_syntax(make, client, db):
    make.recommendation(text="Protect journalists.")
    db.session.commit()
    for typed in ('"', "NEAR(a b)", "a:*", "journalists OR", "' OR 1=1 --", "<b>journalists</b>"):
        response = client.get("/recommendations/", query_string={"q": typed})
        assert response.status_code == 200, typed
        assert "<b>journalists</b>" not in response.get_data(as_text=True)
    assert "Protect" in _page(client, "q=%3Cjournalists%3E")  # the word inside the markup


def test_segments_and_excerpt():
    assert segments("a \x02b\x03 c") == [("a ", False), ("b", True), (" c", False)]
    assert segments("stray \x03marker\x02") == [("stray marker", False)]
    long = [("x " * 200, False), ("hit", True), (" y" * 200, False)]
    shown = excerpt(long, width=100, before=20)
    assert shown[0] == ("…", False) and shown[-1] == ("…", False)
    assert ("hit", True) in shown
    assert sum(len(t) for t, _ in shown[1:-1]) <= 100


def test_the_index_follows_inserts_updates_and_deletes(make, db):
    rec = make.recommendation(text="Establish a juvenile justice system.")
    db.session.commit()
    assert _ids(db, "juvenile") == [rec.id]

    rec.text = "Establish an independent ombudsperson."
    rec.document_symbol, rec.paragraph = "A/HRC/1/2", "9.9"
    db.session.commit()
    assert _ids(db, "juvenile") == []
    assert _ids(db, "ombudsperson") == [rec.id]
    assert _ids(db, "A/HRC/1/2 para. 9.9") == [rec.id]

    # A bulk UPDATE (as the importer does) and a status change that leaves the text alone.
    db.session.execute(
        sa.update(Recommendation).where(Recommendation.id == rec.id).values(text="Abolish caste.")
    )
    db.session.execute(
        sa.update(Recommendation)
        .where(Recommendation.id == rec.id)
        .values(implementation_status="partially_implemented")
    )
    db.session.commit()
    assert _ids(db, "ombudsperson") == [] and _ids(db, "caste") == [rec.id]

    db.session.delete(rec)
    db.session.commit()
    assert _ids(db, "caste") == []


def test_imports_and_seeds_are_indexed(db):
    data = (
        b"Country,Symbol,Paragraph,Recommendation,Position\n"
        b"China,A/HRC/40/6,28.7,Ratify ILO 87.,Noted\n"
    )
    import_recommendations([("a.csv", data)])
    seed = RecommendationSeed("seed:1", "NPL", "UPR", UPR_BODY, "Protect Dalit communities.")
    insert_recommendations([seed])
    db.session.commit()
    assert len(_ids(db, "A/HRC/40/6 para. 28.7")) == 1
    assert len(_ids(db, "dalit")) == 1

    changed = data.replace(b"Ratify ILO 87.", b"Ratify ILO 98.")
    assert import_recommendations([("a.csv", changed)]).updated == 1
    db.session.commit()
    assert _ids(db, "87") == [] and len(_ids(db, "98")) == 1


def test_citation_filters_on_the_list(make, client, db):
    cedaw = make.term(Mechanism, "CEDAW")
    make.recommendation(text="Cycle three text.", cycle=3, session="UPR 34")
    make.recommendation(text="Cycle four text.", cycle=4, session="UPR 48")
    make.recommendation(
        text="Committee text.", mechanism=cedaw, body="CEDAW committee", cycle=None, session="85"
    )
    db.session.commit()

    assert "Cycle three" in _page(client, "cycle=3") and "Cycle four" not in _page(
        client, "cycle=3"
    )
    html = _page(client, "session=UPR+48")
    assert "Cycle four" in html and "Cycle three" not in html
    html = _page(client, "body=CEDAW+committee")
    assert "Committee text" in html and "Cycle four" not in html
    html = _page(client, "")
    assert "cycle 3 · session UPR 34" in html
    assert '<option value="UPR 34"' in html and '<option value="CEDAW committee"' in html
    assert html.index('value="UPR 34"') < html.index('value="UPR 48"')


def test_citation_filters_and_reference_search_in_the_api(make, client, token_for):
    headers = {"Authorization": f"Bearer {token_for(make.user(role=Role.CIVIL_SOCIETY))}"}
    make.recommendation(text="Third.", cycle=3, session="UPR 34", document_symbol="A/HRC/43/15")
    fourth = make.recommendation(
        text="Fourth.", cycle=4, session="UPR 48", document_symbol="A/HRC/59/15", paragraph="1.2"
    )

    def items(query: str) -> list[int]:
        response = client.get(f"/api/v1/recommendations?{query}", headers=headers)
        assert response.status_code == 200, response.json
        return [item["id"] for item in response.json["items"]]

    assert items("cycle=4") == [fourth.id]
    assert items("session=UPR%2048") == [fourth.id]
    assert items("q=A%2FHRC%2F59%2F15%20para.%201.2") == [fourth.id]
    assert items("body=Nobody") == []
    assert client.get("/api/v1/recommendations?cycle=x", headers=headers).status_code == 400


@pytest.mark.usefixtures("no_csrf")
def test_the_need_form_finds_recommendations_by_reference(make, login):
    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    wanted = make.recommendation(state="HTI", document_symbol="A/HRC/43/13", paragraph="88.12")
    make.recommendation(state="HTI", document_symbol="A/HRC/43/13", paragraph="88.1")
    data = {"title": "", "rec_query": "A/HRC/43/13 para. 88.12", "search": "Search"}

    body = login(focal).post("/needs/new", data=data).get_data(as_text=True)

    assert wanted.text in body and "A/HRC/43/13 para. 88.1<" not in body


def test_results_are_the_same_whichever_plan_sqlite_takes(make, db, monkeypatch):
    """SQLite sorts few matches and reads many in date order: both give the same rows."""
    from datetime import date

    from tamatch.recommendations import search

    for day in range(1, 7):
        state = "HTI" if day % 2 else "NPL"
        text = f"Combat torture in prisons, report {day}." if day < 5 else f"Other text {day}."
        make.recommendation(state=state, text=text, issued_on=date(2024, 2, day))
    db.session.commit()
    haiti = make.state("HTI").id
    cases = [("torture", {}), ("torture prisons", {"state_id": haiti}), ("other", {})]
    sorted_plan = {q: _ids(db, q, **f) for q, f in cases}
    monkeypatch.setattr(search, "SORTED_MATCHES", 0)
    assert {q: _ids(db, q, **f) for q, f in cases} == sorted_plan
    assert len(sorted_plan["torture"]) == 4 and len(sorted_plan["torture prisons"]) == 2


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("a/hrc/40/6/add.1", "A/HRC/40/6/Add.1"),
        ("A/HRC/WG.6/35/SVN/1", "A/HRC/WG.6/35/SVN/1"),
        ("e/c.12/gbr/co/6", "E/C.12/GBR/CO/6"),
        ("CCPR/C/SVN/CO/4/Corr.1", "CCPR/C/SVN/CO/4/Corr.1"),
    ],
)
def test_symbols_are_compared_as_the_un_writes_them(typed, canonical):
    from tamatch.recommendations.search import canonical_symbol

    assert canonical_symbol(typed) == canonical


def test_control_characters_in_filters_are_never_an_error(make, client, token_for):
    make.recommendation(text="Protect journalists.", body="Human Rights Council")
    for query in ("body=%00", "session=a%00b", "q=journalists%00", "q=%09journalists%0A"):
        assert client.get(f"/recommendations/?{query}").status_code == 200, query
    headers = {"Authorization": f"Bearer {token_for(make.user(role=Role.CIVIL_SOCIETY))}"}
    for query in ("body=%00", "session=%00", "q=journalists%00"):
        response = client.get(f"/api/v1/recommendations?{query}", headers=headers)
        assert response.status_code == 200, query
    found = client.get("/api/v1/recommendations?q=%09journalists%0A", headers=headers)
    assert found.json["total"] == 1
