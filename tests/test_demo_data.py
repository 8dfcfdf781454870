"""Demo data that looks real (issue 12 item 8): every demo recommendation is one OHCHR
published, cited by its document symbol and paragraph, none invented; `seed demo` computes the
related recommendations, so the need form suggests them."""

import re

import sqlalchemy as sa

from tamatch.models import Need, Recommendation, RelatedRecommendation, Role, State, User
from tamatch.recommendations.related import related_to_selection
from tamatch.seeding.demo import load_demo

# The UPR Working Group reports on Slovenia (UPR 20, 34 and 48), as OHCHR's matrices cite them.
SLOVENIA_REPORTS = {"A/HRC/28/15", "A/HRC/43/15", "A/HRC/59/15"}


def test_every_demo_recommendation_carries_a_real_symbol_and_paragraph(db):
    load_demo()
    recommendations = db.session.scalars(sa.select(Recommendation)).all()
    assert len(recommendations) == 632
    assert {r.document_symbol for r in recommendations} == SLOVENIA_REPORTS
    for rec in recommendations:
        assert re.fullmatch(r"\d{2,3}\.\d{1,3}", rec.paragraph or ""), rec.external_key
        assert rec.external_key.startswith("upr:SVN:")
        assert "(demo recommendation)" not in rec.text and "(demo data)" not in rec.body
    assert {r.state.iso3 for r in recommendations} == {"SVN"}


def test_demo_states_without_published_recommendations_have_none_and_no_needs(db):
    load_demo()
    for iso3 in ("HTI", "NPL", "FJI", "CRI"):
        state = db.session.scalars(sa.select(State).filter_by(iso3=iso3)).one()
        count = sa.select(sa.func.count()).where(Recommendation.state_id == state.id)
        assert db.session.scalar(count) == 0, iso3
        assert db.session.scalar(sa.select(sa.func.count()).where(Need.state_id == state.id)) == 0


def test_seed_demo_computes_related_recommendations_once(db):
    counts = load_demo()
    assert counts["related"] > 1000
    rows = db.session.scalar(sa.select(sa.func.count()).select_from(RelatedRecommendation))
    assert rows == counts["related"]
    assert load_demo()["related"] == 0  # already there: not recomputed
    for need in db.session.scalars(sa.select(Need)):
        for rec in need.recommendations:  # each one the need cites has suggestions
            assert related_to_selection(need.state_id, [rec.id]), (need.title, rec.paragraph)


def test_the_need_form_suggests_related_recommendations_after_seed_demo(db, login):
    load_demo()
    db.session.commit()
    focal = db.session.scalars(sa.select(User).filter_by(email="focal.svn@demo.tamatch.org")).one()
    assert focal.role == Role.FOCAL_POINT
    need = db.session.scalars(
        sa.select(Need).where(Need.title.startswith("Hate-crime recording"))
    ).one()
    page = login(focal).get(f"/needs/{need.id}/edit")
    assert page.status_code == 200
    assert "Related to your selection" in page.text


def test_the_seed_demo_command_reports_the_related_rows(runner):
    result = runner.invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    assert "related " in result.output
    again = runner.invoke(args=["seed", "demo"])
    assert "related 0" in again.output
