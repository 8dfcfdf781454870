"""Rules of the plan: visibility, scoping to the State, clusters, measures, indicators, voices."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tamatch.errors import DomainError, PermissionDenied
from tamatch.models import (
    AuditEntry,
    Cluster,
    InstitutionKind,
    Measure,
    MeasureStatus,
    MeasureVisibility,
    OrganisationKind,
    PlanComment,
    RelatedRecommendation,
    Role,
)
from tamatch.planning import measures as ms
from tamatch.planning import services
from tamatch.planning.dashboard import plan_summary, stale_indicators
from tamatch.planning.permissions import (
    can_comment_on_measure,
    can_see_cluster,
    can_see_institution,
    can_see_measure,
    can_see_plan_comment,
    visible_measures_clause,
)
from tamatch.planning.queries import add_months
from tamatch.planning.suggest import group, suggestions
from tests.plan_factories import make_plan


@pytest.fixture
def plan(db, make):
    return make_plan(db, make, make.user(role=Role.FOCAL_POINT, state="HTI"))


@pytest.fixture
def people(make):
    cso = make.organisation(kind=OrganisationKind.CIVIL_SOCIETY, state=make.state("HTI"))
    foreign = make.organisation(kind=OrganisationKind.NHRI, state=make.state("NPL"))
    return {
        "anonymous": None,
        "other_focal": make.user(role=Role.FOCAL_POINT, state="NPL"),
        "partner": make.user(role=Role.PARTNER),
        "civil": make.user(role=Role.CIVIL_SOCIETY, organisation=cso),
        "foreign_nhri": make.user(role=Role.CIVIL_SOCIETY, organisation=foreign),
        "organiser": make.user(role=Role.ORGANISER),
        "admin": make.user(role=Role.ADMIN),
    }


def _visible_ids(db, user) -> set[int]:
    return set(db.session.scalars(sa.select(Measure.id).where(visible_measures_clause(user))))


@pytest.mark.parametrize(
    "who", ["anonymous", "other_focal", "partner", "civil", "foreign_nhri", "organiser", "admin"]
)
def test_visibility_predicate_and_clause_agree(db, plan, people, who):
    user = people[who]
    listed = _visible_ids(db, user)
    for visibility, measure in plan.measures.items():
        expected = visibility == MeasureVisibility.PUBLIC or (
            visibility == MeasureVisibility.MEMBERS and user is not None
        )
        assert can_see_measure(user, measure) is expected, (who, visibility)
        assert (measure.id in listed) is expected, (who, visibility)


def test_the_own_state_sees_everything_and_others_never_an_internal_measure(db, plan, people):
    internal = plan.measures[MeasureVisibility.INTERNAL]
    assert _visible_ids(db, plan.focal) >= {m.id for m in plan.measures.values()}
    for user in people.values():
        assert not can_see_measure(user, internal)
        assert internal.id not in _visible_ids(db, user)


def test_institutions_and_clusters_show_only_through_a_visible_measure(db, make, plan, people):
    hidden = services.create_institution(
        plan.focal, services.InstitutionData("Agency for internal work", InstitutionKind.AGENCY)
    )
    lonely = services.create_cluster(
        plan.focal, services.ClusterData("Lonely"), [plan.recommendations[2].id]
    )
    db.session.commit()
    stranger = people["other_focal"]
    assert can_see_institution(stranger, plan.institution)  # on the public measure
    assert can_see_cluster(stranger, plan.cluster)
    assert not can_see_institution(stranger, hidden)
    assert not can_see_cluster(stranger, lonely)
    assert can_see_institution(plan.focal, hidden) and can_see_cluster(plan.focal, lonely)


def test_plan_rows_of_another_state_are_refused(db, make, plan, people):
    stranger = people["other_focal"]
    npl_rec = make.recommendation(state="NPL")
    with pytest.raises(DomainError):
        ms.create_measure(
            plan.focal, ms.MeasureData(title="Mixed", recommendation_ids=(npl_rec.id,))
        )
    with pytest.raises(PermissionDenied):
        ms.add_update(stranger, plan.measures[MeasureVisibility.PUBLIC], "Not mine.")
    with pytest.raises(PermissionDenied):
        services.update_institution(
            stranger,
            plan.institution,
            services.InstitutionData("Renamed", InstitutionKind.MINISTRY),
        )
    with pytest.raises(PermissionDenied):
        services.create_institution(
            people["partner"], services.InstitutionData("X", InstitutionKind.OTHER)
        )


def test_institution_names_are_unique_per_state_and_in_use_ones_only_archive(db, plan):
    with pytest.raises(DomainError, match="already"):
        services.create_institution(
            plan.focal,
            services.InstitutionData(plan.institution.name.upper(), InstitutionKind.AGENCY),
        )
    with pytest.raises(DomainError, match="archive"):
        services.delete_institution(plan.focal, plan.institution)
    services.set_institution_archived(plan.focal, plan.institution, True)
    unused = services.create_institution(
        plan.focal, services.InstitutionData("Unused office", InstitutionKind.AGENCY)
    )
    services.delete_institution(plan.focal, unused)
    db.session.commit()
    assert plan.institution.archived


def test_a_recommendation_is_in_one_cluster_and_moves(db, plan):
    rec = plan.recommendations[0]
    other = services.create_cluster(plan.focal, services.ClusterData("Other"), [rec.id])
    db.session.commit()
    assert rec in other.recommendations
    db.session.refresh(plan.cluster)
    assert rec not in plan.cluster.recommendations


def test_split_and_merge_keep_everything(db, plan):
    cluster = plan.cluster
    keep, move = (r.id for r in cluster.recommendations)
    with pytest.raises(DomainError):
        services.split_cluster(plan.focal, cluster, [keep, move], "All of it")
    new = services.split_cluster(plan.focal, cluster, [move], "Split off")
    db.session.commit()
    assert [r.id for r in new.recommendations] == [move]
    assert new.themes == cluster.themes and new.institutions == cluster.institutions
    measure = plan.measures[MeasureVisibility.PUBLIC]
    services.merge_clusters(plan.focal, new, cluster)
    db.session.commit()
    assert db.session.get(Cluster, cluster.id) is None
    assert {r.id for r in new.recommendations} == {keep, move}
    assert db.session.get(Measure, measure.id).cluster_id == new.id


def test_a_cluster_with_measures_is_not_deleted(db, plan):
    with pytest.raises(DomainError, match="merge"):
        services.delete_cluster(plan.focal, plan.cluster)


def test_grouping_joins_strongest_pairs_and_caps_size():
    edges = [(1, 2, 0.9), (2, 3, 0.8), (3, 4, 0.7), (5, 6, 0.19), (7, 8, 0.5)]
    assert group(range(1, 9), edges) == [[1, 2, 3, 4], [7, 8]]
    assert group(range(1, 9), edges, max_size=2) == [[1, 2], [3, 4], [7, 8]]
    assert group([1, 2], []) == []


def test_suggestions_propose_unclustered_related_recommendations(db, make, plan):
    a, b = (make.recommendation(state="HTI", text=f"Protect defenders {i}.") for i in range(2))
    db.session.add(RelatedRecommendation(recommendation_id=a.id, related_id=b.id, similarity=0.6))
    clustered = plan.cluster.recommendations[0]
    db.session.add(
        RelatedRecommendation(recommendation_id=a.id, related_id=clustered.id, similarity=0.9)
    )
    db.session.commit()
    found = suggestions(plan.focal.state_id)
    assert [[r.id for r in s.recommendations] for s in found] == [[a.id, b.id]]


def test_a_measure_needs_a_cluster_or_recommendations_and_ordered_dates(db, plan):
    with pytest.raises(DomainError, match="cluster"):
        ms.create_measure(plan.focal, ms.MeasureData(title="Nothing"))
    with pytest.raises(DomainError, match="due date"):
        ms.create_measure(
            plan.focal,
            ms.MeasureData(
                title="Backwards",
                cluster_id=plan.cluster.id,
                start_on=date(2026, 1, 2),
                due_on=date(2026, 1, 1),
            ),
        )


def test_history_only_grows_and_moves_the_status(db, plan):
    measure = plan.measures[MeasureVisibility.MEMBERS]
    with pytest.raises(DomainError):
        ms.add_update(plan.focal, measure, "  ")
    ms.add_update(plan.focal, measure, "Draft law sent to parliament.")
    ms.add_update(plan.focal, measure, "", MeasureStatus.COMPLETED)
    db.session.commit()
    entries = [(u.note, u.status_from, u.status_to) for u in measure.updates]
    assert entries == [
        ("Draft law sent to parliament.", None, None),
        ("", MeasureStatus.IN_PROGRESS, MeasureStatus.COMPLETED),
    ]
    assert measure.status == MeasureStatus.COMPLETED


def test_civil_society_of_the_state_comments_and_the_state_cannot_remove_it(db, plan, people):
    public = plan.measures[MeasureVisibility.PUBLIC]
    assert can_comment_on_measure(people["civil"], public)
    assert not can_comment_on_measure(people["foreign_nhri"], public)
    assert not can_comment_on_measure(plan.focal, public)
    with pytest.raises(PermissionDenied):
        ms.add_comment(people["foreign_nhri"], public, "From abroad.", False)
    hidden = ms.add_comment(people["civil"], public, "Fear of reprisals.", True)
    db.session.commit()
    assert can_see_plan_comment(people["organiser"], hidden)
    assert can_see_plan_comment(people["civil"], hidden)
    assert not can_see_plan_comment(plan.focal, hidden)
    assert not can_see_plan_comment(people["anonymous"], hidden)
    with pytest.raises(DomainError, match="cancel"):
        ms.delete_measure(plan.focal, public)
    with pytest.raises(DomainError, match="internal"):
        ms.update_measure(
            plan.focal,
            public,
            ms.MeasureData(title=public.title, cluster_id=plan.cluster.id,
                           visibility=MeasureVisibility.INTERNAL),
        )  # fmt: skip
    db.session.rollback()
    with pytest.raises(sa.exc.IntegrityError):  # the database refuses it on any path too
        db.session.execute(sa.delete(Measure).where(Measure.id == public.id))
    db.session.rollback()
    assert db.session.get(PlanComment, hidden.id) is not None


def test_a_value_per_day_and_none_from_the_future(db, plan):
    indicator = plan.indicator
    _row, created = ms.record_value(plan.focal, indicator, date(2025, 6, 30), 30)
    assert not created and [v.value for v in indicator.values] == [30]
    with pytest.raises(DomainError, match="future"):
        ms.record_value(plan.focal, indicator, date.today() + timedelta(days=1), 1)


def test_stale_indicators_and_overdue_measures_reach_the_dashboard(db, plan):
    today = date(2026, 7, 1)  # the value of 2025-06-30 expected again by 2026-06-30
    stale = stale_indicators(plan.focal.state_id, today)
    assert [s.indicator_id for s in stale] == [plan.indicator.id]
    assert stale_indicators(plan.focal.state_id, date(2026, 6, 29)) == []
    summary = plan_summary(plan.focal.state_id, today)
    assert summary.overdue_total == 3 and summary.stale_total == 1
    assert summary.clustered == 2 and summary.assigned == 0 and summary.covered == 3


def test_the_audit_log_holds_no_free_text(db, plan):
    entries = db.session.scalars(sa.select(AuditEntry)).all()
    assert {e.action for e in entries} >= {"measure.create", "cluster.create", "indicator.create"}
    text = " ".join(str(e.before) + str(e.after) for e in entries)
    for title in ("internal measure", "Treaties", "Ministry of Justice", "judges trained"):
        assert title not in text


def test_months_are_added_to_the_month_end():
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2025, 11, 15), 27) == date(2028, 2, 15)
    assert add_months(date(2025, 3, 1), -3) == date(2024, 12, 1)


def test_text_that_cannot_be_stored_is_refused_with_a_message(db, plan):
    with pytest.raises(DomainError, match="cannot be stored"):
        services.create_institution(
            plan.focal, services.InstitutionData("Bad\x00name", InstitutionKind.OTHER)
        )
