"""Posting, editing and moving needs through their lifecycle."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from tamatch.audit import record, snapshot
from tamatch.auth.permissions import can_change_need_status, can_edit_need, can_post_need
from tamatch.errors import DomainError, InvalidTransition, PermissionDenied
from tamatch.extensions import db
from tamatch.i18n.content import text_language
from tamatch.interests.alerts import alert_saved_searches
from tamatch.models import (
    Language,
    LapseReason,
    Need,
    NeedStatus,
    Proposal,
    Recommendation,
    SupportKind,
    Theme,
    User,
    Visibility,
)
from tamatch.models.base import utcnow
from tamatch.needs import cohort
from tamatch.rounds.lapses import lapse_waiting

# No free text: the audit log is read by admins, who may not see confidential needs.
AUDITED_FIELDS = (
    "status",
    "visibility",
    "cost_min",
    "cost_max",
    "window_start",
    "window_end",
    "priority",
    "recommendations",
    "themes",
    "support_kinds",
    "languages",
    "institutions",
    "measures",
)

# Moves a State's focal point makes by hand; `matched` and `in_progress` come from rounds.
MANUAL_TRANSITIONS: dict[NeedStatus, frozenset[NeedStatus]] = {
    NeedStatus.DRAFT: frozenset({NeedStatus.OPEN, NeedStatus.WITHDRAWN}),
    NeedStatus.OPEN: frozenset({NeedStatus.WITHDRAWN}),
    NeedStatus.MATCHED: frozenset({NeedStatus.WITHDRAWN}),
    NeedStatus.IN_PROGRESS: frozenset({NeedStatus.COMPLETED}),
    NeedStatus.COMPLETED: frozenset(),
    NeedStatus.WITHDRAWN: frozenset({NeedStatus.DRAFT}),
}
SYSTEM_TRANSITIONS: dict[NeedStatus, frozenset[NeedStatus]] = {
    NeedStatus.OPEN: frozenset({NeedStatus.MATCHED}),
    NeedStatus.MATCHED: frozenset({NeedStatus.IN_PROGRESS, NeedStatus.OPEN}),
    NeedStatus.IN_PROGRESS: frozenset({NeedStatus.COMPLETED}),  # an outcome is recorded
}


@dataclass(frozen=True, slots=True)
class NeedData:
    """Validated fields of a need, as a form or the API hands them to the service."""

    title: str
    gap: str
    recommendation_ids: tuple[int, ...]
    theme_ids: tuple[int, ...]
    support_kind_ids: tuple[int, ...]
    language_ids: tuple[int, ...]
    cost_min: int
    cost_max: int
    window_start: date
    window_end: date
    priority: int
    visibility: Visibility
    # The State's institutions and the plan's measures it serves; None leaves them unchanged.
    institution_ids: tuple[int, ...] | None = None
    measure_ids: tuple[int, ...] | None = None
    text_locale: str | None = None  # the language of title and gap; None: as it was


def _rows(model, ids: tuple[int, ...], field: str, label: str) -> list:
    rows = list(db.session.scalars(sa.select(model).where(model.id.in_(ids)))) if ids else []
    if len(rows) != len(set(ids)):
        raise DomainError(_("Unknown %(what)s selected.", what=label), field=field)
    return rows


def _apply(need: Need, data: NeedData) -> None:
    if not data.recommendation_ids:
        raise DomainError(
            _("Tie the need to at least one recommendation your State received."),
            field="recommendation_ids",
        )
    recommendations = _rows(
        Recommendation, data.recommendation_ids, "recommendation_ids", _("recommendation")
    )
    if any(r.state_id != need.state_id for r in recommendations):
        raise DomainError(
            _("A need can cite only recommendations addressed to your own State."),
            field="recommendation_ids",
        )
    if data.cost_max < data.cost_min:
        raise DomainError(_("The highest cost must not be below the lowest."), field="cost_max")
    if data.window_end < data.window_start:
        raise DomainError(_("The window must end after it starts."), field="window_end")
    need.title = data.title.strip()
    need.gap = data.gap.strip()
    need.text_locale = text_language(data.text_locale, need.text_locale)
    need.recommendations = recommendations
    need.themes = _rows(Theme, data.theme_ids, "theme_ids", _("theme"))
    need.support_kinds = _rows(
        SupportKind, data.support_kind_ids, "support_kind_ids", _("kind of support")
    )
    need.languages = _rows(Language, data.language_ids, "language_ids", _("language"))
    need.cost_min, need.cost_max = data.cost_min, data.cost_max
    need.window_start, need.window_end = data.window_start, data.window_end
    need.priority = data.priority
    need.visibility = data.visibility
    _apply_plan_links(need, data)


def _apply_plan_links(need: Need, data: NeedData) -> None:
    from tamatch.models import Institution, Measure
    from tamatch.planning.services import state_rows

    if data.institution_ids is not None:
        need.institutions = state_rows(
            Institution, need.state_id, data.institution_ids, "institution_ids"
        )
    if data.measure_ids is not None:
        need.measures = state_rows(Measure, need.state_id, data.measure_ids, "measure_id")


def create_need(actor: User, data: NeedData, publish: bool = False) -> Need:
    """Post a need for the actor's own State (draft, or open when `publish`).

    Raises PermissionDenied unless the actor is a focal point; DomainError on invalid data.
    """
    if not can_post_need(actor):
        raise PermissionDenied(_("Only a State's focal point can post its needs."))
    need = Need(state_id=actor.state_id, created_by_id=actor.id, status=NeedStatus.DRAFT)
    _apply(need, data)
    if publish:
        need.status = NeedStatus.OPEN
    db.session.add(need)
    db.session.flush()
    record(actor, "need.create", need, after=snapshot(need, AUDITED_FIELDS))
    if need.status == NeedStatus.OPEN:
        alert_saved_searches(need)
    return need


def update_need(actor: User, need: Need, data: NeedData) -> Need:
    """Edit a draft or open need of the actor's State. Raises PermissionDenied, DomainError."""
    if not can_edit_need(actor, need):
        raise PermissionDenied(_("You cannot edit this need."))
    before = snapshot(need, AUDITED_FIELDS), need.title, need.gap
    _apply(need, data)
    db.session.flush()
    after = snapshot(need, AUDITED_FIELDS), need.title, need.gap
    record(actor, "need.update", need, before=before[0], after=after[0])
    if after != before:
        cohort.ask_again(actor, need)  # the other States consented to what they read
    return need


