"""Files a person may upload: Word, PDF and other non-tables, encoding damage, OHCHR matrices."""

import io
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from tamatch.models import Recommendation, Response
from tamatch.recommendations.import_sniff import document_kind, encoding_damage, repaired
from tamatch.recommendations.importing import import_recommendations

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _import(db, name: str, data: bytes | None = None, fmt: str = "auto"):
    body = data if data is not None else (FIXTURES / name).read_bytes()
    report = import_recommendations([(name, body)], fmt)
    db.session.commit()
    return report


def _count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Recommendation))


def _by_paragraph(db, paragraph: str) -> Recommendation:
    query = sa.select(Recommendation).where(Recommendation.paragraph == paragraph)
    return db.session.scalars(query).one()


def _ole2(stream: str) -> bytes:
    """The start of a Word or Excel 97-2003 file: the OLE2 signature, then its directory with
    the main stream's name in UTF-16 (as in a real .doc or .xls)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    return header + "Root Entry".encode("utf-16-le") + b"\x00" * 54 + stream.encode("utf-16-le")


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("thematic_list_slovenia.docx", None, "This is a Word document: save the table as CSV"),
        # The extension does not decide: a Word document renamed .xlsx is still one.
        ("renamed.xlsx", (FIXTURES / "thematic_list_slovenia.docx").read_bytes(), "Word"),
        ("old.doc", _ole2("WordDocument"), "This is a Word document"),
        ("old.xls", _ole2("Workbook"), "Excel 97-2003 workbook"),
        ("report.pdf", PDF, "This is a PDF document"),
        ("scan.png", PNG, "This is an image"),
        ("table.ods", None, "OpenDocument spreadsheet"),
        ("files.zip", _zip("a.csv", "b.csv"), "ZIP archive"),
        ("page.csv", b"<!DOCTYPE html><html><table></table></html>", "web page"),
    ],
)
def test_a_file_that_is_not_a_table_gets_one_clear_message(db, name, data, words):
    if name == "table.ods":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
            archive.writestr("content.xml", "<x/>")
        data = buffer.getvalue()

    report = _import(db, name, data)

    assert [(e.row, e.column) for e in report.errors] == [(1, "")]
    assert words in report.errors[0].reason
    assert "workbook part" not in report.errors[0].reason
    assert report.error_count == 1 and _count(db) == 0


def test_tables_are_not_taken_for_documents():
    assert document_kind((FIXTURES / "uhri_slovenia.xlsx").read_bytes()) is None
    assert document_kind((FIXTURES / "upr_info_macroman.csv").read_bytes()) is None
    assert document_kind("To,Text\n".encode("utf-16")) is None


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("to bring Mr. HissÃ¨ne HabrÃ© to justice", "to bring Mr. HissÃ¨ne HabrÃ© to justice"),
        ("the staffing of the Public SolicitorÍs Offices", "Public SolicitorÍs Offices"),
        ("(Lao Peopleâ€™s Democratic Republic)", "(Lao Peopleâ€™s Democratic Republic)"),
        ("a caf\ufffd in town", "a caf\ufffd in town"),
        ("Hissène Habré, C\u00f4te d\u2019Ivoire, São Tomé, Türkiye, ÉCOLE, Åland", None),
    ],
)
def test_encoding_damage_is_found(text, found):
    assert encoding_damage(text) == found


def test_damage_from_utf8_read_as_windows_1252_can_be_undone_exactly():
    assert repaired("HissÃ¨ne HabrÃ©") == "Hissène Habré"
    assert repaired("SolicitorÍs") is None  # no exact way back: only a warning


def test_mis_encoded_cells_are_imported_as_written_with_a_warning_each(db):
    report = _import(db, "upr_info_mojibake.csv")

    assert report.ok, report.errors
    assert report.created == 3 and report.damaged_cells == 2
    assert [(w.row, w.column) for w in report.warnings] == [(2, "Text"), (4, "Text")]
    assert "HissÃ¨ne" in report.warnings[0].reason and "Hissène" in report.warnings[0].reason
    assert "SolicitorÍs" in report.warnings[1].reason
    stored = db.session.scalars(sa.select(Recommendation.text)).all()
    assert any("SolicitorÍs" in text for text in stored)  # not "fixed" silently


@pytest.mark.parametrize("name", ["ohchr_matrix_china.xlsx", "ohchr_matrix_china.csv"])
def test_ohchr_matrix_saved_as_a_table(db, name):
    report = _import(db, name)

    assert report.ok, report.errors
    assert report.formats == ["ohchr-matrix"]
    assert (report.rows, report.created) == (8, 8)  # theme heading rows are not recommendations
    rec = _by_paragraph(db, "28.2")
    assert rec.external_key == "uhri:A/HRC/40/6:28.2:CHN"
    assert (rec.state.iso3, rec.document_symbol, rec.session, rec.cycle) == (
        "CHN", "A/HRC/40/6", "UPR 31", 3,
    )  # fmt: skip
    assert rec.response == Response.NOTED
    assert rec.response_source == "A/HRC/40/6/Add.1 - Para. 2"
    assert rec.text.startswith("Adhere to all human rights instruments")
    assert rec.text.endswith("(Honduras);")
    assert {t.code for t in rec.themes} == {"A12", "D23", "D25", "G4"}
    assert [s.number for s in rec.sdgs] == [16]
    assert {g.code for g in rec.affected_groups} >= {"migrants"}
    assert [s.iso3 for s in rec.recommending_states] == ["HND"]
    cooperation = _by_paragraph(db, "28.41")
    assert {t.code for t in cooperation.themes} == {"A24", "A28"}
    assert [s.iso3 for s in cooperation.recommending_states] == ["LUX"]


def test_the_matrix_and_the_index_export_give_the_same_recommendation(db):
    _import(db, "ohchr_matrix_china.xlsx")
    again = _import(db, "ohchr_matrix_china.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 8)
    report = _import(db, "uhri_matrix_cells.csv")  # the Index export's cells, Country column
    assert report.ok, report.errors
    assert _by_paragraph(db, "28.164").document_symbol == "A/HRC/40/6"
    assert _count(db) == 8 + report.created and report.created < 3


def test_flattened_matrix_one_row_per_theme_code_is_one_recommendation(db):
    report = _import(db, "ohchr_matrix_flat.csv")

    assert report.ok, report.errors
    assert report.formats == ["ohchr-matrix"]
    assert (report.rows, report.created) == (9, 3)
    rec = _by_paragraph(db, "28.2")
    # "country" here is the recommending State; the State under review is in the heading.
    assert rec.state.iso3 == "CHN"
    assert [s.iso3 for s in rec.recommending_states] == ["AFG"]
    assert {t.code for t in rec.themes} == {"A12", "E51"}
    assert {s.number for s in rec.sdgs} == {4, 16}
    assert [g.code for g in rec.affected_groups] == ["children"]
    assert (rec.document_symbol, rec.external_key) == ("A/HRC/40/6", "uhri:A/HRC/40/6:28.2:CHN")
    detention = _by_paragraph(db, "28.175")
    assert {t.code for t in detention.themes} == {"D26", "D33"}
    assert {g.code for g in detention.affected_groups} >= {"persons_deprived_of_liberty"}


def test_a_matrix_without_the_state_in_its_heading_says_what_to_add(db):
    data = (FIXTURES / "ohchr_matrix_flat.csv").read_bytes().split(b"\n", 1)[1]

    report = _import(db, "flat.csv", data)

    assert [(e.row, e.column) for e in report.errors] == [(2, "")]
    assert "State under review" in report.errors[0].reason


def test_the_2025_matrix_layout_with_its_sdg_column_and_groups_of_persons(db):
    report = _import(db, "ohchr_matrix_slovenia_2025.csv")

    assert report.ok, report.errors
    assert (report.formats, report.created) == (["ohchr-matrix"], 3)
    rec = _by_paragraph(db, "140.7")
    assert (rec.state.iso3, rec.session, rec.cycle, rec.document_symbol) == (
        "SVN", "UPR 48", 4, "A/HRC/59/15",
    )  # fmt: skip
    assert rec.response == Response.SUPPORTED  # "Position of the State under review"
    assert [s.number for s in rec.sdgs] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert {s.iso3 for s in rec.recommending_states} == {"MDV", "PRT"}
    assert "Source of Position" not in rec.text
    violence = _by_paragraph(db, "140.160")
    assert [s.number for s in violence.sdgs] == [5]
    assert {g.code for g in violence.affected_groups} == {"public_officials", "women", "girls"}
    assert {t.code for t in violence.themes} and not report.unmapped_terms


def test_a_matrix_sdg_that_is_not_one_makes_its_row_bad(db):
    data = (FIXTURES / "ohchr_matrix_slovenia_2025.csv").read_bytes()
    data = data.replace(b"- 10 - REDUCED INEQUALITIES", b"- 18 - NOT A GOAL")

    report = _import(db, "bad.csv", data)

    assert [(e.column, "18" in e.reason) for e in report.errors] == [("Relevant SDGs", True)]
    assert _count(db) == 0


def test_the_header_repeated_on_each_page_of_a_word_table_is_no_recommendation(db):
    lines = (FIXTURES / "ohchr_matrix_china.csv").read_bytes().decode("utf-8-sig").split("\r\n")
    header = lines[2]
    data = "\r\n".join([*lines[:9], header, *lines[9:]]).encode()

    report = _import(db, "china.csv", data)

    assert report.ok and report.created == 8 and not report.unknown_responses


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Supported partially", Response.PARTIALLY_SUPPORTED),
        ("Partially noted", Response.PARTIALLY_SUPPORTED),
        ("reject", Response.REJECTED),
        ("implemented", Response.IMPLEMENTED),
        ("Accepted", Response.SUPPORTED),
        ("Noted", Response.NOTED),
    ],
)
def test_response_values_of_real_files(value, code):
    from tamatch.recommendations.responses import parse_response

    assert parse_response(value).code == code


@pytest.mark.parametrize("value", ["No response", "General response", "Position"])
def test_response_values_no_code_fits_are_kept_without_a_code(value):
    from tamatch.recommendations.responses import parse_response

    parsed = parse_response(value)
    assert (parsed.code, parsed.text, parsed.unknown) == (None, value, True)


UHRI_EXPORT = """Countries concerned,Body,Document symbol,UPR session,Type,UPR position,UPR recommending states,Text,Document publication date,Themes,SDGs,Targets
China,Universal Periodic Review,A/HRC/40/6,31,Recommendation,Noted,Brazil,"Take steps to establish a moratorium on the death penalty, while guaranteeing that those who may be subjected to this penalty are entitled to adequate legal representation and to a fair trial (Brazil);",2018-12-26,Death penalty,16 - Peace justice and strong institutions,16.3
"""  # noqa: E501


def test_the_index_export_columns_as_the_full_export_names_them(db):
    report = _import(db, "export-full-en.csv", UHRI_EXPORT.encode())

    assert report.ok, report.errors
    rec = db.session.scalars(sa.select(Recommendation)).one()
    assert (rec.state.iso3, rec.document_symbol, rec.session) == ("CHN", "A/HRC/40/6", "UPR 31")
    assert [s.iso3 for s in rec.recommending_states] == ["BRA"]
    assert rec.issued_on.isoformat() == "2018-12-26"
    assert [t.code for t in rec.sdg_targets] == ["16.3"]


def test_a_damaged_workbook_cannot_be_read_and_says_so(db):
    report = _import(db, "cut.xlsx", (FIXTURES / "uhri_slovenia.xlsx").read_bytes()[:2000])

    assert [(e.row, e.column) for e in report.errors] == [(1, "")]
    assert report.errors[0].reason.startswith("The file cannot be read")


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "Ratify and implement the International Labour Organization\u2019s 2014 Protocol to "
            "the "
            "Forced Labour Convention, 1930 (No. 29) (United Kingdom of Great Britain and Northern "
            "Ireland);",
            ["United Kingdom of Great Britain and Northern Ireland"],
        ),
        (
            "Continue working towards ratification (New Zealand); Accelerate the ratification of "
            "the Covenant (Uruguay) (Mali);",
            ["New Zealand", "Uruguay", "Mali"],
        ),
        (
            "Ratify the ICRMW (ICRMW) (Iran (Islamic Republic of));",
            ["ICRMW", "Iran (Islamic Republic of)"],
        ),
        ("Ratify the ICRMW (ICRMW) as soon as possible (Chile).", ["Chile"]),
    ],
)
def test_recommending_states_close_each_recommendation_of_a_matrix_cell(text, names):
    from tamatch.recommendations.import_matrix import recommending_names

    assert recommending_names(text) == names


def test_a_matrix_whose_heading_names_an_observer_state_is_refused_once(db):
    data = (
        (FIXTURES / "ohchr_matrix_flat.csv")
        .read_bytes()
        .replace(b"UPR of China", b"UPR of Holy See")
    )

    report = _import(db, "observer.csv", data)

    assert [(e.row, e.column) for e in report.errors] == [(1, "")]
    assert "non-member observer State" in report.errors[0].reason
    assert _count(db) == 0
