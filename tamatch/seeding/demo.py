"""Demo data: organisations, one account per role, Slovenia's recommendations (and their related
recommendations), needs and offers."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from tamatch.auth.passwords import hash_password
from tamatch.extensions import db
from tamatch.models import (
    Language,
    Need,
    NeedStatus,
    Offer,
    OfferStatus,
    Organisation,
    OrganisationKind,
    Recommendation,
    RegionalGroup,
    RelatedRecommendation,
    Role,
    State,
    SupportKind,
    Theme,
    User,
    Visibility,
)
from tamatch.models.account import normalise_email
from tamatch.models.offer import Modality
from tamatch.seeding.recommendations import insert_recommendations, slovenia_seeds
from tamatch.seeding.reference import load_reference, read_seed, split_list
from tamatch.seeding.synthetic import generate_synthetic

DEMO_PASSWORD = "tamatch-demo-2026"  # noqa: S105 - published demo password, demo accounts only


@dataclass(frozen=True)
class DemoAccount:
    """A demo account: its State (focal points only) or organisation (partners, civil society).

    Partners and civil-society accounts get their State through their organisation.
    """

    email: str
    name: str
    role: Role
    state: str | None = None  # ISO3
    organisation: str | None = None  # Organisation.name


OHCHR = "Office of the United Nations High Commissioner for Human Rights (OHCHR)"
UNDP = "United Nations Development Programme (UNDP)"

DEMO_ACCOUNTS: list[DemoAccount] = [
    DemoAccount("admin@demo.tamatch.org", "Ada Admin", Role.ADMIN),
    DemoAccount("organiser@demo.tamatch.org", "Olga Organiser", Role.ORGANISER),
    DemoAccount("reviewer@demo.tamatch.org", "Rui Reviewer", Role.REVIEWER),
    DemoAccount("focal.svn@demo.tamatch.org", "Špela Novak", Role.FOCAL_POINT, "SVN"),
    DemoAccount("focal2.svn@demo.tamatch.org", "Luka Kovač", Role.FOCAL_POINT, "SVN"),
    DemoAccount("focal.hti@demo.tamatch.org", "Marie-Claire Joseph", Role.FOCAL_POINT, "HTI"),
    DemoAccount("focal.npl@demo.tamatch.org", "Sita Sharma", Role.FOCAL_POINT, "NPL"),
    DemoAccount("focal.fji@demo.tamatch.org", "Litia Vuniwaqa", Role.FOCAL_POINT, "FJI"),
    DemoAccount("focal.cri@demo.tamatch.org", "Andrés Mora", Role.FOCAL_POINT, "CRI"),
    DemoAccount("partner.ohchr@demo.tamatch.org", "Paul Okafor", Role.PARTNER, None, OHCHR),
    DemoAccount("partner.undp@demo.tamatch.org", "Priya Raman", Role.PARTNER, None, UNDP),
    DemoAccount(
        "partner.ndca@demo.tamatch.org",
        "Nora Lindqvist",
        Role.PARTNER,
        None,
        "Nordic Development Cooperation Agency",
    ),
    DemoAccount(
        "partner.cri@demo.tamatch.org",
        "Carolina Jiménez",
        Role.PARTNER,
        None,
        "Ministry of Justice of Costa Rica",
    ),
    DemoAccount(
        "partner.pacific@demo.tamatch.org",
        "Tevita Fifita",
        Role.PARTNER,
        None,
        "Pacific Regional Rights Facility",
    ),
    DemoAccount(
        "cso.svn@demo.tamatch.org",
        "Maja Horvat",
        Role.CIVIL_SOCIETY,
        None,
        "Slovenian Equality Coalition",
    ),
    DemoAccount(
        "nhri.svn@demo.tamatch.org",
        "Tomaž Zupan",
        Role.CIVIL_SOCIETY,
        None,
        "Human Rights Ombudsman of the Republic of Slovenia",
    ),
]


def load_demo(scale: int = 0) -> dict[str, int]:
    """Load reference and demo data, plus `scale` synthetic needs when scale > 0.

    Idempotent: accounts, organisations, recommendations, needs and offers that already exist
    (by e-mail, name, external_key, (State, title), (organisation, title)) are left as they are.
    Returns counts of created rows; flushes, does not commit.
    """
    counts = {
        f"reference_{k}": v for k, v in load_reference().items() if k in {"created", "updated"}
    }
    counts["organisations"] = _load_organisations()
    counts["accounts"] = _load_accounts()
    # Only recommendations as OHCHR published them, with their document symbol and paragraph:
    # Slovenia's. The other demo States have none (seeds/README.md, "Demo data").
    seeds = slovenia_seeds()
    counts["recommendations"] = len(insert_recommendations(seeds))
    counts["related"] = _relate_demo_states({seed.state for seed in seeds})
    counts["needs"] = _load_needs()
    counts["offers"] = _load_offers()
    from tamatch.seeding.planning import load_plan

    counts |= load_plan("SVN")
    if scale > 0:
        counts |= {f"synthetic_{k}": v for k, v in generate_synthetic(scale).items()}
    db.session.flush()
    return counts


def _relate_demo_states(iso3s: set[str]) -> int:
    """Compute the related recommendations of each of these States that has none yet (the need
    form's suggestions come from them); returns the rows written."""
    from tamatch.recommendations.related import compute_related

    related = (
        sa.select(Recommendation.state_id)
        .join(RelatedRecommendation, RelatedRecommendation.recommendation_id == Recommendation.id)
        .distinct()
    )
    pending = db.session.scalars(
        sa.select(State.id)
        .where(State.iso3.in_(iso3s), State.id.not_in(related))
        .order_by(State.id)
    ).all()
    return sum(compute_related(state_id) for state_id in pending)


def _states() -> dict[str, State]:
    return {s.iso3: s for s in db.session.scalars(sa.select(State))}


def _by_code(model: type) -> dict[str, object]:
    return {obj.code: obj for obj in db.session.scalars(sa.select(model))}


def _load_organisations() -> int:
    existing = set(db.session.scalars(sa.select(Organisation.name)))
    states = _states()
    created = 0
    for row in read_seed("organisations.csv"):
        if row["name"] in existing:
            continue
        state = states[row["state"]] if row["state"] else None
        db.session.add(
            Organisation(name=row["name"], kind=OrganisationKind(row["kind"]), state=state)
        )
        created += 1
    db.session.flush()
    return created


def _load_accounts() -> int:
    existing = set(db.session.scalars(sa.select(User.email)))
    organisations = {o.name: o for o in db.session.scalars(sa.select(Organisation))}
    states = _states()
    missing = [a for a in DEMO_ACCOUNTS if normalise_email(a.email) not in existing]
    # One argon2id hash serves every demo account: they share the published password, and
    # sixteen hashes (64 MiB, 3 passes each) were most of what `seed demo` took.
    password_hash = hash_password(DEMO_PASSWORD) if missing else None
    created = 0
    for account in missing:
        db.session.add(
            User(
                email=account.email,
                name=account.name,
                role=account.role,
                password_hash=password_hash,
                state=states[account.state] if account.state else None,
                organisation=organisations.get(account.organisation or ""),
            )
        )
        created += 1
    db.session.flush()
    return created


def _users() -> dict[str, User]:
    """The demo accounts by e-mail in its normal form (look them up with `normalise_email`)."""
    emails = [normalise_email(a.email) for a in DEMO_ACCOUNTS]
    return {u.email: u for u in db.session.scalars(sa.select(User).where(User.email.in_(emails)))}


def _load_needs() -> int:
    states, users = _states(), _users()
    themes, kinds, languages = _by_code(Theme), _by_code(SupportKind), _by_code(Language)
    existing = {tuple(row) for row in db.session.execute(sa.select(Need.state_id, Need.title))}
    rows = read_seed("demo_needs.csv")
    keys = [k for row in rows for k in split_list(row["recommendations"])]
    recs = {
        r.external_key: r
        for r in db.session.scalars(
            sa.select(Recommendation).where(Recommendation.external_key.in_(keys))
        )
    }
    created = 0
    for row in rows:
        state = states[row["state"]]
        if (state.id, row["title"]) in existing:
            continue
        db.session.add(
            Need(
                state=state,
                title=row["title"],
                gap=row["gap"],
                status=NeedStatus(row["status"]),
                visibility=Visibility(row["visibility"]),
                cost_min=int(row["cost_min"]),
                cost_max=int(row["cost_max"]),
                window_start=date.fromisoformat(row["window_start"]),
                window_end=date.fromisoformat(row["window_end"]),
                priority=int(row["priority"]),
                created_by=users.get(normalise_email(row["created_by"])),
                recommendations=[recs[k] for k in split_list(row["recommendations"])],
                themes=[themes[c] for c in split_list(row["themes"])],
                support_kinds=[kinds[c] for c in split_list(row["support_kinds"])],
                languages=[languages[c] for c in split_list(row["languages"])],
            )
        )
        created += 1
    db.session.flush()
    return created


def _load_offers() -> int:
    states, users = _states(), _users()
    themes, kinds, languages = _by_code(Theme), _by_code(SupportKind), _by_code(Language)
    organisations = {o.name: o for o in db.session.scalars(sa.select(Organisation))}
    existing = {
        tuple(row) for row in db.session.execute(sa.select(Offer.organisation_id, Offer.title))
    }
    created = 0
    for row in read_seed("demo_offers.csv"):
        organisation = organisations[row["organisation"]]
        if (organisation.id, row["title"]) in existing:
            continue
        offer = Offer(
            organisation=organisation,
            title=row["title"],
            description=row["description"],
            status=OfferStatus(row["status"]),
            modality=Modality(row["modality"]),
            capacity=int(row["capacity"]),
            budget=int(row["budget"]),
            typical_cost=int(row["typical_cost"]),
            window_start=date.fromisoformat(row["window_start"]),
            window_end=date.fromisoformat(row["window_end"]),
            eligible_all=row["eligible_all"] == "1",
            eligible_ldc=row["eligible_ldc"] == "1",
            eligible_sids=row["eligible_sids"] == "1",
            eligible_lldc=row["eligible_lldc"] == "1",
            eligible_states=[states[c] for c in split_list(row["eligible_states"])],
            created_by=users.get(normalise_email(row["created_by"])),
            themes=[themes[c] for c in split_list(row["themes"])],
            support_kinds=[kinds[c] for c in split_list(row["support_kinds"])],
            languages=[languages[c] for c in split_list(row["languages"])],
        )
        offer.eligible_groups = [RegionalGroup(g) for g in split_list(row["eligible_groups"])]
        db.session.add(offer)
        created += 1
    db.session.flush()
    return created
