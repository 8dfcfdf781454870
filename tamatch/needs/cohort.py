"""Peer cohorts: the lead invites States to a joint need, each consents or declines, and the need
opens only once every member has consented.

Services take models, flush, audit and notify; they never commit (the view's unit of work
does). Who may do what is in tamatch/auth/permissions.py (`can_lead_cohort`,
`can_answer_for_cohort`, `cohort_waits_for`).
"""

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from tamatch.audit import record
from tamatch.auth import permissions
from tamatch.auth.permissions import (
    can_answer_for_cohort,
    can_lead_cohort,
    cohort_member_of,
)
from tamatch.errors import DomainError, InvalidTransition, PermissionDenied
from tamatch.extensions import db
from tamatch.models import (
    CohortConsent,
    CohortMember,
    Need,
    NeedCohort,
    NeedStatus,
    State,
    User,
)
from tamatch.models.base import utcnow
from tamatch.notifications.services import notify


def focal_points_of(state_id: int) -> list[User]:
    """The active focal points of a State, who answer for it."""
    return permissions.focal_points_of([state_id])


def _link(need: Need) -> str:
    """A site-relative link that works in a request, a job or the CLI alike."""
    return current_app.url_map.bind("").build("needs.detail", {"need_id": need.id})


def _lock_status(need: Need) -> NeedStatus:
    """The need's status as committed, its row locked until the transaction ends, so that an
    answer and the opening cannot pass each other. The lock is a write that changes nothing:
    PostgreSQL locks the row, SQLite (which ignores FOR UPDATE) takes its write lock."""
    db.session.execute(
        sa.update(Need)
        .where(Need.id == need.id)
        .values(updated_at=Need.updated_at)  # also keeps `onupdate` from touching it
        .execution_options(synchronize_session=False)
    )
    return db.session.scalar(sa.select(Need.status).where(Need.id == need.id))


def _require_draft(need: Need) -> None:
    if _lock_status(need) != NeedStatus.DRAFT:
        raise InvalidTransition(_("The States of a joint need are settled while it is a draft."))


def invite_state(actor: User, need: Need, state: State) -> CohortMember:
    """Ask `state` to post the need together with the actor's State; the actor leads.

    Raises PermissionDenied (not the lead, or not a draft), DomainError (the lead's own State,
    a State already in, or one without a focal point to answer).
    """
    if not can_lead_cohort(actor, need):
        raise PermissionDenied(_("Only the focal point who leads the joint need invites States."))
    _require_draft(need)
    if state.id == need.state_id:
        raise DomainError(_("Your own State leads this need."), field="state_id")
    cohort = need.cohort
    if cohort is not None and any(m.state_id == state.id for m in cohort.members):
        raise DomainError(_("%(state)s is already invited.", state=state.name), field="state_id")
    recipients = focal_points_of(state.id)
    if not recipients:
        raise DomainError(
            _("%(state)s has no focal point on the platform to answer yet.", state=state.name),
            field="state_id",
        )
    if cohort is None:
        cohort = NeedCohort(need=need, lead_id=actor.id)
        db.session.add(cohort)
    elif cohort.lead_id != actor.id:
        cohort.lead_id = actor.id  # the former lead no longer answers for the State
    member = CohortMember(state=state, invited_by_id=actor.id, consent=CohortConsent.INVITED)
    cohort.members.append(member)
    db.session.flush()
    record(actor, "need.cohort_invite", need, after={"state_id": state.id})
    notify(
        recipients,
        _("%(state)s invites your State to a joint need", state=need.state.name),
        _(
            "The need opens only if every State consents. Read it, then consent or decline "
            "for your State."
        ),
        _link(need),
    )
    return member


def remove_member(actor: User, need: Need, member: CohortMember) -> None:
    """Take a State out of the cohort (a draft only). Raises PermissionDenied."""
    if not can_lead_cohort(actor, need) or member.cohort.need_id != need.id:
        raise PermissionDenied(_("Only the focal point who leads the joint need removes States."))
    _require_draft(need)
    state_id = member.state_id
    need.cohort.members.remove(member)
    db.session.flush()
    record(actor, "need.cohort_remove", need, before={"state_id": state_id})
    notify(
        focal_points_of(state_id),
        _("Your State is no longer part of a joint need"),
        _("The State that leads it took your State out of it."),
    )


def answer(actor: User, need: Need, consent: bool) -> CohortMember:
    """The actor's State consents (or declines) to the need opening; it may change its mind
    while the need is a draft. Raises PermissionDenied, InvalidTransition (no longer a draft).
    """
    if not can_answer_for_cohort(actor, need):
        raise PermissionDenied(_("Only a focal point of an invited State answers for it."))
    _require_draft(need)
    member = cohort_member_of(actor, need)
    before = member.consent
    member.consent = CohortConsent.CONSENTED if consent else CohortConsent.DECLINED
    member.answered_by_id, member.answered_at = actor.id, utcnow()
    db.session.flush()
    record(
        actor,
        "need.cohort_answer",
        need,
        before={"state_id": member.state_id, "consent": before.value},
        after={"state_id": member.state_id, "consent": member.consent.value},
    )
    state = member.state.name
    if consent:
        subject = _("%(state)s consents to the joint need", state=state)
    else:
        subject = _("%(state)s declines the joint need", state=state)
    waiting = [m for m in need.cohort.members if m.consent != CohortConsent.CONSENTED]
    body = (
        _("Every State has consented: the need can be published.")
        if not waiting
        else _("The need can open once every State has consented.")
    )
    notify([need.cohort.lead, *focal_points_of(need.state_id)], subject, body, _link(need))
    return member


def ask_again(actor: User, need: Need) -> int:
    """After the lead changes the need, the members that consented are asked again: they
    consented to what they read. Returns how many are asked."""
    if need.cohort is None:
        return 0
    asked = [m for m in need.cohort.members if m.consent != CohortConsent.INVITED]
    for member in asked:
        member.consent, member.answered_by_id, member.answered_at = (
            CohortConsent.INVITED,
            None,
            None,
        )
    if not asked:
        return 0
    db.session.flush()
    record(actor, "need.cohort_ask_again", need, after={"states": [m.state_id for m in asked]})
    for member in asked:
        notify(
            focal_points_of(member.state_id),
            _("A joint need your State answered has changed"),
            _("Read it again, then consent or decline for your State."),
            _link(need),
        )
    return len(asked)


def require_consent_to_open(need: Need) -> None:
    """Raise DomainError unless every member State has consented, as committed: the need's row
    is locked first, so that an answer given meanwhile is seen (or waits for the opening)."""
    _lock_status(need)
    waiting = db.session.scalars(
        sa.select(State.name)
        .join(CohortMember, CohortMember.state_id == State.id)
        .join(NeedCohort, NeedCohort.id == CohortMember.cohort_id)
        .where(NeedCohort.need_id == need.id, CohortMember.consent != CohortConsent.CONSENTED)
        .order_by(State.name)
    ).all()
    if waiting:
        raise DomainError(
            _(
                "A joint need opens once every State has consented; still waiting for: %(states)s.",
                states=", ".join(waiting),
            )
        )
