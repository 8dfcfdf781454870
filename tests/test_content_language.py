"""Texts stay in the language they were written in, marked with it (issue 13 item 6)."""

from pathlib import Path

import pytest
import sqlalchemy as sa

from tamatch.models import (
    Language,
    Need,
    Recommendation,
    RecommendationText,
    Role,
    SupportKind,
    Theme,
)
from tamatch.recommendations.importing import import_recommendations

pytestmark = pytest.mark.usefixtures("no_csrf")
FIXTURES = Path(__file__).parent / "fixtures" / "imports"
FRENCH_TEXT = "Prendre de nouvelles mesures en vue de la ratification"


def _need_form(make, rec, **overrides):
    data = {
        "title": "Renforcer le mécanisme national de suivi",
        "gap": "Notre mécanisme national manque d'une base de données de suivi.",
        "recommendation_ids": [rec.id],
        "theme_ids": [make.term(Theme).id],
        "support_kind_ids": [make.term(SupportKind).id],
        "language_ids": [make.term(Language, "fr").id],
        "cost_min": "20000",
        "cost_max": "50000",
        "window_start": "2027-01-01",
        "window_end": "2027-03-31",
        "priority": "2",
        "visibility": "members",
        "publish": "Publish",
    }
    data.update(overrides)
    return data


def test_a_need_is_stored_in_the_language_its_author_writes_in(make, login, db):
    focal = make.user(role=Role.FOCAL_POINT, state="HTI", locale="fr")
    rec = make.recommendation(state="HTI")
    client = login(focal)
    form = client.get("/needs/new").get_data(as_text=True)
    assert 'name="text_locale"' in form
    assert '<option selected value="fr">' in form or 'value="fr" selected' in form

    assert (
        client.post("/needs/new", data=_need_form(make, rec, text_locale="fr")).status_code == 302
    )
    need = db.session.scalar(sa.select(Need))
    assert need.text_locale == "fr"

    reader = login(make.user(role=Role.PARTNER, locale="en"))
    page = reader.get(f"/needs/{need.id}").get_data(as_text=True)
    assert '<p class="pre-line" dir="auto" lang="fr">Notre mécanisme' in page
    assert "Written in French" in page
    # A French reader is not told that a French text is in French.
    french = login(make.user(role=Role.PARTNER, locale="fr")).get(f"/needs/{need.id}")
    assert 'lang="fr">Notre mécanisme' in french.get_data(as_text=True)
    assert "Written in French" not in french.get_data(as_text=True)


def test_an_unknown_language_re_renders_the_form(make, login, db):
    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    rec = make.recommendation(state="HTI")
    response = login(focal).post("/needs/new", data=_need_form(make, rec, text_locale="xx"))
    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Need)) == 0


def test_editing_without_saying_the_language_keeps_it(make, db):
    from tamatch.needs.services import NeedData, update_need

    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    need = make.need(state="HTI", text_locale="es")
    data = NeedData(
        title="Otro título",
        gap=need.gap,
        recommendation_ids=tuple(r.id for r in need.recommendations),
        theme_ids=tuple(t.id for t in need.themes),
        support_kind_ids=tuple(k.id for k in need.support_kinds),
        language_ids=tuple(x.id for x in need.languages),
        cost_min=need.cost_min,
        cost_max=need.cost_max,
        window_start=need.window_start,
        window_end=need.window_end,
        priority=need.priority,
        visibility=need.visibility,
    )
    update_need(focal, need, data)
    assert need.text_locale == "es"


def _import(db, name, language=None):
    data = (FIXTURES / name).read_bytes()
    report = import_recommendations([(name, data)], "auto", language=language)
    db.session.commit()
    return report


def test_the_french_export_of_a_held_report_adds_the_french_text(db):
    assert _import(db, "uhri_slovenia.csv", language="en").ok
    rec = db.session.scalars(
        sa.select(Recommendation).where(Recommendation.paragraph == "115.1")
    ).one()
    english = rec.text

    report = _import(db, "uhri_slovenia_fr.csv", language="fr")
    assert report.ok and (report.created, report.updated, report.translated) == (0, 0, 1)
    assert "1 texts added in another language" in report.summary()
    db.session.refresh(rec)
    assert (rec.text, rec.text_locale) == (english, "en")
    assert [(v.locale, v.text[:54]) for v in rec.translations] == [("fr", FRENCH_TEXT)]
    # Importing it again changes nothing.
    assert _import(db, "uhri_slovenia_fr.csv", language="fr").translated == 0


def test_a_text_of_unknown_language_is_never_overwritten_by_another(db):
    assert _import(db, "uhri_slovenia.csv").ok  # the language not said: kept as NULL
    rec = db.session.scalars(
        sa.select(Recommendation).where(Recommendation.paragraph == "115.1")
    ).one()
    english = rec.text
    assert rec.text_locale is None
    assert _import(db, "uhri_slovenia_fr.csv", language="fr").translated == 1
    db.session.refresh(rec)
    assert rec.text == english
    assert db.session.scalar(sa.select(RecommendationText.locale)) == "fr"


def test_each_reader_sees_the_text_in_their_language_where_the_source_has_it(db, make, login):
    _import(db, "uhri_slovenia.csv", language="en")
    _import(db, "uhri_slovenia_fr.csv", language="fr")
    rec = db.session.scalars(
        sa.select(Recommendation).where(Recommendation.paragraph == "115.1")
    ).one()

    french = login(make.user(role=Role.PARTNER, locale="fr")).get(f"/recommendations/{rec.id}")
    page = french.get_data(as_text=True)
    assert f'dir="auto" lang="fr">{FRENCH_TEXT}' in page
    listing = login(make.user(role=Role.PARTNER, locale="fr")).get("/recommendations/?state=")
    assert FRENCH_TEXT in listing.get_data(as_text=True)

    english = login(make.user(role=Role.PARTNER, locale="en")).get(f"/recommendations/{rec.id}")
    page = english.get_data(as_text=True)
    assert f'dir="auto" lang="en">{rec.text[:30]}' in page
    assert "The text in the other languages of the source" in page  # the French one, below
    # Spanish readers get the original, marked as English.
    spanish = login(make.user(role=Role.PARTNER, locale="es")).get(f"/recommendations/{rec.id}")
    assert 'lang="en"' in spanish.get_data(as_text=True)


def test_the_cli_refuses_an_unknown_language(runner, tmp_path):
    path = FIXTURES / "uhri_slovenia_fr.csv"
    result = runner.invoke(args=["recommendations", "import", str(path), "--language", "xx"])
    assert result.exit_code != 0
    assert "'xx' is not one of" in result.output


def test_comments_carry_their_authors_language(db, make):
    from flask_babel import force_locale

    from tamatch.i18n.content import author_language

    with force_locale("ar"):
        assert author_language(None) == "ar"
    with force_locale("fr"):
        assert author_language("es") == "es"
        assert author_language("xx") == "fr"


def test_the_api_gives_and_takes_the_language(make, token_for, app, db):
    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    need = make.need(state="HTI", text_locale="fr")
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token_for(focal)}"}
    body = client.get(f"/api/v1/needs/{need.id}", headers=headers).get_json()
    assert body["text_locale"] == "fr"
    bad = client.patch(f"/api/v1/needs/{need.id}", json={"text_locale": "xx"}, headers=headers)
    assert bad.status_code in (400, 422)
    good = client.patch(f"/api/v1/needs/{need.id}", json={"text_locale": "es"}, headers=headers)
    assert good.status_code == 200, good.get_json()
    assert good.get_json()["text_locale"] == "es"
