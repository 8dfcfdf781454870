"""Themes as a hierarchy: parents stored as facts, related themes matched and explained."""

import csv
from pathlib import Path

import pytest
import sqlalchemy as sa

from tamatch.models import Role, RunOutcome, SolveRun, Theme
from tamatch.rounds import render, runs
from tamatch.rounds.solving import execute_run
from tamatch.seeding.reference import load_reference
from tamatch.taxonomy import parent_code_of, theme_parents, theme_tree
from tests.factories import make_proposal, make_round

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _seed_rows():
    with (SEEDS / "themes.csv").open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


@pytest.mark.parametrize(
    ("code", "parent"),
    [("D23", "D2"), ("D2", "D"), ("D", None), ("A41", "A4"), ("A4", "A"), ("A12", "A"),
     ("B11", "B"), ("F19", "F1"), ("E7", "E"), ("S16", "S"), ("TM-nmirf", None)],
)  # fmt: skip
def test_a_parent_is_the_longest_known_prefix_of_an_index_code(code, parent):
    known = {"A", "A4", "A41", "A12", "B", "B11", "D", "D2", "D23", "E", "E7", "F", "F1", "F19",
             "S", "S16", "TM-nmirf"}  # fmt: skip
    assert parent_code_of(code, known) == parent


def test_the_seeded_parents_follow_the_rule_and_every_parent_is_a_seeded_theme():
    rows = _seed_rows()
    known = {r["code"] for r in rows}
    for row in rows:
        if not row["code"].startswith("TM-"):
            assert (row["parent_code"] or None) == parent_code_of(row["code"], known), row
        assert not row["parent_code"] or row["parent_code"] in known
    levels = {r["code"] for r in rows if r["source"] == "uhri-level"}
    assert {"A", "B", "D", "E", "F", "G", "H", "D2", "A4", "E4"} <= levels
    assert "C" not in levels  # no source shows a C code


def test_the_loaded_themes_carry_their_parents_and_a_second_load_changes_nothing(db):
    parents = theme_parents()
    assert parents["D23"] == "D2" and parents["D2"] == "D" and parents["A41"] == "A4"
    assert "D" not in parents
    d2 = db.session.scalar(sa.select(Theme).where(Theme.code == "D2"))
    assert d2.name == "Right to life & physical integrity"
    counts = load_reference()
    assert counts["theme_created"] == counts["theme_updated"] == 0


def test_the_database_refuses_a_parent_that_is_no_theme(db):
    db.session.add(Theme(code="TM-orphan", name="Orphan", parent_code="TM-nowhere"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def _theme(db, code):
    return db.session.scalar(sa.select(Theme).where(Theme.code == code))


def test_a_need_on_d2_prefers_an_offer_on_d2_to_one_on_d23_and_skips_an_unrelated_one(make, db):
    organiser = make.user(role=Role.ORGANISER)
    need = make.need(state="HTI")
    need.themes = [_theme(db, "D2")]
    exact, narrower, unrelated = make.offer(), make.offer(), make.offer()
    exact.themes, narrower.themes = [_theme(db, "D2")], [_theme(db, "D23")]
    unrelated.themes = [_theme(db, "E41")]
    match_round = make_round(db, organiser)
    run = runs.create_run(organiser, match_round, "")
    db.session.commit()
    execute_run(run.id)
    db.session.expire_all()
    outcome = db.session.scalar(sa.select(RunOutcome).where(RunOutcome.need_id == need.id))
    assert db.session.get(SolveRun, run.id).status == "done"
    assert outcome.offer_id == exact.id
    scores = {alt["offer_id"]: alt["score"] for alt in outcome.alternatives}
    scores[exact.id] = outcome.score
    assert scores[exact.id] > scores[narrower.id]
    assert scores[unrelated.id] < scores[narrower.id]  # no theme points at all
    assert scores[exact.id] - scores[narrower.id] == 20  # half of the theme weight 40


def test_the_explanation_says_same_group_of_rights(make, db):
    organiser = make.user(role=Role.ORGANISER)
    proposal = make_proposal(db, make_round(db, organiser), make.need(), make.offer(), score=20)
    proposal.outcome.explanation = [
        {"code": "related_theme", "points": 20,
         "args": {"need_theme": "D2", "offer_theme": "D23"}},
    ]  # fmt: skip
    db.session.commit()
    lines = render.explanation(organiser, proposal.outcome)
    assert "Right to life & physical integrity: same group of rights as Death penalty: +20" in lines


def test_the_picker_tree_nests_groups_and_puts_our_themes_apart():
    rows = [(1, "D", "Civil", None), (2, "D2", "Life", "D"), (3, "D23", "Death penalty", "D2"),
            (4, "D1", "General", "D"), (5, "TM-b", "Beta", None), (6, "TM-a", "Alpha", None),
            (7, "E7", "Cultural rights", None)]  # fmt: skip
    tree = theme_tree(rows)
    assert [n.code for n in tree] == ["D", ""]  # a group has themes under it
    group = tree[0]
    assert [c.code for c in group.children] == ["D1", "D2"]
    assert [c.code for c in group.children[1].children] == ["D23"]
    other = tree[1]
    assert other.id == 0 and [c.code for c in other.children] == ["E7", "TM-a", "TM-b"]


def test_a_round_on_a_group_takes_the_needs_and_offers_on_the_themes_under_it(make, db):
    from tamatch.rounds.services import round_needs_query, round_offers_query

    organiser = make.user(role=Role.ORGANISER)
    match_round = make_round(db, organiser)
    match_round.themes = [_theme(db, "D2")]
    under, group, above, elsewhere = (make.need() for _ in range(4))
    under.themes, group.themes = [_theme(db, "D23")], [_theme(db, "D2")]
    above.themes, elsewhere.themes = [_theme(db, "D")], [_theme(db, "E41")]
    offer_under, offer_elsewhere = make.offer(), make.offer()
    offer_under.themes, offer_elsewhere.themes = [_theme(db, "D25")], [_theme(db, "A41")]
    db.session.commit()
    needs = set(db.session.scalars(round_needs_query(match_round)))
    assert under in needs and group in needs
    assert above not in needs and elsewhere not in needs  # a broader theme is not under D2
    offers = set(db.session.scalars(round_offers_query(match_round)))
    assert offer_under in offers and offer_elsewhere not in offers


def test_the_round_form_shows_the_levels_too(make, login):
    page = login(make.user(role=Role.ORGANISER)).get("/rounds/new").text
    assert 'aria-labelledby="theme_ids-level-D2"' in page and "Group T" not in page
    assert "Right to life &amp; physical integrity (the whole group)" in page
