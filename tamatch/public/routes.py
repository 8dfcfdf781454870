"""The public figures page and the State page, each within the viewer's visibility rules."""

from datetime import date

from flask import abort, render_template
from flask_babel import gettext as _
from flask_login import current_user

from tamatch.auth.permissions import visible_needs_clause
from tamatch.followup import dashboard as figures
from tamatch.followup.figure_views import Figures, status_view
from tamatch.labels import ENGAGEMENT_STATUS_LABELS
from tamatch.models import Recommendation
from tamatch.public import bp
from tamatch.public.queries import (
    engagement_lines,
    headline,
    own_words,
    state_by_code,
    state_needs,
)

PUBLIC_FIGURES = ("response-by-group", "response-by-flag", "response-by-theme", "reports-by-side",
                  "status-by-mechanism")  # fmt: skip


@bp.get("/public/")
def index():
    scope, today = figures.public_scope(), date.today()
    built = Figures(scope, today)
    return render_template(
        "public/index.html",
        headline=headline(scope, today),
        views=[built.build(key) for key in PUBLIC_FIGURES],
    )


@bp.get("/states/<iso3>")
def state(iso3: str):
    found = state_by_code(iso3) or abort(404)
    today, scope = date.today(), visible_needs_clause(current_user)
    rows = figures.status_rows(scope, today, Recommendation.state_id == found.id, "mechanism")
    title = _("Recommendations received, by mechanism and current implementation status")
    needs, needs_total = state_needs(current_user, found)
    return render_template(
        "public/state.html",
        state=found,
        recommendations=status_view("state-recommendations", title, rows, _("Mechanism"))
        if rows
        else None,
        needs=needs,
        needs_total=needs_total,
        engagements=engagement_lines(current_user, found, today),
        words=own_words(current_user, found),
        engagement_labels=ENGAGEMENT_STATUS_LABELS,
    )
