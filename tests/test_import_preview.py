"""The import a person can steer: a preview before anything is written, the columns chosen by
the person, the file kept server-side between preview and import (issue 12 item 7)."""

import os
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from tamatch.models import Recommendation, Role
from tamatch.recommendations import import_store
from tests.i18n_support import fresh_template  # noqa: F401 - a fixture
from tests.import_support import form_values, preview_url, upload, upload_and_import
from tests.test_pseudo_locale import pseudo_app  # noqa: F401 - a fixture

FIXTURES = Path(__file__).parent / "fixtures" / "imports"


def _count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Recommendation))


def _fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture
def organiser(make, login):
    return login(make.user(role=Role.ORGANISER))


def test_the_preview_shows_format_columns_and_first_rows_and_writes_nothing(organiser, db):
    url = preview_url(upload(organiser, "sessions.csv", _fixture("upr_info_utf8.csv")))

    page = organiser.get(url)

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "UPR Info database export" in html  # the format found
    values = form_values(html)
    assert (values["col_state"], values["col_text"], values["col_recommending"]) == ("0", "3", "4")
    assert "A: To" in html and "D: Text" in html  # the columns, as a spreadsheet names them
    assert "<strong>Recommending State(s)</strong>" in html  # what column E is read as
    assert "not read" in html  # To-Rgrp, Action, ...
    assert "Adopt measures to improve prison conditions" in html  # a row as it will be stored
    assert "The file gives 8 recommendations." in html
    assert _count(db) == 0


def test_confirming_imports_without_sending_the_file_again(organiser, db):
    response = upload_and_import(organiser, "sessions.csv", _fixture("upr_info_utf8.csv"))

    html = response.get_data(as_text=True)
    assert response.status_code == 200, html[:3000]
    assert "8 recommendations created" in html
    assert _count(db) == 8


def test_renaming_only_the_text_column_keeps_the_other_columns_where_they_are(organiser, db):
    """The recommending States ("From") are never read as the State under review ("To")."""
    data = _fixture("upr_info_utf8.csv").replace(b",Text,", b",Empfehlung,", 1)
    url = preview_url(upload(organiser, "renamed.csv", data))

    page = organiser.get(url)
    html = page.get_data(as_text=True)
    values = form_values(html)
    assert "UPR Info database export" in html
    assert (values["col_state"], values["col_recommending"], values["col_text"]) == ("0", "4", "")

    refused = organiser.post(url, data=values | {"confirm": "Import"})
    assert refused.status_code == 422
    assert "Choose the column that holds it." in refused.get_data(as_text=True)
    assert _count(db) == 0

    done = organiser.post(url, data=values | {"col_text": "3", "confirm": "Import"})
    assert "8 recommendations created" in done.get_data(as_text=True)
    prisons = db.session.scalars(
        sa.select(Recommendation).where(Recommendation.text.contains("prison conditions"))
    ).one()
    assert prisons.state.iso3 == "ARG"
    assert {s.iso3 for s in prisons.recommending_states} == {"CAN", "DEU", "SVN"}


def test_one_column_for_two_fields_is_refused_under_the_field(organiser, db):
    url = preview_url(upload(organiser, "sessions.csv", _fixture("upr_info_utf8.csv")))
    values = form_values(organiser.get(url).get_data(as_text=True))

    response = organiser.post(url, data=values | {"col_recommending": "0", "confirm": "Import"})

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This column is already chosen for" in html and "State under review" in html
    assert _count(db) == 0


def test_choices_survive_a_bad_row_and_the_file_waits_for_another_try(organiser, db):
    url = preview_url(upload(organiser, "bad.csv", _fixture("upr_info_bad.csv"), language="en"))
    values = form_values(organiser.get(url).get_data(as_text=True))
    assert values["language"] == "en"

    response = organiser.post(url, data=values | {"confirm": "Import"})

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "3 bad rows: nothing was imported." in html
    assert "Unknown State: Atlantis" in html
    assert form_values(html)["language"] == "en"
    assert organiser.get(url).status_code == 200  # still there
    assert _count(db) == 0


