"""The plan's pages change things through one unit of work: all of it, or none of it, shown."""

import re

import pytest
import sqlalchemy as sa

from tamatch.errors import DomainError
from tamatch.models import AuditEntry, Institution, Role
from tamatch.planning import services
from tests.plan_factories import make_plan


@pytest.fixture
def plan(db, make):
    return make_plan(db, make, make.user(role=Role.FOCAL_POINT, state="HTI"), "Plan ")


def _error_of(html: str, field: str) -> str | None:
    found = re.search(
        rf'<div id="{field}-error" class="invalid-feedback d-block">([^<]*)</div>', html
    )
    return found.group(1) if found else None


def test_a_domain_error_after_the_work_is_flushed_keeps_none_of_it(
    plan, login, no_csrf, db, monkeypatch
):
    """The service adds the institution and its audit entry, then a later step refuses: the
    page shown after the error and the database know nothing of what the view did."""
    real = services.create_institution

    def adds_then_refuses(actor, data):
        real(actor, data)  # flushed: the row and its audit entry exist in the transaction
        raise DomainError("The contact role is refused.", field="contact_role")

    monkeypatch.setattr(services, "create_institution", adds_then_refuses)
    audit_before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))
    page = login(plan.focal).post(
        "/planning/institutions",
        data={"name": "Ministry of Phantoms", "kind": "ministry", "contact_role": "Clerk"},
    )
    assert page.status_code == 200
    assert _error_of(page.text, "contact_role") == "The contact role is refused."
    # The list above the form is read after the error: it must not show the rolled-back row.
    listed = re.findall(r'<a href="/planning/institutions/\d+">([^<]*)</a>', page.text)
    assert listed == [plan.institution.name]
    assert (
        db.session.scalar(sa.select(Institution).where(Institution.name == "Ministry of Phantoms"))
        is None
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == audit_before


def test_a_refused_form_comes_back_with_what_was_typed_and_the_error_by_its_field(
    plan, login, no_csrf
):
    """A real refusal (the name is taken, whatever its case): every typed value is kept."""
    page = login(plan.focal).post(
        f"/planning/institutions/{plan.institution.id}/edit",
        data={"name": "Ministry of Justice", "kind": "judiciary", "contact_role": "Registrar"},
    )
    assert page.status_code == 302
    page = login(plan.focal).post(
        "/planning/institutions",
        data={"name": "MINISTRY of justice", "kind": "agency", "contact_role": "Head of unit"},
    )
    assert page.status_code == 200
    assert _error_of(page.text, "name") == "Your State already has an institution of that name."
    assert 'value="MINISTRY of justice"' in page.text
    assert 'value="Head of unit"' in page.text
    assert re.search(r'<option selected value="agency">', page.text)
