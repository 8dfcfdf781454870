"""Related recommendations: TF-IDF cosine neighbours within each State, across mechanisms."""

import re
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tamatch.extensions import db
from tamatch.models import Recommendation, RelatedRecommendation, State

if TYPE_CHECKING:  # scikit-learn takes seconds to import: only the computation loads it
    from sklearn.feature_extraction.text import TfidfVectorizer

PER_RECOMMENDATION = 5
MIN_SIMILARITY = 0.15  # on Slovenia's UPR texts: lower adds noise, higher misses other cycles
_BLOCK = 512  # rows of the similarity matrix computed (and densified) at a time
_CHUNK = 5000  # rows per INSERT / IN (...) list

# Words every recommendation uses: they would make unrelated texts look alike.
# fmt: off
DOMAIN_STOP_WORDS = frozenset((
    "continue", "continued", "continues", "continuing", "consider", "considering", "ensure",
    "ensuring", "strengthen", "strengthening", "step", "steps", "take", "taking", "measures",
    "measure", "efforts", "effort", "further", "intensify", "redouble", "pursue", "undertake",
    "adopt", "adopting", "necessary", "appropriate", "effective", "effectively", "particular",
    "particularly", "including", "inter", "alia", "state", "states", "party", "parties",
    "committee", "recommends", "recommend", "recommended", "urges", "urge", "encourages",
    "encourage", "calls", "requests", "invites", "notes", "reiterates", "previous",
    "recommendation", "recommendations", "view", "order", "aimed", "aim", "relevant", "country",
    "national", "existing", "make", "making", "provide", "providing", "fully", "full",
    "possible",
))
# fmt: on

# "(Croatia);", "(Portugal, Slovakia)." or "(Venezuela (Bolivarian Republic of));" closing a
# recommendation (merged UPR recommendations have several), or "(synthetic recommendation 12).".
_RECOMMENDERS = re.compile(r"\s*\((?:[^()]|\([^()]*\))*\)\s*(?:;|[.,]?\s*$)")
_WHITESPACE = re.compile(r"\s+")
_WORD = r"(?u)\b[^\W\d_]{2,}\b"  # words of two letters or more, without digits


def clean_text(text: str) -> str:
    """The recommendation text without its "(recommending States);" suffixes."""
    text = _WHITESPACE.sub(" ", text).strip()
    stripped = _RECOMMENDERS.sub(" ", text).strip()
    return stripped or text


@cache
def stop_words() -> list[str]:
    """scikit-learn's English stop words (built in, nothing downloaded) and the domain's."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return sorted(ENGLISH_STOP_WORDS | DOMAIN_STOP_WORDS)


def _vectorizer() -> "TfidfVectorizer":
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        lowercase=True,
        stop_words=stop_words(),
        token_pattern=_WORD,
        ngram_range=(1, 2),
        sublinear_tf=True,
        dtype=np.float32,
    )


@dataclass(frozen=True, slots=True)
class Neighbour:
    """One stored relation: `related_id` is similar to `recommendation_id`."""

    recommendation_id: int
    related_id: int
    similarity: float


def neighbours(
    ids: Sequence[int],
    texts: Sequence[str],
    per_recommendation: int = PER_RECOMMENDATION,
    min_similarity: float = MIN_SIMILARITY,
    groups: Sequence[Hashable] | None = None,
) -> list[Neighbour]:
    """The top `per_recommendation` neighbours (similarity >= min_similarity) of each text.

    `groups` (e.g. the document or review each recommendation comes from) spreads the choice:
    at most ceil(k/2) neighbours come from the recommendation's own group while others qualify,
    since the point is to link other cycles and mechanisms. Pure function over one State's
    recommendations; ties go to the smaller id, so the result is deterministic. Identical
    texts get a similarity of 1.0.
    """
    if len(ids) < 2 or per_recommendation < 1:
        return []
    try:
        matrix = _vectorizer().fit_transform([clean_text(t) for t in texts])  # L2-normalised
    except ValueError:  # empty vocabulary: nothing but stop words
        return []
    from scipy import sparse

    matrix = sparse.csr_matrix(matrix)
    transposed = matrix.T.tocsc()
    codes = {key: code for code, key in enumerate(dict.fromkeys(groups))} if groups else {}
    spread = _Spread(
        ids=np.asarray(ids, dtype=np.int64),
        groups=np.asarray([codes[g] for g in groups] if groups else [0] * len(ids)),
        k=per_recommendation,
        own_group=-(-per_recommendation // 2) if groups else per_recommendation,
        min_similarity=min_similarity,
    )
    result: list[Neighbour] = []
    for start in range(0, matrix.shape[0], _BLOCK):
        block = (matrix[start : start + _BLOCK] @ transposed).toarray()
        rows = np.arange(block.shape[0])
        block[rows, rows + start] = -1.0  # never one's own neighbour
        np.minimum(block, 1.0, out=block)  # float32 rounding can give 1.0000001
        for row in rows:
            result.extend(spread.pick(row + start, block[row]))
    return result


@dataclass(frozen=True, slots=True)
class _Spread:
    ids: np.ndarray
    groups: np.ndarray
    k: int
    own_group: int  # at most this many from the source's group while others qualify
    min_similarity: float

    def pick(self, index: int, scores: np.ndarray) -> list[Neighbour]:
        candidates = np.flatnonzero(scores >= self.min_similarity)
        if candidates.size == 0:
            return []
        # By similarity (rounded, so that float noise does not reorder ties), then by id.
        rounded = np.round(scores[candidates].astype(np.float64), 4)
        order = np.lexsort((self.ids[candidates], -rounded))
        same = self.groups[candidates[order]] == self.groups[index]
        allowed = ~same | (np.cumsum(same) <= self.own_group)
        chosen = order[allowed][: self.k]
        if chosen.size < self.k:  # not enough from other groups: more of its own after all
            chosen = np.concatenate((chosen, order[~allowed][: self.k - chosen.size]))
        chosen = chosen[np.lexsort((self.ids[candidates[chosen]], -rounded[chosen]))]
        source = int(self.ids[index])
        return [Neighbour(source, int(self.ids[candidates[i]]), float(rounded[i])) for i in chosen]


@dataclass(slots=True)
class _Corpus:
    ids: list[int] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    groups: list[Hashable] = field(default_factory=list)

    def neighbours(self, per_recommendation: int, min_similarity: float) -> list[Neighbour]:
        return neighbours(self.ids, self.texts, per_recommendation, min_similarity, self.groups)


def _corpora(state_id: int | None) -> dict[int, _Corpus]:
    """Each State's recommendations, grouped by the review they come from."""
    rec = Recommendation
    stmt = sa.select(
        rec.state_id, rec.id, rec.text, rec.mechanism_id, rec.cycle, rec.session, rec.body
    ).order_by(rec.state_id, rec.id)
    if state_id is not None:
        stmt = stmt.where(rec.state_id == state_id)
    corpora: dict[int, _Corpus] = {}
    for sid, rec_id, text, mechanism_id, cycle, session, body in db.session.execute(stmt):
        corpus = corpora.setdefault(sid, _Corpus())
        corpus.ids.append(rec_id)
        corpus.texts.append(text or "")
        corpus.groups.append((mechanism_id, cycle, session, body))
    return corpora


