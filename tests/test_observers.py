"""The non-member observer States (State of Palestine, Holy See): they exist as States with
their standing, recommend in the UPR, receive treaty-body and special-procedure
recommendations (never the UPR's), have focal points; imports resolve the names real files use
(issue 12 item 4)."""

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from tamatch.models import (
    Mechanism,
    MechanismKind,
    Membership,
    Recommendation,
    RegionalGroup,
    Role,
    State,
)
from tamatch.models.reference import receives_from
from tamatch.recommendations.importing import import_recommendations
from tamatch.seeding import state_resolver

# The UHRI export's layout (tests/fixtures/imports/uhri_bad.csv), rows written for these tests.
HEADER = (
    "Symbol,Paragraph,Recommendation,Body,Session,Date,Country,Recommending State(s),Themes,"
    "Affected persons,SDGs,Position\n"
)
TREATY_ROW = (
    "CRC/C/PSE/CO/1,12,Test text: adopt a child-rights law.,Committee on the Rights of the "
    "Child,,2020-06-05,State of Palestine,,,,,\n"
)
SPECIAL_ROW = (
    "A/HRC/00/0/Add.1,50,Test text: protect persons with albinism.,Special Rapporteur on a "
    "test mandate,,2021-01-01,Holy See,,,,,\n"
)
UPR_BY_OBSERVERS = (
    "A/HRC/43/15,121.9,Test text: ratify a convention.,Universal Periodic Review,34,"
    "2019-11-15,Slovenia,Palestine; Vatican,,,,Supported\n"
)
UPR_TO_OBSERVER = (
    "A/HRC/43/15,121.10,Test text: a UPR recommendation to an observer.,Universal Periodic "
    "Review,34,2019-11-15,Holy See,France,,,,Supported\n"
)


def _state(db, iso3: str) -> State:
    return db.session.scalars(sa.select(State).filter_by(iso3=iso3)).one()


def _import(db, rows: str):
    report = import_recommendations([("observers.csv", (HEADER + rows).encode())], "auto")
    db.session.commit()
    return report


@pytest.mark.parametrize("iso3", ["PSE", "VAT"])
def test_observer_states_exist_with_their_standing_and_no_group(db, iso3):
    state = _state(db, iso3)
    assert state.membership == Membership.OBSERVER and state.is_observer
    assert state.regional_group is None
    assert not state.ldc_listed and not state.is_sids and not state.is_lldc


def test_observer_names_come_in_the_six_languages():
    from tamatch.i18n.names import state_name_in

    assert state_name_in("PSE", "fr") == "État de Palestine"
    assert state_name_in("PSE", "ar") == "دولة فلسطين"
    assert state_name_in("VAT", "es") == "Santa Sede"
    assert state_name_in("VAT", "zh") == "罗马教廷"
    assert state_name_in("VAT", "ru") == "Святой Престол"


def test_a_member_state_must_have_a_group(db):
    db.session.add(State(iso3="XXM", name="Member without group", regional_group=None))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_an_observer_may_have_no_group(db):
    db.session.add(State(iso3="XXO", name="Test observer", membership=Membership.OBSERVER))
    db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("State of Palestine", "PSE"),
        ("Palestine", "PSE"),
        ("Palestine, State of", "PSE"),
        ("the State of Palestine", "PSE"),
        ("Holy See", "VAT"),
        ("the Holy See", "VAT"),
        ("Vatican", "VAT"),
        ("Vatican City", "VAT"),
        ("Holy See (Vatican City State)", "VAT"),
    ],
)
def test_observer_names_resolve(name, iso3):
    assert state_resolver().iso3(name) == iso3


@pytest.mark.parametrize(
    ("kind", "member", "observer"),
    [
        (MechanismKind.UPR, True, False),
        (MechanismKind.TREATY_BODY, True, True),
        (MechanismKind.SPECIAL_PROCEDURE, True, True),
    ],
)
def test_who_receives_which_recommendations(kind, member, observer):
    assert receives_from(Membership.MEMBER, kind) is member
    assert receives_from(Membership.OBSERVER, kind) is observer


def test_observers_recommend_in_the_upr_and_receive_treaty_and_special_procedure_ones(db):
    report = _import(db, UPR_BY_OBSERVERS + TREATY_ROW + SPECIAL_ROW)
    assert report.ok, report.errors
    assert report.unresolved_states == {}
    upr = db.session.scalars(
        sa.select(Recommendation).where(Recommendation.paragraph == "121.9")
    ).one()
    assert {s.iso3 for s in upr.recommending_states} == {"PSE", "VAT"}
    treaty = db.session.scalars(
        sa.select(Recommendation).where(Recommendation.document_symbol == "CRC/C/PSE/CO/1")
    ).one()
    assert (treaty.state.iso3, treaty.mechanism.code) == ("PSE", "CRC")
    special = db.session.scalars(
        sa.select(Recommendation).join(Mechanism).where(Mechanism.code == "SP")
    ).one()
    assert special.state.iso3 == "VAT"


def test_a_upr_recommendation_to_an_observer_is_refused_with_a_clear_error(db):
    report = _import(db, UPR_TO_OBSERVER + TREATY_ROW)
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(2, "Country")]
    assert "non-member observer State" in report.errors[0].reason
    assert "Holy See" in report.errors[0].reason
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Recommendation)) == 0


def test_the_slovenia_matrix_keeps_palestine_as_recommending_state(db):
    from tamatch.seeding.demo import load_demo

    load_demo()
    rows = db.session.scalars(
        sa.select(Recommendation).where(Recommendation.recommending_states.any(State.iso3 == "PSE"))
    ).all()
    assert {r.paragraph for r in rows} == {"122.69", "122.92", "140.36", "140.55"}


def test_an_observer_has_a_focal_point_who_posts_a_need(db, make, login, no_csrf):
    focal = make.user(role=Role.FOCAL_POINT, state="PSE")
    crc = make.term(Mechanism, "CRC")
    rec = make.recommendation(state="PSE", mechanism=crc, session=None, cycle=None)
    need = make.need(state="PSE", recommendations=[rec], title="Juvenile justice advice")
    assert focal.state.iso3 == "PSE" and need.state.is_observer
    page = login(focal).get(f"/needs/{need.id}")
    assert page.status_code == 200 and "Juvenile justice advice" in page.text


def test_the_state_page_says_observer_instead_of_a_group(db, client):
    page = client.get("/states/VAT").text
    assert "Non-member observer State" in page
    assert "Group" not in page.split("<h1>", 1)[1].split("</p>", 1)[0]


def test_observers_are_counted_apart_on_the_home_page_figures(db, make, login):
    from tamatch.main.services import open_needs_by_region

    make.need(state="PSE")
    make.need(state="SVN")
    organiser = make.user(role=Role.ORGANISER)
    rows = {group: n for group, n, *_ in open_needs_by_region(organiser)}
    assert rows == {None: 1, RegionalGroup.EASTERN_EUROPEAN: 1}
    home = login(organiser).get("/")
    assert home.status_code == 200 and "Non-member observer States" in home.text


def test_observers_are_offered_where_a_state_is_chosen(app, db):
    from tamatch.forms import state_choices

    with app.test_request_context(headers={"Accept-Language": "fr"}):
        names = {name for _id, name in state_choices()}
    assert {"État de Palestine", "Saint-Siège"} <= names


def test_an_observers_focal_point_reads_their_home_page(db, make, login):
    focal = make.user(role=Role.FOCAL_POINT, state="VAT")
    assert login(focal).get("/").status_code == 200
