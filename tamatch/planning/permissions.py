"""Who may see and change a State's plan: predicates and their SQL mirrors.

A State decides per measure who sees it (public, platform members, or its focal points only);
its indicators and the update history follow the measure. Institutions and clusters are the
State's working tools: its focal points see them all, anyone else only those a measure they
may see names (and the institutions of such a cluster). Civil society and the NHRI of the
State comment on the measures they see.
"""

import sqlalchemy as sa

from tamatch.models import (
    Cluster,
    Indicator,
    Institution,
    Measure,
    MeasureVisibility,
    PlanComment,
    Role,
    User,
)
from tamatch.models.planning import cluster_institution, measure_institution


def _role(user: User | None) -> Role | None:
    return user.role if user is not None and user.is_authenticated else None


def is_plan_owner(user: User | None, state_id: int) -> bool:
    """A focal point of the State the plan belongs to."""
    return _role(user) == Role.FOCAL_POINT and user.state_id == state_id


def can_plan(user: User | None) -> bool:
    """Focal points keep their own State's plan."""
    return _role(user) == Role.FOCAL_POINT


# --- measures (and their indicators, values and history) ----------------------------------


def can_see_measure(user: User | None, measure: Measure) -> bool:
    """Mirror of `visible_measures_clause` for one loaded measure."""
    if is_plan_owner(user, measure.state_id):
        return True
    if measure.visibility == MeasureVisibility.PUBLIC:
        return True
    return measure.visibility == MeasureVisibility.MEMBERS and _role(user) is not None


def visible_measures_clause(user: User | None) -> sa.ColumnElement[bool]:
    """SQL condition selecting the measures `user` may see; apply it in every measure query."""
    role = _role(user)
    if role is None:
        return Measure.visibility == MeasureVisibility.PUBLIC
    shared = Measure.visibility.in_((MeasureVisibility.PUBLIC, MeasureVisibility.MEMBERS))
    if role == Role.FOCAL_POINT:
        return sa.or_(shared, Measure.state_id == user.state_id)
    return shared


def can_edit_measure(user: User | None, measure: Measure) -> bool:
    return is_plan_owner(user, measure.state_id)


def can_see_indicator(user: User | None, indicator: Indicator) -> bool:
    return can_see_measure(user, indicator.measure)


# --- institutions and clusters ------------------------------------------------------------


def _visible_measure_ids(user: User | None) -> sa.Select:
    return sa.select(Measure.id).where(visible_measures_clause(user))


def visible_institutions_clause(user: User | None) -> sa.ColumnElement[bool]:
    """The State's focal points see its institutions; others those that a measure or a
    cluster they may see names."""
    named = sa.or_(
        Institution.id.in_(
            sa.select(measure_institution.c.institution_id).where(
                measure_institution.c.measure_id.in_(_visible_measure_ids(user))
            )
        ),
        Institution.id.in_(
            sa.select(cluster_institution.c.institution_id).where(
                cluster_institution.c.cluster_id.in_(
                    sa.select(Cluster.id).where(visible_clusters_clause(user))
                )
            )
        ),
    )
    if _role(user) == Role.FOCAL_POINT:
        return sa.or_(Institution.state_id == user.state_id, named)
    return named


def visible_clusters_clause(user: User | None) -> sa.ColumnElement[bool]:
    """The State's focal points see its clusters; others those of a measure they may see."""
    named = Cluster.id.in_(
        sa.select(Measure.cluster_id).where(
            Measure.cluster_id.is_not(None), visible_measures_clause(user)
        )
    )
    if _role(user) == Role.FOCAL_POINT:
        return sa.or_(Cluster.state_id == user.state_id, named)
    return named


def _exists(model, row_id: int, clause: sa.ColumnElement[bool]) -> bool:
    from tamatch.extensions import db

    return bool(db.session.scalar(sa.select(sa.exists().where(model.id == row_id, clause))))


def can_see_institution(user: User | None, institution: Institution) -> bool:
    if is_plan_owner(user, institution.state_id):
        return True
    return _exists(Institution, institution.id, visible_institutions_clause(user))


def can_see_cluster(user: User | None, cluster: Cluster) -> bool:
    if is_plan_owner(user, cluster.state_id):
        return True
    return _exists(Cluster, cluster.id, visible_clusters_clause(user))


def can_edit_institution(user: User | None, institution: Institution) -> bool:
    return is_plan_owner(user, institution.state_id)


def can_edit_cluster(user: User | None, cluster: Cluster) -> bool:
    return is_plan_owner(user, cluster.state_id)


# --- the voices the State cannot edit ------------------------------------------------------


def is_plan_voice(user: User | None, state_id: int) -> bool:
    """Civil society or the NHRI of the State (accounts of the civil-society role)."""
    return (
        _role(user) == Role.CIVIL_SOCIETY
        and user.organisation is not None
        and user.organisation.state_id == state_id
    )


def can_comment_on_measure(user: User | None, measure: Measure) -> bool:
    return is_plan_voice(user, measure.state_id) and can_see_measure(user, measure)


def can_see_plan_comment(user: User | None, comment: PlanComment) -> bool:
    """Like report comments: organisers-only ones reach organisers and their author alone."""
    if not can_see_measure(user, comment.measure):
        return False
    if not comment.organisers_only:
        return True
    role = _role(user)
    return role == Role.ORGANISER or (role is not None and user.id == comment.author_id)


PREDICATES = {
    "can_plan": can_plan,
    "is_plan_owner": is_plan_owner,
    "can_see_measure": can_see_measure,
    "can_edit_measure": can_edit_measure,
    "can_see_institution": can_see_institution,
    "can_see_cluster": can_see_cluster,
    "can_edit_cluster": can_edit_cluster,
    "can_comment_on_measure": can_comment_on_measure,
    "can_see_plan_comment": can_see_plan_comment,
}
