"""Each role's home page says what to do next."""

from tamatch.models import NeedStatus, OfferStatus, Role, Visibility


def test_anonymous_welcome(client):
    body = client.get("/").get_data(as_text=True)
    assert "Sign in" in body


def test_focal_point_sees_its_states_needs_by_status(make, login):
    focal = make.user(role=Role.FOCAL_POINT, state="HTI")
    make.need(state="HTI", title="Draft one", status=NeedStatus.DRAFT)
    make.need(state="HTI", title="Open one", status=NeedStatus.OPEN)
    make.need(state="NPL", title="Nepal's need", visibility=Visibility.PUBLIC)
    body = login(focal).get("/").get_data(as_text=True)
    assert "Draft one" in body and "Open one" in body
    assert "Nepal's need" not in body


def test_focal_point_empty_state(make, login):
    body = login(make.user(role=Role.FOCAL_POINT, state="FJI")).get("/").get_data(as_text=True)
    assert "has posted no needs yet" in body


def test_partner_sees_remaining_capacity_and_budget(make, login, db):
    partner = make.user(role=Role.PARTNER)
    offer = make.offer(organisation=partner.organisation, capacity=5, budget=100_000)
    offer.capacity_used, offer.budget_used = 2, 30_000
    db.session.commit()
    make.offer(title="Not ours", status=OfferStatus.OPEN)
    body = login(partner).get("/").get_data(as_text=True)
    assert "3 / 5" in body
    assert "US$70,000" in body
    assert "Not ours" not in body


def test_organiser_counts_by_theme_and_region(make, login):
    make.need(state="HTI")  # African? No: Haiti is GRULAC, LDC and SIDS
    make.need(state="NPL", visibility=Visibility.CONFIDENTIAL)
    make.need(state="NPL", status=NeedStatus.DRAFT)
    body = login(make.user(role=Role.ORGANISER)).get("/").get_data(as_text=True)
    assert "Latin American and Caribbean Group" in body
    assert "Asia-Pacific Group" in body  # the organiser may count the confidential need
    reviewer_body = login(make.user(role=Role.REVIEWER)).get("/").get_data(as_text=True)
    assert "Asia-Pacific Group" not in reviewer_body


def test_admin_home(make, login):
    body = login(make.user(role=Role.ADMIN)).get("/").get_data(as_text=True)
    assert "Accounts by role" in body