def _replace(state_id: int, rows: Iterable[Neighbour]) -> int:
    """Delete the State's relations and insert `rows` (Core statements: no ORM objects)."""
    table = RelatedRecommendation.__table__
    of_state = sa.select(Recommendation.id).where(Recommendation.state_id == state_id)
    db.session.execute(sa.delete(table).where(table.c.recommendation_id.in_(of_state)))
    values = [
        {
            "recommendation_id": n.recommendation_id,
            "related_id": n.related_id,
            "similarity": n.similarity,
        }
        for n in rows
    ]
    for start in range(0, len(values), _CHUNK):
        db.session.execute(sa.insert(table), values[start : start + _CHUNK])
    return len(values)


def compute_related(
    state_id: int | None = None,
    per_recommendation: int = PER_RECOMMENDATION,
    min_similarity: float = MIN_SIMILARITY,
) -> int:
    """Recompute the related recommendations of one State (all States when None).

    Replaces that State's rows in `related_recommendation`; returns the rows written.
    Flushes, does not commit.
    """
    if state_id is None:
        return compute_all(per_recommendation=per_recommendation, min_similarity=min_similarity)
    corpus = _corpora(state_id).get(state_id, _Corpus())
    written = _replace(state_id, corpus.neighbours(per_recommendation, min_similarity))
    db.session.flush()
    return written


def compute_all(
    progress: Callable[[int, int, int], None] | None = None,
    per_recommendation: int = PER_RECOMMENDATION,
    min_similarity: float = MIN_SIMILARITY,
) -> int:
    """Recompute every State; `progress(done, total, rows)` is called after each State.

    States without recommendations lose any rows they had. Flushes, does not commit.
    """
    corpora = _corpora(None)
    state_ids = sorted(set(db.session.scalars(sa.select(State.id))) | set(corpora))
    written = 0
    for done, sid in enumerate(state_ids, start=1):
        corpus = corpora.get(sid, _Corpus())
        written += _replace(sid, corpus.neighbours(per_recommendation, min_similarity))
        if progress is not None:
            progress(done, len(state_ids), written)
    db.session.flush()
    return written


def related_for(recommendation_id: int, limit: int = 5) -> list[tuple[Recommendation, float]]:
    """The stored neighbours of a recommendation, most similar first."""
    stmt = (
        sa.select(Recommendation, RelatedRecommendation.similarity)
        .join(RelatedRecommendation, RelatedRecommendation.related_id == Recommendation.id)
        .where(RelatedRecommendation.recommendation_id == recommendation_id)
        .options(selectinload(Recommendation.mechanism))
        .order_by(RelatedRecommendation.similarity.desc(), Recommendation.id)
        .limit(limit)
    )
    return [(rec, float(similarity)) for rec, similarity in db.session.execute(stmt)]


def related_to_selection(
    state_id: int, selected_ids: Iterable[int], limit: int = 10
) -> list[Recommendation]:
    """Recommendations of `state_id` related to any of `selected_ids`, excluding those.

    Relations count in both directions (A among B's neighbours or B among A's); the most
    similar first, then those related to more of the selection, then by id.
    """
    selected = sorted({int(i) for i in selected_ids})
    if not selected or limit < 1:
        return []
    link = RelatedRecommendation
    pairs = sa.union_all(
        sa.select(
            link.related_id.label("rec_id"), link.recommendation_id.label("via"), link.similarity
        ).where(link.recommendation_id.in_(selected)),
        sa.select(
            link.recommendation_id.label("rec_id"), link.related_id.label("via"), link.similarity
        ).where(link.related_id.in_(selected)),
    ).subquery()
    best = sa.func.max(pairs.c.similarity)
    reach = sa.func.count(sa.distinct(pairs.c.via))
    stmt = (
        sa.select(Recommendation)
        .join(pairs, pairs.c.rec_id == Recommendation.id)
        .where(Recommendation.state_id == state_id, Recommendation.id.not_in(selected))
        .group_by(Recommendation.id)
        .options(selectinload(Recommendation.mechanism))
        .order_by(best.desc(), reach.desc(), Recommendation.id)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))
