"""Administration: organisations."""

import sqlalchemy as sa
from flask_babel import gettext as _

from tamatch.audit import record
from tamatch.errors import DomainError, PermissionDenied
from tamatch.extensions import db
from tamatch.models import Organisation, OrganisationKind, Role, User

KINDS_WITH_STATE = frozenset(
    {OrganisationKind.PEER_STATE, OrganisationKind.CIVIL_SOCIETY, OrganisationKind.NHRI}
)


def create_organisation(
    actor: User, name: str, kind: OrganisationKind, state_id: int | None
) -> Organisation:
    """Add an organisation. Raises PermissionDenied (not admin) or DomainError (name, State)."""
    if actor.role != Role.ADMIN:
        raise PermissionDenied(_("Only administrators add organisations."))
    name = name.strip()
    if db.session.scalar(sa.select(Organisation.id).where(Organisation.name == name)):
        raise DomainError(_("An organisation with this name exists already."), field="name")
    if kind in KINDS_WITH_STATE and state_id is None:
        raise DomainError(_("Choose the State of this organisation."), field="state_id")
    organisation = Organisation(name=name, kind=kind, state_id=state_id)
    db.session.add(organisation)
    db.session.flush()
    record(actor, "organisation.create", organisation, after={"name": name, "kind": kind.value})
    return organisation
