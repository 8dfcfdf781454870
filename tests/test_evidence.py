"""Evidence: links and files on progress reports, checked by content, stored and served safely."""

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import render_template
from flask_login import login_user
from openpyxl import Workbook
from werkzeug.datastructures import FileStorage

import tamatch.followup.evidence_routes  # noqa: F401 - registers the routes on the blueprint
from tamatch.errors import DomainError, PermissionDenied
from tamatch.followup.evidence import (
    add_file,
    add_link,
    display_name,
    evidence_path,
    remove_evidence,
)
from tamatch.followup.forms import EvidenceForm
from tamatch.followup.services import ReportData, report_for, save_report
from tamatch.models import (
    AuditEntry,
    Evidence,
    ImplementationStatus,
    NeedStatus,
    ProgressReport,
    Role,
)
from tamatch.rounds.consent import decide
from tests.factories import make_round
from tests.test_consent import _proposal

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
REFUSED_TEXT = "Only PDF, Word (DOCX), Excel (XLSX) and image files"
REFUSED = re.escape(REFUSED_TEXT)


def _pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _docx(main: str = WORD_MAIN, extra: dict[str, bytes] | None = None, dtd: str = "") -> bytes:
    types = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{dtd}'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{main}"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>Training delivered.</w:t></w:r></w:p></w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("word/document.xml", document)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _xlsx() -> bytes:
    workbook = Workbook()
    workbook.active.append(["Indicator", "Value"])
    workbook.active.append(["Judges trained", 42])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _with_member(package: bytes, name: str, zeros_mb: int) -> bytes:
    """`package` plus one member of `zeros_mb` MB of zeros, written in chunks (tiny compressed)."""
    buffer = io.BytesIO(package)
    with (
        zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open(name, "w", force_zip64=True) as member,
    ):
        for _ in range(zeros_mb):
            member.write(bytes(1024 * 1024))
    return buffer.getvalue()


def _upload(data: bytes, filename: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=filename)


@pytest.fixture
def world(app, make, db, tmp_path, monkeypatch):
    """An engagement reached through consent, and the State's draft report for its first stage."""
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    organiser = make.user(role=Role.ORGANISER)
    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    partner = make.user(role=Role.PARTNER)
    offer = make.offer(organisation=partner.organisation)
    need = make.need(state="HTI", status=NeedStatus.MATCHED)
    proposal = _proposal(db, make_round(db, organiser), need, offer)
    decide(focal, proposal, True)
    engagement = decide(partner, proposal, True).engagement
    db.session.commit()
    report = report_for(focal, engagement.reports_due[0])
    db.session.commit()
    return {
        "organiser": organiser,
        "focal": focal,
        "partner": partner,
        "need": need,
        "report": report,
        "folder": tmp_path / "uploads",
    }


def _submit(world) -> None:
    statuses = {r.id: ImplementationStatus.IN_PROGRESS for r in world["need"].recommendations}
    data = ReportData(achievements="Done.", statuses=statuses)
    save_report(world["focal"], world["report"], data, submit=True)


@pytest.mark.parametrize(
    ("make_bytes", "filename", "mimetype", "shown"),
    [
        (_pdf, "Rapport final.pdf", "application/pdf", "Rapport_final.pdf"),
        (_png, "photo.PNG", "image/png", "photo.PNG"),
        (_png, "workshop.pdf", "image/png", "workshop.png"),
        (_docx, "minutes.docx", "wordprocessingml.document", "minutes.docx"),
        (_xlsx, "../../data.xlsx", "spreadsheetml.sheet", "data.xlsx"),
    ],
)
def test_accepted_files_are_typed_by_content_and_stored_renamed(
    world, db, app, make_bytes, filename, mimetype, shown
):
    data = make_bytes()
    evidence = add_file(world["focal"], world["report"], _upload(data, filename))
    db.session.commit()
    assert evidence.content_type.endswith(mimetype)
    assert (evidence.filename, evidence.size) == (shown, len(data))
    assert re.fullmatch(r"[0-9a-f]{32}\.(pdf|png|docx|xlsx)", evidence.stored_name)
    path = evidence_path(evidence)
    assert path.parent == world["folder"].resolve() and path.read_bytes() == data
    assert not path.is_relative_to(Path(app.static_folder).resolve())
    assert [p.name for p in world["folder"].iterdir()] == [evidence.stored_name]
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "evidence.add"))
    assert entry.object_id == evidence.id and entry.actor_id == world["focal"].id


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"MZ\x90\x00 this is a program", "report.pdf", REFUSED),
        (b"<!doctype html><script>alert(document.cookie)</script>", "chart.png", REFUSED),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>", "logo.gif", REFUSED),
        (_docx(DOCM_MAIN), "minutes.docx", "macros"),
        (_docx(extra={"word/vbaProject.bin": b"x"}), "minutes.docx", "macros"),
        (_docx(dtd='<!DOCTYPE Types [<!ENTITY a "aaaa">]>'), "laughs.docx", REFUSED),
        (_docx(extra={"word/document.xml2": b""})[:-30], "broken.docx", REFUSED),
        (b"PK\x03\x04 not really a zip", "data.xlsx", REFUSED),
        (b"", "empty.pdf", "empty"),
    ],
)
def test_refused_contents(world, db, data, filename, message):
    with pytest.raises(DomainError, match=message) as caught:
        add_file(world["focal"], world["report"], _upload(data, filename))
    assert caught.value.field == "file"
    assert list(world["folder"].iterdir()) == []  # no temporary file is left behind


