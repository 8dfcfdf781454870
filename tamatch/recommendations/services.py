"""Finding recommendations: text search and filters, applied in SQL."""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tamatch.auth.permissions import visible_needs_clause
from tamatch.extensions import db
from tamatch.models import (
    Need,
    Recommendation,
    Response,
    User,
)
from tamatch.models import (
    recommendation as rec_module,
)
from tamatch.models.need import need_recommendation


@dataclass(frozen=True, slots=True)
class RecommendationFilters:
    q: str | None = None
    state_id: int | None = None
    mechanism_id: int | None = None
    theme_id: int | None = None
    sdg_id: int | None = None
    response: Response | None = None


def _words(q: str) -> list[str]:
    return [w for w in q.split() if w][:8]


def search_clause(q: str) -> sa.ColumnElement[bool]:
    """Every word must appear in the text, the symbol or the paragraph (case-insensitive)."""
    conditions = []
    for word in _words(q):
        conditions.append(
            sa.or_(
                Recommendation.text.icontains(word, autoescape=True),
                Recommendation.document_symbol.icontains(word, autoescape=True),
                Recommendation.paragraph.icontains(word, autoescape=True),
            )
        )
    return sa.and_(sa.true(), *conditions)


def recommendations_query(filters: RecommendationFilters) -> sa.Select:
    """SELECT of recommendations matching `filters`, newest first."""
    stmt = sa.select(Recommendation)
    if filters.q:
        stmt = stmt.where(search_clause(filters.q))
    if filters.state_id:
        stmt = stmt.where(Recommendation.state_id == filters.state_id)
    if filters.mechanism_id:
        stmt = stmt.where(Recommendation.mechanism_id == filters.mechanism_id)
    if filters.response:
        stmt = stmt.where(Recommendation.response == filters.response)
    if filters.theme_id:
        link = rec_module.recommendation_theme
        stmt = stmt.where(
            Recommendation.id.in_(
                sa.select(link.c.recommendation_id).where(link.c.theme_id == filters.theme_id)
            )
        )
    if filters.sdg_id:
        link = rec_module.recommendation_sdg
        stmt = stmt.where(
            Recommendation.id.in_(
                sa.select(link.c.recommendation_id).where(link.c.sdg_id == filters.sdg_id)
            )
        )
    return stmt.options(
        selectinload(Recommendation.state), selectinload(Recommendation.mechanism)
    ).order_by(Recommendation.issued_on.desc().nulls_last(), Recommendation.id.desc())


def state_recommendations(
    state_id: int, q: str | None, selected_ids: list[int], limit: int = 25
) -> list[Recommendation]:
    """The selected recommendations first, then up to `limit` others of the State matching `q`."""
    selected = []
    if selected_ids:
        selected = list(
            db.session.scalars(
                sa.select(Recommendation).where(
                    Recommendation.id.in_(selected_ids), Recommendation.state_id == state_id
                )
            )
        )
    stmt = recommendations_query(RecommendationFilters(q=q, state_id=state_id))
    if selected_ids:
        stmt = stmt.where(Recommendation.id.not_in(selected_ids))
    return selected + list(db.session.scalars(stmt.limit(limit)))


def needs_citing(recommendation: Recommendation, user: User | None) -> list[Need]:
    """Needs that cite `recommendation` and that `user` may see."""
    return list(
        db.session.scalars(
            sa.select(Need)
            .join(need_recommendation, need_recommendation.c.need_id == Need.id)
            .where(
                need_recommendation.c.recommendation_id == recommendation.id,
                visible_needs_clause(user),
            )
            .order_by(Need.created_at.desc())
        )
    )
