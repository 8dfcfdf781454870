"""Seed data: reference tables, demo data and synthetic data load correctly and idempotently."""

from datetime import date

import pytest
import sqlalchemy as sa

from tamatch.auth.passwords import verify_password
from tamatch.models import (
    Membership,
    Need,
    Offer,
    Organisation,
    Recommendation,
    RegionalGroup,
    Response,
    Role,
    State,
    User,
    Visibility,
)
from tamatch.seeding import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    generate_bench_data,
    generate_synthetic,
    load_demo,
    load_reference,
    state_resolver,
)

TODAY = date(2026, 12, 3)


def _count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _state(db, iso3: str) -> State:
    return db.session.scalars(sa.select(State).filter_by(iso3=iso3)).one()


def _recommendation(db, key: str) -> Recommendation:
    return db.session.scalars(sa.select(Recommendation).filter_by(external_key=key)).one()


def test_reference_has_193_states_with_corrected_flags(app, db):
    load_reference()
    members = State.membership == Membership.MEMBER
    assert db.session.scalar(sa.select(sa.func.count()).where(members)) == 193
    assert _count(db, State) == 195  # and the two observer States
    on = date(2026, 1, 1)  # before Bangladesh, Lao PDR and Nepal graduated
    flags = {
        "HTI": (True, True, False),  # LDC and SIDS
        "NPL": (True, False, True),  # LDC and LLDC
        "STP": (False, True, False),  # graduated from LDC in December 2024, still SIDS
        "BHR": (False, True, False),  # missing from the source SIDS list
        "SVN": (False, False, False),
    }
    for iso3, (ldc, sids, lldc) in flags.items():
        state = _state(db, iso3)
        assert (state.is_ldc_on(on), state.is_sids, state.is_lldc) == (ldc, sids, lldc), iso3
    assert _state(db, "TUR").regional_group == RegionalGroup.WEOG
    assert _state(db, "SVN").regional_group == RegionalGroup.EASTERN_EUROPEAN
    assert db.session.scalar(sa.select(sa.func.count()).where(State.ldc_on(on))) == 44
    # On 3 December 2026 Bangladesh, Lao PDR and Nepal have left (A/RES/76/8): 41 remain.
    assert db.session.scalar(sa.select(sa.func.count()).where(State.ldc_on(TODAY))) == 41


def test_reference_load_is_idempotent_and_repairs_edits(app, db):
    load_reference()
    again = load_reference()
    assert (again["created"], again["updated"]) == (0, 0)
    _state(db, "FJI").name = "Fiji (edited)"
    db.session.flush()
    repaired = load_reference()
    assert (repaired["created"], repaired["updated"]) == (0, 1)
    assert _state(db, "FJI").name == "Fiji"


def test_state_resolver_reads_un_document_names():
    resolver = state_resolver()
    assert resolver.resolve("Iran (Islamic Republic of)") == ["IRN"]
    assert resolver.resolve("Islamic Republic of Iran; Türkiye; Turkey") == ["IRN", "TUR"]
    assert resolver.resolve("United Kingdom of Great Britain and Northern Ireland") == ["GBR"]
    assert resolver.resolve("Senegal, Venezuela (Bolivarian Republic of),Peru") == [
        "SEN",
        "VEN",
        "PER",
    ]
    assert resolver.resolve("Côte d\u2019Ivoire; the former Yugoslav Republic of Macedonia") == [
        "CIV",
        "MKD",
    ]
    assert resolver.resolve("ICRMW; No. 189; State of Palestine") == ["PSE"]


def test_demo_accounts_cover_every_role(app, db):
    assert {account.role for account in DEMO_ACCOUNTS} == set(Role)
    load_demo()
    focal = db.session.scalars(sa.select(User).filter_by(email="focal.svn@demo.tamatch.org")).one()
    assert focal.state.iso3 == "SVN"
    assert verify_password(focal.password_hash, DEMO_PASSWORD)
    partners = db.session.scalars(sa.select(User).filter_by(role=Role.PARTNER)).all()
    assert all(user.organisation and user.organisation.is_partner for user in partners)


def test_demo_accounts_cost_one_password_hash(app, db, monkeypatch):
    from tamatch.seeding import demo

    calls = []
    real_hash = demo.hash_password
    monkeypatch.setattr(demo, "hash_password", lambda pw: calls.append(pw) or real_hash(pw))
    load_demo()
    assert calls == [DEMO_PASSWORD]
    users = db.session.scalars(sa.select(User).where(User.email.like("%@demo.tamatch.org"))).all()
    assert len(users) == len(DEMO_ACCOUNTS)
    assert all(verify_password(user.password_hash, DEMO_PASSWORD) for user in users)
    load_demo()
    assert calls == [DEMO_PASSWORD]  # nothing to create the second time, nothing hashed


