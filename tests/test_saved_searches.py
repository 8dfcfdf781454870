"""Saved needs searches: saving, managing, and alerts when a new need fits, once, never leaking."""

from datetime import date

import pytest
import sqlalchemy as sa

from tamatch.i18n.catalogues import write_pseudo
from tamatch.models import (
    Language,
    NeedStatus,
    Notification,
    OutboxMessage,
    Role,
    SavedSearch,
    SearchAlert,
    SupportKind,
    Theme,
    Visibility,
)
from tamatch.needs.queries import NeedFilters
from tamatch.needs.services import NeedData, create_need, transition_need
from tests.i18n_support import fresh_template  # noqa: F401 - a fixture

pytestmark = pytest.mark.usefixtures("no_csrf")


@pytest.fixture
def partner(make):
    return make.user(role=Role.PARTNER)


@pytest.fixture
def focal(make):
    return make.user(role=Role.FOCAL_POINT, state="HTI")


def _search(db, user, name="Justice", **filters):
    search = SavedSearch(user_id=user.id, name=name, filters=NeedFilters(**filters).to_json())
    db.session.add(search)
    db.session.commit()
    return search


def _publish(db, make, focal, title="Tracking database for justice", **kw):
    data = NeedData(
        title=title,
        gap="No tracking database; the staff are not trained.",
        recommendation_ids=(make.recommendation(state="HTI").id,),
        theme_ids=(make.term(Theme).id,),
        support_kind_ids=(make.term(SupportKind).id,),
        language_ids=(make.term(Language, "en").id,),
        cost_min=10_000,
        cost_max=20_000,
        window_start=date(2027, 1, 1),
        window_end=date(2027, 6, 30),
        priority=2,
        visibility=kw.pop("visibility", Visibility.MEMBERS),
    )
    need = create_need(focal, data, publish=kw.pop("publish", True))
    db.session.commit()
    return need


def _notes(db, user):
    return db.session.scalars(sa.select(Notification).where(Notification.user_id == user.id)).all()


def test_filters_round_trip_and_junk_is_dropped():
    filters = NeedFilters(q="justice", theme_id=3, status=NeedStatus.OPEN)
    assert NeedFilters.from_json(filters.to_json()) == filters
    assert filters.query_args() == {"q": "justice", "theme": 3, "status": "open"}
    junk = {"q": 5, "theme_id": "3", "status": "nonsense", "state_id": True, "x": 1}
    assert NeedFilters.from_json(junk) == NeedFilters()
    assert NeedFilters.from_json(None) == NeedFilters()


def test_a_partner_saves_the_lists_search_under_a_name(make, login, db, partner):
    theme = make.term(Theme)
    client = login(partner)
    page = client.get(f"/needs/?q=justice&theme={theme.id}").get_data(as_text=True)
    assert 'action="/interests/searches"' in page and 'name="theme" value="' in page
    response = client.post(
        "/interests/searches", data={"name": " Justice  work ", "q": "justice", "theme": theme.id}
    )
    assert response.status_code == 302 and "q=justice" in response.location
    search = db.session.scalars(sa.select(SavedSearch)).one()
    assert search.name == "Justice work"
    assert search.filters == {"q": "justice", "theme_id": theme.id}
    again = client.post("/interests/searches", data={"name": "justice WORK"}, follow_redirects=True)
    assert "You already have a search with this name." in again.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SavedSearch)) == 1
    focal = login(make.user(role=Role.FOCAL_POINT))
    assert focal.post("/interests/searches", data={"name": "x"}).status_code == 403
    assert 'action="/interests/searches"' not in focal.get("/needs/").get_data(as_text=True)


def test_a_new_need_that_fits_alerts_once_and_masks_the_e_mail(make, db, partner, focal):
    fits = _search(db, partner, q="justice")
    _search(db, partner, name="Water", q="water")
    need = _publish(db, make, focal)
    notes = _notes(db, partner)
    assert len(notes) == 1
    assert notes[0].subject == "A new need fits your saved search “Justice”"
    # the title is one direction-isolated run (tamatch.i18n.content.isolated)
    body = notes[0].body.replace("\u2068", "").replace("\u2069", "")
    assert "the need “Tracking database for justice” of Haiti is open" in body
    assert notes[0].link == f"/needs/{need.id}"
    # The e-mail leaves the platform: it names no members-only need.
    mail = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.recipient == partner.email)
    ).one()
    assert "Tracking database" not in mail.body and "Haiti" not in mail.body
    alerts = db.session.scalars(sa.select(SearchAlert)).all()
    assert [(a.saved_search_id, a.need_id) for a in alerts] == [(fits.id, need.id)]
    # Withdrawn, back to a draft and published again: no second alert for the same search.
    for target in (NeedStatus.WITHDRAWN, NeedStatus.DRAFT, NeedStatus.OPEN):
        transition_need(focal, need, target)
    db.session.commit()
    assert len(_notes(db, partner)) == 1


