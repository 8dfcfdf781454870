"""Deterministic synthetic needs, offers and recommendations for scale tests and benchmarks."""

import random
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from tamatch.extensions import db
from tamatch.models import (
    PARTNER_KINDS,
    Language,
    Membership,
    Need,
    NeedStatus,
    Offer,
    OfferEligibleGroup,
    OfferStatus,
    Organisation,
    OrganisationKind,
    RegionalGroup,
    Response,
    State,
    SupportKind,
    Theme,
    Visibility,
)
from tamatch.models.need import need_language, need_recommendation, need_support_kind, need_theme
from tamatch.models.offer import (
    Modality,
    offer_eligible_state,
    offer_language,
    offer_support_kind,
    offer_theme,
)
from tamatch.seeding.recommendations import (
    UPR_BODY,
    RecommendationSeed,
    existing_keys,
    insert_recommendations,
)
from tamatch.seeding.reference import ids_by_key, read_seed

SEED = 20260101
# The day whose LDC status weights the States: fixed, so one seed gives the same data every day.
SYNTHETIC_DAY = date(2026, 1, 1)
_CHUNK = 5000
# Themes that are addressed together, so that needs and offers overlap as they do in practice.
CLUSTERS = [
    ["A12", "A22", "A24", "TM-cooperation-technical-assistance", "A27", "TM-nmirf", "A46", "A62"],
    [
        "TM-legal-institutional-framework",
        "A41",
        "A42",
        "TM-legal-institutional-reform",
        "A45",
        "TM-good-governance-corruption",
        "A61",
        "A63",
    ],
    ["A5", "A51", "TM-hr-education-schools", "A53", "A54", "B31", "B32", "G1"],
    ["B51", "TM-rule-of-law-impunity", "B53", "D51", "TM-access-to-justice", "D26", "D33", "D25"],
    ["D27", "TM-sexual-gender-based-violence", "D29", "F11", "F12", "F13", "F14", "G4"],
    ["D42", "D43", "D44", "D45", "D7", "H1", "G2", "TM-indigenous-peoples"],
    ["E1", "E21", "E22", "E23", "E24", "E25", "E26", "E31"],
    ["E41", "TM-sexual-reproductive-health", "E51", "F31", "F32", "F33", "F41", "F45"],
    ["B71", "B73", "B41", "A3", "TM-2030-agenda", "G5", "TM-idps", "TM-stateless-persons"],
]
KINDS = ["expert_advice", "training", "peer_exchange", "legislative_drafting", "data_systems"]
MONEY_KINDS = ["funding", "equipment"]
REGION_LANGUAGES = {
    RegionalGroup.AFRICAN: (["fr", "en", "ar", "pt"], [40, 40, 15, 5]),
    RegionalGroup.ASIA_PACIFIC: (["en", "ar", "zh", "ru", "fr"], [70, 15, 5, 5, 5]),
    RegionalGroup.EASTERN_EUROPEAN: (["en", "ru"], [70, 30]),
    RegionalGroup.GRULAC: (["es", "en", "pt", "fr"], [65, 25, 5, 5]),
    RegionalGroup.WEOG: (["en", "fr", "es"], [80, 15, 5]),
}
MECHANISMS = ["UPR"] * 12 + ["CCPR", "CESCR", "CERD", "CEDAW", "CAT", "CRC", "CRPD", "SP"]
VERBS = ["Strengthen", "Adopt measures on", "Ensure effective", "Develop a national plan on"]
START = date(2026, 7, 1)
UPR_RESPONSES = [Response.SUPPORTED, Response.NOTED, Response.PARTIALLY_SUPPORTED]
UPR_SESSIONS = {1: (1, 12), 2: (13, 26), 3: (27, 40), 4: (41, 50)}  # Working Group sessions


@dataclass(frozen=True)
class _World:
    """What the generator reads from the database once."""

    states: list[State]
    weights: list[float]
    themes: dict[str, Theme]
    clusters: list[list[str]]
    state_language: dict[str, str]


