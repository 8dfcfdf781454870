"""Keeping a State's institutions and clusters, and assigning recommendations to them.

Services take the actor and validated data, check the rule, flush, write the audit entry and
raise domain errors; the view commits. Audit entries hold ids, codes and dates, never names or
free text (admins read the log; a State's plan may be internal).
"""

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from tamatch.audit import record, snapshot
from tamatch.errors import DomainError, PermissionDenied
from tamatch.extensions import db
from tamatch.models import (
    Cluster,
    Institution,
    InstitutionKind,
    Recommendation,
    Theme,
    User,
)
from tamatch.models.planning import (
    cluster_institution,
    cluster_recommendation,
    measure_institution,
    need_institution,
)
from tamatch.planning.permissions import can_edit_cluster, can_edit_institution, can_plan

CLUSTER_FIELDS = ("recommendations", "themes", "institutions")


def _require_planner(actor: User) -> None:
    if not can_plan(actor):
        raise PermissionDenied(_("Only a State's focal points keep its plan."))


def clean(value: str | None, field: str) -> str:
    """Free text as stored: stripped, and refused with NUL characters (PostgreSQL cannot keep
    them and a browser never sends them)."""
    text = (value or "").strip()
    if "\x00" in text:
        raise DomainError(_("The text contains a character that cannot be stored."), field=field)
    return text


def state_rows(model, state_id: int, ids: Iterable[int], field: str) -> list:
    """The rows of `model` with these ids, all of `state_id`; DomainError otherwise."""
    wanted = set(ids)
    if not wanted:
        return []
    rows = list(db.session.scalars(sa.select(model).where(model.id.in_(wanted))))
    if len(rows) != len(wanted) or any(r.state_id != state_id for r in rows):
        raise DomainError(_("Choose only from your own State's list."), field=field)
    return sorted(rows, key=lambda r: r.id)


def themes(ids: Iterable[int]) -> list[Theme]:
    wanted = set(ids)
    rows = list(db.session.scalars(sa.select(Theme).where(Theme.id.in_(wanted)))) if wanted else []
    if len(rows) != len(wanted):
        raise DomainError(_("Unknown %(what)s selected.", what=_("theme")), field="theme_ids")
    return rows


# --- institutions --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InstitutionData:
    name: str
    kind: InstitutionKind
    contact_role: str = ""


def _name_taken(state_id: int, name: str, except_id: int | None = None) -> bool:
    stmt = sa.select(Institution.id).where(
        Institution.state_id == state_id, sa.func.lower(Institution.name) == name.lower()
    )
    if except_id is not None:
        stmt = stmt.where(Institution.id != except_id)
    return db.session.scalar(stmt) is not None


def _apply_institution(institution: Institution, data: InstitutionData) -> None:
    name = clean(data.name, "name")
    if not name:
        raise DomainError(_("Give the institution's name."), field="name")
    if _name_taken(institution.state_id, name, institution.id):
        raise DomainError(_("Your State already has an institution of that name."), field="name")
    institution.name = name
    institution.kind = data.kind
    institution.contact_role = clean(data.contact_role, "contact_role")


def create_institution(actor: User, data: InstitutionData) -> Institution:
    """Add an institution to the actor's State. Raises PermissionDenied, DomainError."""
    _require_planner(actor)
    institution = Institution(state_id=actor.state_id)
    _apply_institution(institution, data)
    db.session.add(institution)
    db.session.flush()
    record(actor, "institution.create", institution, after={"kind": data.kind.value})
    return institution


def update_institution(actor: User, institution: Institution, data: InstitutionData) -> None:
    if not can_edit_institution(actor, institution):
        raise PermissionDenied(_("Only the State's focal points change its institutions."))
    before = {"kind": institution.kind.value}
    _apply_institution(institution, data)
    db.session.flush()
    record(actor, "institution.update", institution, before, {"kind": institution.kind.value})


def set_institution_archived(actor: User, institution: Institution, archived: bool) -> None:
    """Archived institutions keep their assignments but are no longer offered in forms."""
    if not can_edit_institution(actor, institution):
        raise PermissionDenied(_("Only the State's focal points change its institutions."))
    if institution.archived != archived:
        institution.archived = archived
        db.session.flush()
        record(actor, "institution.archive", institution, after={"archived": archived})


