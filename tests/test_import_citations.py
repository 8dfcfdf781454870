"""Importing recommendations as the UN cites them: symbols, paragraphs, positions and their
sources, and the response table (codes, the text as written, unknown values reported)."""

from pathlib import Path

import pytest
import sqlalchemy as sa

from tamatch.models import Recommendation, Response, Role
from tamatch.recommendations.import_formats import text_hash
from tamatch.recommendations.importing import import_recommendations
from tamatch.recommendations.responses import parse_response
from tamatch.seeding.recommendations import UPR_BODY, RecommendationSeed, insert_recommendations

FIXTURES = Path(__file__).parent / "fixtures" / "imports"


def _import(db, name: str, data: bytes | None = None):
    body = data if data is not None else (FIXTURES / name).read_bytes()
    report = import_recommendations([(name, body)])
    db.session.commit()
    return report


def _by_paragraph(db, paragraph: str) -> Recommendation:
    query = sa.select(Recommendation).where(Recommendation.paragraph == paragraph)
    return db.session.scalars(query).one()


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Supported", Response.SUPPORTED),
        ("Accepted", Response.SUPPORTED),
        ("ACCEPTED.", Response.SUPPORTED),
        ("Soutenue", Response.SUPPORTED),
        ("Acceptée", Response.SUPPORTED),
        ("Apoyada", Response.SUPPORTED),
        ("Noted", Response.NOTED),
        ("Prise en note", Response.NOTED),
        ("Supported/Noted", Response.PARTIALLY_SUPPORTED),
        ("Supported / Noted", Response.PARTIALLY_SUPPORTED),
        ("Partially supported", Response.PARTIALLY_SUPPORTED),
        ("Supported in part", Response.PARTIALLY_SUPPORTED),
        ("Rejected", Response.REJECTED),
        ("reject", Response.REJECTED),
        ("Not accepted", Response.REJECTED),
        ("Implemented", Response.IMPLEMENTED),
        ("Supported (already implemented)", Response.IMPLEMENTED),
        ("Pending", Response.PENDING),
        ("Deferred", Response.PENDING),
    ],
)
def test_response_table(value, code):
    parsed = parse_response(value)
    assert (parsed.code, parsed.text, parsed.unknown) == (code, value, False)


@pytest.mark.parametrize("value", ["Supported in principle", "Noted with reservations", "Yes"])
def test_a_value_the_table_does_not_list_gets_no_code(value):
    parsed = parse_response(value)
    assert (parsed.code, parsed.text, parsed.unknown) == (None, value, True)


@pytest.mark.parametrize("value", ["", "   ", None])
def test_an_empty_cell_is_no_response(value):
    parsed = parse_response(value)
    assert (parsed.code, parsed.text, parsed.unknown) == (None, None, False)


def test_responses_are_coded_kept_as_written_and_unknown_ones_reported_by_row(db):
    report = _import(db, "uhri_responses.csv")

    assert report.ok, report.errors
    assert report.created == 8
    coded = {
        "28.100": (Response.SUPPORTED, "Accepted"),
        "28.300": (Response.IMPLEMENTED, "Supported (already implemented)"),
        "28.35": (Response.REJECTED, "Rejected"),
        "28.34": (Response.IMPLEMENTED, "Implemented"),
        "28.308": (Response.PARTIALLY_SUPPORTED, "Partially supported"),
        "28.333": (Response.SUPPORTED, "Soutenue"),
        "28.319": (None, "Supported in principle"),
        "28.336": (None, None),
    }
    for paragraph, expected in coded.items():
        rec = _by_paragraph(db, paragraph)
        assert (rec.response, rec.response_text) == expected, paragraph
    assert [(w.row, w.column) for w in report.warnings] == [(8, "Position")]
    assert "Supported in principle" in report.warnings[0].reason
    assert report.unknown_responses == {"Supported in principle": 1}


