"""E-mail addresses in one normal form on every write and lookup, guarded by the database."""

import flask_migrate
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from tamatch import create_app
from tamatch.auth.services import InvitationData, invite_user
from tamatch.errors import DomainError
from tamatch.extensions import db as _db
from tamatch.models import Invitation, Role, User
from tamatch.models.account import normalise_email
from tests.factories import PASSWORD
from tests.test_migrations import scratch_url  # noqa: F401 - the fixture

COMPOSED, DECOMPOSED = "jos\u00e9@example.org", "jose\u0301@example.org"  # é, e + accent


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  Ana.Lopez@Gov.EXAMPLE \n", "ana.lopez@gov.example"),
        ("JOSE\u0301@EXAMPLE.ORG", COMPOSED),
        ("Stra\u00dfe@example.de", "stra\u00dfe@example.de"),  # not casefolded to "ss"
    ],
)
def test_the_normal_form(typed, stored):
    assert normalise_email(typed) == stored
    assert normalise_email(stored) == stored


def test_every_write_of_an_account_stores_the_normal_form(make, db):
    user = make.user(email="  Mixed.Case@Example.ORG ")
    assert user.email == "mixed.case@example.org"
    user.email = DECOMPOSED
    db.session.commit()
    assert db.session.scalar(sa.select(User.email).where(User.id == user.id)) == COMPOSED


@pytest.mark.parametrize("variant", ["Ana@example.org", "ANA@EXAMPLE.ORG", " ana@example.org"])
def test_the_database_refuses_a_second_account_differing_in_case(make, db, variant):
    """Even a write that skips the application (raw SQL) cannot add a case variant."""
    make.user(email="ana@example.org")
    columns = "email, name, role, active, session_token, created_at, totp_enabled"
    with pytest.raises(IntegrityError):
        db.session.execute(
            sa.text(
                f"INSERT INTO user_account ({columns}) "  # noqa: S608 - constant columns
                "VALUES (:email, 'X', 'organiser', true, 'tok', CURRENT_TIMESTAMP, false)"
            ),
            {"email": variant},
        )
    db.session.rollback()


def test_sign_in_finds_the_account_however_its_address_is_typed(app, make, db, no_csrf):
    make.user(email=DECOMPOSED)
    for typed in (COMPOSED.upper(), f" {DECOMPOSED} "):
        response = app.test_client().post(
            "/auth/login", data={"email": typed, "password": PASSWORD}
        )
        assert response.status_code == 302, typed


def test_invitations_and_create_admin_see_case_variants_as_taken(make, db, runner):
    admin = make.user(role=Role.ADMIN, email=COMPOSED)
    with pytest.raises(DomainError, match="already exists"):
        invite_user(admin, InvitationData(email=DECOMPOSED.upper(), name="X", role=Role.ORGANISER))
    result = runner.invoke(args=["users", "create-admin", f" {DECOMPOSED.upper()}"])
    assert result.exit_code != 0 and "already exists" in result.output


def test_the_audit_log_filters_by_any_typing_of_the_actor(make, login, db):
    admin = make.user(role=Role.ADMIN, email="root@example.org")
    invite_user(admin, InvitationData(email="x@example.org", name="X", role=Role.ORGANISER))
    db.session.commit()
    page = login(admin).get("/admin/audit?actor=ROOT@Example.org").text
    assert "<td>User invited</td>" in page


def test_the_demo_accounts_are_written_in_the_normal_form():
    from tamatch.seeding.demo import DEMO_ACCOUNTS

    assert all(normalise_email(a.email) == a.email for a in DEMO_ACCOUNTS)


# --- the migration ---------------------------------------------------------------------------

BEFORE = "3f3c375d75f7"  # the revision before this branch's migration


def _add_user(connection, user_id: int, email: str, hashed: str | None = "a hash") -> None:
    connection.execute(
        sa.text(
            "INSERT INTO user_account (id, email, name, role, password_hash, active, "
            "session_token, created_at, failed_logins, totp_enabled) VALUES (:id, :email, 'U', "
            "'organiser', :hash, true, :token, CURRENT_TIMESTAMP, 0, false)"
        ),
        {"id": user_id, "email": email, "hash": hashed, "token": f"t{user_id}"},
    )


def _invite(connection, user_id: int) -> None:
    connection.execute(
        sa.text(
            "INSERT INTO invitation (token_hash, user_id, created_at, expires_at) VALUES "
            "(:hash, :user_id, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ),
        {"hash": f"h{user_id}", "user_id": user_id},
    )


@pytest.fixture
def migrating(scratch_url):  # noqa: F811 - the imported fixture
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=scratch_url)
    with app.app_context():
        flask_migrate.upgrade(revision=BEFORE)
        yield _db
        _db.session.remove()
        flask_migrate.downgrade(revision="base")
        _db.engine.dispose()


def test_the_migration_normalises_addresses_and_voids_links_of_accounts_with_passwords(
    migrating,
):
    with migrating.engine.begin() as connection:
        _add_user(connection, 1, "  Ana@Example.ORG ")
        _add_user(connection, 2, DECOMPOSED, hashed=None)
        _invite(connection, 1)
        _invite(connection, 2)
        connection.execute(  # a row that would vanish if SQLite's table copy cascaded
            sa.text(
                "INSERT INTO api_token (user_id, name, token_hash, prefix, created_at, "
                "expires_at) VALUES (1, 'db', 'h', 'tm_', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
    flask_migrate.upgrade()
    with migrating.engine.connect() as connection:
        emails = connection.execute(sa.text("SELECT email FROM user_account ORDER BY id"))
        assert emails.scalars().all() == ["ana@example.org", COMPOSED]
        assert connection.execute(sa.text("SELECT user_id FROM api_token")).scalar() == 1
    used = {i.user_id: i.used_at for i in migrating.session.scalars(sa.select(Invitation))}
    assert used[1] is not None and used[2] is None


def test_the_migration_refuses_accounts_that_differ_only_in_case(migrating, capfd):
    with migrating.engine.begin() as connection:
        _add_user(connection, 1, "ana@example.org")
        _add_user(connection, 2, "Ana@Example.org")
        _add_user(connection, 3, "bob@example.org")
    with pytest.raises(SystemExit):  # Flask-Migrate logs the error and exits
        flask_migrate.upgrade()
    assert "ana@example.org: #1 'ana@example.org', #2 'Ana@Example.org'" in capfd.readouterr().err
    with migrating.engine.connect() as connection:  # nothing was changed
        emails = connection.execute(sa.text("SELECT email FROM user_account ORDER BY id"))
        assert emails.scalars().all() == ["ana@example.org", "Ana@Example.org", "bob@example.org"]