def transition_need(actor: User | None, need: Need, target: NeedStatus) -> Need:
    """Move a need to `target`. `actor=None` is the platform itself (match rounds).

    Raises PermissionDenied for the wrong actor, InvalidTransition for a move not allowed now.
    """
    table = SYSTEM_TRANSITIONS if actor is None else MANUAL_TRANSITIONS
    if actor is not None and not can_change_need_status(actor, need):
        raise PermissionDenied(_("Only the State's focal points can change this need."))
    if target not in table.get(need.status, frozenset()):
        raise InvalidTransition(
            _(
                "A need that is %(current)s cannot become %(target)s.",
                current=_(need.status.value.replace("_", " ")),
                target=_(target.value.replace("_", " ")),
            )
        )
    if target == NeedStatus.OPEN:
        cohort.require_consent_to_open(need)
    before = need.status
    if target == NeedStatus.WITHDRAWN:  # its waiting proposals go first, as accepting takes them
        lapse_waiting(actor, Proposal.need_id == need.id, LapseReason.NEED, reopen_needs=False)
    db.session.flush()
    # Conditional: a racing accept (or another tab) that moved the need first wins.
    moved = db.session.execute(
        sa.update(Need)
        .where(Need.id == need.id, Need.status == before)
        .values(status=target, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if not moved:
        raise InvalidTransition(_("This need changed meanwhile; reload the page and try again."))
    db.session.refresh(need)
    record(
        actor, "need.status", need, before={"status": before.value}, after={"status": target.value}
    )
    if target == NeedStatus.OPEN and before == NeedStatus.DRAFT:  # published, not reopened
        alert_saved_searches(need)
    return need