def test_a_draft_alerts_when_it_is_published_not_before(make, db, partner, focal):
    _search(db, partner, q="justice")
    need = _publish(db, make, focal, publish=False)
    assert _notes(db, partner) == []
    transition_need(focal, need, NeedStatus.OPEN)
    db.session.commit()
    assert len(_notes(db, partner)) == 1


def test_a_confidential_need_never_alerts_a_partner_not_entitled(make, db, partner, focal):
    _search(db, partner, q="justice")
    _search(db, partner, name="Everything")
    _publish(db, make, focal, visibility=Visibility.CONFIDENTIAL)
    assert _notes(db, partner) == []
    assert db.session.scalars(sa.select(SearchAlert)).all() == []
    assert (
        db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.recipient == partner.email)
        ).all()
        == []
    )


def test_the_fit_is_the_lists_own_filters(make, db, partner, focal):
    other_theme = db.session.scalars(sa.select(Theme).order_by(Theme.id.desc())).first()
    _search(db, partner, name="Other theme", theme_id=other_theme.id)
    _search(db, partner, name="Fiji", state_id=make.state("FJI").id)
    _search(db, partner, name="Closed", status=NeedStatus.COMPLETED)
    _search(db, partner, name="Haiti", state_id=make.state("HTI").id)
    _publish(db, make, focal)
    assert [n.subject for n in _notes(db, partner)] == ["A new need fits your saved search “Haiti”"]


def test_a_digest_user_gets_it_in_the_digest(make, db, focal):
    reader = make.user(role=Role.PARTNER, email_digest=True)
    _search(db, reader, q="justice")
    _publish(db, make, focal)
    (note,) = _notes(db, reader)
    assert note.emailed_at is None  # the daily digest carries it
    assert (
        db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.recipient == reader.email)
        ).all()
        == []
    )


def test_an_inactive_owner_is_not_told(make, db, focal):
    reader = make.user(role=Role.PARTNER, active=False)
    _search(db, reader, q="justice")
    _publish(db, make, focal)
    assert _notes(db, reader) == []


def test_manage_rename_and_delete_with_confirmation(make, login, db, partner):
    search = _search(db, partner)
    search_id = search.id
    _search(db, partner, name="Water")
    client = login(partner)
    listing = client.get("/interests/searches").get_data(as_text=True)
    assert "Justice" in listing and "Water" in listing
    client.post(f"/interests/searches/{search.id}/rename", data={"name": "Access to justice"})
    taken = client.post(
        f"/interests/searches/{search.id}/rename", data={"name": "water"}, follow_redirects=True
    )
    assert "You already have a search with this name." in taken.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(SavedSearch, search.id).name == "Access to justice"
    confirm = client.get(f"/interests/searches/{search.id}/delete").get_data(as_text=True)
    assert "Delete the search “Access to justice”?" in confirm
    assert db.session.get(SavedSearch, search.id) is not None  # asking deletes nothing
    stranger = login(make.user(role=Role.PARTNER))
    assert stranger.post(f"/interests/searches/{search.id}/delete").status_code == 404
    assert (
        stranger.post(f"/interests/searches/{search.id}/rename", data={"name": "x"}).status_code
        == 404
    )
    assert client.post(f"/interests/searches/{search_id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(SavedSearch, search_id) is None


def test_no_saved_search_shows_an_empty_state(login, partner):
    page = login(partner).get("/interests/searches").get_data(as_text=True)
    assert "You have no saved search yet." in page


@pytest.fixture
def pseudo_french(app, tmp_path, fresh_template, monkeypatch):  # noqa: F811
    """French served from the pseudo-catalogue of a fresh extraction, so new messages count."""
    write_pseudo(fresh_template, tmp_path)
    (tmp_path / "en_XA").rename(tmp_path / "fr")
    monkeypatch.setattr(app.extensions["babel"], "translation_directories", [str(tmp_path)])
    return app


def test_the_alert_is_written_in_the_owners_language(pseudo_french, make, db, focal):
    reader = make.user(role=Role.PARTNER, locale="fr")
    english = make.user(role=Role.PARTNER)
    for user in (reader, english):
        _search(db, user, q="justice")
    _publish(db, make, focal)
    (french_note,) = _notes(db, reader)
    (english_note,) = _notes(db, english)
    assert english_note.subject == "A new need fits your saved search “Justice”"
    assert french_note.subject != english_note.subject
    assert "fits" not in french_note.subject and "Justice" in french_note.subject
    assert "is open" not in french_note.body
