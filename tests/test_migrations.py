"""The migrations build the schema from nothing, and agree with the models (no drift)."""

import os
from urllib.parse import quote

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tamatch import create_app
from tamatch.extensions import db
from tamatch.models import recommendation_search as search_schema

SCHEMA = "migration_check"


@pytest.fixture
def scratch_url(tmp_path):
    """An empty database: a new SQLite file, or a scratch schema on the PostgreSQL server."""
    url = os.environ.get("TAMATCH_TEST_DATABASE_URL")
    if not url or not url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        connection.execute(sa.text(f"CREATE SCHEMA {SCHEMA}"))
    separator = "&" if "?" in url else "?"
    yield f"{url}{separator}options={quote(f'-csearch_path={SCHEMA}')}"
    with engine.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
    engine.dispose()


def test_upgrade_from_empty_to_head_matches_the_models(scratch_url):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=scratch_url)
    with app.app_context():
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_object": _model_objects}
            )
            drift = compare_metadata(context, db.metadata)
        assert drift == [], f"models and migrations differ: {drift}"
        assert _search_structures() == _expected_search_structures()
        flask_migrate.downgrade(revision="base")
        tables = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
        db.engine.dispose()


def _model_objects(obj, name, type_, reflected, compare_to) -> bool:
    """The full-text index is SQL of its own (tamatch/models/recommendation_search.py)."""
    return not search_schema.is_search_object(name, type_, getattr(obj, "table", None))


def _search_structures() -> set[str]:
    """The full-text index as the database has it: SQLite's DDL, PostgreSQL's names."""
    with db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            rows = connection.execute(
                sa.text("SELECT sql FROM sqlite_master WHERE name LIKE 'recommendation_search%' "
                        "AND sql IS NOT NULL AND type IN ('table', 'trigger')")
            )  # fmt: skip
            return {row.sql for row in rows if "VIRTUAL" in row.sql or "TRIGGER" in row.sql}
        inspector = sa.inspect(connection)
        indexes = {i["name"] for i in inspector.get_indexes("recommendation")}
        columns = {c["name"] for c in inspector.get_columns("recommendation")}
        return {n for n in indexes | columns if search_schema.is_search_object(n, "index")} | {
            n for n in columns if n == search_schema.PG_COLUMN
        }


def _expected_search_structures() -> set[str]:
    if db.engine.dialect.name == "sqlite":
        return set(search_schema.sqlite_ddl())
    return {search_schema.PG_COLUMN, search_schema.PG_INDEX, search_schema.PG_LIST_INDEX}


PREVIOUS = "3f3c375d75f7"  # the revision before responses and search


def _insert_old_rows() -> None:
    """Recommendations as the previous revision stored them, with links that must survive."""
    # The reference rows it needs, as that revision's tables hold them (today's seeds also
    # fill tables that did not exist yet).
    db.session.execute(sa.text(
        "INSERT INTO state (iso3, name, regional_group, is_ldc, is_sids, is_lldc) "
        "VALUES ('HTI', 'Haiti', 'grulac', true, true, false)"
    ))  # fmt: skip
    db.session.execute(sa.text(
        "INSERT INTO mechanism (code, name, kind) VALUES ('UPR', 'UPR', 'upr')"
    ))  # fmt: skip
    db.session.execute(sa.text("INSERT INTO theme (code, name) VALUES ('D23', 'Death penalty')"))
    db.session.commit()
    queries = {
        "state": "SELECT id FROM state WHERE iso3 = 'HTI'",
        "mechanism": "SELECT id FROM mechanism WHERE code = 'UPR'",
        "theme": "SELECT min(id) FROM theme",
    }
    ids = {name: db.session.execute(sa.text(sql)).scalar() for name, sql in queries.items()}
    insert = sa.text(
        "INSERT INTO recommendation (id, external_key, mechanism_id, body, state_id, text, "
        "response, document_symbol, paragraph) VALUES (:id, :key, :mechanism, 'Human Rights "
        "Council', :state, :text, :response, 'A/HRC/40/6', :paragraph)"
    )
    for rec_id, response, text in (
        (1, "supported", "Abolish the death penalty"),
        (2, "noted", "Ratify the Optional Protocol"),
        (3, "pending", "Strengthen the ombudsperson institution"),
    ):
        values = {"id": rec_id, "key": f"old:{rec_id}", "response": response, "text": text}
        db.session.execute(insert, {**values, **ids, "paragraph": f"28.{rec_id}"})
    db.session.execute(
        sa.text("INSERT INTO recommendation_theme VALUES (1, :theme), (3, :theme)"), ids
    )
    db.session.execute(sa.text("INSERT INTO related_recommendation VALUES (1, 3, 0.5)"))
    db.session.commit()


