"""Importing recommendations: UPR Info and UHRI exports, encodings, all-or-nothing, re-import."""

import io
from datetime import date
from pathlib import Path

import click
import pytest
import sqlalchemy as sa
from flask.cli import with_appcontext

from tamatch.models import AuditEntry, Recommendation, Response, Role
from tamatch.recommendations.import_cli import import_command
from tamatch.recommendations.import_formats import decode_bytes
from tamatch.recommendations.importing import import_recommendations
from tests.import_support import upload_and_import

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
HABRE = "Mr. Hissène Habré to justice"


def _fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _source(name: str, data: bytes | None = None) -> list[tuple[str, bytes]]:
    return [(name, data if data is not None else (FIXTURES / name).read_bytes())]


def _import(db, name: str, data: bytes | None = None, fmt: str = "auto"):
    report = import_recommendations(_source(name, data), fmt)
    db.session.commit()
    return report


def _count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Recommendation))


def _by_text(db, words: str) -> Recommendation:
    return db.session.scalars(
        sa.select(Recommendation).where(Recommendation.text.contains(words))
    ).one()


def _by_key(db, key: str) -> Recommendation:
    return db.session.scalars(
        sa.select(Recommendation).where(Recommendation.external_key == key)
    ).one()


def _iso3s(states) -> set[str]:
    return {state.iso3 for state in states}


def test_upr_info_mac_roman_file_with_cr_lines(db):
    report = _import(db, "upr_info_macroman.csv")

    assert report.ok, report.errors
    assert (report.formats, report.encodings) == (["upr-info"], ["mac_roman"])
    # 12 rows: two joint recommendations of three States each, and six single ones.
    assert (report.rows, report.created, report.updated) == (12, 8, 0)
    assert _count(db) == 8
    prisons = _by_text(db, "improve prison conditions")
    assert _iso3s(prisons.recommending_states) == {"CAN", "DEU", "SVN"}
    assert (prisons.state.iso3, prisons.session, prisons.cycle) == ("ARG", "UPR 1", 1)
    assert prisons.response == Response.SUPPORTED
    assert prisons.mechanism.code == "UPR"
    assert [t.code for t in prisons.themes] == ["D26"]
    assert [g.code for g in prisons.affected_groups] == ["persons_deprived_of_liberty"]
    assert prisons.external_key.startswith("uprinfo:1:ARG:")
    senegal = _by_text(db, HABRE)
    assert senegal.response == Response.NOTED
    assert "Instance Equité" in _by_text(db, "Reconciliation (IER)").text
    # Short names of these files: "DPR Korea", "Bosnia & Herzegovina".
    assert _by_text(db, "moratorium").state.iso3 == "PRK"
    assert _by_text(db, "unemployment").state.iso3 == "BIH"
    brazil = _by_text(db, "Guaraní")
    assert (brazil.session, brazil.cycle) == ("UPR 13", 2)
    # The Holy See, a non-member observer State, recommends in the UPR like a member State.
    assert report.unresolved_states == {}
    assert _iso3s(_by_text(db, "minority religions").recommending_states) == {"VAT"}


def test_utf8_copy_gives_the_same_recommendations_and_skips_pledges(db):
    _import(db, "upr_info_macroman.csv")
    report = _import(db, "upr_info_utf8.csv")

    assert report.ok and report.encodings == ["utf-8"]
    assert (report.rows, report.skipped) == (13, 1)  # the Voluntary Pledge row
    assert (report.created, report.updated, report.unchanged) == (0, 0, 8)


@pytest.mark.parametrize(
    ("encoding", "newline", "found"),
    [
        ("utf-8-sig", "\r\n", "utf-8-sig"),
        ("cp1252", "\r\n", "cp1252"),
        ("mac_roman", "\r", "mac_roman"),
        ("utf-16", "\n", "utf-16"),
    ],
)
def test_encodings_and_line_endings_are_detected(db, encoding, newline, found):
    text = (FIXTURES / "upr_info_utf8.csv").read_text(encoding="utf-8")
    data = text.replace("\n", newline).encode(encoding)

    report = _import(db, "sample.csv", data)

    assert report.ok and report.encodings == [found]
    assert report.created == 8
    assert HABRE in _by_text(db, "Habr").text


