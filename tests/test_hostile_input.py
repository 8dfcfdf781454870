"""Bad input gets a clear answer, never a 500 (issue 10 items 8 and 9), one mechanism at a time.

The walk over every route is tests/test_hostile_routes.py; these pin each root fix down.
"""

import io
import json
from datetime import date

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa
from flask_wtf import FlaskForm
from wtforms import DecimalField, FloatField, IntegerField
from wtforms.fields.core import UnboundField

from tamatch.exports import dataframe_bytes
from tamatch.forms import BoundedFloatField, BoundedIntegerField
from tamatch.models import Offer, Role, User
from tamatch.request_args import MAX_INT, BoundedIntegerConverter

HUGE = "99999999999999999999"


# --- ids in the path ------------------------------------------------------------------------


def test_the_int_converter_holds_what_an_integer_column_holds(app):
    assert app.url_map.converters["int"] is BoundedIntegerConverter
    adapter = app.url_map.bind("localhost")
    assert adapter.match("/needs/2147483647")[1] == {"need_id": MAX_INT}


@pytest.mark.parametrize("need_id", [HUGE, str(2**31), str(2**63), str(MAX_INT)])
def test_an_id_beyond_the_column_is_a_404(make, login, need_id):
    client = login(make.user(role=Role.ORGANISER))
    assert client.get(f"/needs/{need_id}").status_code == 404
    assert client.get(f"/needs/{need_id}/edit").status_code == 404


# --- pages and texts of the lists ------------------------------------------------------------


@pytest.fixture
def twelve_needs(make):
    for i in range(12):
        make.need(state="HTI", title=f"Paged need {i:02d}", window_start=date(2027, 1, 1))
    return make.user(role=Role.FOCAL_POINT, state="HTI")


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        (f"page={HUGE}", 2),  # beyond the last: the last page
        (f"page={2**31}", 2),
        ("page=-1", 10),  # junk: the first page
        ("page=abc", 10),
        ("page=%00", 10),
        (f"per_page={10**9}", 12),  # cut to the largest page, which holds all twelve
        ("per_page=abc", 10),
    ],
)
def test_list_pages_are_read_leniently(login, twelve_needs, query, shown):
    response = login(twelve_needs).get(f"/needs/?{query}")
    assert response.status_code == 200
    assert response.get_data(as_text=True).count("Paged need") == shown


def test_the_api_refuses_a_huge_page_in_its_error_shape(make, client, token_for):
    raw = token_for(make.user(role=Role.ORGANISER))
    response = client.get(f"/api/v1/needs?page={HUGE}", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 400
    assert set(response.json["error"]["fields"]) == {"page"}


def test_a_long_search_is_cut_with_a_message(login, twelve_needs):
    page = login(twelve_needs).get("/needs/?q=" + "é" * 50_000).get_data(as_text=True)
    assert "Your search was too long: only its first 200 characters were used." in page


def test_nul_never_reaches_the_database(make, login, client, no_csrf):
    """Query and form values lose their NUL in the request itself (PostgreSQL refuses it)."""
    assert (
        client.post("/auth/login", data={"email": "a\x00@b.org", "password": "x"}).status_code < 500
    )
    page = login(make.user(role=Role.ORGANISER)).get("/admin/audit?actor=%00x&action=\x00")
    assert page.status_code == 200


# --- JSON bodies of the API -------------------------------------------------------------------


def _post_need(client, raw: str, body: str):
    headers = {"Authorization": f"Bearer {raw}", "Content-Type": "application/json"}
    return client.post("/api/v1/needs", data=body, headers=headers)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("[" * 100_000 + "]" * 100_000, "body_too_deep"),
        ('{"title": ' + "[" * 40 + "]" * 40 + "}", "body_too_deep"),
        (json.dumps({"title": "x" * 2_000_000}), "body_too_large"),
    ],
)
def test_the_api_refuses_too_deep_or_too_large_bodies_with_400(make, client, token_for, body, code):
    raw = token_for(make.user(role=Role.FOCAL_POINT, state="HTI"))
    response = _post_need(client, raw, body)
    assert response.status_code == 400
    assert response.json["error"]["code"] == code
    assert response.json["error"]["message"]