def test_upgrade_maps_stored_responses_and_indexes_stored_texts(scratch_url):
    from tamatch.recommendations.services import RecommendationFilters, recommendations_query

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=scratch_url)
    with app.app_context():
        flask_migrate.upgrade(revision=PREVIOUS)
        _insert_old_rows()
        flask_migrate.upgrade()
        rows = db.session.execute(sa.text("SELECT id, response FROM recommendation ORDER BY id"))
        assert rows.all() == [(1, "supported"), (2, "noted"), (3, None)]
        # The table was rebuilt on SQLite: no row that refers to it was lost.
        links = "SELECT count(*) FROM recommendation_theme"
        assert db.session.execute(sa.text(links)).scalar() == 2
        related = "SELECT count(*) FROM related_recommendation"
        assert db.session.execute(sa.text(related)).scalar() == 1
        # Rows stored before the index are found by words and by reference.
        found = db.session.scalars(recommendations_query(RecommendationFilters(q="ombudsperson")))
        assert [r.id for r in found] == [3]
        by_reference = recommendations_query(RecommendationFilters(q="A/HRC/40/6 para. 28.2"))
        assert [r.id for r in db.session.scalars(by_reference)] == [2]
        db.session.remove()
        flask_migrate.downgrade(revision=PREVIOUS)
        rows = db.session.execute(sa.text("SELECT id, response FROM recommendation ORDER BY id"))
        assert rows.all() == [(1, "supported"), (2, "noted"), (3, "pending")]
        db.session.remove()
        db.engine.dispose()


BEFORE_TAXONOMY = "5b8e2c7d9a41"  # the revision before the real UHRI theme codes
OLD_THEMES = {
    1: ("D22", "Death penalty"),
    2: ("D23", "Extrajudicial, summary or arbitrary executions"),
    3: ("B4", "Business & human rights"),
    4: ("B6", "Human rights & the environment"),
    5: ("D51", "Administration of justice & fair trial"),
}


def test_upgrade_moves_invented_theme_codes_to_what_they_meant(scratch_url):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=scratch_url)
    with app.app_context():
        flask_migrate.upgrade(revision=BEFORE_TAXONOMY)
        execute = db.session.execute
        for theme_id, (code, name) in OLD_THEMES.items():
            execute(sa.text("INSERT INTO theme (id, code, name) VALUES (:i, :c, :n)"),
                    {"i": theme_id, "c": code, "n": name})  # fmt: skip
        state = (
            "INSERT INTO state (id, iso3, name, regional_group, is_ldc, is_sids, is_lldc) "
            "VALUES (1, 'HTI', 'Haiti', 'grulac', true, true, false)"
        )
        execute(sa.text(state))
        execute(
            sa.text("INSERT INTO mechanism (id, code, name, kind) VALUES (1, 'UPR', 'UPR', 'upr')")
        )
        for rec_id in (1, 2, 3):
            execute(sa.text("INSERT INTO recommendation (id, external_key, mechanism_id, body, "
                            "state_id, text) VALUES (:i, :k, 1, 'HRC', 1, 'Text')"),
                    {"i": rec_id, "k": f"old:{rec_id}"})  # fmt: skip
        # 1: death penalty; 2: executions and justice; 3: business and environment
        for rec_id, theme_id in ((1, 1), (2, 2), (2, 5), (3, 3), (3, 4)):
            execute(sa.text("INSERT INTO recommendation_theme VALUES (:r, :t)"),
                    {"r": rec_id, "t": theme_id})  # fmt: skip
        if db.engine.dialect.name == "postgresql":  # rows given ids do not move the sequences
            setval = "SELECT setval(pg_get_serial_sequence('{0}', 'id'), (SELECT max(id) FROM {0}))"
            for table in ("theme", "state", "mechanism", "recommendation"):
                execute(sa.text(setval.format(table)))
        db.session.commit()
        flask_migrate.upgrade()
        rows = execute(sa.text(
            "SELECT rt.recommendation_id, t.code, t.name FROM recommendation_theme rt "
            "JOIN theme t ON t.id = rt.theme_id ORDER BY 1, 2"
        )).all()  # fmt: skip
        assert rows == [
            (1, "D23", "Death penalty"),
            (2, "D51", "Administration of justice & fair trial"),
            (2, "TM-extrajudicial-executions", "Extrajudicial, summary or arbitrary executions"),
            (3, "B6", "Business & Human Rights"),
            (3, "B71", "Human rights and the environment"),
        ]
        codes = set(execute(sa.text("SELECT code FROM theme")).scalars())
        assert not codes & {"D22", "B4"}
        db.session.remove()
        flask_migrate.downgrade(revision=BEFORE_TAXONOMY)
        rows = execute(sa.text(
            "SELECT rt.recommendation_id, t.code FROM recommendation_theme rt "
            "JOIN theme t ON t.id = rt.theme_id ORDER BY 1, 2"
        )).all()  # fmt: skip
        assert rows == [(1, "D22"), (2, "D23"), (2, "D51"), (3, "B4"), (3, "B6")]
        db.session.remove()
        db.engine.dispose()