@pytest.mark.parametrize("encoding", ["mac_roman", "cp1252"])
def test_legacy_encoding_is_chosen_by_fewer_mojibake_characters(encoding):
    data = "Guaraní Kaiowá; Hissène Habré; vis-à-vis; Curaçao".encode(encoding)
    assert decode_bytes(data)[1] == encoding


def test_bad_rows_are_all_reported_and_nothing_is_written(db):
    report = _import(db, "upr_info_bad.csv")

    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(3, "To"), (4, "Session"), (5, "Text")]
    assert "Atlantis" in report.errors[0].reason
    assert report.unresolved_states == {"Atlantis": 1}
    assert _count(db) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 0


def test_uhri_bad_rows(db):
    report = _import(db, "uhri_bad.csv")

    assert [(e.row, e.column) for e in report.errors] == [(3, "Date"), (4, "SDGs"), (5, "Body")]
    assert _count(db) == 0


def test_missing_required_column_is_reported_on_the_header_row(db):
    report = _import(db, "x.csv", b"Recommendation,Position\nDo something,Supported\n", "uhri")

    assert [(e.row, e.column) for e in report.errors] == [
        (1, "State under review (or State addressed)")
    ]
    assert _count(db) == 0


def test_uhri_csv_with_taxonomy_and_sdgs(db):
    report = _import(db, "uhri_slovenia.csv")

    assert report.ok, report.errors
    assert (report.formats, report.encodings, report.created) == (["uhri"], ["utf-8-sig"], 5)
    rec = _by_key(db, "uhri:A/HRC/43/15:121.1:SVN")
    assert (rec.document_symbol, rec.paragraph, rec.session, rec.cycle) == (
        "A/HRC/43/15",
        "121.1",
        "UPR 34",
        3,
    )
    assert {t.code for t in rec.themes} == {"A12", "D32"}
    assert [g.code for g in rec.affected_groups] == ["disappeared_persons"]
    assert [s.number for s in rec.sdgs] == [16]
    assert _iso3s(rec.recommending_states) == {"FRA", "LTU"}
    migrants = _by_key(db, "uhri:A/HRC/28/15:115.6:SVN")
    assert _iso3s(migrants.recommending_states) == {"IRN"}
    assert migrants.response == Response.NOTED
    assert report.unresolved_states["ICRMW"] == 1


def test_xlsx_export_updates_the_rows_it_changes(db):
    _import(db, "uhri_slovenia.csv")
    report = _import(db, "uhri_slovenia.xlsx")

    assert report.ok, report.errors
    assert report.encodings == ["xlsx"]
    # Same symbols and paragraphs; the XLSX adds the dates, so every row is updated once.
    assert (report.created, report.updated, report.unchanged) == (0, 5, 0)
    assert _by_key(db, "uhri:A/HRC/43/15:121.1:SVN").issued_on == date(2019, 11, 15)
    again = _import(db, "uhri_slovenia.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)


def test_reimport_updates_a_changed_row_and_replaces_its_links(db):
    _import(db, "upr_info_utf8.csv")
    lines = (FIXTURES / "upr_info_utf8.csv").read_text(encoding="utf-8").splitlines()
    lines = [line for line in lines if not ("prison conditions" in line and "Germany" in line)]
    changed = "\n".join(lines).replace("Instance Equité", "Instance Equité").encode()
    changed = changed.replace(b"Netherlands,WEOG,EU,Accepted", b"Netherlands,WEOG,EU,Noted")

    report = _import(db, "upr_info_utf8.csv", changed)

    assert (report.created, report.updated, report.unchanged) == (0, 2, 6)
    assert _by_text(db, "Reconciliation (IER)").response == Response.NOTED
    prisons = _by_text(db, "improve prison conditions")
    assert _iso3s(prisons.recommending_states) == {"CAN", "SVN"}
    assert _count(db) == 8


def test_import_is_audited(db):
    _import(db, "upr_info_macroman.csv")
    entry = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "recommendations.import")
    ).one()
    assert entry.after["created"] == 8 and entry.after["rows"] == 12


@click.command("import")
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", default="auto")
@with_appcontext
def _command(paths, fmt):
    import_command(paths, fmt)