def test_brackets_inside_strings_do_not_count_as_depth(make, client, token_for):
    raw = token_for(make.user(role=Role.FOCAL_POINT, state="HTI"))
    response = _post_need(client, raw, json.dumps({"title": "[" * 500}))
    assert response.status_code == 422  # read, then refused for its fields


def test_the_api_refuses_amounts_beyond_the_column(make, client, token_for):
    raw = token_for(make.user(role=Role.FOCAL_POINT, state="HTI"))
    response = _post_need(client, raw, json.dumps({"cost_min": 2**31, "cost_max": 2**63}))
    assert response.status_code == 422
    assert {"cost_min", "cost_max"} <= set(response.json["error"]["fields"])


# --- numbers of the forms ---------------------------------------------------------------------


def _app_forms() -> list[type]:
    forms, seen = list(FlaskForm.__subclasses__()), []
    while forms:
        form = forms.pop()
        if form not in seen:
            seen.append(form)
            forms.extend(form.__subclasses__())
    return [f for f in seen if f.__module__.startswith("tamatch.")]


def test_every_number_of_every_form_is_bounded(app):
    unbounded = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in _app_forms()
        for name in dir(form)
        if isinstance(field := getattr(form, name, None), UnboundField)
        and (
            (
                issubclass(field.field_class, IntegerField)
                and not issubclass(field.field_class, BoundedIntegerField)
            )
            or (
                issubclass(field.field_class, FloatField | DecimalField)
                and not issubclass(field.field_class, BoundedFloatField)
            )
        )
    ]
    assert _app_forms() and not unbounded


@pytest.mark.parametrize("typed", ["1e999", "inf", "nan", "-1e16"])
def test_a_measured_value_must_be_a_finite_number(app, typed):
    from werkzeug.datastructures import MultiDict

    from tamatch.planning.forms import ValueForm

    with app.test_request_context(method="POST"):
        form = ValueForm(
            MultiDict({"observed_on": "2024-06-30", "value": typed}), meta={"csrf": False}
        )
        assert not form.validate()
        assert form.value.data is None
        assert "no larger than 1,000,000,000,000,000" in form.value.errors[0]


@pytest.mark.parametrize("budget", [str(2**31), HUGE, "-" + HUGE])
def test_an_offer_budget_beyond_the_column_is_refused_under_its_field(
    make, login, db, no_csrf, budget
):
    partner = make.user(role=Role.PARTNER)
    data = {
        "title": "Training of trainers",
        "description": "Two weeks of training for the staff of a national mechanism.",
        "capacity": "2",
        "budget": budget,
        "typical_cost": "1000",
        "window_start": "2027-01-01",
        "window_end": "2099-12-31",
        "save_draft": "1",
    }
    response = login(partner).post("/offers/new", data=data)
    assert response.status_code == 200
    assert "Enter a number no larger than 2,147,483,647." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Offer.id))) == 0


# --- the error page after a failed flush ------------------------------------------------------


def _failing_flush(taken_email: str):
    """A stand-in for a view's helper whose flush fails (IntegrityError: the e-mail is taken),
    outside any unit of work, so nothing rolled the session back before the error handler."""
    from tamatch.extensions import db as app_db

    def flush(*_args, **_kwargs):
        app_db.session.add(User(role=Role.REVIEWER, email=taken_email, name="Twin"))
        app_db.session.flush()

    return flush


def test_the_error_page_renders_after_a_failed_flush(app, make, login, monkeypatch):
    """The 500 page rolls the session back before it renders (its navigation loads the
    signed-in user, which would raise PendingRollbackError), so it never raises itself."""
    from tamatch.notifications import routes

    user = make.user(role=Role.FOCAL_POINT, state="HTI")
    monkeypatch.setattr(routes, "paginate", _failing_flush(user.email))
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    response = login(user).get("/notifications/")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong" in page and user.name in page  # the navigation rendered


