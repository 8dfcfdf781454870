"""Cluster proposals from the related-recommendations graph; the officer confirms each one."""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tamatch.extensions import db
from tamatch.models import Cluster, Recommendation, RelatedRecommendation, Theme
from tamatch.models.planning import cluster_recommendation

MIN_SIMILARITY = 0.2
MAX_SIZE = 25  # larger groups stop being a cluster one measure can answer
MAX_THEMES = 3


def group(
    ids: Iterable[int],
    edges: Iterable[tuple[int, int, float]],
    min_similarity: float = MIN_SIMILARITY,
    max_size: int = MAX_SIZE,
) -> list[list[int]]:
    """Groups of two or more ids joined by similar pairs, strongest pairs first, no group
    growing beyond `max_size` (single linkage with a cap). Pure and deterministic.

    >>> group([1, 2, 3, 4], [(1, 2, 0.9), (2, 3, 0.5), (3, 4, 0.1)])
    [[1, 2, 3]]
    >>> group([1, 2, 3], [(1, 2, 0.9), (2, 3, 0.8)], max_size=2)
    [[1, 2]]
    """
    parent = {i: i for i in ids}
    size = dict.fromkeys(parent, 1)

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    strong = sorted(
        ((s, a, b) for a, b, s in edges if s >= min_similarity and a in parent and b in parent),
        key=lambda e: (-e[0], min(e[1], e[2]), max(e[1], e[2])),
    )
    for _similarity, a, b in strong:
        ra, rb = root(a), root(b)
        if ra != rb and size[ra] + size[rb] <= max_size:
            ra, rb = min(ra, rb), max(ra, rb)
            parent[rb], size[ra] = ra, size[ra] + size[rb]
    groups: dict[int, list[int]] = {}
    for i in sorted(parent):
        groups.setdefault(root(i), []).append(i)
    found = [members for members in groups.values() if len(members) > 1]
    return sorted(found, key=lambda m: (-len(m), m[0]))


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A proposed cluster: a title from its commonest theme, its members and themes."""

    title: str
    recommendations: Sequence[Recommendation]
    themes: Sequence[Theme]


def _unclustered(state_id: int) -> list[Recommendation]:
    clustered = sa.select(cluster_recommendation.c.recommendation_id)
    return list(
        db.session.scalars(
            sa.select(Recommendation)
            .where(Recommendation.state_id == state_id, Recommendation.id.not_in(clustered))
            .options(selectinload(Recommendation.themes), selectinload(Recommendation.mechanism))
        )
    )


def suggestions(state_id: int, limit: int = 20) -> list[Suggestion]:
    """Proposed clusters among the State's recommendations that are in no cluster yet."""
    recs = {r.id: r for r in _unclustered(state_id)}
    if len(recs) < 2:
        return []
    link = RelatedRecommendation
    edges = db.session.execute(
        sa.select(link.recommendation_id, link.related_id, link.similarity).where(
            link.recommendation_id.in_(recs), link.related_id.in_(recs)
        )
    ).all()
    used = {
        t.lower()
        for t in db.session.scalars(sa.select(Cluster.title).where(Cluster.state_id == state_id))
    }
    out = []
    for members in group(recs, [tuple(e) for e in edges])[:limit]:
        rows = [recs[i] for i in members]
        counts = Counter(t for r in rows for t in r.themes)
        ranked = sorted(counts, key=lambda t: (-counts[t], t.name))[:MAX_THEMES]
        title = _unique(ranked[0].name if ranked else rows[0].text[:80], used)
        out.append(Suggestion(title=title, recommendations=rows, themes=ranked))
    return out


def _unique(title: str, used: set[str]) -> str:
    """The title, numbered when an existing cluster or an earlier proposal has it."""
    candidate, n = title, 1
    while candidate.lower() in used:
        n += 1
        candidate = f"{title} ({n})"
    used.add(candidate.lower())
    return candidate
