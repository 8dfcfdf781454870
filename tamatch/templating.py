"""Template globals and filters: permission predicates, labels, Babel formatters."""

from flask import Flask, request, url_for
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from tamatch.admin.forms import ORGANISATION_KIND_LABELS, ROLE_LABELS
from tamatch.auth import permissions
from tamatch.auth.permissions import PREDICATES
from tamatch.followup.permissions import PREDICATES as FOLLOWUP_PREDICATES
from tamatch.forms import REGIONAL_GROUP_LABELS
from tamatch.i18n.content import CONTENT_FUNCTIONS
from tamatch.i18n.locales import chosen_locale, current_locale_code, offered_locales
from tamatch.i18n.money import whole_dollars
from tamatch.i18n.names import state_name, term_name
from tamatch.interests.forms import LEVEL_LABELS
from tamatch.labels import (
    DECISION_LABELS,
    ENGAGEMENT_STATUS_LABELS,
    IMPLEMENTATION_LABELS,
    LIGHT_LABELS,
    OUTCOME_LABELS,
    PROPOSAL_STATUS_LABELS,
    RATING_LABELS,
    RESPONSE_LABELS,
    ROUND_ACTIONS,
    ROUND_STATUS_LABELS,
    RUN_STATUS_LABELS,
    SIDE_LABELS,
    STATUS_LABELS,
)
from tamatch.models import (
    EngagementStatus,
    NeedStatus,
    OfferStatus,
    PairRuleKind,
    ProposalStatus,
    RegionalGroup,
    ReportStatus,
    Role,
    RoundStatus,
    RunStatus,
    Side,
)
from tamatch.needs.forms import PRIORITY_LABELS, VISIBILITY_LABELS
from tamatch.notifications.services import unread_count
from tamatch.offers.forms import MODALITY_LABELS
from tamatch.planning.labels import LABELS as PLANNING_LABELS
from tamatch.planning.permissions import PREDICATES as PLANNING_PREDICATES
from tamatch.rounds.permissions import PREDICATES as ROUND_PREDICATES
from tamatch.rounds.progress import error_words, progress_words
from tamatch.rounds.render import TEMPLATE_FUNCTIONS as RENDER_FUNCTIONS
from tamatch.state_status import ldc_label, standing_label

# The enums templates compare with (never their string values), and the role groups.
ENUMS = (EngagementStatus, NeedStatus, OfferStatus, PairRuleKind, ProposalStatus, ReportStatus,
         Role, RoundStatus, RunStatus, Side)  # fmt: skip
ROLE_GROUPS = ("ROUND_ROLES", "SIDE_ROLES", "FOLLOW_UP_ROLES", "ASSESSOR_ROLES", "STEWARD_ROLES")

STATUS_ACTIONS = {
    NeedStatus.OPEN: _l("Publish"),
    NeedStatus.WITHDRAWN: _l("Withdraw"),
    NeedStatus.DRAFT: _l("Reopen as draft"),
    NeedStatus.COMPLETED: _l("Mark completed"),
    OfferStatus.CLOSED: _l("Close"),
}
STATUS_BADGES = {
    "draft": "secondary",
    "open": "primary",
    "matched": "info",
    "in_progress": "warning",
    "completed": "success",
    "withdrawn": "dark",
    "closed": "dark",
}


def group_label(value: str | None) -> str:
    """The display name of a regional group code ("" or None: the observer States, in none)."""
    if not value:
        return _("Non-member observer States")
    try:
        return str(REGIONAL_GROUP_LABELS[RegionalGroup(value)])
    except ValueError:
        return value


def select_options(options, selected) -> Markup:
    """The <option> elements of a filter (long lists: the 193 States), every value escaped."""
    chosen = None if selected is None else str(selected)
    return Markup("").join(
        Markup('<option value="{}"{}>{}</option>').format(
            value, Markup(" selected") if str(value) == chosen else "", text
        )
        for value, text in options
    )


def money(value: int | None) -> str:
    """US dollars with grouping, in the user's locale."""
    return "" if value is None else whole_dollars(value)


def url_with(**changes) -> str:
    """The current URL with query arguments changed (None removes one); used by pagination."""
    args = request.args.to_dict()
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def text_direction() -> str:
    """`rtl` for Arabic and other right-to-left locales, else `ltr`."""
    locale = get_locale()
    return locale.text_direction if locale is not None else "ltr"


def init_templating(app: Flask) -> None:
    app.jinja_env.policies["ext.i18n.trimmed"] = True  # as babel.cfg extracts them
    app.jinja_env.globals.update(PREDICATES)
    app.jinja_env.globals.update(FOLLOWUP_PREDICATES)
    app.jinja_env.globals.update(ROUND_PREDICATES)
    app.jinja_env.globals.update(progress_words=progress_words, error_words=error_words)
    app.jinja_env.globals.update(RENDER_FUNCTIONS)
    app.jinja_env.globals.update(CONTENT_FUNCTIONS)
    app.jinja_env.globals.update({enum.__name__: enum for enum in ENUMS})
    app.jinja_env.globals.update({name: getattr(permissions, name) for name in ROLE_GROUPS})
    app.jinja_env.globals.update(PLANNING_PREDICATES)
    app.jinja_env.globals.update(PLANNING_LABELS)
    app.jinja_env.globals.update(
        url_with=url_with,
        select_options=select_options,
        current_locale_code=current_locale_code,
        chosen_locale=chosen_locale,
        offered_locales=offered_locales,
        text_direction=text_direction,
        ROLE_LABELS=ROLE_LABELS,
        ORGANISATION_KIND_LABELS=ORGANISATION_KIND_LABELS,
        REGIONAL_GROUP_LABELS=REGIONAL_GROUP_LABELS,
        STATUS_LABELS=STATUS_LABELS,
        STATUS_ACTIONS=STATUS_ACTIONS,
        STATUS_BADGES=STATUS_BADGES,
        RESPONSE_LABELS=RESPONSE_LABELS,
        VISIBILITY_LABELS=VISIBILITY_LABELS,
        PRIORITY_LABELS=PRIORITY_LABELS,
        LEVEL_LABELS=LEVEL_LABELS,
        MODALITY_LABELS=MODALITY_LABELS,
        ROUND_STATUS_LABELS=ROUND_STATUS_LABELS,
        ROUND_ACTIONS=ROUND_ACTIONS,
        RUN_STATUS_LABELS=RUN_STATUS_LABELS,
        PROPOSAL_STATUS_LABELS=PROPOSAL_STATUS_LABELS,
        DECISION_LABELS=DECISION_LABELS,
        ENGAGEMENT_STATUS_LABELS=ENGAGEMENT_STATUS_LABELS,
        IMPLEMENTATION_LABELS=IMPLEMENTATION_LABELS,
        RATING_LABELS=RATING_LABELS,
        OUTCOME_LABELS=OUTCOME_LABELS,
        SIDE_LABELS=SIDE_LABELS,
        LIGHT_LABELS=LIGHT_LABELS,
    )
    app.jinja_env.filters.update(
        money=money,
        date=format_date,
        datetime=format_datetime,
        number=format_decimal,
        group_label=group_label,
        ldc_label=ldc_label,
        standing_label=standing_label,
        state_name=state_name,
        term=term_name,
    )

    @app.context_processor
    def unread_notifications() -> dict:
        if not current_user.is_authenticated:
            return {"unread_notifications": 0}
        return {"unread_notifications": unread_count(current_user)}
