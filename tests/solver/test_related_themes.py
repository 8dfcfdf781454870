"""A need theme met by a broader or narrower offer theme scores part of the theme weight."""

from __future__ import annotations

import random

from solver.explain import RELATED_THEME, THEME, explain
from solver.scoring import NeedProfile, OfferProfile, ScoreWeights, score_pairs
from solver.settings import RELATED_THEME_PERCENT, RunSettings
from solver.themes import ThemeRelation

TREE = ThemeRelation.of({"D": "", "D2": "D", "D21": "D2", "D23": "D2", "E4": "E", "E41": "E4"})
ONLY_THEMES = ScoreWeights(kind=0, priority=0, ldc=0, sids=0, lldc=0, south_south=0,
                           urgency=0, mechanism=0)  # fmt: skip


def need(*themes: str, nid: str = "n1") -> NeedProfile:
    return NeedProfile(nid, "FJI", "asia_pacific", frozenset(themes), frozenset({"training"}),
                       frozenset({"en"}))  # fmt: skip


def offer(*themes: str, oid: str = "o1") -> OfferProfile:
    return OfferProfile(oid, frozenset(themes), frozenset({"training"}), frozenset({"en"}),
                        budget=100)  # fmt: skip


def score(n: NeedProfile, o: OfferProfile, themes: ThemeRelation = TREE) -> int:
    pairs = score_pairs([n], [o], ONLY_THEMES, themes=themes)
    assert len(pairs) == 1  # themes never decide eligibility
    return int(pairs.score[0])


def test_the_relation_reads_the_hierarchy_both_ways_but_not_across_siblings() -> None:
    assert TREE.ancestors("D23") == ("D2", "D")
    assert TREE.related("D2", "D23") and TREE.related("D23", "D2") and TREE.related("D", "D23")
    assert not TREE.related("D21", "D23") and not TREE.related("D23", "D23")
    assert not TREE.related("D2", "E41")


def test_a_broader_need_theme_scores_below_the_same_theme_and_above_an_unrelated_one() -> None:
    same, narrower, unrelated = score(need("D2"), offer("D2")), score(need("D2"), offer("D23")), \
        score(need("D2"), offer("E41"))  # fmt: skip
    assert same == 40
    assert narrower == 40 * RELATED_THEME_PERCENT // 100 == 20
    assert unrelated == 0


def test_the_reverse_a_narrower_need_theme_meets_a_broader_offer_theme() -> None:
    assert score(need("D23"), offer("D2")) == 20
    assert score(need("D23"), offer("D")) == 20  # two levels up is the same group of rights


def test_without_the_hierarchy_only_the_same_theme_counts() -> None:
    assert score(need("D2"), offer("D23"), ThemeRelation()) == 0


def test_the_share_comes_from_the_run_settings() -> None:
    settings = RunSettings.from_json({"related_theme_percent": 25})
    tree = ThemeRelation.of(TREE.parents, settings.related_theme_percent)
    assert score(need("D2"), offer("D23"), tree) == 10
    assert RunSettings().related_theme_percent == RELATED_THEME_PERCENT
    assert RunSettings.from_json({"related_theme_percent": 500}).related_theme_percent == 100
    assert "related_theme_percent" in RunSettings().to_json()


def test_the_explanation_names_both_themes_and_adds_up() -> None:
    why = explain(need("D2"), offer("D23"), ONLY_THEMES, themes=TREE)
    assert why.facts() == [
        {"code": RELATED_THEME, "points": 20, "args": {"need_theme": "D2", "offer_theme": "D23"}}
    ]
    exact = explain(need("D2"), offer("D2"), ONLY_THEMES, themes=TREE)
    assert [f["code"] for f in exact.facts()] == [THEME]
    unrelated = explain(need("D2"), offer("E41"), ONLY_THEMES, themes=TREE)
    assert unrelated.facts() == [] and unrelated.score == 0


def test_mixed_themes_explanations_equal_the_vectorised_scores() -> None:
    rng = random.Random(7)
    codes = ["D", "D2", "D21", "D23", "E4", "E41", "TM-x"]
    needs = [need(*rng.sample(codes, rng.randint(1, 4)), nid=f"n{i}") for i in range(40)]
    offers = [offer(*rng.sample(codes, rng.randint(1, 3)), oid=f"o{j}") for j in range(15)]
    pairs = score_pairs(needs, offers, ScoreWeights(), themes=TREE)
    assert len(pairs) == 600
    for i, j, s in zip(pairs.need.tolist(), pairs.offer.tolist(), pairs.score.tolist(),
                       strict=True):  # fmt: skip
        why = explain(needs[i], offers[j], ScoreWeights(), themes=TREE)
        assert why.score == s == sum(f["points"] for f in why.facts())
