"""Fixtures: one schema and reference data per session, emptied between tests.

Every request of the test client runs in a fresh context, as in production: its own app
context, `g`, and database session. Test code has a session of its own (the `db` fixture).
"""

import contextvars
import os

import pytest
import sqlalchemy as sa
from flask_login import FlaskLoginClient

from tamatch import create_app
from tamatch.auth.session import SECOND_FACTOR_KEY
from tamatch.extensions import db as _db

REFERENCE_TABLES = frozenset(
    {
        "state",
        "mechanism",
        "theme",
        "affected_group",
        "sdg",
        "sdg_target",
        "support_kind",
        "language",
    }
)


class IsolatedClient(FlaskLoginClient):
    """A test client whose requests never share the test's app context (or its `g`).

    `app.test_client(user=user)` is a session signed in completely: for a role with two
    factors, the session has verified the second one as well.
    """

    def __init__(self, *args, **kwargs):
        user = kwargs.get("user")
        super().__init__(*args, **kwargs)
        if user is not None:
            with self.session_transaction() as session:
                session[SECOND_FACTOR_KEY] = user.id

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TAMATCH_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=_database_url(tmp_path_factory),
        IMPORT_UPLOAD_FOLDER=str(tmp_path_factory.mktemp("import-uploads")),
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        _db.drop_all()
        _drop_leftovers()
        _db.create_all()
        from tamatch.seeding.reference import load_reference

        load_reference()
        _db.session.commit()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


def _drop_leftovers() -> None:
    """Tables a migration test may have left (alembic_version) on a shared server."""
    with _db.engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture
def db(app):
    """The database with reference data only; an app context is pushed for the test's code."""
    with app.app_context():
        yield _db
        _db.session.rollback()
        _db.session.close()
        with _db.engine.begin() as connection:
            for table in reversed(_db.metadata.sorted_tables):
                if table.name not in REFERENCE_TABLES:
                    connection.execute(table.delete())


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def runner(app, db):
    return app.test_cli_runner()


@pytest.fixture
def make(db):
    """Factories for users, organisations, recommendations, needs and offers."""
    from tests.factories import Factories

    return Factories(db)


@pytest.fixture
def login(app, db):
    """`login(user)` returns a client signed in as `user` (Flask-Login's test client)."""

    def _login(user):
        return app.test_client(user=user)

    return _login


@pytest.fixture
def token_for(db):
    """`token_for(user)` issues an API token through the service and returns the raw value."""
    from tamatch.api.tokens import create_token

    def _issue(user, days=90):
        _token, raw = create_token(user, "tracking database", days)
        db.session.commit()
        return raw

    return _issue


@pytest.fixture
def no_csrf(app):
    """Post forms without a CSRF token (one test signs in through the real form with it)."""
    app.config["WTF_CSRF_ENABLED"] = False
    yield
    app.config["WTF_CSRF_ENABLED"] = True
