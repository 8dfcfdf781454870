"""Administration: inviting users, organisations, disabling accounts."""

import pytest
import sqlalchemy as sa

from tamatch.models import Invitation, Organisation, OrganisationKind, Role, User

pytestmark = pytest.mark.usefixtures("no_csrf")


@pytest.mark.parametrize(
    "role", [Role.FOCAL_POINT, Role.PARTNER, Role.ORGANISER, Role.REVIEWER, Role.CIVIL_SOCIETY]
)
@pytest.mark.parametrize("url", ["/admin/users", "/admin/users/invite", "/admin/organisations"])
def test_admin_pages_are_for_admins(make, login, role, url):
    assert login(make.user(role=role)).get(url).status_code == 403


def test_admin_invites_a_focal_point_and_sees_the_link_once(make, login, db):
    admin = make.user(role=Role.ADMIN)
    client = login(admin)
    response = client.post(
        "/admin/users/invite",
        data={
            "email": "fp@gov.example",
            "name": "Focal",
            "role": "focal_point",
            "state_id": str(make.state("HTI").id),
            "organisation_id": "",
        },
    )
    assert response.status_code == 302  # POST-redirect-GET: a reload re-submits nothing
    response = client.get(response.headers["Location"])
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "https://tamatch.test/auth/invitation/" in body
    user = db.session.scalar(sa.select(User).where(User.email == "fp@gov.example"))
    assert user.state.iso3 == "HTI" and user.password_hash is None
    invitation = db.session.scalar(sa.select(Invitation))
    assert invitation.token_hash not in body  # only the raw token leaves, never stored
    again = client.post(
        "/admin/users/invite",
        data={"email": "FP@gov.example", "name": "Focal", "role": "organiser"},
    )
    assert "already exists" in again.get_data(as_text=True)


def test_invite_validation(make, login):
    client = login(make.user(role=Role.ADMIN))
    response = client.post(
        "/admin/users/invite", data={"email": "not-an-email", "name": "", "role": "partner"}
    )
    body = response.get_data(as_text=True)
    assert "Invalid email address." in body
    assert "This field is required." in body
    response = client.post(
        "/admin/users/invite", data={"email": "p@example.org", "name": "P", "role": "partner"}
    )
    assert "A partner must belong to a partner organisation." in response.get_data(as_text=True)


def test_disable_account_ends_its_session(make, login, db):
    admin = make.user(role=Role.ADMIN)
    victim = make.user(role=Role.FOCAL_POINT)
    victim_client = login(victim)
    assert victim_client.get("/needs/new").status_code == 200
    login(admin).post(f"/admin/users/{victim.id}/active", data={"active": "0"})
    assert victim_client.get("/needs/new").status_code == 302
    own = login(admin).post(
        f"/admin/users/{admin.id}/active", data={"active": "0"}, follow_redirects=True
    )
    assert "cannot disable your own account" in own.get_data(as_text=True)


def test_organisations_page(make, login, db):
    client = login(make.user(role=Role.ADMIN))
    assert "No organisations yet." in client.get("/admin/organisations").get_data(as_text=True)
    missing_state = client.post(
        "/admin/organisations", data={"name": "Peer", "kind": "peer_state", "state_id": ""}
    )
    assert "Choose the State" in missing_state.get_data(as_text=True)
    client.post("/admin/organisations", data={"name": "UNICEF", "kind": "un_entity"})
    org = db.session.scalar(sa.select(Organisation))
    assert org.name == "UNICEF" and org.kind == OrganisationKind.UN_ENTITY


def test_audit_log_for_admins_and_organisers(make, login, db):
    from tamatch.models import AuditEntry, Visibility

    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    need = make.need(state="HTI", visibility=Visibility.CONFIDENTIAL, title="Zebracorn defenders")
    login(focal).post(f"/needs/{need.id}/status", data={"target": "withdrawn"})
    login(make.user(role=Role.ORGANISER)).get(f"/needs/{need.id}")
    actions = set(db.session.scalars(sa.select(AuditEntry.action)))
    assert {"need.status", "need.view_confidential"} <= actions
    for role in (Role.ADMIN, Role.ORGANISER):
        page = login(make.user(role=role)).get("/admin/audit?action=need.").get_data(as_text=True)
        assert "need.view_confidential" in page
        # No confidential text in the log: the title is looked up for the need's readers only.
        assert ("Zebracorn" in page) == (role == Role.ORGANISER)
    stored = db.session.scalars(sa.select(AuditEntry)).all()
    assert not any("Zebracorn" in str((e.before, e.after)) for e in stored)
    filtered = login(make.user(role=Role.ADMIN)).get("/admin/audit?action=user.invite")
    assert "<code>need.status</code>" not in filtered.get_data(as_text=True)
    for role in (Role.FOCAL_POINT, Role.PARTNER, Role.REVIEWER):
        assert login(make.user(role=role)).get("/admin/audit").status_code == 403


def test_need_edits_audit_no_free_text(make, db):
    from tamatch.models import AuditEntry
    from tamatch.needs.services import AUDITED_FIELDS

    assert "gap" not in AUDITED_FIELDS and "title" not in AUDITED_FIELDS
    make.need(state="HTI")
    for entry in db.session.scalars(sa.select(AuditEntry)):
        assert "gap" not in (entry.after or {})


def test_invitation_is_e_mailed_with_an_absolute_link_and_a_reload_sends_nothing(make, login, db):
    from tamatch.models import OutboxMessage

    client = login(make.user(role=Role.ADMIN))
    data = {"email": "p@partner.example", "name": "Pat", "role": "partner"}
    data["organisation_id"] = str(make.organisation().id)
    shown = client.post("/admin/users/invite", data=data, follow_redirects=True)
    assert 'data-copy="invitation-link"' in shown.text  # the copy button, enhanced by script
    mail = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.recipient == "p@partner.example")
    ).all()
    assert len(mail) == 1
    assert "https://tamatch.test/auth/invitation/" in mail[0].body
    token = mail[0].body.split("/auth/invitation/")[1].split()[0]
    assert token in shown.text  # the page and the e-mail carry the same one link
    # A reload is a GET of the result page: no second invitation, no link shown again.
    again = client.get(shown.request.path)
    assert again.status_code == 200 and "/auth/invitation/" not in again.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 1
