"""Plans for tests, built through the planning services (so the audit log has them too)."""

from dataclasses import dataclass, field
from datetime import date

from tamatch.models import (
    Cluster,
    Indicator,
    Institution,
    InstitutionKind,
    Measure,
    MeasureStatus,
    MeasureVisibility,
    Recommendation,
    Theme,
    User,
)
from tamatch.planning import measures as measure_services
from tamatch.planning import services


@dataclass
class Plan:
    focal: User
    recommendations: list[Recommendation]
    institution: Institution
    cluster: Cluster
    measures: dict[MeasureVisibility, Measure] = field(default_factory=dict)
    indicator: Indicator | None = None


def make_plan(db, make, focal: User, title_prefix: str = "", due: date | None = None) -> Plan:
    """An institution, a cluster of two recommendations and one measure per visibility, the
    public one with an indicator and a value. Titles start with `title_prefix`."""
    state = focal.state
    recs = [
        make.recommendation(state=state, text=f"Ratify the treaty number {i}.") for i in range(3)
    ]
    institution = services.create_institution(
        focal,
        services.InstitutionData(f"{title_prefix}Ministry of Justice", InstitutionKind.MINISTRY),
    )
    theme = make.term(Theme)
    cluster = services.create_cluster(
        focal,
        services.ClusterData(
            f"{title_prefix}Treaties", theme_ids=(theme.id,), institution_ids=(institution.id,)
        ),
        [recs[0].id, recs[1].id],
    )
    plan = Plan(focal, recs, institution, cluster)
    for visibility in MeasureVisibility:
        plan.measures[visibility] = measure_services.create_measure(
            focal,
            measure_services.MeasureData(
                title=f"{title_prefix}{visibility.value} measure",
                description=f"{title_prefix}{visibility.value} description",
                cluster_id=cluster.id if visibility == MeasureVisibility.PUBLIC else None,
                recommendation_ids=(recs[2].id,),
                institution_ids=(institution.id,),
                start_on=date(2025, 1, 1),
                due_on=due or date(2026, 6, 30),
                visibility=visibility,
            ),
            status=MeasureStatus.IN_PROGRESS,
        )
    plan.indicator = measure_services.create_indicator(
        focal,
        plan.measures[MeasureVisibility.PUBLIC],
        measure_services.IndicatorData(
            definition=f"{title_prefix}Share of judges trained",
            unit="%",
            baseline_value=10,
            baseline_year=2024,
            target_value=80,
            target_year=2027,
        ),
    )
    measure_services.record_value(focal, plan.indicator, date(2025, 6, 30), 25.5)
    db.session.commit()
    return plan
