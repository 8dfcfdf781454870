"""Writing checked recommendations: insert new ones, update changed ones, keep other languages."""

from collections.abc import Callable, Sequence

import sqlalchemy as sa

from tamatch.extensions import db
from tamatch.models import (
    AffectedGroup,
    Mechanism,
    Recommendation,
    RecommendationText,
    Sdg,
    SdgTarget,
    State,
    Theme,
)
from tamatch.models.recommendation import (
    recommendation_affected_group,
    recommendation_recommending_state,
    recommendation_sdg,
    recommendation_sdg_target,
    recommendation_theme,
)
from tamatch.recommendations import import_formats as formats
from tamatch.recommendations.import_report import ImportReport
from tamatch.seeding.recommendations import (
    RecommendationSeed,
    _insert_links,
    _row,
    insert_recommendations,
)
from tamatch.seeding.reference import ids_by_key

CHUNK = 2000
_LINKS = (
    ("themes", recommendation_theme, "theme_id"),
    ("affected_groups", recommendation_affected_group, "affected_group_id"),
    ("sdgs", recommendation_sdg, "sdg_id"),
    ("sdg_targets", recommendation_sdg_target, "sdg_target_id"),
    ("recommending_states", recommendation_recommending_state, "recommending_state_id"),
)


def _stored(keys: list[str]) -> dict[str, tuple[int, dict, dict[str, set[int]]]]:
    """key -> (id, column values, link ids by relation) for the keys already stored."""
    columns = [getattr(Recommendation, c) for c in _COLUMNS]
    rows = db.session.execute(
        sa.select(Recommendation.id, *columns).where(Recommendation.external_key.in_(keys))
    )
    found = {row[1]: (row[0], dict(zip(_COLUMNS, row[1:], strict=True)), {}) for row in rows}
    by_id = {rec_id: key for key, (rec_id, _c, _l) in found.items()}
    for relation, table, column in _LINKS:
        for key in found:
            found[key][2][relation] = set()
        if by_id:
            query = sa.select(table.c.recommendation_id, table.c[column]).where(
                table.c.recommendation_id.in_(list(by_id))
            )
            for rec_id, target in db.session.execute(query):
                found[by_id[rec_id]][2][relation].add(target)
    return found


def _with_former_keys(chunk: Sequence[RecommendationSeed], stored: dict) -> dict:
    """`stored` plus the rows stored under a seed's former key (each row claimed once): they
    are updated, new key included, instead of being imported a second time."""
    todo = {s.former_key: s for s in chunk if s.external_key not in stored and s.former_key}
    if not todo:
        return stored
    claimed = {entry[0] for entry in stored.values()}
    for former, entry in _stored(list(todo)).items():
        if entry[0] not in claimed:
            stored[todo[former].external_key] = entry
            claimed.add(entry[0])
    return stored


_COLUMNS = ("external_key", "mechanism_id", "body", "session", "cycle", "document_symbol",
            "paragraph", "issued_on", "state_id", "text", "text_locale", "response",
            "response_text", "response_source")  # fmt: skip


def write_seeds(
    seeds: Sequence[RecommendationSeed],
    report: ImportReport,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Insert new seeds, update changed ones (replacing their links); flushes, never commits."""
    states, mechanisms = ids_by_key(State, "iso3"), ids_by_key(Mechanism)
    ids = {
        "themes": ids_by_key(Theme),
        "affected_groups": ids_by_key(AffectedGroup),
        "sdgs": ids_by_key(Sdg, "number"),
        "sdg_targets": ids_by_key(SdgTarget),
        "recommending_states": states,
    }
    for start in range(0, len(seeds), CHUNK):
        chunk = seeds[start : start + CHUNK]
        stored = _with_former_keys(chunk, _stored([s.external_key for s in chunk]))
        new, changed, values, versions = [], [], [], []
        for seed in chunk:
            if seed.external_key not in stored:
                new.append(seed)
                continue
            rec_id, current, links = stored[seed.external_key]
            if _other_language(seed, current):
                versions.append({"recommendation_id": rec_id, "locale": seed.text_locale,
                                 "text": seed.text})  # fmt: skip
                continue
            row = _row(seed, states, mechanisms)
            wanted = {r: {ids[r][k] for k in getattr(seed, r) if k in ids[r]} for r in ids}
            if row == current and wanted == links:
                report.unchanged += 1
                continue
            changed.append(seed)
            values.append({"id": rec_id, **row})
        report.created += len(insert_recommendations(new)) if new else 0
        if changed:
            db.session.execute(sa.update(Recommendation), values)
            changed_ids = {
                seed.external_key: v["id"] for seed, v in zip(changed, values, strict=True)
            }
            for _relation, table, _column in _LINKS:
                db.session.execute(
                    sa.delete(table).where(table.c.recommendation_id.in_(changed_ids.values()))
                )
            _insert_links(changed, changed_ids, states)
            report.updated += len(changed)
        report.translated += _store_versions(versions)
        if progress:
            progress(len(chunk))
    db.session.flush()


def _other_language(seed: RecommendationSeed, current: dict) -> bool:
    """Whether a seed is a stored recommendation's text in another language of the source (the
    French export of the same document): kept beside the text, not instead of it. A stored
    text of no known language is never replaced by another text given a language: the other
    text is kept beside it."""
    stored = current["text_locale"]
    if not seed.text_locale or seed.text_locale == stored:
        return False
    return bool(stored) or formats.normalised_text(seed.text) != formats.normalised_text(
        current["text"]
    )


def _store_versions(versions: list[dict]) -> int:
    """Upsert texts in another language; returns how many were new or changed."""
    if not versions:
        return 0
    keys = {(v["recommendation_id"], v["locale"]): v for v in versions}
    ids = list({rec_id for rec_id, _locale in keys})
    held = {
        (row.recommendation_id, row.locale): row
        for row in db.session.scalars(
            sa.select(RecommendationText).where(RecommendationText.recommendation_id.in_(ids))
        )
    }
    count = 0
    for key, version in keys.items():
        row = held.get(key)
        if row is None:
            db.session.add(RecommendationText(**version))
        elif row.text != version["text"]:
            row.text = version["text"]
        else:
            continue
        count += 1
    return count
