"""The renderer of facts (tamatch/rounds/render.py): words for each reader, masked, safe."""

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from tamatch.i18n.names import state_name_in, term_name
from tamatch.models import Role, RunOutcome, Theme, Visibility
from tamatch.rounds import render
from tests.factories import make_proposal, make_round

FACTS = [
    {"code": "theme", "points": 40, "args": {"shared": ["A12"], "of": 2}},
    {"code": "priority", "points": 15, "args": {"level": 3}},
    {"code": "status", "points": 10, "args": {"flag": "ldc", "state": "HTI"}},
    {"code": "status", "points": 8, "args": {"flag": "sids", "state": "HTI"}},
    {"code": "south_south", "points": 5, "args": {"provider": "BRA"}},
    {"code": "urgency", "points": 10, "args": {"days": 1}},
    {"code": "mechanism", "points": 8, "args": {"mechanisms": ["UPR", "CRC"]}},
]


@pytest.fixture
def outcome(db, make):
    organiser = make.user(role=Role.ORGANISER)
    need = make.need(state="HTI", visibility=Visibility.CONFIDENTIAL)
    proposal = make_proposal(db, make_round(db, organiser), need, make.offer(), score=96)
    proposal.outcome.explanation = FACTS
    db.session.commit()
    return proposal.outcome


def test_an_entitled_reader_reads_every_fact_in_words(make, outcome):
    lines = render.explanation(make.user(role=Role.ORGANISER), outcome)
    assert "The State gives this need high priority: +15" in lines
    assert "Haiti is a least developed country: +10" in lines
    assert "Haiti is a small island developing State: +8" in lines
    assert "South-South exchange with Brazil: +5" in lines
    assert "Wanted within 1 day: +10" in lines  # the singular, from ngettext
    assert any(line.startswith("Backed by 2 mechanisms (") for line in lines)
    assert any(line.startswith("Shares 1 of 2 themes") for line in lines)
    assert lines[-1] == "Total: 96"


@pytest.mark.parametrize("reader", [None, "partner", "focal_other", "admin"])
def test_anyone_else_reads_the_points_without_the_state_its_flags_or_mechanisms(
    make, outcome, reader
):
    user = None
    if reader == "partner":
        user = make.user(role=Role.PARTNER, organisation=outcome.offer.organisation)
    elif reader == "focal_other":
        user = make.user(role=Role.FOCAL_POINT, state="NPL")
    elif reader == "admin":
        user = make.user(role=Role.ADMIN)
    lines = render.explanation(user, outcome)
    text = " ".join(lines)
    for secret in ("Haiti", "HTI", "least developed", "small island", "UPR", "CRC"):
        assert secret not in text
    assert "The State's development status: +18" in lines
    assert "Backed by 2 mechanisms: +8" in lines
    assert lines[-1] == "Total: 96"


def test_stored_facts_of_any_shape_never_raise(make, outcome):
    outcome.explanation = [
        "HTI is a least developed country: +10",  # a sentence stored before facts: skipped
        {"code": "status", "points": 3, "args": {"flag": "unknown", "state": "ZZZ"}},
        {"code": "no_such_code", "points": 2},
        {"code": "theme", "points": "x", "args": []},
        {"points": 4},
    ]
    lines = render.explanation(make.user(role=Role.ORGANISER), outcome)
    assert lines == ["The State's development status: +3", "Other: +2", "Total: 96"]


def test_unmatched_reasons_in_words(db, make):
    need = make.need(state="HTI")
    organiser = make.user(role=Role.ORGANISER)

    def words(reasons, code="no_eligible_offer"):
        row = RunOutcome(need=need, reason_code=code, reasons=reasons, explanation=[])
        return render.unmatched(organiser, row)

    assert words([{"code": "no_offer_in_language", "args": {"languages": ["fr", "es"]}}]) == [
        "No offer in French or Spanish."
    ]
    assert words([{"code": "every_offer_breaks", "args": {"rule": "over_budget", "total": 3}}]) == [
        "No offer fits: outside the offer's budget (all 3 offers)."
    ]
    rule = {"rule": "not_open_to_state", "count": 2, "total": 5}
    assert words([{"code": "some_offers_break", "args": rule}]) == [
        "2 of 5 offers: the offers are not open to its State."
    ]
    assert words([], "state_cap_reached") == ["Its State already has the most matches allowed."]
    assert words([{"code": "no_open_offer"}]) == ["No offer is open in this round."]


def test_words_follow_the_readers_language(make, outcome):
    with force_locale("fr"):
        lines = render.explanation(make.user(role=Role.ORGANISER), outcome)
    backing = [line for line in lines if line.startswith(("Backed by", "Appuyée par"))]
    assert backing and all(" et " in line for line in backing)


def test_reference_names_in_an_explanation_are_in_the_readers_language(db, make, outcome):
    """Themes, kinds of support, mechanisms and States are named as the pages name them (the
    database keeps the English names; found by the pseudo-locale's browser journey)."""
    theme = db.session.scalar(sa.select(Theme).where(Theme.code == "A12"))
    with force_locale("fr"):
        lines = render.explanation(make.user(role=Role.ORGANISER), outcome)
        french_theme = term_name(theme.name)
    assert french_theme != theme.name and state_name_in("BRA", "fr") != "Brazil"
    assert any(f"({french_theme})" in line for line in lines), lines
    assert any(state_name_in("BRA", "fr") in line for line in lines), lines
