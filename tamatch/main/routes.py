"""The home page: what each role should do next."""

from flask import render_template
from flask_login import current_user

from tamatch.main import bp, services
from tamatch.models import Role


@bp.get("/")
def home():
    if not current_user.is_authenticated:
        return render_template("main/welcome.html")
    role = current_user.role
    context: dict = {}
    if role == Role.FOCAL_POINT:
        context["needs_by_status"] = services.state_needs_by_status(current_user.state_id)
        from tamatch.planning.dashboard import plan_summary

        context["plan"] = plan_summary(current_user.state_id)
    elif role == Role.PARTNER:
        context["offers"] = services.organisation_offers(current_user.organisation_id)
    elif role in (Role.ORGANISER, Role.REVIEWER):
        context["by_theme"] = services.open_counts_by_theme(current_user)
        context["by_region"] = services.open_needs_by_region(current_user)
    elif role == Role.ADMIN:
        context["figures"] = services.admin_figures()
    return render_template(f"main/home_{role.value}.html", **context)
