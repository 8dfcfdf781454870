"""Eligibility rules, score components, and explanations that add up to the score."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from solver.explain import Fact, explain, ineligibility, why_unserved
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
    ("n_kw", "o_kw", "fact"),
    [
        (
            {},
            {"eligibility": Eligibility.only(states=frozenset({"TON"}))},
            Fact("not_open_to_state", args={"state": "FJI"}),
        ),
        (
            {},
            {"kinds": frozenset({"funding"})},
            Fact(
                "no_shared_kind",
                args={"need": ["expert advice", "training"], "offer": ["funding"]},
            ),
        ),
        (
            {"languages": frozenset({"French"})},
            {"languages": frozenset({"English"})},
            Fact("no_shared_language", args={"need": ["French"]}),
        ),
        (
            {"window_end": D(2026, 3, 1)},
            {},
            Fact(
                "no_date_overlap",
                args={"need": ["2026-01-01", "2026-03-01"], "offer": ["2026-06-01", "2027-06-01"]},
            ),
        ),
        ({"cost": 150}, {}, Fact("over_budget", args={"cost": 150, "budget": 100})),
    ],
)
def test_each_hard_rule_blocks_the_pair_and_says_why(n_kw, o_kw, fact) -> None:
    n, o = need(**n_kw), offer(**o_kw)
    assert scored(n, o) is None
    assert ineligibility(n, o) == (fact,)
    ex = explain(n, o)
    assert not ex.eligible and ex.facts() == [fact.to_json()]


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


def test_explanation_facts_add_up_to_the_score() -> None:
    ex = explain(need(), offer())
    assert ex.facts() == [
        {"code": "theme", "points": 27, "args": {"shared": ["detention", "gender"], "of": 3}},
        {"code": "kind", "points": 10, "args": {"shared": ["training"], "of": 2}},
        {"code": "priority", "points": 15, "args": {"level": 3}},
        {"code": "status", "points": 8, "args": {"flag": "sids", "state": "FJI"}},
    ]
    assert ex.score == 60 == sum(c.points for c in ex.components)
    assert all(isinstance(v, str | int | list) for f in ex.facts() for v in f["args"].values())


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
            interest=frozenset(
                (f"n{i}", rng.randint(1, 2)) for i in rng.sample(range(40), rng.randint(0, 6))
            ),
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
    assert why_unserved(n, [offer(languages=frozenset({"English"}))] * 3) == [
        Fact("no_offer_in_language", args={"languages": ["French"]})
    ]
    assert why_unserved(n, [offer()]) == []
    assert why_unserved(n, []) == [Fact("no_open_offer")]
    mixed = [offer(kinds=frozenset({"funding"})), offer(budget=1)]
    assert sorted(why_unserved(need(), mixed), key=lambda f: f.args["rule"]) == [
        Fact("some_offers_break", args={"rule": "no_shared_kind", "count": 1, "total": 2}),
        Fact("some_offers_break", args={"rule": "over_budget", "count": 1, "total": 2}),
    ]
    assert why_unserved(need(), [offer(budget=1)] * 2) == [
        Fact("every_offer_breaks", args={"rule": "over_budget", "total": 2})
    ]


def test_partner_interest_adds_half_or_all_of_its_weight() -> None:
    w = ScoreWeights(interest=9)
    plain = scored(need(), offer(), weights=w)
    assert scored(need(), offer(interest=frozenset({("n1", 1)})), weights=w) == plain + 5
    assert scored(need(), offer(interest=frozenset({("n1", 2)})), weights=w) == plain + 9
    assert scored(need(), offer(interest=frozenset({("n9", 2)})), weights=w) == plain
    ex = explain(need(), offer(interest=frozenset({("n1", 2)})), w)
    assert ex.facts()[-1] == {"code": "partner_interest", "points": 9, "args": {"level": 2}}
    assert ex.score == plain + 9


def test_the_interested_of_two_equal_offers_gets_the_need() -> None:
    from solver.assign import solve
    from solver.instance import AssignSettings

    offers = [offer(id="o1"), offer(id="o2", interest=frozenset({("n1", 1)}))]
    pairs = score_pairs([need()], offers)
    result = solve(pairs.instance(), AssignSettings(time_limit=5.0))
    assert [(a.need_id, a.offer_id) for a in result.assignments] == [("n1", "o2")]
    codes = [f["code"] for f in explain(need(), offers[1]).facts()]
    assert "partner_interest" in codes
    assert "partner_interest" not in [f["code"] for f in explain(need(), offers[0]).facts()]