def _world(rng: random.Random) -> _World:
    members = sa.select(State).where(State.membership == Membership.MEMBER).order_by(State.iso3)
    states = list(db.session.scalars(members))
    themes = {t.code: t for t in db.session.scalars(sa.select(Theme))}
    clusters = [[c for c in cluster if c in themes] for cluster in CLUSTERS]
    ldc = [s.is_ldc_on(SYNTHETIC_DAY) for s in states]
    weights = [
        1 + 2 * d + 1.5 * s.is_sids + 0.5 * s.is_lldc for s, d in zip(states, ldc, strict=True)
    ]
    language = {}
    for state in states:
        codes, shares = REGION_LANGUAGES[state.regional_group]
        language[state.iso3] = rng.choices(codes, shares)[0]
    return _World(states, weights, themes, [c for c in clusters if c], language)


def generate_synthetic(scale: int, seed: int = SEED) -> dict[str, int]:
    """`scale` open needs over the 193 States and about 0.15*scale open offers.

    Deterministic for a given (scale, seed); skipped when this scale was generated already.
    Each need cites 1-3 synthetic recommendations of its own State. Flushes, does not commit.
    """
    offers = max(1, round(0.15 * scale))
    return _generate(f"synthetic:s{scale}:", 2 * scale, scale, offers, seed)


def generate_bench_data(
    recommendations: int,
    needs: int,
    offers: int | None = None,
    seed: int = SEED,
    real_texts: bool = False,
) -> dict[str, int]:
    """Bulk data for the web benchmark, e.g. 40,000 recommendations and 5,000 needs.

    Idempotent per (recommendations, needs); offers default to 0.15 * needs. With
    `real_texts`, each text is one of Slovenia's 632 real ones (OHCHR matrices), so that a text
    search meets the vocabulary and lengths of real recommendations.
    """
    count = max(1, round(0.15 * needs)) if offers is None else offers
    texts = None
    if real_texts:
        texts = [r["recommendation_text"] for r in read_seed("recommendations_slovenia.csv")]
    prefix = f"bench:r{recommendations}n{needs}:"
    return _generate(prefix, recommendations, needs, count, seed, texts=texts)