def test_zip_bombs_and_odd_archives_are_refused_without_extracting(world, db):
    bomb = _with_member(_xlsx(), "xl/media/padding.bin", zeros_mb=101)
    assert len(bomb) < 1024 * 1024
    with pytest.raises(DomainError, match="more than 100 MB"):
        add_file(world["focal"], world["report"], _upload(bomb, "budget.xlsx"))

    crowded = io.BytesIO(_xlsx())
    with zipfile.ZipFile(crowded, "a") as archive:
        for i in range(2001):
            archive.writestr(f"xl/extra/{i}.xml", b"")
    with pytest.raises(DomainError, match=REFUSED):
        add_file(world["focal"], world["report"], _upload(crowded.getvalue(), "many.xlsx"))

    encrypted = bytearray(_docx())
    for match in re.finditer(rb"PK\x01\x02", bytes(encrypted)):
        encrypted[match.start() + 8] |= 0x1  # general-purpose flag: encrypted
    with pytest.raises(DomainError, match="Encrypted"):
        add_file(world["focal"], world["report"], _upload(bytes(encrypted), "secret.docx"))
    assert list(world["folder"].iterdir()) == []


def test_too_large_is_refused_reading_at_most_one_byte_past_the_limit(world, db, app, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_BYTES", 1000)
    stream = io.BytesIO(_pdf() + bytes(5000))
    with pytest.raises(DomainError, match="larger than"):
        add_file(world["focal"], world["report"], FileStorage(stream=stream, filename="a.pdf"))
    assert stream.tell() == 1001
    assert list(world["folder"].iterdir()) == []
    exactly = _pdf().ljust(1000, b" ")
    assert add_file(world["focal"], world["report"], _upload(exactly, "a.pdf")).size == 1000


BAD_URLS = ("javascript:alert(1)", "ftp://example.org/x", "example.org", "https://")
BAD_URLS += ("https://a b.org", "https://[::1", "https://example.org/" + "a" * 1000)


@pytest.mark.parametrize("url", BAD_URLS)
def test_links_must_be_http_or_https(world, db, url):
    with pytest.raises(DomainError, match="http"):
        add_link(world["focal"], world["report"], url)


def test_only_the_reports_side_adds_while_draft(world, db, make):
    report = world["report"]
    link = add_link(world["focal"], report, "  https://example.org/report  ")
    assert link.url == "https://example.org/report" and link.stored_name is None
    other_state = make.user(role=Role.FOCAL_POINT, state="NPL")
    for user in (world["partner"], world["organiser"], other_state):
        with pytest.raises(PermissionDenied):
            add_link(user, report, "https://example.org/")
    _submit(world)
    with pytest.raises(PermissionDenied):
        add_file(world["focal"], report, _upload(_pdf(), "late.pdf"))
    with pytest.raises(PermissionDenied):
        remove_evidence(world["focal"], link)


def test_files_follow_the_transaction(world, db):
    focal, report = world["focal"], world["report"]
    add_file(focal, report, _upload(_pdf(), "a.pdf"))
    db.session.rollback()
    assert list(world["folder"].iterdir()) == []  # nothing committed, nothing kept

    evidence = add_file(focal, report, _upload(_pdf(), "a.pdf"))
    db.session.commit()
    path = evidence_path(evidence)
    remove_evidence(focal, evidence)
    db.session.rollback()
    assert path.is_file()  # the removal did not happen

    evidence = db.session.get(Evidence, evidence.id)
    remove_evidence(focal, evidence)
    db.session.commit()
    assert not path.exists()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Evidence)) == 0
    actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-1] == "evidence.remove"


def test_display_name_is_safe_and_matches_the_content():
    from tamatch.followup.evidence import JPEG, PDF

    assert display_name("../../etc/passwd", PDF) == "etc_passwd.pdf"
    assert display_name("تقرير.pdf", PDF) == "evidence.pdf"
    assert display_name(None, JPEG) == "evidence.jpg"
    assert display_name("IMG_1.jpeg", JPEG) == "IMG_1.jpeg"


