"""Recommendation seeds: the OHCHR Slovenia matrices, demo recommendations, and a bulk inserter."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from tamatch.extensions import db
from tamatch.models import (
    AffectedGroup,
    Mechanism,
    Recommendation,
    Response,
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
from tamatch.seeding.reference import ids_by_key, read_seed, split_list, state_resolver

UPR_BODY = "Human Rights Council \u2013 Universal Periodic Review"
# Last day of each Working Group session, when the WG report (and its recommendations) was
# adopted ad referendum; the Add.1 positions followed at the next regular Council session.
UPR_SESSION_END = {
    20: date(2014, 11, 7),
    34: date(2019, 11, 15),
    48: date(2025, 1, 31),
}
_CHUNK = 5000


@dataclass(frozen=True)
class RecommendationSeed:
    """A recommendation to insert, with its taxonomy given by natural keys."""

    external_key: str
    state: str  # ISO3 of the State addressed
    mechanism: str  # Mechanism.code
    body: str
    text: str
    response: Response | None = None
    response_text: str | None = None
    response_source: str | None = None
    session: str | None = None
    cycle: int | None = None
    document_symbol: str | None = None
    paragraph: str | None = None
    issued_on: date | None = None
    themes: tuple[str, ...] = ()
    affected_groups: tuple[str, ...] = ()
    sdgs: tuple[int, ...] = ()
    sdg_targets: tuple[str, ...] = ()
    recommending_states: tuple[str, ...] = ()
    former_key: str | None = None  # the key an earlier version of the importer gave it
    text_locale: str | None = None  # the language of `text`, where the source says it


def existing_keys(prefix: str) -> set[str]:
    """External keys already stored that start with `prefix`."""
    query = sa.select(Recommendation.external_key).where(
        Recommendation.external_key.startswith(prefix, autoescape=True)
    )
    return set(db.session.scalars(query))


def insert_recommendations(seeds: Sequence[RecommendationSeed]) -> dict[str, int]:
    """Bulk-insert the seeds whose external_key is not stored yet; returns key -> new id.

    Unknown theme/group/SDG/State keys are skipped silently; the session is flushed, not committed.
    """
    keys = [s.external_key for s in seeds]
    stored: set[str] = set()
    for start in range(0, len(keys), _CHUNK):
        query = sa.select(Recommendation.external_key).where(
            Recommendation.external_key.in_(keys[start : start + _CHUNK])
        )
        stored.update(db.session.scalars(query))
    todo = [s for s in seeds if s.external_key not in stored]
    if not todo:
        return {}
    states = ids_by_key(State, "iso3")
    mechanisms = ids_by_key(Mechanism)
    new_ids: dict[str, int] = {}
    for start in range(0, len(todo), _CHUNK):
        chunk = todo[start : start + _CHUNK]
        rows = [_row(s, states, mechanisms) for s in chunk]
        result = db.session.execute(
            sa.insert(Recommendation).returning(
                Recommendation.id, Recommendation.external_key, sort_by_parameter_order=True
            ),
            rows,
        )
        new_ids.update({key: rec_id for rec_id, key in result})
    _insert_links(todo, new_ids, states)
    return new_ids


def _row(seed: RecommendationSeed, states: dict, mechanisms: dict) -> dict:
    return {
        "external_key": seed.external_key,
        "mechanism_id": mechanisms[seed.mechanism],
        "body": seed.body,
        "session": seed.session,
        "cycle": seed.cycle,
        "document_symbol": seed.document_symbol,
        "paragraph": seed.paragraph,
        "issued_on": seed.issued_on,
        "state_id": states[seed.state],
        "text": seed.text,
        "text_locale": seed.text_locale,
        "response": seed.response,
        "response_text": seed.response_text,
        "response_source": seed.response_source,
    }


def _insert_links(
    seeds: Iterable[RecommendationSeed], new_ids: dict[str, int], states: dict[str, int]
) -> None:
    themes, groups, sdgs = ids_by_key(Theme), ids_by_key(AffectedGroup), ids_by_key(Sdg, "number")
    targets = ids_by_key(SdgTarget)
    links: dict[sa.Table, list[dict[str, int]]] = {
        recommendation_theme: [],
        recommendation_affected_group: [],
        recommendation_sdg: [],
        recommendation_sdg_target: [],
        recommendation_recommending_state: [],
    }
    for seed in seeds:
        rec_id = new_ids[seed.external_key]
        for table, column, keys, ids in (
            (recommendation_theme, "theme_id", seed.themes, themes),
            (recommendation_affected_group, "affected_group_id", seed.affected_groups, groups),
            (recommendation_sdg, "sdg_id", seed.sdgs, sdgs),
            (recommendation_sdg_target, "sdg_target_id", seed.sdg_targets, targets),
            (
                recommendation_recommending_state,
                "recommending_state_id",
                seed.recommending_states,
                states,
            ),
        ):
            for target in dict.fromkeys(ids[k] for k in keys if k in ids):
                links[table].append({"recommendation_id": rec_id, column: target})
    for table, rows in links.items():
        for start in range(0, len(rows), _CHUNK * 4):
            db.session.execute(sa.insert(table), rows[start : start + _CHUNK * 4])


class _Taxonomy:
    """Name -> code lookups for themes and affected groups, from the seed files and aliases."""

    def __init__(self) -> None:
        themes = read_seed("themes.csv")
        self.theme_codes = {r["code"] for r in themes}
        self.theme_names = {r["name"].casefold(): r["code"] for r in themes}
        self.theme_names |= {
            r["name"].casefold(): r["code"] for r in read_seed("theme_aliases.csv")
        }
        self.sdg_targets = {r["target"] for r in read_seed("sdg_targets.csv")}
        groups = read_seed("affected_groups.csv")
        self.groups = {r["name"].casefold(): [r["code"]] for r in groups}
        self.groups |= {r["code"]: [r["code"]] for r in groups}
        for row in read_seed("affected_group_aliases.csv"):
            self.groups[row["name"].casefold()] = split_list(row["codes"])

    def theme(self, label: str) -> str | None:
        """The code of "A12 Acceptance of international norms" or of a known theme name."""
        first = label.split(" ", 1)[0]
        if re.fullmatch(r"[A-H]\d{1,2}", first):
            # A UHRI code means what the Index means: an unknown one stays unknown (and is
            # listed in the import report); its name never maps it onto another theme.
            return first if first in self.theme_codes else None
        return self.theme_names.get(label.casefold())

    def affected(self, label: str) -> list[str]:
        return self.groups.get(label.strip().casefold(), [])


def report_symbol(position_source: str) -> str:
    """ "A/HRC/28/15/Add.1 - Para. 3" -> "A/HRC/28/15", the Working Group report's symbol."""
    symbol = re.split(r" - |,|\s+para", position_source, maxsplit=1, flags=re.I)[0].strip()
    return re.sub(r"/Add\.\d+$", "", symbol, flags=re.I)


