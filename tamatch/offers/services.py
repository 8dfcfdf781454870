"""Posting, editing, opening and closing partners' offers."""

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from tamatch.audit import record, snapshot
from tamatch.auth.permissions import can_edit_offer, can_post_offer, is_own_organisation_partner
from tamatch.errors import DomainError, InvalidTransition, PermissionDenied
from tamatch.extensions import db
from tamatch.i18n.content import text_language
from tamatch.models import (
    Language,
    LapseReason,
    Modality,
    Offer,
    OfferStatus,
    Proposal,
    RegionalGroup,
    State,
    SupportKind,
    Theme,
    User,
)
from tamatch.models.base import utcnow
from tamatch.rounds.lapses import lapse_waiting

AUDITED_FIELDS = (
    "title",
    "description",
    "status",
    "modality",
    "capacity",
    "budget",
    "typical_cost",
    "window_start",
    "window_end",
    "eligible_all",
    "eligible_ldc",
    "eligible_sids",
    "eligible_lldc",
    "eligible_groups",
    "eligible_states",
    "themes",
    "support_kinds",
    "languages",
)

TRANSITIONS: dict[OfferStatus, frozenset[OfferStatus]] = {
    OfferStatus.DRAFT: frozenset({OfferStatus.OPEN, OfferStatus.CLOSED}),
    OfferStatus.OPEN: frozenset({OfferStatus.CLOSED}),
    OfferStatus.CLOSED: frozenset({OfferStatus.OPEN}),
}


@dataclass(frozen=True, slots=True)
class OfferData:
    """Validated fields of an offer."""

    title: str
    description: str
    theme_ids: tuple[int, ...]
    support_kind_ids: tuple[int, ...]
    language_ids: tuple[int, ...]
    modality: Modality
    capacity: int
    budget: int
    typical_cost: int
    window_start: date
    window_end: date
    eligible_all: bool = True
    eligible_groups: tuple[RegionalGroup, ...] = ()
    eligible_ldc: bool = False
    eligible_sids: bool = False
    eligible_lldc: bool = False
    eligible_state_ids: tuple[int, ...] = field(default=())
    text_locale: str | None = None  # the language of title and description; None: as it was


def _rows(model, ids: tuple[int, ...], field_name: str) -> list:
    rows = list(db.session.scalars(sa.select(model).where(model.id.in_(ids)))) if ids else []
    if len(rows) != len(set(ids)):
        raise DomainError(_("Unknown value selected."), field=field_name)
    return rows


def _apply(offer: Offer, data: OfferData) -> None:
    restricted = (
        data.eligible_groups
        or data.eligible_ldc
        or data.eligible_sids
        or data.eligible_lldc
        or data.eligible_state_ids
    )
    if not data.eligible_all and not restricted:
        raise DomainError(
            _("Say which States are eligible: pick groups, categories or States, or choose all."),
            field="eligible_all",
        )
    if data.window_end < data.window_start:
        raise DomainError(_("The window must end after it starts."), field="window_end")
    if data.typical_cost > data.budget:
        raise DomainError(
            _("The typical cost of one engagement cannot exceed the total budget."),
            field="typical_cost",
        )
    if data.capacity < offer.capacity_used:
        raise DomainError(
            _(
                "Capacity cannot go below the %(n)d engagements already agreed.",
                n=offer.capacity_used,
            ),
            field="capacity",
        )
    if data.budget < offer.budget_used:
        raise DomainError(
            _("Budget cannot go below the %(n)d already committed.", n=offer.budget_used),
            field="budget",
        )
    offer.title = data.title.strip()
    offer.description = data.description.strip()
    offer.text_locale = text_language(data.text_locale, offer.text_locale)
    offer.themes = _rows(Theme, data.theme_ids, "theme_ids")
    offer.support_kinds = _rows(SupportKind, data.support_kind_ids, "support_kind_ids")
    offer.languages = _rows(Language, data.language_ids, "language_ids")
    offer.modality = data.modality
    offer.capacity, offer.budget, offer.typical_cost = data.capacity, data.budget, data.typical_cost
    offer.window_start, offer.window_end = data.window_start, data.window_end
    offer.eligible_all = data.eligible_all
    all_states = data.eligible_all
    offer.eligible_groups = [] if all_states else list(data.eligible_groups)
    offer.eligible_ldc = data.eligible_ldc and not all_states
    offer.eligible_sids = data.eligible_sids and not all_states
    offer.eligible_lldc = data.eligible_lldc and not all_states
    offer.eligible_states = (
        [] if all_states else _rows(State, data.eligible_state_ids, "eligible_state_ids")
    )


def create_offer(actor: User, data: OfferData, publish: bool = False) -> Offer:
    """Post an offer for the actor's own organisation. Raises PermissionDenied, DomainError."""
    if not can_post_offer(actor):
        raise PermissionDenied(_("Only a partner can post offers for its organisation."))
    offer = Offer(
        organisation_id=actor.organisation_id,
        created_by_id=actor.id,
        status=OfferStatus.OPEN if publish else OfferStatus.DRAFT,
        capacity_used=0,
        budget_used=0,
    )
    _apply(offer, data)
    db.session.add(offer)
    db.session.flush()
    record(actor, "offer.create", offer, after=snapshot(offer, AUDITED_FIELDS))
    return offer


def update_offer(actor: User, offer: Offer, data: OfferData) -> Offer:
    """Edit an offer of the actor's organisation. Raises PermissionDenied, DomainError."""
    if not can_edit_offer(actor, offer):
        raise PermissionDenied(_("You cannot edit this offer."))
    before = snapshot(offer, AUDITED_FIELDS)
    _apply(offer, data)
    db.session.flush()
    record(actor, "offer.update", offer, before=before, after=snapshot(offer, AUDITED_FIELDS))
    return offer


def transition_offer(actor: User, offer: Offer, target: OfferStatus) -> Offer:
    """Open or close an offer. Raises PermissionDenied, InvalidTransition."""
    if not is_own_organisation_partner(actor, offer):
        raise PermissionDenied(_("Only the partner's own users can change this offer."))
    if target not in TRANSITIONS[offer.status]:
        raise InvalidTransition(
            _(
                "An offer that is %(current)s cannot become %(target)s.",
                current=_(offer.status.value),
                target=_(target.value),
            )
        )
    before = offer.status
    if target == OfferStatus.CLOSED:  # its waiting proposals go first, as accepting takes them
        lapse_waiting(actor, Proposal.offer_id == offer.id, LapseReason.OFFER)
    db.session.flush()
    moved = db.session.execute(
        sa.update(Offer)
        .where(Offer.id == offer.id, Offer.status == before)
        .values(status=target, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if not moved:
        raise InvalidTransition(_("This offer changed meanwhile; reload the page and try again."))
    db.session.refresh(offer)
    record(
        actor,
        "offer.status",
        offer,
        before={"status": before.value},
        after={"status": target.value},
    )
    return offer