def test_a_corrected_column_is_remembered_by_the_preview(organiser, db):
    data = _fixture("upr_info_utf8.csv").replace(b",Text,", b",Empfehlung,", 1)
    url = preview_url(upload(organiser, "renamed.csv", data))
    values = form_values(organiser.get(url).get_data(as_text=True))

    shown = organiser.post(url, data=values | {"col_text": "3", "preview": "Show"})

    assert shown.status_code == 200
    assert "Adopt measures to improve prison conditions" in shown.get_data(as_text=True)
    assert form_values(organiser.get(url).get_data(as_text=True))["col_text"] == "3"
    assert _count(db) == 0


def test_choosing_another_format_reads_its_columns_from_the_headers(organiser, db):
    url = preview_url(upload(organiser, "sessions.csv", _fixture("upr_info_utf8.csv")))
    values = form_values(organiser.get(url).get_data(as_text=True))

    shown = organiser.post(url, data=values | {"fmt": "uhri", "preview": "Show"})

    html = shown.get_data(as_text=True)
    assert shown.status_code == 200
    assert form_values(html)["mapped_fmt"] == "uhri"
    assert 'name="col_issues"' not in html and 'name="col_symbol"' in html
    assert _count(db) == 0


def test_a_word_file_is_refused_on_the_upload_page_with_one_message(organiser, db):
    response = upload(organiser, "matrix.xlsx", _fixture("thematic_list_slovenia.docx"))

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This is a Word document: save the table as CSV or XLSX and upload that." in html
    assert "bad row" not in html
    assert _count(db) == 0


def test_a_matrix_preview_shows_what_its_headings_say(organiser, db):
    url = preview_url(upload(organiser, "china.xlsx", _fixture("ohchr_matrix_china.xlsx")))

    html = organiser.get(url).get_data(as_text=True)

    assert "OHCHR thematic list of UPR recommendations" in html
    assert "UPR of China (3rd Cycle" in html and "A/HRC/40/6" in html
    assert "China" in html and "Honduras" in html


def test_encoding_damage_is_listed_on_the_preview(organiser, db):
    url = preview_url(upload(organiser, "damaged.csv", _fixture("upr_info_mojibake.csv")))

    html = organiser.get(url).get_data(as_text=True)

    assert "Rows to check (they will be imported as written)" in html
    assert "SolicitorÍs" in html and "looks like encoding damage" in html


def test_cancel_forgets_the_file(organiser, db):
    url = preview_url(upload(organiser, "sessions.csv", _fixture("upr_info_utf8.csv")))
    values = form_values(organiser.get(url).get_data(as_text=True))

    response = organiser.post(url, data=values | {"cancel": "Cancel"})

    assert response.status_code == 302
    gone = organiser.get(url, follow_redirects=True)
    assert "upload the file again" in gone.get_data(as_text=True)
    assert _count(db) == 0


def test_another_user_cannot_see_or_import_the_file(make, login, organiser, db):
    url = preview_url(upload(organiser, "sessions.csv", _fixture("upr_info_utf8.csv")))
    other = login(make.user(role=Role.ADMIN))

    assert other.get(url).headers["Location"].endswith("/recommendations/import")
    assert other.post(url, data={"confirm": "Import"}).status_code in {302, 400}
    assert organiser.get(url).status_code == 200  # still the uploader's
    assert _count(db) == 0


@pytest.mark.parametrize("token", ["../../etc/passwd", "..%2F..%2Fx", "a" * 31, "a/" + "b" * 30])
def test_tokens_that_are_not_ours_find_nothing(organiser, token):
    response = organiser.get(f"/recommendations/import/{token}")
    assert response.status_code in {302, 404}  # the upload page, or no such route
    assert response.status_code == 404 or response.headers["Location"].endswith("/import")