def _status(client, url: str) -> int:
    with client.get(url) as response:  # a streamed file is closed with the response
        return response.status_code


def _stored(world, db) -> tuple[Evidence, bytes]:
    data = _pdf()
    evidence = add_file(world["focal"], world["report"], _upload(data, "Résumé final.pdf"))
    db.session.commit()
    return evidence, data


def test_download_to_those_who_see_the_submitted_report(world, db, make, login, client):
    evidence, data = _stored(world, db)
    _submit(world)
    db.session.commit()
    url = f"/followup/evidence/{evidence.id}"
    domestic = make.user(role=Role.CIVIL_SOCIETY, state="HTI")
    for user in (world["focal"], world["partner"], world["organiser"], domestic):
        with login(user).get(url) as response:
            assert response.status_code == 200, user.role
            assert response.data == data
            assert response.mimetype == "application/pdf"
            assert response.headers["Content-Disposition"].startswith("attachment;")
            assert "Resume_final.pdf" in response.headers["Content-Disposition"]
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.headers["Cache-Control"] == "no-store"
            assert response.headers["Content-Security-Policy"] == "sandbox"
    for role in (Role.FOCAL_POINT, Role.PARTNER, Role.CIVIL_SOCIETY):  # of elsewhere
        assert login(make.user(role=role, state="NPL")).get(url).status_code == 404, role
    assert login(world["focal"]).get("/followup/evidence/999999").status_code == 404
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]


def test_draft_evidence_stays_with_its_side_and_links_or_lost_files_are_404(world, db, make, login):
    evidence, _data = _stored(world, db)
    link = add_link(world["focal"], world["report"], "https://example.org/")
    db.session.commit()
    url, client = f"/followup/evidence/{evidence.id}", login(world["focal"])
    assert _status(client, url) == 200
    for user in (world["partner"], make.user(role=Role.CIVIL_SOCIETY, state="HTI")):
        assert login(user).get(url).status_code == 404
    assert client.get(f"/followup/evidence/{link.id}").status_code == 404
    evidence_path(evidence).unlink()
    assert client.get(url).status_code == 404


def test_add_and_remove_through_the_pages(world, db, app, login, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    report_id = world["report"].id
    client = login(world["focal"])
    response = client.post(
        f"/followup/reports/{report_id}/evidence",
        data={"file": (io.BytesIO(_png()), "chart.png"), "url": "https://example.org/a"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/followup/reports/{report_id}#evidence")
    db.session.expire_all()
    items = db.session.get(ProgressReport, report_id).evidence
    assert sorted(e.content_type or "link" for e in items) == ["image/png", "link"]

    response = client.post(
        f"/followup/reports/{report_id}/evidence",
        data={"file": (io.BytesIO(b"<html>"), "x.png")},
        content_type="multipart/form-data",
        follow_redirects=False,
    )
    assert response.status_code == 302
    with client.session_transaction() as session:
        assert REFUSED_TEXT in str(session["_flashes"])

    partner = login(world["partner"])  # cannot see the State's draft: 404, nothing revealed
    assert partner.post(f"/followup/reports/{report_id}/evidence", data={}).status_code == 404
    assert partner.post(f"/followup/evidence/{items[0].id}/delete").status_code == 404

    for item in items:
        assert client.post(f"/followup/evidence/{item.id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Evidence)) == 0
    assert list(world["folder"].iterdir()) == []


def test_remove_needs_the_csrf_token(world, db, login):
    evidence, _data = _stored(world, db)
    response = login(world["focal"]).post(f"/followup/evidence/{evidence.id}/delete")
    assert response.status_code == 400
    assert db.session.get(Evidence, evidence.id) is not None


def test_the_include_lists_and_offers_the_form_only_to_the_editor(world, db, app, make):
    evidence, _data = _stored(world, db)
    add_link(world["focal"], world["report"], "https://example.org/minutes")
    db.session.commit()

    def render(user) -> str:
        with app.test_request_context():
            login_user(user)
            return render_template(
                "followup/_evidence.html", report=world["report"], evidence_form=EvidenceForm()
            )

    html = render(world["focal"])
    assert f'href="/followup/evidence/{evidence.id}"' in html and "Resume_final.pdf" in html
    assert 'rel="noopener noreferrer"' in html and 'form="report-form"' in html
    assert 'label class="form-label" for="file"' in html and 'accept=".pdf,' in html
    assert 'data-confirm="Remove this evidence' in html  # read by static/tamatch.js
    assert f'name="remove_evidence" value="{evidence.id}"' in html  # through the report form
    _submit(world)
    db.session.commit()
    html = render(world["organiser"])
    assert "https://example.org/minutes" in html
    assert 'form="report-form"' not in html and "remove_evidence" not in html
