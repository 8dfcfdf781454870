"""Partners' interest in open needs: marking, withdrawing, who sees what, and the solver's bonus."""

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from tamatch.models import (
    Interest,
    InterestLevel,
    NeedStatus,
    OfferStatus,
    Role,
    RunOutcome,
    SolveRun,
    Visibility,
)
from tamatch.rounds import render, runs
from tamatch.rounds.solving import execute_run, round_interest
from tamatch.rounds.weights_view import run_weights
from tests.factories import make_engagement, make_round
from tests.i18n_support import fresh_template  # noqa: F401 - a fixture

pytestmark = pytest.mark.usefixtures("no_csrf")


@pytest.fixture
def partner(make):
    return make.user(role=Role.PARTNER)


def _interests(db):
    return db.session.scalars(sa.select(Interest).order_by(Interest.offer_id)).all()


def test_a_partner_marks_an_open_need_with_one_offer_then_changes_the_level(
    make, login, db, partner
):
    need = make.need()
    offer = make.offer(organisation=partner.organisation)
    client = login(partner)
    response = client.post(f"/interests/needs/{need.id}", data={"offer": offer.id, "level": "1"})
    assert response.status_code == 302 and response.location.endswith(f"/needs/{need.id}")
    client.post(f"/interests/needs/{need.id}", data={"offer": offer.id, "level": "2"})
    rows = _interests(db)
    assert [(r.offer_id, r.need_id, r.level) for r in rows] == [(offer.id, need.id, 2)]
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "Very interested" in page and "Withdraw" in page


def test_all_my_offers_marks_each_offer_that_is_not_closed(make, login, db, partner):
    need = make.need()
    open_offer = make.offer(organisation=partner.organisation)
    draft = make.offer(organisation=partner.organisation, status=OfferStatus.DRAFT)
    make.offer(organisation=partner.organisation, status=OfferStatus.CLOSED)
    make.offer()  # another organisation's
    login(partner).post(f"/interests/needs/{need.id}", data={"offer": "all", "level": "1"})
    assert {r.offer_id for r in _interests(db)} == {open_offer.id, draft.id}


def test_the_database_keeps_one_interest_per_offer_and_need(make, db):
    need, offer = make.need(), make.offer()
    db.session.add(Interest(offer=offer, need=need, level=1))
    db.session.commit()
    db.session.add(Interest(offer=offer, need=need, level=2))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.add(Interest(offer=offer, need=make.need(), level=3))
    with pytest.raises(IntegrityError):  # the level is 1 or 2
        db.session.commit()


@pytest.mark.parametrize(
    ("status", "visibility", "code"),
    [
        (NeedStatus.OPEN, Visibility.CONFIDENTIAL, 404),  # it may not know the need exists
        (NeedStatus.DRAFT, Visibility.MEMBERS, 404),
        (NeedStatus.MATCHED, Visibility.MEMBERS, 403),  # no longer open
        (NeedStatus.WITHDRAWN, Visibility.PUBLIC, 403),
    ],
)
def test_only_open_needs_the_partner_may_see(make, login, db, partner, status, visibility, code):
    need = make.need(status=status, visibility=visibility)
    offer = make.offer(organisation=partner.organisation)
    response = login(partner).post(
        f"/interests/needs/{need.id}", data={"offer": offer.id, "level": "1"}
    )
    assert response.status_code == code
    assert _interests(db) == []


def test_another_organisations_offer_or_another_role_is_refused(make, login, db, partner):
    need = make.need()
    foreign = make.offer()
    make.offer(organisation=partner.organisation)
    client = login(partner)
    client.post(f"/interests/needs/{need.id}", data={"offer": foreign.id, "level": "1"})
    focal = login(make.user(role=Role.FOCAL_POINT, state="FJI"))
    assert focal.post(f"/interests/needs/{need.id}", data={"offer": foreign.id}).status_code == 403
    assert _interests(db) == []


def test_withdrawing_is_for_the_offers_partner_only(make, login, db, partner):
    need = make.need()
    offer = make.offer(organisation=partner.organisation)
    db.session.add(Interest(offer=offer, need=need, level=1))
    db.session.commit()
    interest_id = _interests(db)[0].id
    other = login(make.user(role=Role.PARTNER))
    assert other.post(f"/interests/{interest_id}/withdraw").status_code == 404
    assert len(_interests(db)) == 1
    assert login(partner).post(f"/interests/{interest_id}/withdraw").status_code == 302
    db.session.expire_all()
    assert _interests(db) == []


