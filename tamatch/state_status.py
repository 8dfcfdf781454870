"""What a page says of a State's standing: its regional group or observer status, and its LDC
status on a day with the graduation date ("LDC, graduates 13 Dec 2027"), in the reader's
language. The rule itself is State.is_ldc_on (and its SQL mirror State.ldc_on)."""

from datetime import date

from flask_babel import format_date, pgettext
from flask_babel import gettext as _

from tamatch.forms import REGIONAL_GROUP_LABELS
from tamatch.models import State
from tamatch.models.base import utcnow


def standing_label(state: State) -> str:
    """The State's UN regional group, or "Non-member observer State"."""
    if state.is_observer or state.regional_group is None:
        return _("Non-member observer State")
    return str(REGIONAL_GROUP_LABELS[state.regional_group])


def ldc_label(state: State, on: date | None = None) -> str:
    """The State's LDC status on `on` (today by default), "" when it is not and never was one:
    "LDC", "LDC, graduates 13 Dec 2027" (scheduled) or "LDC, graduated 24 Nov 2026"."""
    on = on or utcnow().date()
    graduation = state.ldc_graduation_on
    if not state.ldc_listed:
        return ""
    if graduation is None:
        return pgettext("abbreviation", "LDC")
    when = format_date(graduation, "medium")
    if state.is_ldc_on(on):
        return _("LDC, graduates %(date)s", date=when)
    return _("LDC, graduated %(date)s", date=when)