def slovenia_seeds() -> list[RecommendationSeed]:
    """The 632 UPR recommendations to Slovenia (cycles 2-4) from the OHCHR thematic lists."""
    taxonomy, resolver = _Taxonomy(), state_resolver()
    seeds = []
    for row in read_seed("recommendations_slovenia.csv"):
        session = int(row["upr_session"])
        themes = [taxonomy.theme(t) for t in split_list(row["themes"], "|")]
        groups = [
            c
            for g in split_list(row["affected_persons_or_groups"], "|")
            for c in taxonomy.affected(g)
        ]
        sdgs = [int(s.split("-", 1)[0]) for s in split_list(row["sdgs"], "|")]
        seeds.append(
            RecommendationSeed(
                external_key=f"upr:SVN:c{row['cycle']}:{row['rec_id']}",
                state="SVN",
                mechanism="UPR",
                body=UPR_BODY,
                text=row["recommendation_text"],
                response=Response(row["position"].casefold()),  # Supported or Noted
                response_text=row["position"],
                response_source=row["position_source"],
                session=f"UPR {session}",
                cycle=int(row["cycle"]),
                document_symbol=report_symbol(row["position_source"]),
                paragraph=row["rec_id"],
                issued_on=UPR_SESSION_END[session],
                themes=tuple(dict.fromkeys(t for t in themes if t)),
                affected_groups=tuple(dict.fromkeys(groups)),
                sdgs=tuple(dict.fromkeys(sdgs)),
                recommending_states=tuple(resolver.resolve(row["recommending_states"])),
            )
        )
    return seeds