def test_the_state_sees_how_many_partners_the_organisers_see_who(make, login, db):
    need = make.need(state="HTI")
    first, second = make.organisation(name="Agency One"), make.organisation(name="Agency Two")
    for org in (first, first, second):
        db.session.add(Interest(offer=make.offer(organisation=org), need=need, level=1))
    db.session.commit()
    state_page = login(make.user(role=Role.FOCAL_POINT, state="HTI")).get(f"/needs/{need.id}")
    text = state_page.get_data(as_text=True)
    assert "2 partners asked to support this need." in text
    assert "Agency One" not in text
    organiser_page = login(make.user(role=Role.ORGANISER)).get(f"/needs/{need.id}")
    assert "Agency One" in organiser_page.get_data(as_text=True)
    other = login(make.user(role=Role.PARTNER)).get(f"/needs/{need.id}").get_data(as_text=True)
    assert "partners asked to support" not in other and "Agency One" not in other


def test_my_interests_lists_pages_and_an_empty_state(make, login, db, partner, app):
    client = login(partner)
    assert "You have not shown interest in any need yet." in client.get("/interests/").get_data(
        as_text=True
    )
    offer = make.offer(organisation=partner.organisation)
    for _ in range(app.config["PER_PAGE"] + 1):
        db.session.add(Interest(offer=offer, need=make.need(), level=1))
    hidden = make.need(visibility=Visibility.CONFIDENTIAL)  # no longer visible to it
    db.session.add(Interest(offer=offer, need=hidden, level=2))
    db.session.commit()
    first = client.get("/interests/").get_data(as_text=True)
    assert first.count(">Withdraw<span") == app.config["PER_PAGE"]
    second = client.get("/interests/?page=2").get_data(as_text=True)
    assert second.count(">Withdraw<span") == 1
    assert hidden.title not in first + second
    assert login(make.user(role=Role.FOCAL_POINT)).get("/interests/").status_code == 403


def test_the_needs_list_offers_the_button_and_shows_the_level(make, login, db, partner):
    need = make.need()
    marked = make.need()
    offer = make.offer(organisation=partner.organisation)
    db.session.add(Interest(offer=offer, need=marked, level=2))
    db.session.commit()
    client = login(partner)
    page = client.get("/needs/").get_data(as_text=True)
    assert f'action="/interests/needs/{need.id}"' in page
    assert f'action="/interests/needs/{marked.id}"' not in page and "Very interested" in page
    response = client.post(
        f"/interests/needs/{need.id}", data={"offer": "all", "level": "1", "next": "/needs/?q=x"}
    )
    assert response.location.endswith("/needs/?q=x")
    evil = client.post(
        f"/interests/needs/{need.id}", data={"offer": "all", "level": "1", "next": "//evil.org"}
    )
    assert evil.location.endswith(f"/needs/{need.id}")


def _solve(db, organiser, match_round):
    run = runs.create_run(organiser, match_round)
    db.session.commit()
    execute_run(run.id)
    db.session.expire_all()
    return db.session.get(SolveRun, run.id)


def test_of_two_equal_offers_the_interested_one_gets_the_need(make, db):
    organiser = make.user(role=Role.ORGANISER)
    need = make.need()
    plain, keen = make.offer(), make.offer()
    for offer in (plain, keen):  # offers run in id order: the plain one would win a tie
        offer.capacity = 1
    db.session.add(Interest(offer=keen, need=need, level=int(InterestLevel.INTERESTED)))
    db.session.commit()
    assert round_interest([need], [plain, keen]) == {keen.id: frozenset({(str(need.id), 1)})}
    run = _solve(db, organiser, make_round(db, organiser))
    outcome = db.session.scalar(sa.select(RunOutcome).where(RunOutcome.run_id == run.id))
    assert outcome.offer_id == keen.id
    fact = {"code": "partner_interest", "points": 5, "args": {"level": 1}}
    assert fact in outcome.explanation
    lines = render.explanation(organiser, outcome)
    assert "The partner asked to support this need: +5" in lines
    control = _solve(db, organiser, make_round(db, organiser, name="R2", weights={"interest": 0}))
    tie = db.session.scalar(sa.select(RunOutcome).where(RunOutcome.run_id == control.id))
    assert tie.offer_id == plain.id  # without the bonus the tie goes to the other offer
    labels = dict(run_weights(run))
    assert labels["The partner asked to support the need (half when interested)"] == 10


def test_the_interest_weight_is_the_rounds_to_set(make, db):
    organiser = make.user(role=Role.ORGANISER)
    need = make.need()
    offer = make.offer()
    db.session.add(Interest(offer=offer, need=need, level=2))
    db.session.commit()
    run = _solve(db, organiser, make_round(db, organiser, weights={"interest": 30}))
    outcome = db.session.scalar(sa.select(RunOutcome).where(RunOutcome.run_id == run.id))
    fact = {"code": "partner_interest", "points": 30, "args": {"level": 2}}
    assert fact in outcome.explanation
    lines = render.explanation(None, outcome)
    assert "The partner asked to support this need (very interested): +30" in lines


