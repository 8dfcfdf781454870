"""LDC status as dated facts: the General Assembly's graduation days, one rule (and its SQL
mirror) for "LDC on a day", the recently graduated States' priority in a run, and the words for
it, dated in the reader's locale and masked where the need's State is (issue 12 item 4)."""

import sqlite3
from datetime import date

import flask_migrate
import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from solver.explain import explain
from solver.profiles import NeedProfile, OfferProfile, ScoreWeights
from solver.scoring import score_pairs
from solver.settings import LDC_TRANSITION_YEARS, RunSettings
from tamatch import create_app
from tamatch.extensions import db as _db
from tamatch.models import Role, RunOutcome, SolveRun, State, Visibility
from tamatch.models.reference import years_before
from tamatch.rounds import runs
from tamatch.rounds.render import explanation
from tamatch.rounds.solving import execute_run, need_profile
from tamatch.state_status import ldc_label
from tests.factories import make_round

TODAY = date(2026, 12, 3)
DAYS = [
    date(2007, 12, 19), date(2007, 12, 20), date(2020, 12, 4), date(2023, 12, 12),
    date(2026, 1, 1), date(2026, 11, 23), date(2026, 11, 24), TODAY, date(2027, 12, 12),
    date(2027, 12, 13), date(2029, 11, 24), date(2030, 1, 1),
]  # fmt: skip


def _state(db, iso3: str) -> State:
    return db.session.scalars(sa.select(State).filter_by(iso3=iso3)).one()


@pytest.mark.parametrize(
    ("iso3", "graduation"),
    [
        ("BGD", date(2026, 11, 24)),  # A/RES/76/8
        ("LAO", date(2026, 11, 24)),
        ("NPL", date(2026, 11, 24)),
        ("SLB", date(2027, 12, 13)),
        ("STP", date(2024, 12, 13)),
        ("BTN", date(2023, 12, 13)),
        ("VUT", date(2020, 12, 4)),
        ("CPV", date(2007, 12, 20)),
        ("HTI", None),
    ],
)
def test_seeded_graduation_days(db, iso3, graduation):
    state = _state(db, iso3)
    assert state.ldc_listed and state.ldc_graduation_on == graduation


def test_a_state_is_an_ldc_until_the_day_it_graduates(db):
    nepal = _state(db, "NPL")
    assert nepal.is_ldc_on(date(2026, 11, 23))
    assert not nepal.is_ldc_on(date(2026, 11, 24))
    assert _state(db, "SLB").is_ldc_on(TODAY)  # scheduled for 13 December 2027
    assert not _state(db, "SVN").is_ldc_on(TODAY)


@pytest.mark.parametrize("day", DAYS)
def test_the_sql_mirror_agrees_with_the_rule_for_every_state(db, day):
    states = db.session.scalars(sa.select(State)).all()
    in_python = {s.iso3 for s in states if s.is_ldc_on(day)}
    in_sql = set(db.session.scalars(sa.select(State.iso3).where(State.ldc_on(day))))
    assert in_python == in_sql
    for years in (0, 1, LDC_TRANSITION_YEARS, 20):
        in_python = {s.iso3 for s in states if s.graduated_within(day, years)}
        clause = State.graduated_within_clause(day, years)
        assert in_python == set(db.session.scalars(sa.select(State.iso3).where(clause)))


def test_who_graduated_within_three_years_on_3_december_2026(db):
    states = db.session.scalars(sa.select(State)).all()
    recent = {s.iso3 for s in states if s.graduated_within(TODAY, 3)}
    assert recent == {"BGD", "LAO", "NPL", "STP", "BTN"}
    assert years_before(date(2028, 2, 29), 1) == date(2027, 2, 28)


def test_a_graduation_day_needs_a_listed_state(db):
    svn = _state(db, "SVN")
    svn.ldc_graduation_on = date(2030, 1, 1)
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize(
    ("iso3", "locale", "label"),
    [
        ("NPL", "en", "LDC, graduated Nov 24, 2026"),
        ("SLB", "en", "LDC, graduates Dec 13, 2027"),
        ("HTI", "en", "LDC"),
        ("SVN", "en", ""),
        ("NPL", "fr", "24 nov. 2026"),
    ],
)
def test_the_label_dates_the_status_in_the_readers_locale(app, db, iso3, locale, label):
    with app.test_request_context(), force_locale(locale):
        assert label in ldc_label(_state(db, iso3), TODAY)


def test_the_state_page_shows_the_dated_status(db, client):
    assert "LDC, graduates" in client.get("/states/SLB").text
    assert "LDC, graduated" in client.get("/states/NPL").text


# --- the run ------------------------------------------------------------------------------