def test_command_imports_with_a_progress_bar_and_fails_on_bad_rows(runner, db):
    result = runner.invoke(_command, [str(FIXTURES / "upr_info_macroman.csv")])
    assert result.exit_code == 0, result.output
    assert "8 recommendations created" in result.output

    again = runner.invoke(_command, [str(FIXTURES / "upr_info_utf8.csv"), "--format", "upr-info"])
    assert "0 recommendations created, 0 updated, 8 unchanged" in again.output

    bad = runner.invoke(_command, [str(FIXTURES / "upr_info_bad.csv")])
    assert bad.exit_code == 1
    assert "upr_info_bad.csv row 3, column To: Unknown State: Atlantis" in bad.output
    assert "3 bad row(s); nothing was imported." in bad.output
    assert _count(db) == 8


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.ORGANISER, 200), (Role.ADMIN, 200), (Role.FOCAL_POINT, 403), (Role.PARTNER, 403)],
)
def test_upload_page_is_for_organisers_and_admins(make, login, role, status):
    assert login(make.user(role=role)).get("/recommendations/import").status_code == status


def test_upload_shows_the_report(make, login, db):
    browser = login(make.user(role=Role.ORGANISER))

    response = upload_and_import(browser, "uhri_slovenia.xlsx", _fixture("uhri_slovenia.xlsx"))

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "5 recommendations created" in html
    assert "ICRMW" in html  # the names it could not resolve
    assert _count(db) == 5


def test_upload_with_bad_rows_lists_them_and_writes_nothing(make, login, db):
    browser = login(make.user(role=Role.ADMIN))

    response = upload_and_import(browser, "upr_info_bad.csv", _fixture("upr_info_bad.csv"))

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "3 bad rows: nothing was imported." in html
    assert "Unknown State: Atlantis" in html and "<td>Session</td>" in html
    assert _count(db) == 0


def test_an_xlsx_zip_bomb_is_refused_without_unpacking_it():
    import zipfile

    from tamatch.recommendations import import_formats
    from tamatch.safe_zip import UnsafeArchive

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(120):  # 120 MB of zeros, about 120 KB compressed
                member.write(chunk)
    with pytest.raises(UnsafeArchive):
        import_formats.read_table(buffer.getvalue())


TAXONOMY_CSV = """Symbol,Paragraph,Recommendation,Body,Session,Country,Recommending State(s),Themes,SDGs,Position
A/HRC/40/6,28.164,Establish a moratorium on the death penalty (Brazil);,Universal Periodic Review,31,China,Brazil,D23 Death penalty | D99 Right to life,S16 | S,Noted
A/HRC/40/6,28.165,Strengthen cooperation with special procedures (Chile);,Universal Periodic Review,31,China,Chile,A28 Cooperation with other international mechanisms and institutions,16.3 | SDG 16 \u2013 Peace justice and strong institutions | 5.2 - End all violence against and exploitation of women,Supported
"""  # noqa: E501


def test_real_theme_codes_unknown_codes_and_sdg_targets(db):
    report = _import(db, "taxonomy.csv", TAXONOMY_CSV.encode())

    assert report.ok, report.errors
    death = _by_text(db, "moratorium")
    # D23 is the Index's Death penalty; an unknown code is reported, never matched by its name.
    assert [(t.code, t.name) for t in death.themes] == [("D23", "Death penalty")]
    assert report.unmapped_terms["D99 Right to life"] == 1
    assert [s.number for s in death.sdgs] == [16] and death.sdg_targets == []
    cooperation = _by_text(db, "special procedures")
    assert [t.code for t in cooperation.themes] == ["A28"]
    assert {s.number for s in cooperation.sdgs} == {5, 16}
    assert [t.code for t in cooperation.sdg_targets] == ["5.2", "16.3"]


@pytest.mark.parametrize(
    ("cell", "parsed"),
    [
        ("16.3", ([16], ["16.3"])),
        ("S16", ([16], [])),
        ("S01 | S", ([1], [])),
        ("SDG 16 \u2013 Peace, justice and strong institutions", ([16], [])),
        ("16 - PEACE, JUSTICE AND STRONG INSTITUTIONS", ([16], [])),
        ("5; 16.3, 17.a", ([5, 16, 17], ["16.3", "17.a"])),
        ("18", None),
        ("18.1", None),
    ],
)
def test_sdg_cells_keep_goals_and_targets(cell, parsed):
    from tamatch.recommendations.import_formats import parse_sdg_cell

    assert parse_sdg_cell(cell) == parsed
