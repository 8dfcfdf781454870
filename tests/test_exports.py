"""Exports: neutralised cells in CSV and XLSX, confidential needs masked, audit, no N+1."""

import csv
import io
from dataclasses import dataclass
from datetime import date

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa
from werkzeug.exceptions import NotFound

from tamatch.auth.permissions import can_see_need
from tamatch.exports import dataframe_bytes, export_response, neutralise
from tamatch.models import (
    AuditEntry,
    Decision,
    Engagement,
    MatchRound,
    Need,
    Proposal,
    ProposalStatus,
    ReportDue,
    Role,
    RunStatus,
    SolveRun,
    Visibility,
)
from tamatch.models.base import utcnow
from tamatch.rounds.exports import (
    _visible_need_ids,
    audit_export,
    engagements_frame,
    proposals_frame,
)
from tests.factories import make_proposal

MARKER = "ZQX-SECRET-TORTURE-UNIT"
FORMULA_TITLE = '=HYPERLINK("http://evil.example","x")'
DANGEROUS = ["=1+2", "+1+2", "-1+2", "@SUM(A1)", "\tcmd", "\rcmd"]


def _cells(data: bytes, fmt: str) -> list[list]:
    """Every row of an exported file, header first, as read back by a spreadsheet library."""
    if fmt == "csv":
        assert data.startswith(b"\xef\xbb\xbf")
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _text(data: bytes, fmt: str) -> str:
    return "\n".join(str(v) for row in _cells(data, fmt) for v in row if v is not None)


