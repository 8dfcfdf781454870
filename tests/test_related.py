"""Related recommendations: TF-IDF neighbours within a State, stored and queried."""

import sqlalchemy as sa
from flask import render_template

from tamatch.models import Mechanism, Recommendation, RelatedRecommendation
from tamatch.recommendations.related import (
    clean_text,
    compute_all,
    compute_related,
    neighbours,
    related_for,
    related_to_selection,
)

TORTURE_UPR = (
    "Ensure that all allegations of torture and ill-treatment in places of detention are "
    "promptly and impartially investigated and perpetrators prosecuted (Denmark);"
)
TORTURE_CAT = (
    "The State party should ensure that all allegations of torture and ill-treatment of persons "
    "in detention are investigated promptly and impartially, and that perpetrators are prosecuted."
)
WATER = "Continue to improve access to safe drinking water and sanitation in rural areas (Spain);"
DETENTION = (
    "Improve material conditions in places of detention and reduce overcrowding in prisons "
    "(Chile, Costa Rica);"
)


def _corpus(make):
    mechanism = make.term(Mechanism, "CAT")
    recs = {
        "torture_upr": make.recommendation("HTI", TORTURE_UPR, cycle=3),
        "torture_cat": make.recommendation(
            "HTI", TORTURE_CAT, mechanism=mechanism, body="CAT", cycle=None
        ),
        "water": make.recommendation("HTI", WATER),
        "detention": make.recommendation("HTI", DETENTION, cycle=2),
        "repeat": make.recommendation("HTI", TORTURE_UPR.replace("(Denmark)", "(Norway)")),
        "elsewhere": make.recommendation("NPL", TORTURE_UPR),
    }
    return {key: rec.id for key, rec in recs.items()}


def _pairs(db) -> set[tuple[int, int]]:
    rows = db.session.execute(
        sa.select(RelatedRecommendation.recommendation_id, RelatedRecommendation.related_id)
    )
    return {tuple(row) for row in rows}


def test_clean_text_strips_recommending_states():
    assert clean_text("Ratify the Convention (Portugal, Slovakia);") == "Ratify the Convention"
    assert clean_text("Restitute residence (Venezuela (Bolivarian Republic of));") == (
        "Restitute residence"
    )
    assert clean_text("Report on article 2 (art. 2) annually.") == (
        "Report on article 2 (art. 2) annually."
    )


def test_neighbours_pure():
    found = neighbours([1, 2, 3, 4], [TORTURE_UPR, TORTURE_CAT, WATER, TORTURE_UPR], 5, 0.2)
    by_source: dict[int, list] = {}
    for n in found:
        by_source.setdefault(n.recommendation_id, []).append(n)
    assert [n.related_id for n in by_source[1]] == [4, 2]  # the repeat first, similarity 1
    assert by_source[1][0].similarity == 1.0
    assert 3 not in by_source
    assert all(n.related_id not in (3, n.recommendation_id) for n in found)
    assert neighbours([1], [WATER]) == []
    assert neighbours([1, 2], ["Continue to (Spain);", "Consider (Chile);"]) == []


def test_compute_groups_within_state_only(db, make):
    ids = _corpus(make)
    written = compute_related()
    db.session.commit()
    pairs = _pairs(db)
    assert written == len(pairs) > 0
    assert (ids["torture_upr"], ids["torture_cat"]) in pairs
    assert (ids["torture_cat"], ids["torture_upr"]) in pairs
    assert (ids["torture_upr"], ids["repeat"]) in pairs
    assert not any(ids["water"] in pair for pair in pairs)
    assert not any(ids["elsewhere"] in pair for pair in pairs)  # alone in its State

    similar = related_for(ids["torture_upr"])
    assert [rec.id for rec, _ in similar][:2] == [ids["repeat"], ids["torture_cat"]]
    assert similar[0][1] == 1.0 and 0.2 <= similar[1][1] < 1.0
    assert related_for(ids["torture_upr"], limit=1) == similar[:1]
    assert related_for(ids["water"]) == []


def test_recompute_is_idempotent_and_per_state(db, make):
    ids = _corpus(make)
    first = compute_all()
    db.session.commit()
    before = sorted(db.session.execute(sa.select(RelatedRecommendation.__table__)).all())
    hti = make.state("HTI").id
    assert compute_related(hti) == first
    calls = []
    assert compute_all(progress=lambda *args: calls.append(args)) == first
    db.session.commit()
    assert sorted(db.session.execute(sa.select(RelatedRecommendation.__table__)).all()) == before
    assert calls[-1][0] == calls[-1][1] and calls[-1][2] == first

    # A State's recomputation leaves the others alone; a stricter threshold drops rows.
    make.recommendation("NPL", TORTURE_CAT)
    compute_related(make.state("NPL").id)
    assert compute_related(hti, min_similarity=0.99) == 2  # the exact repeats only
    db.session.commit()
    pairs = _pairs(db)
    assert (ids["torture_upr"], ids["repeat"]) in pairs
    assert (ids["torture_upr"], ids["torture_cat"]) not in pairs
    assert any(ids["elsewhere"] in pair for pair in pairs)


def test_related_to_selection(db, make):
    ids = _corpus(make)
    compute_related()
    db.session.commit()
    hti = make.state("HTI").id
    suggested = related_to_selection(hti, [ids["torture_cat"]])
    # Equally similar (same text but for the recommending State): the smaller id first.
    assert [r.id for r in suggested] == [ids["torture_upr"], ids["repeat"]]
    assert ids["torture_cat"] not in {r.id for r in suggested}
    assert ids["water"] not in {r.id for r in suggested}

    both = related_to_selection(hti, [ids["torture_upr"], ids["repeat"]], limit=10)
    assert ids["torture_cat"] in {r.id for r in both}
    assert not {ids["torture_upr"], ids["repeat"]} & {r.id for r in both}
    assert related_to_selection(make.state("NPL").id, [ids["torture_upr"]]) == []
    assert related_to_selection(hti, []) == []
    assert len(related_to_selection(hti, [ids["torture_cat"]], limit=1)) == 1


def test_related_template(app, db, make):
    ids = _corpus(make)
    compute_related()
    db.session.commit()
    with app.test_request_context("/"):
        html = render_template(
            "recommendations/_related.html", related=related_for(ids["torture_cat"])
        )
        assert "Related recommendations" in html
        assert f"/recommendations/{ids['torture_upr']}" in html
        assert "UPR" in html and "% similar" in html
        assert render_template("recommendations/_related.html", related=[]).strip() == ""


def test_slovenia_roma_across_cycles(db):
    from tamatch.seeding.demo import load_demo

    load_demo()
    db.session.commit()
    svn = db.session.scalar(
        sa.select(Recommendation.state_id).where(Recommendation.external_key.startswith("upr:SVN:"))
    )
    assert compute_related(svn) > 1000
    db.session.commit()
    roma = db.session.scalars(
        sa.select(Recommendation)
        .where(
            Recommendation.state_id == svn,
            Recommendation.text.contains("Roma"),
            Recommendation.text.contains("housing"),
        )
        .order_by(Recommendation.id)
    ).all()
    assert len(roma) >= 3
    linked = 0
    for rec in roma:
        similar = related_for(rec.id)
        if any("Roma" in other.text and other.cycle != rec.cycle for other, _ in similar):
            linked += 1
        assert all(other.state_id == svn for other, _ in similar)
    assert linked >= len(roma) // 2

    suggested = related_to_selection(svn, [roma[0].id], limit=10)
    assert sum("Roma" in r.text for r in suggested) >= 3
