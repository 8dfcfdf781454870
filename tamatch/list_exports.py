"""CSV and XLSX downloads of the recommendations, needs and offers lists, as filtered on screen.

The frames come from the same queries as the pages (so the same visibility rules apply), every
cell is neutralised against spreadsheet formulas by tamatch.exports, and each export is audited.
"""

import pandas as pd
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from tamatch.audit import record
from tamatch.extensions import db
from tamatch.i18n.names import state_name
from tamatch.labels import RESPONSE_LABELS, STATUS_LABELS, label
from tamatch.models import Need, Offer, Recommendation, User
from tamatch.needs.forms import PRIORITY_LABELS, VISIBILITY_LABELS
from tamatch.needs.queries import NeedFilters, needs_query
from tamatch.offers.forms import MODALITY_LABELS
from tamatch.offers.queries import OfferFilters, offers_query
from tamatch.recommendations.services import RecommendationFilters, recommendations_query

MAX_ROWS = 50_000


def _names(terms) -> str:
    return "; ".join(sorted(t.name for t in terms))


def recommendations_frame(filters: RecommendationFilters) -> pd.DataFrame:
    stmt = recommendations_query(filters).options(
        selectinload(Recommendation.themes),
        selectinload(Recommendation.sdgs),
        selectinload(Recommendation.recommending_states),
    )
    rows = [
        {
            _("ID"): r.id,
            _("State"): state_name(r.state),
            _("Mechanism"): r.mechanism.code,
            _("Body"): r.body,
            _("Session"): r.session or "",
            _("Cycle"): r.cycle,
            _("Document"): r.document_symbol or "",
            _("Paragraph"): r.paragraph or "",
            _("Date"): r.issued_on.isoformat() if r.issued_on else "",
            _("Recommended by"): _names(r.recommending_states),
            _("Response"): label(RESPONSE_LABELS, r.response),
            _("Response as given"): r.response_text or "",
            _("Themes"): _names(r.themes),
            _("SDGs"): "; ".join(str(s.number) for s in sorted(r.sdgs, key=lambda s: s.number)),
            _("Text"): r.text,
        }
        for r in db.session.scalars(stmt.limit(MAX_ROWS))
    ]
    return pd.DataFrame(rows)


def needs_frame(user: User | None, filters: NeedFilters) -> pd.DataFrame:
    stmt = needs_query(user, filters).options(
        selectinload(Need.themes),
        selectinload(Need.support_kinds),
        selectinload(Need.languages),
        selectinload(Need.recommendations),
    )
    rows = [
        {
            _("ID"): n.id,
            _("State"): state_name(n.state),
            _("Title"): n.title,
            _("Status"): label(STATUS_LABELS, n.status),
            _("Visibility"): label(VISIBILITY_LABELS, n.visibility),
            _("Themes"): _names(n.themes),
            _("Kinds of support"): _names(n.support_kinds),
            _("Languages"): _names(n.languages),
            _("Cost from (USD)"): n.cost_min,
            _("Cost up to (USD)"): n.cost_max,
            _("Start from"): n.window_start.isoformat(),
            _("Start until"): n.window_end.isoformat(),
            _("Priority"): label(PRIORITY_LABELS, n.priority),
            _("Recommendations"): "; ".join(r.reference for r in n.recommendations),
            _("The gap"): n.gap,
        }
        for n in db.session.scalars(stmt.limit(MAX_ROWS))
    ]
    return pd.DataFrame(rows)


def offers_frame(user: User | None, filters: OfferFilters) -> pd.DataFrame:
    stmt = offers_query(user, filters).options(
        selectinload(Offer.themes), selectinload(Offer.support_kinds), selectinload(Offer.languages)
    )
    rows = [
        {
            _("ID"): o.id,
            _("Organisation"): o.organisation.name,
            _("Title"): o.title,
            _("Status"): label(STATUS_LABELS, o.status),
            _("Modality"): label(MODALITY_LABELS, o.modality),
            _("Themes"): _names(o.themes),
            _("Kinds of support"): _names(o.support_kinds),
            _("Languages"): _names(o.languages),
            _("Capacity"): o.capacity,
            _("Engagements left"): o.remaining_capacity,
            _("Budget (USD)"): o.budget,
            _("Budget left (USD)"): o.remaining_budget,
            _("Typical cost (USD)"): o.typical_cost,
            _("Available from"): o.window_start.isoformat(),
            _("Available until"): o.window_end.isoformat(),
            _("Description"): o.description,
        }
        for o in db.session.scalars(stmt.limit(MAX_ROWS))
    ]
    return pd.DataFrame(rows)


def audit_list_export(user: User | None, what: str, fmt: str, rows: int) -> None:
    """Record who exported which list (anonymous exports of public lists too)."""
    actor = user if user is not None and user.is_authenticated else None
    record(actor, f"export.{what}", what, after={"format": fmt, "rows": rows})