def test_the_api_answers_500_in_its_shape_after_a_failed_flush(
    app, make, client, token_for, monkeypatch
):
    import tamatch.api.need_routes as routes

    user = make.user(role=Role.FOCAL_POINT, state="HTI")
    raw = token_for(user)
    monkeypatch.setattr(routes, "paginated", _failing_flush(user.email))
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    response = client.get("/api/v1/needs", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 500
    assert response.json["error"]["code"] == "internal_server_error"


# --- exports and imports (item 9) -------------------------------------------------------------

CONTROL_LED = ["\x01=cmd()", "\x1f+1+2", "\x00-1+2", "\x08@SUM(A1)", "\x0b=HYPERLINK(1)", " =1"]


@pytest.mark.parametrize("value", CONTROL_LED)
def test_a_control_character_before_a_formula_never_makes_a_live_formula(value):
    frame = pd.DataFrame({"Title": [value]})
    xlsx, _mimetype = dataframe_bytes(frame, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    cell = sheet["A2"]
    assert cell.data_type == "s"
    assert str(cell.value).startswith("'")
    csv_bytes, _mimetype = dataframe_bytes(frame, "csv")
    line = csv_bytes.decode("utf-8-sig").split("\r\n")[1]
    assert line.lstrip('"').startswith("'")


def test_a_formula_in_a_header_is_neutralised_too():
    xlsx, _mimetype = dataframe_bytes(pd.DataFrame({"\x01=cmd()": [1]}), "xlsx")
    cell = openpyxl.load_workbook(io.BytesIO(xlsx)).active["A1"]
    assert cell.data_type == "s" and cell.value.startswith("'")


def test_a_docx_report_cell_is_neutralised_after_its_control_characters_go():
    from tamatch.planning.docx_export import _text

    assert _text("\x01=cmd()") == "'=cmd()"


def test_a_csv_whose_header_is_too_wide_is_refused_quickly(db):
    import time

    from tamatch.recommendations.import_formats import TableTooWide, read_table

    data = ("a," * 3_900_000 + "b\r\n1,2\r\n").encode()
    started = time.monotonic()
    with pytest.raises(TableTooWide, match="more than 500 columns"):
        read_table(data)
    assert time.monotonic() - started < 1.5


def test_an_xlsx_whose_header_is_too_wide_is_refused(monkeypatch):
    from tamatch.recommendations import import_formats

    monkeypatch.setattr(import_formats, "MAX_COLUMNS", 5)
    workbook = openpyxl.Workbook()
    workbook.active.append([f"Column {i}" for i in range(8)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(import_formats.TableTooWide):
        import_formats.read_table(buffer.getvalue())
    assert len(import_formats.read_table(b"To,From,Text\r\n1,2,3\r\n").headers) == 3


def test_the_import_page_reports_a_too_wide_header(
    app, make, login, no_csrf, tmp_path, monkeypatch
):
    monkeypatch.setitem(app.config, "IMPORT_UPLOAD_FOLDER", str(tmp_path))
    organiser = make.user(role=Role.ORGANISER)
    wide = ("x," * 1000 + "y\r\n").encode()
    response = login(organiser).post(
        "/recommendations/import",
        data={"file": (io.BytesIO(wide), "wide.csv"), "fmt": "auto"},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert response.status_code < 500
    assert "more than 500 columns" in response.get_data(as_text=True)


@pytest.mark.parametrize("method", ["PATCH", "DELETE", "POST"])
def test_a_huge_id_is_a_404_whatever_the_method(make, client, token_for, method):
    """The path itself does not match (werkzeug would answer 405 to a failed conversion)."""
    raw = token_for(make.user(role=Role.FOCAL_POINT, state="HTI"))
    headers = {"Authorization": f"Bearer {raw}"}
    response = client.open(f"/api/v1/needs/{2**31}", method=method, headers=headers, json={})
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"