def test_demo_load_is_idempotent(app, db):
    load_demo()
    models = (User, Organisation, Recommendation, Need, Offer)
    before = {model: _count(db, model) for model in models}
    counts = load_demo()
    assert {model: _count(db, model) for model in models} == before
    assert not any(counts.values())


def test_demo_needs_cite_recommendations_of_their_own_state(app, db):
    load_demo()
    needs = db.session.scalars(sa.select(Need)).all()
    assert needs
    for need in needs:
        assert need.recommendations, need.title
        assert all(rec.state_id == need.state_id for rec in need.recommendations), need.title
    confidential = [n for n in needs if n.visibility == Visibility.CONFIDENTIAL]
    assert any("journalists" in n.title for n in confidential)


def test_slovenia_recommendations(app, db):
    load_demo()
    slovenia = sa.select(sa.func.count()).where(Recommendation.external_key.like("upr:SVN:%"))
    assert db.session.scalar(slovenia) == 632
    rec = _recommendation(db, "upr:SVN:c3:121.29")
    assert rec.reference == "A/HRC/43/15 para. 121.29"
    assert (rec.session, rec.cycle, rec.response) == ("UPR 34", 3, Response.SUPPORTED)
    assert {t.code for t in rec.themes} == {"F11", "F12", "F14"}
    assert {s.number for s in rec.sdgs} == {5, 16}
    assert {g.code for g in rec.affected_groups} == {"women"}
    assert [s.iso3 for s in rec.recommending_states] == ["AUS"]
    first = _recommendation(db, "upr:SVN:c2:115.1")
    assert first.document_symbol == "A/HRC/28/15"
    assert [t.code for t in first.themes] == ["A12"]
    assert [s.iso3 for s in first.recommending_states] == ["HRV"]


def test_synthetic_generation_at_small_scale(app, db):
    load_reference()
    counts = generate_synthetic(50)
    assert (counts["needs"], counts["offers"]) == (50, 8)
    needs = db.session.scalars(sa.select(Need)).all()
    assert len(needs) == 50
    for need in needs:
        assert 1 <= len(need.recommendations) <= 3
        assert all(rec.state_id == need.state_id for rec in need.recommendations)
        assert need.themes and need.support_kinds and need.languages
    for offer in db.session.scalars(sa.select(Offer)):
        assert offer.themes and offer.support_kinds and offer.languages
        assert (
            offer.eligible_all
            or offer.eligible_ldc
            or offer.eligible_sids
            or (offer.eligible_lldc or offer.eligible_groups or offer.eligible_states)
        )
    assert not any(generate_synthetic(50).values())
    assert _count(db, Need) == 50


def test_bench_data_is_bulk_and_idempotent(app, db):
    load_reference()
    assert generate_bench_data(400, 40)["needs"] == 40
    assert _count(db, Recommendation) == 400
    assert generate_bench_data(400, 40)["needs"] == 0
    assert _count(db, Need) == 40


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("cote divoire", "CIV"),
        ("Côte d\u2019Ivoire", "CIV"),
        ("democratic peoples republic of korea", "PRK"),
        ("Swaziland", "SWZ"),
        ("Turkey", "TUR"),
        ("the Netherlands", "NLD"),
        ("Bosnia & Herzegovina", "BIH"),
        ("Lao People's Democratic Republic", "LAO"),
        ("Congo", "COG"),
        ("Democratic Republic of the Congo", "COD"),
        ("Atlantis", None),
    ],
)
def test_state_names_tolerate_punctuation_diacritics_articles_and_old_names(name, iso3):
    from tamatch.seeding.reference import state_resolver

    assert state_resolver().iso3(name) == iso3


def test_every_seed_code_and_name_fits_its_column():
    """SQLite keeps a string longer than its column; PostgreSQL refuses it (a TM- code did)."""
    import csv

    from tamatch.config import REPO_ROOT
    from tamatch.models import AffectedGroup, Language, Mechanism, SupportKind, Theme

    for model, name in [(Theme, "themes"), (AffectedGroup, "affected_groups"),
                        (Mechanism, "mechanisms"), (SupportKind, "support_kinds"),
                        (Language, "languages")]:  # fmt: skip
        with (REPO_ROOT / "seeds" / f"{name}.csv").open(encoding="utf-8") as file:
            for row in csv.DictReader(file):
                for column in ("code", "name"):
                    if column in row:
                        limit = model.__table__.c[column].type.length
                        assert len(row[column]) <= limit, (name, column, row[column])
