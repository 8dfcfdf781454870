"""Exports and the audit log speak the reader's words: no enum's stored value, no "#None",
no JSON."""

import csv
import io

import pytest

from tamatch.models import (
    Decision,
    Modality,
    NeedStatus,
    OfferStatus,
    Priority,
    ProposalStatus,
    Role,
    Visibility,
)
from tests.factories import make_proposal, make_round

# Stored values that a reader would otherwise see as a whole cell.
RAW = {str(v.value) for e in (NeedStatus, OfferStatus, Visibility, Modality, ProposalStatus,
                              Decision) for v in e}  # fmt: skip


def _csv_cells(response) -> list[str]:
    assert response.status_code == 200
    return [c for row in csv.reader(io.StringIO(response.get_data(as_text=True))) for c in row]


@pytest.fixture
def organiser(make, db):
    organiser = make.user(role=Role.ORGANISER)
    partner = make.user(role=Role.PARTNER)
    offer = make.offer(organisation=partner.organisation)
    need = make.need(state="HTI", status=NeedStatus.MATCHED, priority=Priority.MEDIUM)
    match_round = make_round(db, organiser)
    make_proposal(db, match_round, need, offer)
    return organiser, match_round


@pytest.mark.parametrize("path", ["/needs/export.csv", "/offers/export.csv"])
def test_list_exports_have_no_raw_codes(organiser, login, path):
    cells = _csv_cells(login(organiser[0]).get(path))
    assert cells
    assert not RAW & set(cells), RAW & set(cells)
    assert not any("#None" in c for c in cells)
    if path.startswith("/needs"):
        assert "Medium" in cells  # the priority's label, not its stored 2


@pytest.mark.parametrize("what", ["proposals", "engagements"])
def test_round_exports_have_no_raw_codes(organiser, login, what):
    user, match_round = organiser
    cells = _csv_cells(login(user).get(f"/rounds/{match_round.id}/export/{what}.csv"))
    assert not RAW & set(cells)
    assert not any("#None" in c for c in cells)


def test_audit_log_has_no_raw_json_or_none(organiser, login):
    user, _round = organiser
    client = login(user)
    client.get("/needs/export.csv")  # an audit entry about a list, with no object id
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "#None" not in html
    assert "{&#34;" not in html and '{"' not in html  # no JSON objects
    assert "List of needs" in html
    assert "status: " in html and "<code>status</code>" not in html  # keys in words
    assert "Needs exported" in html and "export.needs" not in html.replace('value="export', "")
