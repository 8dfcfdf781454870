"""The planning part of the shared world: HTI's plan, with markers in what must stay hidden.

An internal measure (with its own cluster, institution and indicator), a members measure, a
public one on a public cluster with an indicator, civil society's comments (one for
organisers only), a treaty follow-up deadline, and engagements whose needs were asked for the
measures (so histories show reports and an outcome waits to be applied).
"""

from datetime import date

from tamatch.models import InstitutionKind, MeasureStatus, MeasureVisibility, Need, Theme
from tamatch.planning import calendar, measures, services
from tamatch.planning.reminders import send_planning_reminders

MEMBERS = {"focal_own", "focal_other", "partner_own", "partner_other", "civil", "organiser"}
MEMBERS |= {"reviewer", "admin"}
PLAN_MARKERS = {
    "ZX-INTERNAL-MEASURE-TITLE": {"focal_own"},
    "ZX-INTERNAL-MEASURE-TEXT": {"focal_own"},
    "ZX-INTERNAL-INDICATOR": {"focal_own"},
    "ZX-INTERNAL-CLUSTER": {"focal_own"},
    "ZX-INTERNAL-INSTITUTION": {"focal_own"},
    "ZX-INTERNAL-DEADLINE": {"focal_own"},
    # Every signed-in actor (tests.world.ACTORS but the anonymous visitor).
    "ZX-MEMBERS-MEASURE": MEMBERS,
    "ZX-PLAN-ORG-ONLY": {"organiser", "civil"},  # civil is its author
}


def _measure(focal, title, visibility, **kw):
    data = measures.MeasureData(
        title=title,
        description=kw.pop("description", "What will be done, at some length."),
        start_on=date(2025, 1, 1),
        due_on=date(2025, 12, 31),  # overdue: on the dashboard and reminded
        visibility=visibility,
        **kw,
    )
    return measures.create_measure(focal, data, status=MeasureStatus.IN_PROGRESS)


def _indicator(focal, measure, definition):
    indicator = measures.create_indicator(
        focal,
        measure,
        measures.IndicatorData(definition=definition, unit="%", baseline_value=10, target_value=50),
    )
    measures.record_value(focal, indicator, date(2024, 6, 30), 20)
    return indicator


def build_plan(db, make, w, objects: dict) -> None:
    """Adds the plan's ids to `w.ids`; `objects` holds the world's needs and engagements."""
    u = w.users
    focal = u["focal_own"]
    recs = [make.recommendation(state="HTI", text=f"Adopt the plan, part {i}.") for i in range(4)]
    shared = services.create_institution(
        focal, services.InstitutionData("Ministry of Justice", InstitutionKind.MINISTRY, "Head")
    )
    hidden = services.create_institution(
        focal, services.InstitutionData("ZX-INTERNAL-INSTITUTION", InstitutionKind.AGENCY)
    )
    theme = make.term(Theme).id
    cluster = services.create_cluster(
        focal, services.ClusterData("Public cluster", theme_ids=(theme,)), [recs[0].id]
    )
    secret_cluster = services.create_cluster(
        focal, services.ClusterData("ZX-INTERNAL-CLUSTER"), [recs[1].id]
    )
    spare_cluster = services.create_cluster(
        focal, services.ClusterData("Spare cluster"), [recs[3].id]
    )
    public = _measure(
        focal, "Public measure", MeasureVisibility.PUBLIC, cluster_id=cluster.id,
        institution_ids=(shared.id,),
    )  # fmt: skip
    members = _measure(
        focal, "ZX-MEMBERS-MEASURE", MeasureVisibility.MEMBERS, recommendation_ids=(recs[2].id,)
    )
    internal = _measure(
        focal, "ZX-INTERNAL-MEASURE-TITLE", MeasureVisibility.INTERNAL,
        description="ZX-INTERNAL-MEASURE-TEXT", cluster_id=secret_cluster.id,
        institution_ids=(hidden.id,), recommendation_ids=(recs[2].id,),
    )  # fmt: skip
    services.assign_institution(focal, shared, [recs[0].id, recs[2].id], assign=True)
    public_indicator = _indicator(focal, public, "Share of judges trained")
    secret_indicator = _indicator(focal, internal, "ZX-INTERNAL-INDICATOR")
    measures.add_update(focal, internal, "Started.", MeasureStatus.IN_PROGRESS)
    measures.add_comment(u["civil"], public, "A public comment on the measure.", False)
    measures.add_comment(u["civil"], public, "ZX-PLAN-ORG-ONLY fear of reprisals.", True)
    measures.add_comment(u["civil"], public, "On the indicator.", False, public_indicator)
    deadline = calendar.create_deadline(
        focal,
        calendar.DeadlineData(
            kind=calendar.DeadlineKind.TREATY_FOLLOWUP,
            title="ZX-INTERNAL-DEADLINE",
            due_on=date(2098, 12, 20),
            recommendation_ids=(recs[2].id,),
        ),
    )[0]
    # Needs asked for the measures: engaged ones (reports in the history) and a completed one
    # whose outcome waits to be applied.
    for need_id, measure in (
        (objects["need_engaged"], members),
        (objects["need_conf_engaged"], public),
        (objects["need_done"], public),
    ):
        need = db.session.get(Need, need_id)
        need.measures.append(measure)
        db.session.flush()
    feed = calendar.issue_feed(focal)
    db.session.commit()
    send_planning_reminders(today=date(2098, 12, 1))
    db.session.commit()
    w.ids.update(
        institution=shared.id,
        institution_hidden=hidden.id,
        cluster=cluster.id,
        cluster_hidden=secret_cluster.id,
        cluster_spare=spare_cluster.id,
        measure_public=public.id,
        measure_members=members.id,
        measure_internal=internal.id,
        indicator_public=public_indicator.id,
        indicator_internal=secret_indicator.id,
        value_public=public_indicator.values[0].id,
        value_internal=secret_indicator.values[0].id,
        deadline=deadline.id,
        plan_rec=recs[2].id,
    )
    w.ids["feed"] = feed  # the secret of the focal point's calendar address