def institution_in_use(institution: Institution) -> bool:
    links = (
        (measure_institution, "institution_id"),
        (cluster_institution, "institution_id"),
        (need_institution, "institution_id"),
    )
    used = any(
        db.session.scalar(sa.select(sa.exists().where(t.c[col] == institution.id)))
        for t, col in links
    )
    return used or bool(institution.recommendations)


def delete_institution(actor: User, institution: Institution) -> None:
    """Delete an institution nothing refers to; one in use can only be archived."""
    if not can_edit_institution(actor, institution):
        raise PermissionDenied(_("Only the State's focal points change its institutions."))
    if institution_in_use(institution):
        raise DomainError(
            _("This institution holds recommendations, clusters, measures or needs: archive it.")
        )
    record(actor, "institution.delete", institution, before={"kind": institution.kind.value})
    db.session.delete(institution)
    db.session.flush()


def assign_institution(
    actor: User, institution: Institution, recommendation_ids: Iterable[int], assign: bool
) -> int:
    """Add (or take away) the institution on recommendations of its State; returns how many
    changed."""
    if not can_edit_institution(actor, institution):
        raise PermissionDenied(_("Only the State's focal points change its institutions."))
    recs = state_rows(Recommendation, institution.state_id, recommendation_ids, "recommendations")
    current = {r.id for r in institution.recommendations}
    if assign:
        added = [r for r in recs if r.id not in current]
        institution.recommendations.extend(added)
        changed = [r.id for r in added]
    else:
        changed = [r.id for r in recs if r.id in current]
        kept = [r for r in institution.recommendations if r.id not in changed]
        institution.recommendations = kept
    if changed:
        db.session.flush()
        action = "institution.assign" if assign else "institution.unassign"
        record(actor, action, institution, after={"recommendations": sorted(changed)})
    return len(changed)


# --- clusters ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClusterData:
    title: str
    description: str = ""
    theme_ids: tuple[int, ...] = ()
    institution_ids: tuple[int, ...] = ()


def _require_cluster_editor(actor: User, cluster: Cluster) -> None:
    if not can_edit_cluster(actor, cluster):
        raise PermissionDenied(_("Only the State's focal points change its clusters."))


def _apply_cluster(cluster: Cluster, data: ClusterData) -> None:
    title = clean(data.title, "title")
    if not title:
        raise DomainError(_("Give the cluster a title."), field="title")
    taken = db.session.scalar(
        sa.select(Cluster.id).where(
            Cluster.state_id == cluster.state_id,
            sa.func.lower(Cluster.title) == title.lower(),
            Cluster.id != (cluster.id or 0),
        )
    )
    if taken is not None:
        raise DomainError(_("Your State already has a cluster of that title."), field="title")
    cluster.title = title
    cluster.description = clean(data.description, "description")
    cluster.themes = themes(data.theme_ids)
    cluster.institutions = state_rows(
        Institution, cluster.state_id, data.institution_ids, "institution_ids"
    )


def _move_into(cluster: Cluster, recommendation_ids: Iterable[int]) -> list[int]:
    """Put recommendations into `cluster`, taking them out of any other (one cluster each)."""
    recs = state_rows(Recommendation, cluster.state_id, recommendation_ids, "recommendation_ids")
    moving = [r for r in recs if r not in cluster.recommendations]
    ids = [r.id for r in moving]
    if ids:
        link = cluster_recommendation
        elsewhere = link.c.recommendation_id.in_(ids)
        others = set(db.session.scalars(sa.select(link.c.cluster_id).where(elsewhere)))
        db.session.execute(sa.delete(link).where(elsewhere))
        for other in db.session.scalars(sa.select(Cluster).where(Cluster.id.in_(others))):
            db.session.expire(other, ["recommendations"])  # their lists changed under the session
        cluster.recommendations.extend(moving)
    return ids