def _profile(**kwargs) -> NeedProfile:
    base = {
        "id": "n",
        "state": "NPL",
        "regional_group": "asia_pacific",
        "themes": frozenset({"A1"}),
        "kinds": frozenset({"training"}),
        "languages": frozenset({"en"}),
    }
    return NeedProfile(**(base | kwargs))


OFFER = OfferProfile(
    id="o", themes=frozenset({"A1"}), kinds=frozenset({"training"}), languages=frozenset({"en"})
)


def test_a_recently_graduated_state_earns_the_smaller_bonus_with_its_date():
    weights = ScoreWeights()
    graduated = _profile(ldc_graduated_on=date(2026, 11, 24))
    why = explain(graduated, OFFER, weights, TODAY)
    facts = [f for f in why.components if f.code == "status"]
    assert [(f.points, f.args) for f in facts] == [
        (5, {"flag": "ldc_graduated", "state": "NPL", "graduated_on": "2026-11-24"})
    ]
    plain, ldc = _profile(), _profile(is_ldc=True, ldc_graduated_on=date(2026, 11, 24))
    profiles = [plain, graduated, ldc]
    scored = score_pairs(profiles, [OFFER], weights, TODAY)
    totals = [explain(p, OFFER, weights, TODAY).score for p in profiles]
    assert all(sum(f.points for f in explain(p, OFFER).components) == explain(p, OFFER).score
               for p in profiles)  # fmt: skip
    assert [int(scored.score[list(scored.need).index(i)]) for i in range(3)] == totals
    assert totals[1] - totals[0] == weights.ldc_graduated
    assert totals[2] - totals[0] == weights.ldc  # never both bonuses


def test_the_adapter_applies_the_transition_period(db, make):
    need = make.need(state="NPL")
    assert need_profile(need, TODAY, 3).ldc_graduated_on == date(2026, 11, 24)
    assert not need_profile(need, TODAY, 3).is_ldc
    assert need_profile(need, TODAY, 0).ldc_graduated_on is None
    assert need_profile(need, date(2030, 1, 1), 3).ldc_graduated_on is None
    before = need_profile(need, date(2026, 6, 1), 3)
    assert before.is_ldc and before.ldc_graduated_on is None
    assert need_profile(make.need(state="VUT"), TODAY, 3).ldc_graduated_on is None


def test_the_transition_period_is_a_run_setting_with_one_default():
    assert RunSettings().ldc_transition_years == LDC_TRANSITION_YEARS == 3
    assert RunSettings.from_json({}).ldc_transition_years == 3
    stored = RunSettings(ldc_transition_years=5).to_json()
    assert RunSettings.from_json(stored).ldc_transition_years == 5


def _published_nepal(db, make, visibility, years=None):
    organiser = make.user(role=Role.ORGANISER)
    focal = make.user(role=Role.FOCAL_POINT, state="NPL")
    partner = make.user(role=Role.PARTNER)
    need = make.need(state="NPL", visibility=visibility, title="Defenders' shelter network")
    make.offer(organisation=partner.organisation, title="Trainers")
    match_round = make_round(db, organiser)
    run = runs.create_run(organiser, match_round)
    extra = {} if years is None else {"ldc_transition_years": years}
    run.settings = {**run.settings, "today": TODAY.isoformat(), **extra}
    db.session.commit()
    execute_run(run.id)
    db.session.expire_all()
    outcome = db.session.scalar(sa.select(RunOutcome).where(RunOutcome.need_id == need.id))
    return organiser, focal, partner, outcome


def test_the_explanation_names_the_graduation_for_readers_of_the_need(app, db, make):
    organiser, focal, partner, outcome = _published_nepal(db, make, Visibility.CONFIDENTIAL)
    status = [f for f in outcome.explanation if f["code"] == "status"]
    assert status[0]["args"] == {
        "flag": "ldc_graduated",
        "state": "NPL",
        "graduated_on": "2026-11-24",
    }
    assert sum(f["points"] for f in outcome.explanation) == outcome.score
    with app.test_request_context():
        for reader in (focal, organiser):
            lines = explanation(reader, outcome)
            assert "Nepal graduated from LDC status on Nov 24, 2026: +5" in lines
        with force_locale("fr"):
            assert any("24 nov. 2026" in line for line in explanation(focal, outcome))
        masked = " ".join(explanation(partner, outcome))
    for secret in ("Nepal", "NPL", "graduated", "2026", "least developed", "landlocked"):
        assert secret not in masked
    assert "The State's development status: +11" in masked  # 5 (graduated) + 6 (LLDC)


def test_a_run_with_no_transition_period_gives_no_graduation_points(db, make):
    *_, outcome = _published_nepal(db, make, Visibility.MEMBERS, years=0)
    assert [f["args"]["flag"] for f in outcome.explanation if f["code"] == "status"] == ["lldc"]


