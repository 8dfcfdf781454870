"""Outcomes dashboard (SVG charts, tables, CSV/XLSX) and the good-practice library."""

from datetime import date

from flask import abort, render_template, request
from flask_login import current_user

from tamatch.audit import record
from tamatch.auth.permissions import ASSESSOR_ROLES, role_required, visible_needs_clause
from tamatch.exports import export_response
from tamatch.extensions import db
from tamatch.followup import bp
from tamatch.followup.figure_views import BUILDERS, SECTIONS, Figures
from tamatch.followup.queries import practices_query
from tamatch.forms import term_choices
from tamatch.models import GoodPractice, SupportKind, Theme, User
from tamatch.request_args import int_arg, paginate, text_arg
from tamatch.unit_of_work import unit_of_work


def _figures_for(user: User) -> Figures:
    unit = "month" if request.args.get("period") == "month" else "quarter"
    return Figures(visible_needs_clause(user), date.today(), unit)


@bp.get("/dashboard")
@role_required(*ASSESSOR_ROLES)
def dashboard():
    built = _figures_for(current_user)
    sections = [(name, [built.build(key) for key in keys]) for name, keys in SECTIONS]
    return render_template("followup/dashboard.html", sections=sections, unit=built.unit)


@bp.get("/dashboard/<figure>.<fmt>")
@role_required(*ASSESSOR_ROLES)
def dashboard_download(figure: str, fmt: str):
    if figure not in BUILDERS or fmt not in ("csv", "xlsx"):
        abort(404)
    built = _figures_for(current_user)
    frame = built.build(figure).frame
    with unit_of_work(reraise=True):
        after = {"figure": figure, "format": fmt, "rows": len(frame)}
        record(current_user, "export.dashboard", "dashboard", after=after)
    return export_response(frame, f"{figure}-{built.today.isoformat()}", fmt)


# --- good practices -----------------------------------------------------------------------------


@bp.get("/practices")
def practices():
    q = text_arg("q")
    theme_id, kind_id = int_arg("theme"), int_arg("kind")
    page = paginate(practices_query(current_user, q, theme_id, kind_id))
    return render_template(
        "followup/practices.html",
        page=page,
        q=q,
        theme_id=theme_id,
        kind_id=kind_id,
        themes=term_choices(Theme),
        kinds=term_choices(SupportKind),
    )


@bp.get("/practices/<int:practice_id>")
def practice_detail(practice_id: int):
    stmt = practices_query(current_user, None, None, None).where(GoodPractice.id == practice_id)
    found = db.session.scalar(stmt) or abort(404)
    return render_template("followup/practice.html", practice=found)
