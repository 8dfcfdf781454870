"""Typed text survives: evidence is added and removed through the report's own form."""

import io

import pytest
import sqlalchemy as sa

from tamatch.models import Evidence
from tests.test_evidence import _pdf, world  # noqa: F401 - the fixture

pytestmark = pytest.mark.usefixtures("no_csrf")


def _post(login, setting, **data):
    url = f"/followup/reports/{setting['report'].id}"
    return login(setting["focal"]).post(url, data=data, content_type="multipart/form-data")


def test_adding_a_link_saves_the_narrative_typed_beside_it(login, world, db):  # noqa: F811
    response = _post(
        login,
        world,
        achievements="Four ministries report online.",
        add_evidence="1",
        url="https://example.org/evidence",
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("#evidence")
    db.session.refresh(world["report"])
    assert world["report"].achievements == "Four ministries report online."
    assert [e.url for e in world["report"].evidence] == ["https://example.org/evidence"]


def test_adding_a_file_keeps_the_draft_too(login, world, db):  # noqa: F811
    response = _post(
        login,
        world,
        challenges="Staff turnover.",
        add_evidence="1",
        file=(io.BytesIO(_pdf()), "minutes.pdf"),
    )
    assert response.status_code == 302
    db.session.refresh(world["report"])
    assert world["report"].challenges == "Staff turnover."
    assert [e.filename for e in world["report"].evidence] == ["minutes.pdf"]


def test_removing_evidence_saves_the_narrative(login, world, db):  # noqa: F811
    _post(login, world, add_evidence="1", url="https://example.org/a")
    evidence_id = db.session.scalar(sa.select(Evidence.id))
    response = _post(login, world, lessons="Train early.", remove_evidence=str(evidence_id))
    assert response.status_code == 302
    db.session.refresh(world["report"])
    assert world["report"].lessons == "Train early." and world["report"].evidence == []


def test_an_empty_add_re_renders_with_everything_typed(login, world, db):  # noqa: F811
    response = _post(login, world, achievements="Typed before the mistake.", add_evidence="1")
    assert response.status_code == 200
    assert "Choose a file or give a link." in response.text
    assert "Typed before the mistake." in response.text  # the textarea keeps it
    db.session.refresh(world["report"])
    assert not world["report"].achievements  # nothing half-saved


def test_the_evidence_controls_belong_to_the_report_form(login, world):  # noqa: F811
    page = login(world["focal"]).get(f"/followup/reports/{world['report'].id}").text
    assert 'id="report-form"' in page and 'enctype="multipart/form-data"' in page
    assert 'form="report-form" name="add_evidence"' in page
    assert page.count("<form") == page.count("</form>")
    assert f"followup/reports/{world['report'].id}/evidence" not in page
