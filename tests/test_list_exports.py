"""Exports of the recommendations, needs and offers lists: visibility, filters, formulas, audit."""

import io

import sqlalchemy as sa
from openpyxl import load_workbook

from tamatch.models import AuditEntry, NeedStatus, Role, Visibility


def _cells(response) -> str:
    if response.mimetype.endswith("csv"):
        return response.get_data(as_text=True)
    sheet = load_workbook(io.BytesIO(response.data)).active
    return "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)


def test_needs_export_applies_visibility_and_filters(app, make, login, db):
    make.need(state="HTI", title="Public water need", visibility=Visibility.PUBLIC)
    make.need(state="HTI", title="ZX-secret defenders", visibility=Visibility.CONFIDENTIAL)
    make.need(state="NPL", title="Nepal public need", visibility=Visibility.PUBLIC)
    make.need(state="HTI", title="A draft", status=NeedStatus.DRAFT, visibility=Visibility.PUBLIC)
    for fmt in ("csv", "xlsx"):
        anonymous = _cells(app.test_client().get(f"/needs/export.{fmt}"))
        assert "Public water need" in anonymous and "Nepal public need" in anonymous
        assert "ZX-secret" not in anonymous and "A draft" not in anonymous
        partner = _cells(login(make.user(role=Role.PARTNER)).get(f"/needs/export.{fmt}"))
        assert "ZX-secret" not in partner
        organiser = _cells(login(make.user(role=Role.ORGANISER)).get(f"/needs/export.{fmt}"))
        assert "ZX-secret" in organiser and "A draft" not in organiser
    filtered = _cells(app.test_client().get(f"/needs/export.csv?state={make.state('NPL').id}"))
    assert "Nepal public need" in filtered and "Public water need" not in filtered
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "export.needs")
        )
        == 7
    )


def test_recommendations_export_neutralises_formulas(client, make):
    make.recommendation(state="HTI", text='=HYPERLINK("http://evil.example","click")')
    body = _cells(client.get("/recommendations/export.csv"))
    assert "'=HYPERLINK" in body
    xlsx = client.get("/recommendations/export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    texts = [c.value for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    assert any(t.startswith("'=HYPERLINK") for t in texts)
    assert client.get("/recommendations/export.pdf").status_code == 404


def test_offers_export_for_members_only(app, make, login):
    make.offer(title="An open offer")
    assert app.test_client().get("/offers/export.csv").status_code == 302
    body = _cells(login(make.user(role=Role.FOCAL_POINT)).get("/offers/export.csv"))
    assert "An open offer" in body