def test_an_engaged_partner_may_mark_a_confidential_need_it_sees(make, login, db):
    world = make_engagement(db, make, visibility=Visibility.CONFIDENTIAL)
    need = world["need"]
    need.status = NeedStatus.OPEN  # reopened for a second phase, say
    db.session.commit()
    response = login(world["partner"]).post(
        f"/interests/needs/{need.id}", data={"offer": world["offer"].id, "level": "1"}
    )
    assert response.status_code == 302
    assert len(_interests(db)) == 1


def test_the_api_lists_marks_and_withdraws_interest(make, db, partner, token_for, client):
    need = make.need()
    offer = make.offer(organisation=partner.organisation)
    headers = {"Authorization": f"Bearer {token_for(partner)}"}
    body = {"need_id": need.id, "offer_id": offer.id, "level": "very_interested"}
    created = client.post("/api/v1/interests", json=body, headers=headers)
    assert created.status_code == 201
    assert created.json["level"] == "very_interested" and created.json["need_id"] == need.id
    again = client.post("/api/v1/interests", json=body | {"level": "interested"}, headers=headers)
    assert again.json["id"] == created.json["id"]  # one per (offer, need): the level changed
    listed = client.get("/api/v1/interests", headers=headers).json
    assert [i["level"] for i in listed["items"]] == ["interested"] and listed["total"] == 1
    bad = client.post("/api/v1/interests", json=body | {"level": "meh"}, headers=headers)
    assert bad.status_code == 422 and "level" in bad.json["error"]["fields"]
    hidden = make.need(visibility=Visibility.CONFIDENTIAL)
    refused = client.post("/api/v1/interests", json=body | {"need_id": hidden.id}, headers=headers)
    assert refused.status_code == 404
    foreign = client.post(
        "/api/v1/interests", json=body | {"offer_id": make.offer().id}, headers=headers
    )
    assert foreign.status_code == 404
    other = {"Authorization": f"Bearer {token_for(make.user(role=Role.PARTNER))}"}
    url = f"/api/v1/interests/{created.json['id']}"
    assert client.delete(url, headers=other).status_code == 404
    assert client.delete(url, headers=headers).status_code == 204
    assert client.get("/api/v1/interests", headers=headers).json["total"] == 0
    focal = {"Authorization": f"Bearer {token_for(make.user(role=Role.FOCAL_POINT))}"}
    assert client.get("/api/v1/interests", headers=focal).status_code == 403


def test_a_row_inserted_meanwhile_is_taken_not_a_500(make, db, partner, monkeypatch):
    from tamatch.interests import services

    need = make.need()
    offer = make.offer(organisation=partner.organisation)
    # Another request inserts the same (offer, need) between our read and our insert.
    real_insert = services._insert

    def racing(actor, need_, offer_, level):
        with db.engine.begin() as other:
            other.execute(sa.insert(Interest).values(offer_id=offer_.id, need_id=need_.id, level=1))
        return real_insert(actor, need_, offer_, level)

    monkeypatch.setattr(services, "_insert", racing)
    (row,) = services.show_interest(partner, need, [offer], InterestLevel.VERY_INTERESTED)
    db.session.commit()
    assert [(r.id, r.level) for r in _interests(db)] == [(row.id, 2)]


def test_the_partners_pages_are_all_translated(
    app,
    db,
    make,
    tmp_path,
    fresh_template,  # noqa: F811
    monkeypatch,
):
    """The interest panel, the list's buttons and the saved-search form in the pseudo-locale."""
    from tamatch.i18n.catalogues import write_pseudo
    from tamatch.i18n.locales import LOCALE_NAMES, SESSION_KEY
    from tamatch.models import SavedSearch
    from tests.test_pseudo_locale import PROPER, WORD, _babel_words, _content_words, _escaped

    write_pseudo(fresh_template, tmp_path)
    monkeypatch.setattr(app.extensions["babel"], "translation_directories", [str(tmp_path)])
    partner = make.user(role=Role.PARTNER)
    need, marked = make.need(), make.need()
    first = make.offer(organisation=partner.organisation)
    make.offer(organisation=partner.organisation)
    db.session.add(Interest(offer=first, need=marked, level=2))
    db.session.add(SavedSearch(user_id=partner.id, name="Justice", filters={"q": "x"}))
    db.session.commit()
    allowed = _content_words(db) | _babel_words() | PROPER
    allowed |= {w for name in LOCALE_NAMES.values() for w in WORD.findall(name)}
    client = app.test_client(user=partner)
    with client.session_transaction() as session:
        session[SESSION_KEY] = "en-XA"
    escaped = {}
    search_id = db.session.scalar(sa.select(SavedSearch.id))
    urls = ["/needs/", f"/needs/{need.id}", f"/needs/{marked.id}", "/interests/"]
    urls += ["/interests/searches", f"/interests/searches/{search_id}/delete"]
    for url in urls:
        words = _escaped(client.get(url).get_data(as_text=True), allowed)
        if words:
            escaped[url] = words
    assert escaped == {}
