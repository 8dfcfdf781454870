"""The six UN languages: which one a page speaks, the switcher, right to left, names, e-mails."""

import re
from datetime import date

import pytest
import sqlalchemy as sa
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from tamatch.auth.services import InvitationData, invite_user
from tamatch.i18n.locales import LOCALES
from tamatch.models import Notification, OutboxMessage, Role, State, User
from tests.factories import PASSWORD

HTML_TAG = re.compile(r'<html lang="([^"]+)" dir="([^"]+)">')


def _lang_dir(response) -> tuple[str, str]:
    match = HTML_TAG.search(response.get_data(as_text=True))
    assert match, "no <html lang dir>"
    return match.group(1), match.group(2)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, ("en", "ltr")),
        ("fr-CH, fr;q=0.9, en;q=0.8", ("fr", "ltr")),
        ("zh-CN,zh;q=0.9", ("zh", "ltr")),
        ("es-419", ("es", "ltr")),
        ("ru", ("ru", "ltr")),
        ("ar-EG,ar;q=0.9", ("ar", "rtl")),
        ("de-DE, de;q=0.9", ("en", "ltr")),  # not a UN language: English
    ],
)
def test_the_browser_preference_decides_without_a_choice(client, header, expected):
    headers = {"Accept-Language": header} if header else {}
    assert _lang_dir(client.get("/auth/login", headers=headers)) == expected


def test_arabic_pages_load_the_local_right_to_left_bootstrap(client, app):
    body = client.get("/auth/login", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert "bootstrap-rtl/bootstrap.rtl.min.css" in body
    assert "bootstrap.min.css" not in body.replace("bootstrap.rtl.min.css", "")
    assert "cdn" not in body.lower()
    css = client.get("/static/bootstrap-rtl/bootstrap.rtl.min.css")
    assert css.status_code == 200 and b"Bootstrap  v5.3.8" in css.data
    css.close()
    english = client.get("/auth/login").get_data(as_text=True)
    assert "bootstrap.rtl.min.css" not in english


def test_the_switcher_is_on_every_page_signed_out_with_the_six_languages(client):
    body = client.get("/auth/login").get_data(as_text=True)
    form = re.search(r'<form[^>]+action="/language".*?</form>', body, re.S)
    assert form, "no language switcher"
    codes = re.findall(r'<option value="([^"]+)"', form.group())
    assert [c for c in codes if c in LOCALES] == list(LOCALES)
    assert 'name="csrf_token"' in form.group() and "<button" in form.group()
    assert client.get("/no-such-page").get_data(as_text=True).count('action="/language"') == 1


def test_a_signed_out_choice_beats_the_browser_and_goes_back(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    response = client.post("/language", data={"locale": "es", "next": "/auth/login?x=1"})
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login?x=1"
    page = client.get("/auth/login", headers={"Accept-Language": "fr"})
    assert _lang_dir(page) == ("es", "ltr")


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "", None])
def test_the_switcher_never_sends_anyone_off_site(client, app, monkeypatch, target):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    data = {"locale": "fr"} | ({"next": target} if target is not None else {})
    assert client.post("/language", data=data).headers["Location"] == "/"


@pytest.mark.parametrize("code", ["de", "", "en_XA", "xx"])
def test_the_switcher_refuses_what_is_not_offered(client, app, monkeypatch, code):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    assert client.post("/language", data={"locale": code}).status_code == 400


def test_the_switcher_needs_the_csrf_token(client):
    assert client.post("/language", data={"locale": "fr"}).status_code == 400