def create_cluster(actor: User, data: ClusterData, recommendation_ids: Iterable[int]) -> Cluster:
    """A new cluster of the actor's State holding these recommendations (moved from any other).

    Raises PermissionDenied, DomainError (no recommendation, a title taken, another State's row).
    """
    _require_planner(actor)
    ids = list(recommendation_ids)
    if not ids:
        raise DomainError(_("Choose at least one recommendation."), field="recommendation_ids")
    cluster = Cluster(state_id=actor.state_id, created_by_id=actor.id)
    _apply_cluster(cluster, data)
    db.session.add(cluster)
    db.session.flush()
    _move_into(cluster, ids)
    db.session.flush()
    record(actor, "cluster.create", cluster, after=snapshot(cluster, CLUSTER_FIELDS))
    return cluster


def update_cluster(actor: User, cluster: Cluster, data: ClusterData) -> None:
    _require_cluster_editor(actor, cluster)
    before = snapshot(cluster, CLUSTER_FIELDS)
    _apply_cluster(cluster, data)
    db.session.flush()
    record(actor, "cluster.update", cluster, before, snapshot(cluster, CLUSTER_FIELDS))


def add_to_cluster(actor: User, cluster: Cluster, recommendation_ids: Iterable[int]) -> int:
    """Move recommendations into the cluster; returns how many moved."""
    _require_cluster_editor(actor, cluster)
    moved = _move_into(cluster, recommendation_ids)
    if moved:
        db.session.flush()
        record(actor, "cluster.add", cluster, after={"recommendations": sorted(moved)})
    return len(moved)


def remove_from_cluster(actor: User, cluster: Cluster, recommendation_ids: Iterable[int]) -> int:
    _require_cluster_editor(actor, cluster)
    wanted = set(recommendation_ids)
    removed = sorted(r.id for r in cluster.recommendations if r.id in wanted)
    if removed:
        cluster.recommendations = [r for r in cluster.recommendations if r.id not in wanted]
        db.session.flush()
        record(actor, "cluster.remove", cluster, after={"recommendations": removed})
    return len(removed)


def split_cluster(
    actor: User, cluster: Cluster, recommendation_ids: Iterable[int], title: str
) -> Cluster:
    """Move some of a cluster's recommendations into a new cluster with the same themes and
    institutions; the measures stay with the original. Raises DomainError."""
    _require_cluster_editor(actor, cluster)
    wanted = set(recommendation_ids)
    members = {r.id for r in cluster.recommendations}
    if not wanted or not wanted <= members:
        raise DomainError(
            _("Tick the recommendations of this cluster that form the new one."),
            field="recommendation_ids",
        )
    if wanted == members:
        raise DomainError(
            _("Leave at least one recommendation in this cluster; rename it instead."),
            field="recommendation_ids",
        )
    data = ClusterData(
        title=title,
        description="",
        theme_ids=tuple(t.id for t in cluster.themes),
        institution_ids=tuple(i.id for i in cluster.institutions),
    )
    new = create_cluster(actor, data, sorted(wanted))
    record(actor, "cluster.split", cluster, after={"into": new.id})
    return new


def merge_clusters(actor: User, target: Cluster, source: Cluster) -> None:
    """Fold `source` into `target`: its recommendations, themes, institutions and measures
    move over, then `source` is deleted. Raises DomainError for the same or another State's."""
    _require_cluster_editor(actor, target)
    _require_cluster_editor(actor, source)
    if target.id == source.id or target.state_id != source.state_id:
        raise DomainError(_("Choose another cluster of your State to merge."), field="other")
    ids = [r.id for r in source.recommendations]
    target.themes = sorted({*target.themes, *source.themes}, key=lambda t: t.id)
    target.institutions = sorted({*target.institutions, *source.institutions}, key=lambda i: i.id)
    for measure in list(source.measures):
        measure.cluster = target
    source_id = source.id
    source.recommendations = []
    db.session.flush()
    _move_into(target, ids)
    db.session.delete(source)
    db.session.flush()
    record(actor, "cluster.merge", target, after={"merged": source_id, "recommendations": ids})


def delete_cluster(actor: User, cluster: Cluster) -> None:
    """Delete a cluster no measure is on; its recommendations become unclustered."""
    _require_cluster_editor(actor, cluster)
    if cluster.measures:
        raise DomainError(_("Measures are planned on this cluster: merge it into another instead."))
    record(actor, "cluster.delete", cluster, before=snapshot(cluster, CLUSTER_FIELDS))
    db.session.delete(cluster)
    db.session.flush()
