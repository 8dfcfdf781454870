"""State names in the reader's language: the UN's short names (UNTERM), from seeds/.

The database keeps one English name per State (`State.name`, used for search and imports);
the name shown is chosen here, at display time, from `seeds/state_names_i18n.csv`.
"""

import csv
from functools import cache

from flask_babel import get_locale, gettext

from tamatch.config import REPO_ROOT

NAMES_FILE = REPO_ROOT / "seeds" / "state_names_i18n.csv"


@cache
def _names() -> dict[str, dict[str, str]]:
    with NAMES_FILE.open(encoding="utf-8", newline="") as file:
        return {row.pop("iso3"): row for row in csv.DictReader(file)}


def state_name_in(iso3: str, language: str, default: str = "") -> str:
    """The State's name in `language` (an ISO 639-1 code), else `default`."""
    return _names().get(iso3, {}).get(language) or default


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "en"


def state_name(state) -> str:
    """The name of `state` (a State, or None) in the current locale's language."""
    if state is None:
        return ""
    return state_name_in(state.iso3, current_language(), state.name)


def term_name(name: str | None) -> str:
    """A reference term's English name (theme, kind of support, mechanism...) translated.

    The names are in the catalogue through `tamatch/i18n/reference_terms.py`, which
    `python -m tamatch.i18n.reference_terms` writes from seeds/.
    """
    return gettext(name) if name else ""
