"""Pages for clusters: proposals to confirm, list, detail, edit, split, merge, delete."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tamatch.auth.permissions import role_required
from tamatch.extensions import db
from tamatch.forms import as_choices, load_theme_choices
from tamatch.models import Cluster, Role
from tamatch.planning import bp, services
from tamatch.planning.forms import (
    ClusterForm,
    ConfirmForm,
    MergeForm,
    RecommendationsForm,
    SplitForm,
)
from tamatch.planning.permissions import can_edit_cluster, can_see_measure
from tamatch.planning.queries import clusters_query, get_cluster, own_clusters, own_institutions
from tamatch.planning.suggest import suggestions
from tamatch.request_args import text_arg
from tamatch.unit_of_work import unit_of_work


def _ids(name: str = "recommendation_ids") -> list[int]:
    return [int(v) for v in request.form.getlist(name) if v.isdigit() and len(v) < 10]


def _cluster_form(state_id: int, cluster: Cluster | None = None) -> ClusterForm:
    form = ClusterForm(obj=cluster)
    load_theme_choices(form.theme_ids)
    form.institution_ids.choices = as_choices(
        (i.id, i.name) for i in own_institutions(state_id, include_archived=True)
    )
    members = cluster.recommendations if cluster else []
    form.recommendation_ids.choices = as_choices((r.id, r.reference) for r in members)
    if cluster is not None and request.method == "GET":
        form.theme_ids.data = [t.id for t in cluster.themes]
        form.institution_ids.data = [i.id for i in cluster.institutions]
    return form


def _cluster_data(form: ClusterForm) -> services.ClusterData:
    return services.ClusterData(
        title=form.title.data or "",
        description=form.description.data or "",
        theme_ids=tuple(form.theme_ids.data or ()),
        institution_ids=tuple(form.institution_ids.data or ()),
    )


@bp.get("/clusters")
@role_required(Role.FOCAL_POINT)
def clusters():
    q = text_arg("q")
    rows = db.session.scalars(clusters_query(current_user, current_user.state_id, q)).all()
    return render_template("planning/clusters.html", clusters=rows, q=q)


@bp.get("/clusters/suggestions")
@role_required(Role.FOCAL_POINT)
def suggest_clusters():
    return render_template(
        "planning/suggestions.html",
        suggestions=suggestions(current_user.state_id),
        form=ConfirmForm(),
    )


@bp.post("/clusters")
@role_required(Role.FOCAL_POINT)
def create_cluster():
    """Confirm a proposed cluster (or the cluster form): the ticked recommendations move in."""
    form = _cluster_form(current_user.state_id)
    form.recommendation_ids.choices = None  # any of the State's: the service checks them
    back = request.form.get("back") == "suggestions"
    if not form.validate_on_submit():
        flash(_("Give the cluster a title."), "danger")
        return redirect(url_for("planning.suggest_clusters" if back else "planning.clusters"))
    with unit_of_work() as work:
        cluster = services.create_cluster(current_user, _cluster_data(form), _ids())
    if work.failed:
        return redirect(url_for("planning.suggest_clusters" if back else "planning.clusters"))
    flash(
        _("Cluster created with %(n)s recommendations.", n=len(cluster.recommendations)), "success"
    )
    if back:
        return redirect(url_for("planning.suggest_clusters"))
    return redirect(url_for("planning.cluster", cluster_id=cluster.id))


@bp.get("/clusters/<int:cluster_id>")
def cluster(cluster_id: int):
    item = get_cluster(cluster_id, current_user)
    own = can_edit_cluster(current_user, item)
    merge = MergeForm()
    merge.other.choices = (
        as_choices((c.id, c.title) for c in own_clusters(item.state_id) if c.id != item.id)
        if own
        else []
    )
    return render_template(
        "planning/cluster.html",
        cluster=item,
        measures=[m for m in item.measures if can_see_measure(current_user, m)],
        split=SplitForm(),
        merge=merge,
        remove=RecommendationsForm(),
        confirm=ConfirmForm(),
        own=own,
    )


def _owned(cluster_id: int) -> Cluster:
    item = get_cluster(cluster_id, current_user)
    if not can_edit_cluster(current_user, item):
        abort(403)
    return item


@bp.route("/clusters/<int:cluster_id>/edit", methods=["GET", "POST"])
@role_required(Role.FOCAL_POINT)
def edit_cluster(cluster_id: int):
    item = _owned(cluster_id)
    form = _cluster_form(item.state_id, item)
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            services.update_cluster(current_user, item, _cluster_data(form))
        if not work.failed:
            flash(_("Changes saved."), "success")
            return redirect(url_for("planning.cluster", cluster_id=item.id))
    return render_template("planning/cluster_form.html", form=form, cluster=item)


def _act(cluster_id: int, action, message: str):
    """Run a cluster service on the ticked recommendations; flash its error or `message`."""
    item = _owned(cluster_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with unit_of_work() as work:
        result = action(item)
    if work.failed:
        return redirect(url_for("planning.cluster", cluster_id=item.id))
    flash(message, "success")
    target = result.id if isinstance(result, Cluster) else item.id
    return redirect(url_for("planning.cluster", cluster_id=target))


@bp.post("/clusters/<int:cluster_id>/split")
@role_required(Role.FOCAL_POINT)
def split_cluster(cluster_id: int):
    title = (request.form.get("title") or "").strip()[:200]
    return _act(
        cluster_id,
        lambda c: services.split_cluster(current_user, c, _ids(), title),
        _("Split off into a new cluster."),
    )


@bp.post("/clusters/<int:cluster_id>/merge")
@role_required(Role.FOCAL_POINT)
def merge_cluster(cluster_id: int):
    _owned(cluster_id)
    other_id = request.form.get("other", "")
    if not other_id.isdigit() or len(other_id) > 9:
        abort(400)
    other = _owned(int(other_id))
    return _act(
        cluster_id,
        lambda c: services.merge_clusters(current_user, c, other),
        _("Merged."),
    )


@bp.post("/clusters/<int:cluster_id>/remove")
@role_required(Role.FOCAL_POINT)
def remove_from_cluster(cluster_id: int):
    return _act(
        cluster_id,
        lambda c: services.remove_from_cluster(current_user, c, _ids()),
        _("Taken out of the cluster."),
    )


@bp.post("/clusters/<int:cluster_id>/delete")
@role_required(Role.FOCAL_POINT)
def delete_cluster(cluster_id: int):
    item = _owned(cluster_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with unit_of_work() as work:
        services.delete_cluster(current_user, item)
    if work.failed:
        return redirect(url_for("planning.cluster", cluster_id=item.id))
    flash(_("Cluster deleted; its recommendations are in no cluster now."), "success")
    return redirect(url_for("planning.clusters"))
