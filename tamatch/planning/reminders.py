"""Daily planning reminders (run by `flask followup remind`): overdue measures, indicators
waiting for a value, mechanism dates within 30 days. Each is reminded once per date; a
State's focal points get one digest a run, with counts and no titles (the outbox is read by
admins, and a measure may be internal)."""

from collections import defaultdict
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from tamatch.extensions import db
from tamatch.models import Deadline, Measure, PlanReminder, Role, User
from tamatch.notifications.services import notify
from tamatch.planning.dashboard import overdue_clause, stale_indicators

DUE_SOON_DAYS = 30
KINDS = ("measure_overdue", "indicator_stale", "deadline_due")


def _candidates(today: date) -> list[tuple[str, int, date, int]]:
    """(kind, object id, the date it is about, State id) of everything worth a reminder."""
    found = [
        ("measure_overdue", m.id, m.due_on, m.state_id)
        for m in db.session.scalars(sa.select(Measure).where(overdue_clause(today)))
    ]
    states = dict(db.session.execute(sa.select(Measure.id, Measure.state_id)).all())
    found += [
        ("indicator_stale", s.indicator_id, s.due, states[s.measure_id])
        for s in stale_indicators(None, today)
    ]
    horizon = today + timedelta(days=DUE_SOON_DAYS)
    found += [
        ("deadline_due", d.id, d.due_on, d.state_id)
        for d in db.session.scalars(
            sa.select(Deadline).where(Deadline.due_on >= today, Deadline.due_on <= horizon)
        )
    ]
    return found


def send_planning_reminders(today: date | None = None) -> dict[str, int]:
    """Remind each State's focal points of what became late or close since the last run;
    a second run the same day sends nothing. Returns counts per kind and people told."""
    today = today or date.today()
    done = set(
        db.session.execute(
            sa.select(PlanReminder.kind, PlanReminder.object_id, PlanReminder.about_on)
        )
    )
    per_state: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(KINDS, 0))
    for kind, object_id, about, state_id in _candidates(today):
        if (kind, object_id, about) in done:
            continue
        db.session.add(PlanReminder(kind=kind, object_id=object_id, about_on=about))
        per_state[state_id][kind] += 1
    db.session.flush()
    counts = {kind: sum(c[kind] for c in per_state.values()) for kind in KINDS}
    counts["plan_people"] = sum(_tell(state_id, c) for state_id, c in per_state.items())
    return counts


def _tell(state_id: int, counts: dict[str, int]) -> int:
    focal_points = db.session.scalars(
        sa.select(User).where(User.role == Role.FOCAL_POINT, User.state_id == state_id)
    )
    body = _l(
        "Your implementation plan: %(m)s measures newly overdue, %(i)s indicators waiting for "
        "a value, %(d)s mechanism dates within 30 days.",
        m=counts["measure_overdue"],
        i=counts["indicator_stale"],
        d=counts["deadline_due"],
    )
    link = current_app.url_map.bind("").build("planning.dashboard", {})
    return notify(focal_points, _l("Your implementation plan needs attention"), body, link)
