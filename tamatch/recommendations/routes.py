"""Pages for recommendations: searchable, filterable list and a detail page."""

from flask import abort, render_template
from flask_login import current_user

from tamatch.exports import export_response
from tamatch.extensions import db
from tamatch.followup.permissions import can_see_report
from tamatch.followup.services import status_history
from tamatch.forms import cached_choices, state_choices
from tamatch.i18n.names import term_name
from tamatch.list_exports import audit_list_export, recommendations_frame
from tamatch.models import Mechanism, Recommendation, Response, Sdg, Theme
from tamatch.recommendations import bp
from tamatch.recommendations.related import related_for
from tamatch.recommendations.services import (
    RecommendationFilters,
    citation_choices,
    needs_citing,
    recommendations_page,
)
from tamatch.request_args import enum_arg, int_arg, paged, text_arg
from tamatch.templating import RESPONSE_LABELS
from tamatch.unit_of_work import unit_of_work


def _choices(model, order, label) -> list[tuple[int, str]]:
    return cached_choices(
        f"{model.__name__}:filter",
        lambda: [
            (row.id, label(row)) for row in db.session.scalars(db.select(model).order_by(order))
        ],
    )


@bp.get("/")
def index():
    filters = _filters()
    found = paged(lambda page, size: recommendations_page(filters, page, size))
    return render_template(
        "recommendations/index.html",
        page=found.page,
        found=found,
        filters=filters,
        states=state_choices(),
        mechanisms=_choices(Mechanism, Mechanism.code, lambda m: m.code),
        themes=[
            (key, term_name(name)) for key, name in _choices(Theme, Theme.code, lambda t: t.name)
        ],
        sdgs=_choices(Sdg, Sdg.number, lambda s: str(s.number)),
        responses=[(r.value, RESPONSE_LABELS[r]) for r in Response],
        **citation_choices(),
    )


def _filters() -> RecommendationFilters:
    return RecommendationFilters(
        q=text_arg("q"),
        state_id=int_arg("state"),
        mechanism_id=int_arg("mechanism"),
        body=text_arg("body"),
        cycle=int_arg("cycle"),
        session=text_arg("session", 60),
        theme_id=int_arg("theme"),
        sdg_id=int_arg("sdg"),
        response=enum_arg("response", Response),
    )


@bp.get("/export.<fmt>")
def export(fmt: str):
    """The list as filtered on screen, as CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        abort(404)
    frame = recommendations_frame(_filters())
    with unit_of_work(reraise=True):
        audit_list_export(current_user, "recommendations", fmt, len(frame))
    return export_response(frame, "recommendations", fmt)


@bp.get("/<int:recommendation_id>")
def detail(recommendation_id: int):
    recommendation = db.session.get(Recommendation, recommendation_id)
    if recommendation is None:
        abort(404)
    history = [
        (report, status)
        for report, status in status_history(recommendation.id)
        if can_see_report(current_user, report)
    ]
    return render_template(
        "recommendations/detail.html",
        rec=recommendation,
        needs=needs_citing(recommendation, current_user),
        history=history,
        related=related_for(recommendation.id),
    )