def test_matrix_cells_give_the_report_symbol_paragraph_and_position_source(db):
    report = _import(db, "uhri_matrix_cells.csv")

    assert report.ok, report.errors
    moratorium = _by_paragraph(db, "28.164")
    assert (moratorium.document_symbol, moratorium.reference) == (
        "A/HRC/40/6",
        "A/HRC/40/6 para. 28.164",
    )
    assert moratorium.text.startswith("Take steps to establish a moratorium")
    assert moratorium.text.endswith("(Brazil);")  # the "Source of position" line is not text
    assert (moratorium.response, moratorium.response_source) == (
        Response.NOTED,
        "A/HRC/40/6/Add.1 - Para. 2",
    )
    assert moratorium.external_key == "uhri:A/HRC/40/6:28.164:CHN"
    egypt = _by_paragraph(db, "166.14")
    assert (egypt.state.iso3, egypt.document_symbol) == ("EGY", "A/HRC/28/16")
    assert (egypt.response, egypt.response_text) == (
        Response.PARTIALLY_SUPPORTED,
        "Supported/Noted",
    )
    assert egypt.response_source == "A/HRC/28/16/Add.1"


def test_a_source_of_position_column_gives_the_symbol(db):
    report = _import(db, "uhri_position_source.csv")

    assert report.ok, report.errors
    rec = _by_paragraph(db, "28.2")
    assert rec.reference == "A/HRC/40/6 para. 28.2"
    assert rec.response_source == "A/HRC/40/6/Add.1 - Para. 2"
    assert rec.body == UPR_BODY


def test_an_addendum_given_as_the_symbol_of_a_upr_row_is_the_position_source(db):
    data = (
        b"Country,Symbol,Paragraph,Recommendation,Position\n"
        b"China,A/HRC/40/6/Add.1,28.1,Strengthen its cooperation (Senegal);,Supported\n"
    )

    _import(db, "addendum.csv", data)

    rec = _by_paragraph(db, "28.1")
    assert (rec.document_symbol, rec.response_source) == ("A/HRC/40/6", "A/HRC/40/6/Add.1")


def test_rows_stored_before_position_sources_were_read_are_updated_not_added(db):
    """The importer used to key such rows by their text: importing the file again finds them."""
    cell = (FIXTURES / "uhri_matrix_cells.csv").read_text(encoding="utf-8")
    first_text = cell.split('"')[1]
    old_key = f"uhri:{text_hash(first_text)}:CHN"
    seed = RecommendationSeed(old_key, "CHN", "UPR", UPR_BODY, first_text, Response.NOTED)
    insert_recommendations([seed])
    db.session.commit()

    report = _import(db, "uhri_matrix_cells.csv")

    assert (report.created, report.updated) == (2, 1)
    rec = _by_paragraph(db, "28.164")
    assert rec.external_key == "uhri:A/HRC/40/6:28.164:CHN"
    count = sa.select(sa.func.count()).select_from(Recommendation)
    assert db.session.scalar(count) == 3
    again = _import(db, "uhri_matrix_cells.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_detail_page_cites_the_document_and_the_position(client, db):
    _import(db, "uhri_matrix_cells.csv")
    rec = _by_paragraph(db, "166.14")

    html = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)

    assert "A/HRC/28/16 para. 166.14" in html
    assert "Partially supported" in html and "as written: Supported/Noted" in html
    assert "Source of position: A/HRC/28/16/Add.1" in html
    assert "Universal Periodic Review para." not in html


def test_upload_lists_the_rows_to_check(make, login, db):
    from tests.import_support import upload_and_import

    browser = login(make.user(role=Role.ORGANISER))
    body = (FIXTURES / "uhri_responses.csv").read_bytes()

    response = upload_and_import(browser, "responses.csv", body)

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "8 recommendations created" in html
    assert "Rows imported as written, to check" in html
    assert "<td>8</td><td>Position</td>" in html