def test_the_run_summary_counts_ldcs_on_the_runs_day(db, make):
    organiser = make.user(role=Role.ORGANISER)
    make.need(state="NPL")
    make.need(state="HTI")
    make.offer(capacity=2)
    run = runs.create_run(organiser, make_round(db, organiser))
    run.settings = {**run.settings, "today": "2026-06-01"}
    db.session.commit()
    execute_run(run.id)
    db.session.expire_all()
    summary = runs.run_summary(db.session.get(SolveRun, run.id))
    assert {s.label: s.entered for s in summary.by_flag}["LDC"] == 2  # Nepal still one


# --- the migration ------------------------------------------------------------------------

BEFORE = "9c4d2e6f1a70"


def test_the_migration_dates_existing_rows_and_adds_the_observers(tmp_path):
    path = tmp_path / "old.db"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    with app.app_context():
        flask_migrate.upgrade(revision=BEFORE)
        _db.engine.dispose()
        connection = sqlite3.connect(path)
        connection.executescript(
            """
            INSERT INTO state (id, iso3, name, regional_group, is_ldc, is_sids, is_lldc) VALUES
                (1, 'NPL', 'Nepal', 'asia_pacific', 1, 0, 1),
                (2, 'BTN', 'Bhutan', 'asia_pacific', 0, 0, 1),
                (3, 'HTI', 'Haiti', 'grulac', 1, 1, 0),
                (4, 'SVN', 'Slovenia', 'eastern_european', 0, 0, 0);
            """
        )
        connection.commit()
        connection.close()
        flask_migrate.upgrade()
        rows = {
            r.iso3: (r.membership, r.regional_group, bool(r.ldc_listed), r.ldc_graduation_on)
            for r in _db.session.execute(sa.text("SELECT * FROM state"))
        }
        assert rows == {
            "NPL": ("member", "asia_pacific", True, "2026-11-24"),
            "BTN": ("member", "asia_pacific", True, "2023-12-13"),
            "HTI": ("member", "grulac", True, None),
            "SVN": ("member", "eastern_european", False, None),
            "PSE": ("observer", None, False, None),
            "VAT": ("observer", None, False, None),
        }
        flask_migrate.downgrade(revision=BEFORE)
        flags = dict(_db.session.execute(sa.text("SELECT iso3, is_ldc FROM state")).all())
        assert flags == {"NPL": 0, "BTN": 0, "HTI": 1, "SVN": 0}  # "LDC today" again
        _db.session.remove()
        _db.engine.dispose()


# --- the round setting ----------------------------------------------------------------------

ROUND_FORM = {
    "name": "HRC 62",
    "serves": "62nd session",
    "submission_deadline": "2030-01-01",
    "followup_months": "6",
    "weight_theme": "40",
    "weight_kind": "20",
    "weight_priority": "15",
    "weight_ldc": "10",
    "weight_sids": "8",
    "weight_lldc": "6",
    "weight_south_south": "10",
    "weight_urgency": "10",
    "time_limit": "5",
}


def test_the_round_form_sets_the_transition_and_its_runs_carry_it(db, make, login, no_csrf):
    from tamatch.models import MatchRound

    organiser = make.user(role=Role.ORGANISER)
    client = login(organiser)
    data = ROUND_FORM | {"ldc_transition_years": "5", "weight_ldc_graduated": "10"}
    assert client.post("/rounds/new", data=data).status_code == 302
    match_round = db.session.scalars(sa.select(MatchRound)).one()
    assert match_round.ldc_transition_years == 5
    assert match_round.weights["ldc_graduated"] == 10
    for target in ("open", "closed"):
        client.post(f"/rounds/{match_round.id}/status", data={"target": target})
    db.session.refresh(match_round)
    run = runs.create_run(organiser, match_round)
    assert RunSettings.from_json(run.settings).ldc_transition_years == 5
    assert RunSettings.from_json(run.settings).weights.ldc_graduated == 10


def test_an_empty_transition_field_takes_the_default(db, make, login, no_csrf):
    from tamatch.models import MatchRound

    client = login(make.user(role=Role.ORGANISER))
    assert client.post("/rounds/new", data=ROUND_FORM).status_code == 302
    assert db.session.scalars(sa.select(MatchRound)).one().ldc_transition_years == 3


def test_a_transition_out_of_range_is_a_form_error_not_a_500(db, make, login, no_csrf):
    client = login(make.user(role=Role.ORGANISER))
    page = client.post("/rounds/new", data=ROUND_FORM | {"ldc_transition_years": "11"})
    assert page.status_code == 200
    assert "between 0 and 10" in page.text or "0 and 10" in page.text


def test_the_database_refuses_a_transition_out_of_range(db, make):
    match_round = make_round(db, make.user(role=Role.ORGANISER))
    match_round.ldc_transition_years = 11
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()