def _generate(
    prefix: str,
    n_recs: int,
    n_needs: int,
    n_offers: int,
    seed: int,
    *,
    texts: list[str] | None = None,
) -> dict[str, int]:
    if existing_keys(prefix):
        return {"recommendations": 0, "needs": 0, "offers": 0, "organisations": 0}
    rng = random.Random(f"{prefix}{seed}")
    world = _world(rng)
    rec_seeds = _recommendation_seeds(rng, world, prefix, max(n_recs, n_needs), texts)
    rec_ids = insert_recommendations(rec_seeds)
    by_state: dict[str, list[RecommendationSeed]] = {}
    for rec in rec_seeds:
        by_state.setdefault(rec.state, []).append(rec)
    created_orgs, organisations = _organisations(rng, world, max(3, n_offers // 6))
    need_count = _insert_needs(rng, world, by_state, rec_ids, n_needs)
    offer_count = _insert_offers(rng, world, organisations, n_offers)
    db.session.flush()
    return {
        "recommendations": len(rec_ids),
        "needs": need_count,
        "offers": offer_count,
        "organisations": created_orgs,
    }


def _recommendation_seeds(
    rng: random.Random, world: _World, prefix: str, count: int, texts: list[str] | None
) -> list[RecommendationSeed]:
    iso3s = [s.iso3 for s in world.states]
    picks = rng.choices(iso3s, world.weights, k=count)
    seeds = []
    paragraphs: dict[str, int] = {}
    for i, iso3 in enumerate(picks):
        cluster = rng.choice(world.clusters)
        codes = rng.sample(cluster, rng.randint(1, 3))
        mechanism = rng.choice(MECHANISMS)
        upr = mechanism == "UPR"
        cycle = rng.randint(1, 4)
        # One synthetic document per State, mechanism and cycle, its paragraphs numbered.
        symbol = f"SYN/{mechanism}/{iso3}/{cycle}"
        paragraphs[symbol] = paragraphs.get(symbol, 0) + 1
        topic = world.themes[codes[0]].name.lower()
        text = f"{rng.choice(texts)} " if texts else f"{rng.choice(VERBS)} {topic} "
        seeds.append(
            RecommendationSeed(
                external_key=f"{prefix}{iso3}:{i}",
                state=iso3,
                mechanism=mechanism,
                body=(UPR_BODY if upr else f"{mechanism} (synthetic)"),
                text=f"{text}(synthetic recommendation {i}).",
                response=rng.choices(UPR_RESPONSES, [75, 22, 3])[0] if upr else None,
                session=f"UPR {rng.randint(*UPR_SESSIONS[cycle])}" if upr else "Synthetic",
                cycle=cycle if upr else None,
                document_symbol=symbol,
                paragraph=f"{100 + cycle}.{paragraphs[symbol]}",
                issued_on=date(2022, 1, 1) + timedelta(days=rng.randrange(1400)),
                themes=tuple(codes),
                sdgs=(rng.choice([5, 10, 16, 4, 3, 8]),),
                recommending_states=tuple(rng.sample(iso3s, rng.randint(1, 2))) if upr else (),
            )
        )
    return seeds


def _organisations(rng: random.Random, world: _World, count: int) -> tuple[int, list[Organisation]]:
    names = [f"Synthetic partner {i:03d}" for i in range(1, count + 1)]
    existing = {
        o.name: o
        for o in db.session.scalars(sa.select(Organisation).where(Organisation.name.in_(names)))
    }
    kinds = sorted(PARTNER_KINDS)
    created = 0
    for i, name in enumerate(names):
        if name in existing:
            continue
        kind = kinds[i % len(kinds)]
        state = rng.choice(world.states) if kind == OrganisationKind.PEER_STATE else None
        existing[name] = Organisation(name=name, kind=kind, state=state)
        db.session.add(existing[name])
        created += 1
    db.session.flush()
    return created, [existing[n] for n in names]


def _window(rng: random.Random, months: tuple[int, int]) -> tuple[date, date]:
    start = START + timedelta(days=30 * rng.randrange(12))
    return start, start + timedelta(days=30 * rng.randint(*months))


def _insert_needs(
    rng: random.Random,
    world: _World,
    by_state: dict[str, list[RecommendationSeed]],
    rec_ids: dict[str, int],
    count: int,
) -> int:
    ids = {iso3: s.id for iso3, s in ((s.iso3, s) for s in world.states)}
    kinds, languages = ids_by_key(SupportKind), ids_by_key(Language)
    candidates = [s for s in world.states if s.iso3 in by_state]
    weights = [w for s, w in zip(world.states, world.weights, strict=True) if s.iso3 in by_state]
    rows, links = [], []
    for state in rng.choices(candidates, weights, k=count):
        cited = rng.sample(by_state[state.iso3], min(len(by_state[state.iso3]), rng.randint(1, 3)))
        themes = list(dict.fromkeys(c for rec in cited for c in rec.themes))[:3]
        need_kinds = rng.sample(KINDS, rng.randint(1, 2))
        if rng.random() < 0.3:
            need_kinds.append(rng.choice(MONEY_KINDS))
        langs = list(dict.fromkeys([world.state_language[state.iso3], "en"][: rng.randint(1, 2)]))
        low = rng.randrange(10, 150) * 1000 * (2 if set(need_kinds) & set(MONEY_KINDS) else 1)
        start, end = _window(rng, (6, 24))
        name = world.themes[themes[0]].name
        rows.append(
            {
                "state_id": ids[state.iso3],
                "title": f"Support on {name[:1].lower()}{name[1:]}"[:200],
                "gap": f"Capacity gap identified by {state.name} (synthetic need).",
                "status": NeedStatus.OPEN,
                "visibility": rng.choices(list(Visibility), [25, 70, 5])[0],
                "cost_min": low,
                "cost_max": low * rng.choice([2, 3]),
                "window_start": start,
                "window_end": end,
                "priority": rng.choices([1, 2, 3], [25, 45, 30])[0],
            }
        )
        links.append(
            (
                [rec_ids[r.external_key] for r in cited],
                [world.themes[c].id for c in themes],
                [kinds[k] for k in need_kinds],
                [languages[c] for c in langs],
            )
        )
    need_ids = _insert_returning(Need, rows)
    tables = [
        (need_recommendation, "recommendation_id"),
        (need_theme, "theme_id"),
        (need_support_kind, "support_kind_id"),
        (need_language, "language_id"),
    ]
    for position, (table, column) in enumerate(tables):
        _insert_all(
            table,
            [
                {"need_id": need_id, column: target}
                for need_id, link in zip(need_ids, links, strict=True)
                for target in link[position]
            ],
        )
    return len(need_ids)


def _eligibility(rng: random.Random, world: _World) -> tuple[dict, list[str], list[int]]:
    """Eligibility flags, groups and States of one offer: everyone, or a union of criteria."""
    if rng.random() < 0.2:
        return {"eligible_all": True}, [], []
    flags = {
        "eligible_all": False,
        "eligible_ldc": rng.random() < 0.35,
        "eligible_sids": rng.random() < 0.25,
        "eligible_lldc": rng.random() < 0.15,
    }
    groups = rng.sample(list(RegionalGroup), rng.randint(1, 2)) if rng.random() < 0.4 else []
    states = (
        [s.id for s in rng.sample(world.states, rng.randint(3, 15))] if rng.random() < 0.2 else []
    )
    if not (any(flags.values()) or groups or states):
        flags["eligible_ldc"] = True
    return flags, groups, states


def _insert_offers(
    rng: random.Random, world: _World, organisations: list[Organisation], count: int
) -> int:
    kinds, languages = ids_by_key(SupportKind), ids_by_key(Language)
    rows, links = [], []
    for i in range(count):
        clusters = rng.sample(world.clusters, rng.randint(2, 3))
        themes = [c for cluster in clusters for c in rng.sample(cluster, rng.randint(3, 6))]
        offer_kinds = rng.sample(KINDS, rng.randint(2, 4))
        if rng.random() < 0.35:
            offer_kinds.append(rng.choice(MONEY_KINDS))
        langs = ["en", *rng.sample(["fr", "es", "ar", "ru", "zh", "pt"], rng.randint(1, 3))]
        flags, groups, states = _eligibility(rng, world)
        typical = rng.randrange(15, 120) * 1000
        capacity = rng.randint(2, 12)
        start, end = _window(rng, (12, 30))
        rows.append(
            {
                "organisation_id": rng.choice(organisations).id,
                "title": f"Synthetic offer {i + 1}: {world.themes[themes[0]].name}"[:200],
                "description": "Synthetic offer for scale tests.",
                "status": OfferStatus.OPEN,
                "modality": rng.choice(list(Modality)),
                "capacity": capacity,
                "typical_cost": typical,
                "budget": int(typical * capacity * rng.uniform(0.6, 1.2)),
                "window_start": start,
                "window_end": end,
                **{"eligible_ldc": False, "eligible_sids": False, "eligible_lldc": False},
                **flags,
            }
        )
        links.append((themes, offer_kinds, langs, groups, states))
    offer_ids = _insert_returning(Offer, rows)
    pairs = list(zip(offer_ids, links, strict=True))
    theme_ids = {code: theme.id for code, theme in world.themes.items()}
    _insert_all(
        offer_theme,
        [
            {"offer_id": o, "theme_id": theme_ids[c]}
            for o, lk in pairs
            for c in dict.fromkeys(lk[0])
        ],
    )
    _insert_all(
        offer_support_kind,
        [{"offer_id": o, "support_kind_id": kinds[k]} for o, lk in pairs for k in lk[1]],
    )
    _insert_all(
        offer_language,
        [{"offer_id": o, "language_id": languages[c]} for o, lk in pairs for c in lk[2]],
    )
    _insert_all(
        OfferEligibleGroup.__table__,
        [{"offer_id": o, "regional_group": g} for o, lk in pairs for g in lk[3]],
    )
    _insert_all(
        offer_eligible_state, [{"offer_id": o, "state_id": s} for o, lk in pairs for s in lk[4]]
    )
    return len(offer_ids)


def _insert_returning(model: type, rows: list[dict]) -> list[int]:
    ids: list[int] = []
    for start in range(0, len(rows), _CHUNK):
        result = db.session.execute(
            sa.insert(model).returning(model.id, sort_by_parameter_order=True),
            rows[start : start + _CHUNK],
        )
        ids.extend(result.scalars())
    return ids


def _insert_all(table: sa.Table, rows: list[dict]) -> None:
    for start in range(0, len(rows), _CHUNK * 4):
        db.session.execute(sa.insert(table), rows[start : start + _CHUNK * 4])
