"""The models, one module per aggregate; importing this package registers them all."""

from tamatch.models.account import (
    DOMESTIC_KINDS,
    PARTNER_KINDS,
    Invitation,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from tamatch.models.audit import AuditEntry
from tamatch.models.need import Need, NeedStatus, Priority, Visibility
from tamatch.models.offer import Modality, Offer, OfferEligibleGroup, OfferStatus
from tamatch.models.recommendation import Recommendation, Response
from tamatch.models.reference import (
    AffectedGroup,
    Language,
    Mechanism,
    MechanismKind,
    RegionalGroup,
    Sdg,
    State,
    SupportKind,
    Theme,
)

__all__ = [
    "DOMESTIC_KINDS",
    "PARTNER_KINDS",
    "AffectedGroup",
    "AuditEntry",
    "Invitation",
    "Language",
    "Mechanism",
    "MechanismKind",
    "Modality",
    "Need",
    "NeedStatus",
    "Offer",
    "OfferEligibleGroup",
    "OfferStatus",
    "Organisation",
    "OrganisationKind",
    "Priority",
    "Recommendation",
    "RegionalGroup",
    "Response",
    "Role",
    "Sdg",
    "State",
    "SupportKind",
    "Theme",
    "User",
    "Visibility",
]
