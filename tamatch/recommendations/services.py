"""Finding recommendations: filters and search (tamatch.recommendations.search), in SQL."""

import re
from dataclasses import dataclass, field, replace

import sqlalchemy as sa
from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy.orm import selectinload

from tamatch.auth.permissions import visible_needs_clause
from tamatch.extensions import db
from tamatch.forms import cached_choices
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
from tamatch.recommendations.search import (
    NEWEST,
    SearchQuery,
    Segment,
    count_words,
    excerpt,
    highlights,
    parse_query,
    rank,
    restrict,
)

# Matches are counted exactly up to MATCH_LIMIT ("more than 10,000" beyond), and ranked by
# relevance when at most RANK_LIMIT match; a search matching more (one common word over the
# whole Index) is shown newest first, with a word to say so.
MATCH_LIMIT = 10_000
RANK_LIMIT = 5_000
TEXT_SHOWN = 300  # characters of each text on the list


@dataclass(frozen=True, slots=True)
class RecommendationFilters:
    q: str | None = None
    state_id: int | None = None
    mechanism_id: int | None = None
    body: str | None = None
    cycle: int | None = None
    session: str | None = None
    theme_id: int | None = None
    sdg_id: int | None = None
    response: Response | None = None


def _filtered(filters: RecommendationFilters) -> sa.Select:
    """SELECT of the recommendations that pass every filter but the search."""
    rec = Recommendation
    stmt = sa.select(rec)
    for column, value in (
        (rec.state_id, filters.state_id),
        (rec.mechanism_id, filters.mechanism_id),
        (rec.body, filters.body),
        (rec.cycle, filters.cycle),
        (rec.session, filters.session),
        (rec.response, filters.response),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    for link, column, value in (
        (rec_module.recommendation_theme, "theme_id", filters.theme_id),
        (rec_module.recommendation_sdg, "sdg_id", filters.sdg_id),
    ):
        if value is not None:
            linked = sa.select(link.c.recommendation_id).where(link.c[column] == value)
            stmt = stmt.where(rec.id.in_(linked))
    return stmt


def count_matches(stmt: sa.Select, limit: int | None = None) -> int:
    """How many rows `stmt` gives, counting no further than `limit` (MATCH_LIMIT) + 1."""
    limit = MATCH_LIMIT if limit is None else limit
    ids = stmt.with_only_columns(Recommendation.id).order_by(None).limit(limit + 1).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(ids)) or 0


def _ordered(stmt: sa.Select, query: SearchQuery, total: int) -> tuple[sa.Select, bool]:
    """`stmt` by relevance (words searched, at most RANK_LIMIT matches) or newest first."""
    ranked = bool(query.words) and total <= RANK_LIMIT
    stmt = rank(stmt, query) if ranked else stmt.order_by(*NEWEST)
    loads = (
        selectinload(Recommendation.state),
        selectinload(Recommendation.mechanism),
        selectinload(Recommendation.translations),
    )
    return stmt.options(*loads), ranked


def recommendations_query(filters: RecommendationFilters) -> sa.Select:
    """SELECT of the recommendations matching `filters`: by relevance when words are searched
    (and at most RANK_LIMIT match), otherwise newest first."""
    query = parse_query(filters.q)
    stmt = restrict(_filtered(filters), query)
    total = _count(filters, query, stmt, RANK_LIMIT) if query.words else 0
    return _ordered(stmt, query, total)[0]


def _count(filters: RecommendationFilters, query: SearchQuery, stmt: sa.Select, limit: int) -> int:
    """count_matches, from the search index alone when only words are searched."""
    words_only = replace(filters, q=None) == RecommendationFilters()
    counted = count_words(query, limit) if words_only else None
    return count_matches(stmt, limit) if counted is None else counted


class CountedPagination(SelectPagination):
    """A page whose total was counted beforehand, up to `limit` + 1 (see count_matches)."""

    def _query_count(self) -> int:
        return self._query_args["total"]

    @property
    def limit(self) -> int:
        return self._query_args["limit"]

    @property
    def more(self) -> bool:
        """More than `limit` match: the pages shown stop there."""
        return (self.total or 0) > self.limit


@dataclass
class RecommendationPage:
    """One page of the list: the rows, how they were found and their highlighted texts."""

    page: CountedPagination
    query: SearchQuery
    ranked: bool
    highlights: dict[int, list[Segment]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return self.page.pages


def recommendations_page(
    filters: RecommendationFilters, page: int | None = None, per_page: int | None = None
) -> RecommendationPage:
    """The page of `filters` the list shows, with one (bounded) count."""
    query = parse_query(filters.q)
    stmt = restrict(_filtered(filters), query)
    total = _count(filters, query, stmt, MATCH_LIMIT)
    ordered, ranked = _ordered(stmt, query, total)
    pagination = CountedPagination(
        select=ordered,
        session=db.session,
        total=total,
        limit=MATCH_LIMIT,
        page=page,
        per_page=per_page,
        max_per_page=100,
        error_out=False,
    )
    marked = highlights((r.id for r in pagination.items), query)
    shown = {rec_id: excerpt(parts, TEXT_SHOWN) for rec_id, parts in marked.items()}
    return RecommendationPage(pagination, query, ranked, shown)


def _natural(value: str) -> list:
    """ "UPR 9" before "UPR 10": digit runs compare as numbers."""
    return [int(p) if i % 2 else p.casefold() for i, p in enumerate(re.split(r"(\d+)", value))]


def _distinct(column: sa.ColumnElement) -> list:
    return list(db.session.scalars(sa.select(column).where(column.is_not(None)).distinct()))


def citation_choices() -> dict[str, list[tuple]]:
    """The bodies, cycles and sessions the recommendations have, for the list's filters."""
    rec = Recommendation

    def texts(column: sa.ColumnElement) -> list[tuple[str, str]]:
        return [(value, value) for value in sorted(_distinct(column), key=_natural)]

    return {
        "bodies": cached_choices("Recommendation:body", lambda: texts(rec.body)),
        "cycles": cached_choices(
            "Recommendation:cycle", lambda: [(c, str(c)) for c in sorted(_distinct(rec.cycle))]
        ),
        "sessions": cached_choices("Recommendation:session", lambda: texts(rec.session)),
    }


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


def state_recommendations_total(state_id: int, q: str | None, selected_ids: list[int]) -> int:
    """How many recommendations of the State match `q` besides the selected ones (counting
    up to MATCH_LIMIT + 1), so that a page showing the first few can say so."""
    stmt = recommendations_query(RecommendationFilters(q=q, state_id=state_id))
    if selected_ids:
        stmt = stmt.where(Recommendation.id.not_in(selected_ids))
    return count_matches(stmt)


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
