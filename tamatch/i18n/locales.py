"""Which language a request speaks: the account's choice, the session's, the browser's, English.

`en-XA` is the pseudo-locale (every message accented and lengthened, generated from the
catalogue by `python -m tamatch.i18n.pseudo`): it finds text that escaped translation. It can
be chosen only where the configuration allows it (development and tests), and only for the
session, never on an account.
"""

from flask import current_app, g, has_request_context, request, session
from flask_login import current_user

# The six official languages of the United Nations, in the UN's order, with their own names.
LOCALES = ("ar", "zh", "en", "fr", "ru", "es")
LOCALE_NAMES = {
    "ar": "العربية",
    "zh": "中文",
    "en": "English",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}
DEFAULT_LOCALE = "en"
PSEUDO_LOCALE = "en-XA"
PSEUDO_CATALOGUE = "en_XA"  # its folder in tamatch/translations/
PSEUDO_NAME = "[Ƥšéûðö]"
SESSION_KEY = "locale"


def pseudo_allowed() -> bool:
    return bool(current_app.config.get("PSEUDO_LOCALE"))


def offered_locales() -> list[tuple[str, str]]:
    """(code, name in its own language) for the switcher."""
    choices = [(code, LOCALE_NAMES[code]) for code in LOCALES]
    if pseudo_allowed():
        choices.append((PSEUDO_LOCALE, PSEUDO_NAME))
    return choices


def is_choosable(code: str | None) -> bool:
    return code in LOCALES or (code == PSEUDO_LOCALE and pseudo_allowed())


def chosen_locale() -> str:
    """The request's language code: account > session > Accept-Language > English."""
    if not has_request_context():
        return DEFAULT_LOCALE
    chosen = session.get(SESSION_KEY)
    account = current_user.locale if current_user.is_authenticated else None
    if account in LOCALES and chosen != PSEUDO_LOCALE:  # the pseudo-locale overrides, in tests
        return account
    if is_choosable(chosen):
        return chosen
    return request.accept_languages.best_match(LOCALES) or DEFAULT_LOCALE


def select_locale() -> str | None:
    """Flask-Babel's locale selector: the Babel locale of `chosen_locale()`."""
    if not has_request_context():
        return None  # the CLI and services outside a request use the default locale
    code = chosen_locale()
    g.pseudo_locale = code == PSEUDO_LOCALE
    return DEFAULT_LOCALE if g.pseudo_locale else code


def current_locale_code() -> str:
    """The code for `<html lang>` (the pseudo-locale is English in disguise)."""
    from flask_babel import get_locale

    locale = get_locale()
    return str(locale).replace("_", "-") if locale is not None else DEFAULT_LOCALE