# --- generic ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", DANGEROUS)
def test_neutralise_prefixes_an_apostrophe(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Rule of law", "", "a=b", -5, 3.5, None, date(2027, 1, 1)])
def test_neutralise_leaves_other_values(value):
    assert neutralise(value) == value


@pytest.mark.parametrize("value", DANGEROUS)
def test_csv_cells_are_neutralised(value):
    frame = pd.DataFrame({"Text": [value], "Number": [-5]})
    data, mimetype = dataframe_bytes(frame, "csv")
    assert mimetype.startswith("text/csv")
    assert _cells(data, "csv") == [["Text", "Number"], ["'" + value, "-5"]]


@pytest.mark.parametrize("value", DANGEROUS)
def test_xlsx_cells_are_text_not_formulas(value):
    frame = pd.DataFrame({"Text": [value], "Number": [-5]})
    data, _mimetype = dataframe_bytes(frame, "xlsx", sheet="Proposals")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Proposals"
    assert sheet["A1"].font.bold
    cell = sheet["A2"]
    assert cell.data_type == "s"
    assert cell.value == "'" + value.replace("\r", "\n")  # XML reads a bare CR as LF
    assert sheet["B2"].value == -5


def test_csv_has_bom_headers_and_accents():
    frame = pd.DataFrame({"État": ["São Tomé, Türkiye"], "Coût": [1200]})
    data, _mimetype = dataframe_bytes(frame, "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    assert _cells(data, "csv") == [["État", "Coût"], ["São Tomé, Türkiye", "1200"]]


def test_xlsx_drops_control_characters_and_sizes_columns():
    frame = pd.DataFrame({"Reason": ["bad\x00byte", "x" * 500], "Id": [1, 2]})
    data, _mimetype = dataframe_bytes(frame, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "badbyte"
    assert sheet.column_dimensions["A"].width == 60
    assert sheet.column_dimensions["B"].width < 10


def test_export_response_is_an_uncached_attachment(app):
    frame = pd.DataFrame({"A": [1]})
    response = export_response(frame, "round-3-proposals", "csv")
    assert response.headers["Content-Disposition"] == "attachment; filename=round-3-proposals.csv"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.mimetype == "text/csv"
    xlsx = export_response(frame, "Ronda de junio: ñ", "xlsx")
    assert (
        "filename*=UTF-8''Ronda%20de%20junio%3A%20%C3%B1.xlsx"
        in (xlsx.headers["Content-Disposition"])
    )


def test_unknown_format_is_404():
    with pytest.raises(NotFound) as raised:
        export_response(pd.DataFrame({"A": [1]}), "round-1", "pdf")
    assert raised.value.code == 404


# --- a round ----------------------------------------------------------------------------


@dataclass
class World:
    match_round: MatchRound
    organiser: object
    fp_hti: object
    fp_ken: object
    partner1: object  # offer1: a proposal on the confidential need, no engagement
    partner2: object  # offer2: engagements on the public and the second confidential need
    partner3: object  # no offer in the round


def _proposal(db, run, need, offer, status, **kw) -> Proposal:
    return make_proposal(
        db, run.round, need, offer, run=run, score=80, cost=20_000, status=status, **kw
    )


def _engagement(db, proposal: Proposal) -> Engagement:
    engagement = Engagement(
        proposal_id=proposal.id,
        round_id=proposal.round_id,
        need_id=proposal.need_id,
        offer_id=proposal.offer_id,
        cost=proposal.cost,
        started_on=date(2027, 1, 1),
    )
    engagement.reports_due = [
        ReportDue(stage_months=6, due_on=date(2027, 7, 1)),
        ReportDue(stage_months=12, due_on=date(2028, 1, 1)),
    ]
    db.session.add(engagement)
    return engagement


@pytest.fixture
def world(db, make) -> World:
    org1, org2, org3 = make.organisation(), make.organisation(), make.organisation()
    secret = make.need(state="HTI", visibility=Visibility.CONFIDENTIAL, title=f"{MARKER} one")
    secret2 = make.need(state="HTI", visibility=Visibility.CONFIDENTIAL, title=f"{MARKER} two")
    open_need = make.need(state="KEN", title=FORMULA_TITLE)
    offer1, offer2 = make.offer(organisation=org1), make.offer(organisation=org2)
    match_round = MatchRound(
        name="June round", serves="HRC 60", submission_deadline=date(2026, 5, 1)
    )
    match_round.followup_months = [6]
    db.session.add(match_round)
    db.session.flush()
    run = SolveRun(round_id=match_round.id, status=RunStatus.DONE, published_at=utcnow())
    draft_run = SolveRun(round_id=match_round.id, status=RunStatus.DONE, pass_number=2)
    db.session.add_all([run, draft_run])
    db.session.flush()
    _proposal(
        db,
        run,
        secret,
        offer1,
        ProposalStatus.PENDING,
        state_reason=f"Our {MARKER} needs it",
        partner_decision=Decision.ACCEPTED,
        partner_reason="We have trainers",
    )
    accepted = _proposal(db, run, open_need, offer2, ProposalStatus.ACCEPTED)
    accepted_secret = _proposal(db, run, secret2, offer2, ProposalStatus.ACCEPTED)
    _proposal(db, draft_run, open_need, offer1, ProposalStatus.DRAFT)
    _engagement(db, accepted)
    _engagement(db, accepted_secret)
    db.session.commit()
    return World(
        match_round=match_round,
        organiser=make.user(role=Role.ORGANISER),
        fp_hti=make.user(role=Role.FOCAL_POINT, state="HTI"),
        fp_ken=make.user(role=Role.FOCAL_POINT, state="KEN"),
        partner1=make.user(role=Role.PARTNER, organisation=org1),
        partner2=make.user(role=Role.PARTNER, organisation=org2),
        partner3=make.user(role=Role.PARTNER, organisation=org3),
    )


def test_proposals_frame_for_an_organiser(world):
    frame = proposals_frame(world.match_round, world.organiser)
    assert len(frame) == 4  # the draft run's proposal included
    secret = frame[frame["Need"] == f"{MARKER} one"].iloc[0]
    assert secret["State (ISO3)"] == "HTI"
    assert secret["State's reason"] == f"Our {MARKER} needs it"
    assert secret["Partner's answer"] == "Accepted"
    assert secret["Partner's reason"] == "We have trainers"


@pytest.mark.parametrize("who", ["fp_ken", "partner1", "partner3"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_confidential_need_never_leaks(world, who, fmt):
    user = getattr(world, who)
    for frame in (
        proposals_frame(world.match_round, user),
        engagements_frame(world.match_round, user),
    ):
        data, _mimetype = dataframe_bytes(frame, fmt)
        text = _text(data, fmt)
        assert MARKER not in text
        assert "Confidential need" in text


@pytest.mark.parametrize("who", ["organiser", "fp_hti"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_confidential_need_shown_to_who_may_see_it(world, who, fmt):
    data, _mimetype = dataframe_bytes(proposals_frame(world.match_round, getattr(world, who)), fmt)
    assert f"{MARKER} one" in _text(data, fmt)


def test_engagement_partner_sees_the_need_it_supports(world):
    frame = engagements_frame(world.match_round, world.partner2)
    assert f"{MARKER} two" in set(frame["Need"])
    assert "HTI" in set(frame["State (ISO3)"])
    proposals = proposals_frame(world.match_round, world.partner2)
    assert f"{MARKER} one" not in set(proposals["Need"])


def test_visibility_query_agrees_with_can_see_need(db, world):
    needs = list(db.session.scalars(sa.select(Need)))
    for user in vars(world).values():
        if isinstance(user, MatchRound):
            continue
        expected = {need.id for need in needs if can_see_need(user, need)}
        assert _visible_need_ids(user, needs) == expected, user


def test_masked_row_hides_id_state_and_state_text(world):
    frame = proposals_frame(world.match_round, world.partner1)
    assert len(frame) == 3  # no draft proposals for anyone but organisers
    row = frame[frame["Offer ID"] == frame["Offer ID"].min()].iloc[0]
    assert row["Need"] == "Confidential need"
    assert pd.isna(row["Need ID"])
    assert row["State (ISO3)"] == row["State"] == row["State's reason"] == ""
    assert row["Partner's reason"] == "We have trainers"  # the partner's own words


def test_formula_title_is_neutralised_in_a_round_export(world):
    data, _mimetype = dataframe_bytes(proposals_frame(world.match_round, world.organiser), "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    titles = [row[6] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'" + FORMULA_TITLE in titles
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_mine_only(world):
    mine = proposals_frame(world.match_round, world.fp_ken, mine_only=True)
    assert list(mine["State (ISO3)"]) == ["KEN"]  # published only: the draft one is left out
    assert list(proposals_frame(world.match_round, world.fp_hti, mine_only=True)["State"]) == [
        "Haiti",
        "Haiti",
    ]
    assert len(proposals_frame(world.match_round, world.partner1, mine_only=True)) == 1
    assert len(proposals_frame(world.match_round, world.partner3, mine_only=True)) == 0
    assert len(proposals_frame(world.match_round, world.organiser, mine_only=True)) == 0
    assert len(engagements_frame(world.match_round, world.partner2, mine_only=True)) == 2
    assert len(engagements_frame(world.match_round, world.partner1, mine_only=True)) == 0


def test_engagements_frame(world):
    frame = engagements_frame(world.match_round, world.organiser, today=date(2027, 8, 1))
    assert len(frame) == 2
    assert set(frame["Next report due"]) == {date(2028, 1, 1)}
    assert set(frame["Status"]) == {"Active"}
    assert set(frame["Started on"]) == {date(2027, 1, 1)}
    empty = engagements_frame(
        world.match_round, world.fp_ken, mine_only=True, today=date(2029, 1, 1)
    )
    assert empty["Next report due"].isna().all()


def test_audit_export(db, world):
    entry = audit_export(world.organiser, world.match_round, "engagements", "xlsx", 2)
    db.session.commit()
    stored = db.session.get(AuditEntry, entry.id)
    assert stored.action == "export.engagements"
    assert stored.actor_id == world.organiser.id
    assert (stored.object_type, stored.object_id) == ("matchround", world.match_round.id)
    assert stored.after == {"format": "xlsx", "rows": 2}
    with pytest.raises(ValueError):
        audit_export(world.organiser, world.match_round, "needs", "csv", 0)


def test_frames_load_without_n_plus_one(db, world):
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    for user in (world.organiser, world.partner2):
        user_id, round_id = user.id, world.match_round.id  # load before counting
        assert user_id and round_id
    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        proposals_frame(world.match_round, world.organiser)
        assert len(statements) == 2  # proposals with all they show, then the visible needs
        engagements_frame(world.match_round, world.partner2)
        assert len(statements) == 5  # engagements, their reports due, the visible needs
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
