"""Eligibility rules, score components, and explanations that add up to the score."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from solver.explain import explain, ineligibility, why_unserved
from solver.scoring import Eligibility, NeedProfile, OfferProfile, ScoreWeights, score_pairs

D = dt.date


def need(**kw) -> NeedProfile:
    base = {
        "id": "n1",
        "state": "FJI",
        "regional_group": "Asia-Pacific",
        "themes": frozenset({"detention", "gender", "justice"}),
        "kinds": frozenset({"training", "expert advice"}),
        "languages": frozenset({"English"}),
        "cost": 30,
        "window_start": D(2026, 1, 1),
        "window_end": D(2026, 12, 31),
        "priority": 3,
        "is_sids": True,
    }
    return NeedProfile(**(base | kw))


def offer(**kw) -> OfferProfile:
    base = {
        "id": "o1",
        "themes": frozenset({"detention", "gender"}),
        "kinds": frozenset({"training"}),
        "languages": frozenset({"English", "French"}),
        "budget": 100,
        "capacity": 3,
        "typical_cost": 20,
        "window_start": D(2026, 6, 1),
        "window_end": D(2027, 6, 1),
    }
    return OfferProfile(**(base | kw))


def scored(n: NeedProfile, o: OfferProfile, **kw) -> int | None:
    pairs = score_pairs([n], [o], **kw)
    return int(pairs.score[0]) if len(pairs) else None


def test_eligible_pair_scores_each_component() -> None:
    w = ScoreWeights()
    # themes 2 of 3 -> 27, kinds 1 of 2 -> 10, priority 3 -> 15, SIDS -> 8
    assert scored(need(), offer(), weights=w) == 27 + 10 + 15 + 8


@pytest.mark.parametrize(
    ("n_kw", "o_kw", "words"),
    [
        ({}, {"eligibility": Eligibility.only(states=frozenset({"TON"}))}, "not open to FJI"),
        ({}, {"kinds": frozenset({"funding"})}, "no shared kind of support"),
        ({"languages": frozenset({"French"})}, {"languages": frozenset({"English"})}, "French"),
        ({"window_end": D(2026, 3, 1)}, {}, "dates do not overlap"),
        ({"cost": 150}, {}, "outside the offer's budget"),
    ],
)
def test_each_hard_rule_blocks_the_pair_and_says_why(n_kw, o_kw, words) -> None:
    n, o = need(**n_kw), offer(**o_kw)
    assert scored(n, o) is None
    reasons = ineligibility(n, o)
    assert len(reasons) == 1 and words in reasons[0]
    assert not explain(n, o).eligible


def test_eligibility_by_group_flag_and_exclusion() -> None:
    n = need()
    assert Eligibility.only(regional_groups=frozenset({"Asia-Pacific"})).admits(n)
    assert Eligibility.only(sids=True).admits(n)
    assert not Eligibility.only(ldc=True).admits(n)
    assert not Eligibility(excluded_states=frozenset({"FJI"})).admits(n)


def test_typical_cost_when_need_has_no_estimate() -> None:
    pairs = score_pairs([need(cost=0)], [offer(typical_cost=80, budget=70)])
    assert len(pairs) == 0
    pairs = score_pairs([need(cost=0)], [offer(typical_cost=60, budget=70)])
    assert pairs.cost.tolist() == [60]


def test_south_south_urgency_and_mechanisms() -> None:
    w = ScoreWeights()
    n = need(mechanisms=frozenset({"UPR", "CEDAW", "SR"}))
    o = offer(provider_state="BRA", provider_is_south=True)
    base = scored(need(), offer())
    assert base is not None
    today = D(2025, 9, 1)
    assert scored(n, o, today=today) == base + w.south_south + w.urgency + 2 * w.mechanism
    same_state = offer(provider_state="FJI", provider_is_south=True)
    assert scored(need(), same_state) == base


def test_explanation_words_and_total() -> None:
    ex = explain(need(), offer())
    lines = ex.lines()
    assert "Shares 2 of 3 themes (detention and gender): +27" in lines
    assert "Shares 1 of 2 kinds of support asked for (training): +10" in lines
    assert "The State gives this need high priority: +15" in lines
    assert "FJI is a small island developing State: +8" in lines
    assert lines[-1] == "Total: 60"
    assert ex.score == sum(c.points for c in ex.components)


def test_vectorised_scores_equal_the_explanations() -> None:
    rng = random.Random(5)
    themes, kinds, langs = "abcdefgh", ["training", "advice", "funding"], ["en", "fr", "es"]

    def pick(pool, k):
        return frozenset(rng.sample(list(pool), rng.randint(1, k)))

    needs = [
        need(
            id=f"n{i}",
            state=rng.choice(["FJI", "TON", "MLI", "BRA"]),
            themes=pick(themes, 4),
            kinds=pick(kinds, 2),
            languages=pick(langs, 2),
            cost=rng.randint(0, 80),
            priority=rng.randint(1, 3),
            is_ldc=rng.random() < 0.3,
            mechanisms=pick(["UPR", "CRC", "SR"], 3),
        )
        for i in range(40)
    ]
    offers = [
        offer(
            id=f"o{j}",
            themes=pick(themes, 5),
            kinds=pick(kinds, 2),
            languages=pick(langs, 2),
            budget=rng.randint(20, 90),
            provider_state=rng.choice([None, "BRA", "MLI"]),
            provider_is_south=True,
            eligibility=rng.choice([Eligibility(), Eligibility.only(ldc=True)]),
        )
        for j in range(15)
    ]
    today = D(2025, 10, 1)
    pairs = score_pairs(needs, offers, today=today)
    found = {(i, j): s for i, j, s in zip(pairs.need, pairs.offer, pairs.score, strict=True)}
    for i, n in enumerate(needs):
        for j, o in enumerate(offers):
            ex = explain(n, o, today=today)
            assert ex.eligible == ((i, j) in found)
            if ex.eligible:
                assert ex.score == found[(i, j)]


def test_large_scoring_uses_blocks() -> None:
    needs = [need(id=f"n{i}") for i in range(300)]
    offers = [offer(id=f"o{j}") for j in range(200)]
    pairs = score_pairs(needs, offers)
    assert len(pairs) == 300 * 200
    inst = pairs.instance(max_per_state=10)
    assert len(inst.needs) == 300 and len(inst.pairs) == 60000


def test_why_unserved_names_the_missing_language() -> None:
    n = need(languages=frozenset({"French"}))
    assert why_unserved(n, [offer(languages=frozenset({"English"}))] * 3) == ["No offer in French."]
    assert why_unserved(n, [offer()]) == []
    mixed = [offer(kinds=frozenset({"funding"})), offer(budget=1)]
    lines = why_unserved(need(), mixed)
    assert lines and all("of 2 offers" in line for line in lines)