def test_the_account_choice_beats_the_browser_and_is_saved(app, db, make, login, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    user = make.user()
    client = login(user)
    assert _lang_dir(client.get("/", headers={"Accept-Language": "fr"})) == ("fr", "ltr")
    client.post("/language", data={"locale": "ar", "next": "/"})
    db.session.expire_all()
    assert db.session.get(User, user.id).locale == "ar"
    assert _lang_dir(client.get("/", headers={"Accept-Language": "fr"})) == ("ar", "rtl")
    # a new session (another browser) of the same account speaks the account's language
    other = login(db.session.get(User, user.id))
    assert _lang_dir(other.get("/", headers={"Accept-Language": "zh"})) == ("ar", "rtl")


def test_the_pseudo_locale_stays_in_the_session(app, db, make, login, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    user = make.user(locale="ru")
    client = login(user)
    client.post("/language", data={"locale": "en-XA"})
    db.session.expire_all()
    assert db.session.get(User, user.id).locale == "ru"
    monkeypatch.setitem(app.config, "PSEUDO_LOCALE", False)
    assert client.post("/language", data={"locale": "en-XA"}).status_code == 400
    assert "en-XA" not in client.get("/").get_data(as_text=True)


def test_the_database_keeps_the_account_language_to_the_six(db, make):
    user = make.user()
    db.session.commit()
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(sa.update(User).where(User.id == user.id).values(locale="de"))
        db.session.flush()
    db.session.rollback()


def test_dates_and_money_follow_the_locale(app):
    from tamatch.templating import money

    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert format_date(date(2026, 12, 2)) == "2 déc. 2026"
        assert money(70000) == "70\u202f000\xa0$US"
    with app.test_request_context():
        assert money(70000) == "US$70,000"


@pytest.mark.parametrize(
    ("language", "name"),
    [("en", "Haiti"), ("fr", "Haïti"), ("es", "Haití"), ("ru", "Гаити"), ("zh", "海地"),
     ("ar", "هايتي")],
)  # fmt: skip
def test_state_names_are_shown_in_the_readers_language(client, language, name):
    body = client.get("/states/HTI", headers={"Accept-Language": language}).get_data(as_text=True)
    assert f"<h1>{name}</h1>" in body


def test_every_state_has_a_name_in_each_language(db):
    from tamatch.i18n.names import state_name_in

    states = db.session.scalars(sa.select(State)).all()
    assert len(states) == 195  # 193 member States and 2 observer States
    for state in states:
        for language in LOCALES:
            name = state_name_in(state.iso3, language)
            assert name and not name.endswith(("(la)", "(le)", "(el)", "(the)")), (state, name)
            assert not name.endswith("*"), (state, name)  # UNTERM's mark of non-members


def test_state_choices_are_named_and_sorted_in_the_readers_language(app, db):
    from tamatch.forms import state_choices

    with app.test_request_context(headers={"Accept-Language": "fr"}):
        names = [name for _id, name in state_choices()]
    assert "Allemagne" in names and "Germany" not in names
    assert names == sorted(names, key=str.casefold)


def _catalogue(tmp_path, locale: str, messages: dict[str, str]):
    catalog = Catalog(locale=locale)
    for msgid, msgstr in messages.items():
        catalog.add(msgid, msgstr)
    folder = tmp_path / locale / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.mo").open("wb") as file:
        write_mo(file, catalog)


def test_notifications_and_e_mails_speak_each_recipients_language(
    app, db, make, tmp_path, monkeypatch
):
    from tamatch.notifications.services import notify

    _catalogue(tmp_path, "fr", {"Hello %(name)s": "Bonjour %(name)s", "Soon": "Bientôt"})
    monkeypatch.setattr(app.extensions["babel"], "translation_directories", [str(tmp_path)])
    french, english = make.user(locale="fr"), make.user()
    with app.test_request_context(headers={"Accept-Language": "ar"}):  # the sender's language
        notify([french, english], _l("Soon"), _l("Hello %(name)s", name="Ana"), "/x")
    subjects = dict(db.session.execute(sa.select(Notification.user_id, Notification.subject)).all())
    assert subjects == {french.id: "Bientôt", english.id: "Soon"}
    mails = dict(db.session.execute(sa.select(OutboxMessage.recipient, OutboxMessage.body)).all())
    link = "https://tamatch.test/x"  # absolute, on PUBLIC_BASE_URL
    assert mails == {french.email: f"Bonjour Ana\n\n{link}", english.email: f"Hello Ana\n\n{link}"}


def test_charts_are_mirrored_for_right_to_left_readers(app):
    from tamatch.charts import Series, bar_chart

    def chart():
        return str(bar_chart("c", "T", categories=["Haïti"], series=Series("Needs", (3.0,))))

    with app.test_request_context(headers={"Accept-Language": "ar"}):
        mirrored = chart()
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        plain = chart()
    assert '<g transform="matrix(-1 0 0 1 640 0)">' in mirrored
    texts = re.findall(r"<text [^>]*>", mirrored)
    assert texts and all('transform="scale(-1,1)" direction="rtl"' in t for t in texts)
    assert "matrix(-1" not in plain and "scale(-1,1)" not in plain
    # the label at x=L in the plain chart sits at -L, i.e. at 640-L once mirrored
    x_plain = float(re.search(r'<text x="([\d.]+)"[^>]*>Haïti', plain).group(1))
    x_rtl = float(re.search(r'<text x="(-[\d.]+)"[^>]*>Haïti', mirrored).group(1))
    assert x_rtl == -x_plain


def test_form_validation_messages_come_in_the_readers_language(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    headers = {"Accept-Language": "fr"}
    body = client.post("/auth/login", data={}, headers=headers).get_data(as_text=True)
    assert "Ce champ est requis." in body and "This field is required." not in body


def test_exports_name_states_in_the_readers_language(client, make, db):
    make.recommendation(state="HTI", text="Establish a national tracking database.")
    db.session.commit()
    french = client.get("/recommendations/export.csv", headers={"Accept-Language": "fr"})
    english = client.get("/recommendations/export.csv")
    assert "Haïti" in french.get_data(as_text=True)
    assert "Haïti" not in english.get_data(as_text=True)


def test_signing_in_keeps_the_language_chosen_signed_out(app, db, make, monkeypatch):
    """The session is renewed at sign-in; the language its reader chose survives it."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    user = make.user(email="reader@gov.example")
    client = app.test_client()
    client.post("/language", data={"locale": "ar", "next": "/auth/login"})
    client.post("/auth/login", data={"email": "reader@gov.example", "password": PASSWORD})
    assert _lang_dir(client.get("/", headers={"Accept-Language": "en"})) == ("ar", "rtl")
    db.session.expire_all()
    assert db.session.get(User, user.id).locale is None  # a signed-out choice, not the account's


def test_an_invitation_accepted_in_a_language_gives_the_account_that_language(
    app, db, make, monkeypatch
):
    """Notifications and e-mails speak the account's language: the new account takes the
    language its owner read the invitation in (the browser's, here), unless it has one."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    admin = make.user(role=Role.ADMIN)
    data = {"name": "Li Wei", "password": "a-good-long-password", "confirm": "a-good-long-password"}
    accounts = {}
    for email, locale in (("new@gov.example", None), ("chosen@gov.example", "ru")):
        user, token = invite_user(
            admin,
            InvitationData(
                email=email, name="Li", role=Role.FOCAL_POINT, state_id=make.state("CHN").id
            ),
        )
        user.locale = locale
        db.session.commit()
        client = app.test_client()
        client.post(f"/auth/invitation/{token}", data=data, headers={"Accept-Language": "zh-CN"})
        accounts[email] = user.id
    db.session.expire_all()
    assert db.session.get(User, accounts["new@gov.example"]).locale == "zh"
    assert db.session.get(User, accounts["chosen@gov.example"]).locale == "ru"
