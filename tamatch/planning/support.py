"""From plan to need: 'ask for support' on a measure pre-fills the need form from it."""

from flask_login import current_user

from tamatch.extensions import db
from tamatch.forms import as_choices
from tamatch.models import Measure, User
from tamatch.planning.permissions import can_edit_measure
from tamatch.planning.queries import own_institutions


def own_measure(user: User, measure_id: str | int | None) -> Measure | None:
    """The measure of the user's own State with this id, or None (bad or foreign ids too)."""
    if measure_id is None or not str(measure_id).isdigit() or len(str(measure_id)) > 9:
        return None
    measure = db.session.get(Measure, int(measure_id))
    return measure if measure is not None and can_edit_measure(user, measure) else None


def prefill(form, measure: Measure) -> None:
    """Title, gap, recommendations, themes and institutions of the need from the measure."""
    recommendations = measure.all_recommendations
    themes = {t.id for r in recommendations for t in r.themes}
    if measure.cluster is not None:
        themes |= {t.id for t in measure.cluster.themes}
    form.title.data = measure.title
    form.gap.data = measure.gap or measure.description
    form.recommendation_ids.data = [r.id for r in recommendations]
    form.theme_ids.data = sorted(themes)
    form.institution_ids.data = [i.id for i in measure.institutions]
    form.measure_id.data = str(measure.id)


def institution_choices(form, state_id: int) -> None:
    """The State's institutions (archived ones only when already chosen)."""
    chosen = set(form.institution_ids.data or [])
    rows = [
        i
        for i in own_institutions(state_id, include_archived=True)
        if not i.archived or i.id in chosen
    ]
    form.institution_ids.choices = as_choices((i.id, i.name) for i in rows)


def measure_ids(form) -> tuple[int, ...] | None:
    """The measure the need is asked for, from the form's hidden field (None: unchanged)."""
    measure = own_measure(current_user, form.measure_id.data)
    return (measure.id,) if measure is not None else None
