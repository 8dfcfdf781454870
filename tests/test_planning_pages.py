"""The plan's pages answer the State's focal points and show what they should."""

import pytest

from tamatch.models import MeasureVisibility, Role
from tests.plan_factories import make_plan


@pytest.fixture
def plan(db, make):
    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    return make_plan(db, make, focal)


def test_every_plan_page_renders_for_the_focal_point(plan, login):
    client = login(plan.focal)
    public = plan.measures[MeasureVisibility.PUBLIC]
    urls = [
        "/planning/",
        "/planning/recommendations",
        "/planning/recommendations?unclustered=1&unassigned=1&without_measure=1",
        "/planning/clusters",
        "/planning/clusters/suggestions",
        f"/planning/clusters/{plan.cluster.id}",
        f"/planning/clusters/{plan.cluster.id}/edit",
        "/planning/measures",
        "/planning/measures?overdue=1",
        "/planning/measures/new",
        f"/planning/measures/{public.id}",
        f"/planning/measures/{public.id}/edit",
        f"/planning/measures/{public.id}/indicators/new",
        f"/planning/indicators/{plan.indicator.id}",
        f"/planning/indicators/{plan.indicator.id}/edit",
        "/planning/institutions",
        f"/planning/institutions/{plan.institution.id}",
        f"/planning/institutions/{plan.institution.id}/edit",
        "/planning/calendar",
        "/planning/due",
        "/planning/reports",
        "/",
        f"/needs/new?measure={public.id}",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)


def test_the_tracker_assigns_and_clusters_in_bulk(db, plan, login, no_csrf):
    client = login(plan.focal)
    ids = [str(r.id) for r in plan.recommendations]
    assigned = client.post(
        "/planning/recommendations/assign",
        data={"recommendation_ids": ids, "action": "assign", "institution_id": plan.institution.id,
              "next": "/planning/recommendations?unassigned=1"},
    )  # fmt: skip
    assert assigned.headers["Location"] == "/planning/recommendations?unassigned=1"
    db.session.expire_all()
    assert {r.id for r in plan.institution.recommendations} == {int(i) for i in ids}
    client.post(
        "/planning/recommendations/assign",
        data={"recommendation_ids": ids[2], "action": "cluster", "cluster_id": plan.cluster.id},
    )
    db.session.expire_all()
    assert len(plan.cluster.recommendations) == 3
    page = client.get(f"/planning/recommendations?cluster={plan.cluster.id}")
    assert page.text.count('name="recommendation_ids" value=') == 3


def test_history_entries_cannot_be_changed(db, plan):
    from tamatch.planning import measures as ms

    entry = ms.add_update(plan.focal, plan.measures[MeasureVisibility.PUBLIC], "Started.")
    db.session.commit()
    entry.note = "Rewritten."
    with pytest.raises(ValueError, match="never changed"):
        db.session.commit()
    db.session.rollback()


def test_a_cluster_splits_from_its_page(db, plan, login, no_csrf):
    client = login(plan.focal)
    moving = plan.cluster.recommendations[1].id
    answer = client.post(
        f"/planning/clusters/{plan.cluster.id}/split",
        data={"recommendation_ids": str(moving), "title": "Second half"},
    )
    assert answer.status_code == 302
    db.session.expire_all()
    assert [r.id for r in plan.cluster.recommendations] != [moving]
    assert "Second half" in client.get(answer.headers["Location"]).text
