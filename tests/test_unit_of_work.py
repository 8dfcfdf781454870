"""The unit of work: a view's changes commit once, or roll back in one place and are shown."""

import pytest
import sqlalchemy as sa
from flask import Blueprint, abort, get_flashed_messages
from flask_wtf import FlaskForm
from werkzeug.exceptions import Forbidden
from wtforms import StringField

from tamatch import create_app
from tamatch.errors import DomainError, InvalidTransition, NotFound, PermissionDenied
from tamatch.extensions import db as _db
from tamatch.models import Organisation, OrganisationKind, Role, User
from tamatch.unit_of_work import unit_of_work
from tests.conftest import IsolatedClient


class NameForm(FlaskForm):
    name = StringField("Name")


def _organisation(name: str) -> Organisation:
    organisation = Organisation(name=name, kind=OrganisationKind.UN_ENTITY)
    _db.session.add(organisation)
    _db.session.flush()
    return organisation


def _stored(name: str) -> bool:
    with _db.engine.connect() as connection:  # what another connection sees: committed rows
        found = connection.execute(sa.select(Organisation.id).where(Organisation.name == name))
        return found.first() is not None


def test_the_block_commits_once_when_it_ends(app, db):
    with app.test_request_context(), unit_of_work() as work:
        _organisation("Kept")
        assert not _stored("Kept")
    assert _stored("Kept") and not work.failed


def test_a_domain_error_rolls_back_and_goes_under_its_field(app, db):
    with app.test_request_context(method="POST", data={"name": "typed"}):
        form = NameForm(meta={"csrf": False})
        with unit_of_work(form) as work:
            _organisation("Dropped")
            raise DomainError("That name is taken.", field="name")
        assert work.failed and form.name.errors == ["That name is taken."]
        assert form.name.data == "typed"  # what was typed is re-rendered
        with unit_of_work(form):
            raise InvalidTransition("Not now.")
        assert form.form_errors == ["Not now."]
        assert get_flashed_messages() == []
    assert not _stored("Dropped")


def test_without_a_form_the_error_is_flashed(app, db):
    with app.test_request_context():
        with unit_of_work() as work:
            _organisation("Dropped")
            raise DomainError("The round's deadline has passed.")
        assert work.failed
        assert get_flashed_messages(with_categories=True) == [
            ("danger", "The round's deadline has passed.")
        ]
    assert not _stored("Dropped")


@pytest.mark.parametrize(
    "error", [PermissionDenied("No."), NotFound("Gone."), RuntimeError("bug"), Forbidden()]
)
def test_other_errors_roll_back_and_propagate(app, db, error):
    with app.test_request_context(), pytest.raises(type(error)), unit_of_work():
        _organisation("Dropped")
        raise error
    assert not _stored("Dropped")


def test_reraise_lets_the_api_answer_every_domain_error(app, db):
    with app.test_request_context(), pytest.raises(DomainError), unit_of_work(reraise=True):
        _organisation("Dropped")
        raise DomainError("Invalid.", field="name")
    assert not _stored("Dropped")


@pytest.fixture
def scratch(app):
    """A second app on the same database, with routes that fail in the ways views can."""
    other = create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    other.test_client_class = IsolatedClient
    bp = Blueprint("scratch", __name__)

    @bp.get("/scratch/denied")
    def denied():
        raise PermissionDenied("Only organisers run match rounds.")

    @bp.get("/scratch/missing")
    def missing():
        raise NotFound("No such round.")

    @bp.get("/scratch/failed-flush")
    def failed_flush():
        _db.session.add(User(email="taken@example.org", name="Twin", role=Role.REVIEWER))
        try:
            _db.session.flush()
        except sa.exc.IntegrityError:
            abort(404)  # the session still holds the failed transaction
        return "unreachable"

    other.register_blueprint(bp)
    yield other
    with other.app_context():
        _db.session.remove()
        _db.engine.dispose()


def test_permission_denied_and_not_found_answer_403_and_404_with_their_reason(scratch, db):
    client = scratch.test_client()
    denied, missing = client.get("/scratch/denied"), client.get("/scratch/missing")
    assert denied.status_code == 403
    assert "Only organisers run match rounds." in denied.get_data(as_text=True)
    assert missing.status_code == 404
    assert "No such round." in missing.get_data(as_text=True)


def test_the_error_page_renders_after_a_failed_flush(scratch, make):
    user = make.user(role=Role.REVIEWER, email="taken@example.org")
    response = scratch.test_client(user=user).get("/scratch/failed-flush")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)  # the page, not a bare 500
