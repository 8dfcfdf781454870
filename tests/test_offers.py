"""Offers: partners post for their own organisation; eligibility; lifecycle; capacity limits."""

import pytest
import sqlalchemy as sa

from tamatch.errors import DomainError, InvalidTransition, PermissionDenied
from tamatch.models import (
    Language,
    Offer,
    OfferStatus,
    OrganisationKind,
    RegionalGroup,
    Role,
    SupportKind,
    Theme,
)
from tamatch.offers.services import OfferData, transition_offer, update_offer

pytestmark = pytest.mark.usefixtures("no_csrf")


def _form(make, **overrides):
    data = {
        "title": "Expert advice on treaty-body reporting",
        "description": "Two OHCHR experts support the drafting of a State report, remotely.",
        "theme_ids": [make.term(Theme).id],
        "support_kind_ids": [make.term(SupportKind).id],
        "language_ids": [make.term(Language, "en").id, make.term(Language, "fr").id],
        "modality": "remote",
        "eligible_all": "all",
        "capacity": "4",
        "budget": "100000",
        "typical_cost": "20000",
        "window_start": "2027-01-01",
        "window_end": "2027-12-31",
        "publish": "Publish",
    }
    data.update(overrides)
    return data


def test_partner_posts_an_offer_for_its_own_organisation(make, login, db):
    partner = make.user(role=Role.PARTNER)
    other_org = make.organisation(name="Someone else")
    response = login(partner).post(
        "/offers/new", data=_form(make, organisation_id=str(other_org.id))
    )
    assert response.status_code == 302
    offer = db.session.scalar(sa.select(Offer))
    assert offer.organisation_id == partner.organisation_id
    assert offer.status == OfferStatus.OPEN
    assert offer.remaining_capacity == 4


def test_restricted_eligibility_is_stored_and_applied(make, login, db):
    partner = make.user(role=Role.PARTNER)
    response = login(partner).post(
        "/offers/new",
        data=_form(
            make,
            eligible_all="some",
            eligible_groups=["african"],
            eligible_sids="y",
            eligible_state_ids=[make.state("NPL").id],
        ),
    )
    assert response.status_code == 302
    offer = db.session.scalar(sa.select(Offer))
    assert offer.eligible_groups == [RegionalGroup.AFRICAN]
    assert offer.eligible_sids and not offer.eligible_ldc
    assert offer.is_eligible(make.state("NPL"))  # named
    assert offer.is_eligible(make.state("KEN"))  # African Group
    assert offer.is_eligible(make.state("FJI"))  # SIDS
    assert not offer.is_eligible(make.state("FRA"))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"eligible_all": "some"}, "Say which States are eligible"),
        ({"typical_cost": "200000"}, "cannot exceed the total budget"),
        ({"capacity": "0"}, "Number must be between 1 and 10000."),
        ({"window_end": "2026-01-01"}, "The window must end after it starts."),
        ({"language_ids": []}, "This field is required."),
        ({"description": "short"}, "Field must be between 20 and 10000 characters long."),
    ],
)
def test_offer_form_validation(make, login, db, overrides, message):
    partner = make.user(role=Role.PARTNER)
    response = login(partner).post("/offers/new", data=_form(make, **overrides))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert "Expert advice on treaty-body reporting" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Offer)) == 0


@pytest.mark.parametrize("role", [Role.FOCAL_POINT, Role.ORGANISER, Role.REVIEWER, Role.ADMIN])
def test_only_partners_post_offers(make, login, role):
    assert login(make.user(role=role)).get("/offers/new").status_code == 403


def test_partner_edits_only_its_own_organisations_offers(make, login, db):
    partner = make.user(role=Role.PARTNER)
    mine = make.offer(organisation=partner.organisation)
    theirs = make.offer()
    draft = make.offer(status=OfferStatus.DRAFT)
    client = login(partner)
    assert client.get(f"/offers/{mine.id}/edit").status_code == 200
    assert client.get(f"/offers/{theirs.id}/edit").status_code == 403
    assert client.get(f"/offers/{draft.id}").status_code == 404  # another's draft
    assert client.post(f"/offers/{theirs.id}/status", data={"target": "closed"}).status_code == 403
    response = client.post(
        f"/offers/{mine.id}/edit", data=_form(make, title="Renamed offer", save="Save")
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Offer, mine.id).title == "Renamed offer"


def test_offers_are_for_members_only(client, make):
    offer = make.offer()
    assert client.get("/offers/").status_code == 302
    assert client.get(f"/offers/{offer.id}").status_code == 302


def test_lifecycle(make, db):
    partner = make.user(role=Role.PARTNER)
    offer = make.offer(organisation=partner.organisation, status=OfferStatus.DRAFT)
    transition_offer(partner, offer, OfferStatus.OPEN)
    transition_offer(partner, offer, OfferStatus.CLOSED)
    with pytest.raises(InvalidTransition):
        transition_offer(partner, offer, OfferStatus.DRAFT)
    transition_offer(partner, offer, OfferStatus.OPEN)
    with pytest.raises(PermissionDenied):
        transition_offer(make.user(role=Role.PARTNER), offer, OfferStatus.CLOSED)


def test_capacity_cannot_drop_below_what_is_used(make, db):
    partner = make.user(role=Role.PARTNER)
    offer = make.offer(organisation=partner.organisation, capacity=3)
    offer.capacity_used, offer.budget_used = 2, 50_000
    db.session.commit()
    data = OfferData(
        title=offer.title,
        description=offer.description,
        theme_ids=(offer.themes[0].id,),
        support_kind_ids=(offer.support_kinds[0].id,),
        language_ids=(offer.languages[0].id,),
        modality=offer.modality,
        capacity=1,
        budget=90_000,
        typical_cost=10_000,
        window_start=offer.window_start,
        window_end=offer.window_end,
    )
    with pytest.raises(DomainError, match="Capacity cannot go below"):
        update_offer(partner, offer, data)


def test_database_refuses_capacity_overrun(make, db):
    offer = make.offer(capacity=1)
    offer.capacity_used = 2
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_peer_state_organisation_requires_a_state(make, db):
    from tamatch.models import Organisation

    db.session.add(Organisation(name="Peer without State", kind=OrganisationKind.PEER_STATE))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()