def test_the_store_forgets_expired_files_and_keeps_a_few_per_user(app, monkeypatch):
    with app.test_request_context():
        monkeypatch.setitem(app.config, "IMPORT_UPLOADS_PER_USER", 2)
        tokens = [import_store.put(7, f"f{i}.csv", b"To,Text\n") for i in range(3)]
        assert import_store.get(7, tokens[0]) is None  # made way for the newer ones
        assert import_store.get(7, tokens[2]).data == b"To,Text\n"
        assert import_store.get(8, tokens[2]) is None  # another user's
        three_hours_ago = time.time() - 3 * 3600
        for path in import_store._folder(7).glob(f"{tokens[2]}.*"):
            os.utime(path, (three_hours_ago, three_hours_ago))
        assert import_store.get(7, tokens[2]) is None  # expired (2 hours by default)
        old = import_store.put(9, "old.csv", b"x")
        for path in import_store._folder(9).glob(f"{old}.*"):
            os.utime(path, (three_hours_ago, three_hours_ago))
        import_store.put(10, "new.csv", b"y")  # sweeps the other users' expired files
        assert not list(import_store._folder(9).glob(f"{old}.*"))


def test_the_preview_and_the_report_are_translated(pseudo_app, make, db):  # noqa: F811
    """Every word the import pages add to the file's own content goes through the catalogue
    (the pseudo-locale accents every translated letter)."""
    from tamatch.i18n.locales import LOCALE_NAMES, SESSION_KEY
    from tamatch.recommendations.import_formats import read_table
    from tests.test_pseudo_locale import PROPER, WORD, _babel_words, _content_words, _escaped

    browser = pseudo_app.test_client(user=make.user(role=Role.ORGANISER))
    with browser.session_transaction() as session:
        session[SESSION_KEY] = "en-XA"
    names = ("upr_info_mojibake.csv", "ohchr_matrix_china.xlsx", "upr_info_bad.csv")
    for name in names:
        data = _fixture(name)
        url = preview_url(upload(browser, name, data))
        pages = [browser.get(url)]
        values = form_values(pages[0].get_data(as_text=True))
        pages.append(browser.post(url, data=values | {"col_text": "", "preview": "x"}))
        pages.append(browser.post(url, data=values | {"confirm": "x"}))
        table = read_table(data)  # the file's own words are content
        cells = [c for _number, row in table.rows for c in row]
        text = " ".join([*table.headings, *table.headers, *cells])
        allowed = _content_words(db) | _babel_words() | PROPER | set(WORD.findall(text))
        allowed |= {w for language in LOCALE_NAMES.values() for w in WORD.findall(language)}
        allowed |= {"xlsx", "utf", "sig", *WORD.findall(name)}  # the encoding, the file's name
        allowed |= {chr(c) for c in range(65, 91)}  # the columns' letters
        for page in pages:
            escaped = _escaped(page.get_data(as_text=True), allowed)
            assert not escaped, (name, page.status_code, sorted(escaped.items()))


def test_the_command_can_check_only_and_be_told_a_column(runner, db, tmp_path):
    renamed = tmp_path / "renamed.csv"
    renamed.write_bytes(_fixture("upr_info_utf8.csv").replace(b",Text,", b",Empfehlung,", 1))
    command = ["recommendations", "import", str(renamed)]

    missing = runner.invoke(args=command)
    assert missing.exit_code == 1 and "This column is missing." in missing.output

    checked = runner.invoke(args=[*command, "--column", "text=D", "--check"])
    assert checked.exit_code == 0, checked.output
    assert "UPR Info database export" in checked.output and "row 2: ARG" in checked.output
    assert "8 recommendations from 13 rows; 0 bad row(s); nothing was written." in checked.output
    assert _count(db) == 0

    done = runner.invoke(args=[*command, "--column", "text=Empfehlung"])
    assert done.exit_code == 0, done.output
    assert "8 recommendations created" in done.output

    unknown = runner.invoke(args=[*command, "--column", "txt=D"])
    assert unknown.exit_code == 2 and "FIELD=COLUMN" in unknown.output


def test_importing_the_same_file_again_through_the_preview_adds_nothing(organiser, db):
    upload_and_import(organiser, "sessions.csv", _fixture("upr_info_utf8.csv"))

    again = upload_and_import(organiser, "sessions.csv", _fixture("upr_info_macroman.csv"))

    assert "0 recommendations created, 0 updated, 8 unchanged" in again.get_data(as_text=True)
    assert _count(db) == 8
