"""The language a person wrote a text in, and which of a text's languages a reader is shown.

A need, an offer, a report or a comment is shown as its author wrote it, never translated by
the platform; what is stored beside it is the language it is written in (an ISO 639-1 code of
the `language` reference table), so that pages can mark it (`lang`, a "Written in French"
label where it is not the reader's language) and screen readers pronounce it right.
Recommendations keep the language of their source and, where a source holds several, each of
them (`RecommendationText`); the reader sees their own when it exists.
"""

import sqlalchemy as sa
from babel import Locale, UnknownLocaleError
from flask_babel import gettext as _

from tamatch.extensions import db
from tamatch.i18n.names import current_language, term_name
from tamatch.models import Language
from tamatch.reference_cache import cached_choices


def text_language_codes() -> list[tuple[str, str]]:
    """(code, English name) of the languages a text can be marked with."""
    return cached_choices(
        "text_languages",
        lambda: [
            (row.code, row.name)
            for row in db.session.scalars(sa.select(Language).order_by(Language.name))
        ],
    )


def language_name(code: str | None) -> str:
    """The name of the language `code` in the reader's language: the reference term's name
    through the catalogue (where the six languages' translators named it), else CLDR's."""
    if not code:
        return ""
    english = dict(text_language_codes()).get(code)
    if english:
        return term_name(english)
    try:
        name = Locale.parse(code).get_display_name(current_language())
    except (UnknownLocaleError, ValueError):
        name = None
    return name[:1].upper() + name[1:] if name else code


def text_language_choices() -> list[tuple[str, str]]:
    """The choices of a "Language of the text" field: the reader's own first, then by name."""
    own = current_language()
    choices = sorted(
        ((code, language_name(code)) for code, _name in text_language_codes()),
        key=lambda choice: (choice[0] != own, choice[1].casefold()),
    )
    return choices


def author_language(chosen: str | None) -> str | None:
    """The language to store for a new text: the one chosen, if it is known, else the language
    the author is using the platform in (None outside a request, when it is not known)."""
    known = {code for code, _name in text_language_codes()}
    if chosen in known:
        return chosen
    own = current_language()
    return own if own in known else None


def text_language(chosen: str | None, current: str | None) -> str | None:
    """The language to store when a text is saved: the one chosen; else the one it had; else
    (a new text) the author's."""
    if chosen or current is None:
        return author_language(chosen)
    return current


def written_in_note(code: str | None) -> str:
    """ "Written in French" when a text's language is not the reader's, else ""."""
    if not code or code == current_language():
        return ""
    return _("Written in %(language)s", language=language_name(code))


def shown_text(recommendation) -> tuple[str, str | None]:
    """The text of a recommendation to show the reader, and its language: the reader's own
    when the source gave one, else the original."""
    own = current_language()
    if recommendation.text_locale != own:
        for version in recommendation.translations:
            if version.locale == own:
                return version.text, version.locale
    return recommendation.text, recommendation.text_locale


CONTENT_FUNCTIONS = {
    "language_name": language_name,
    "written_in_note": written_in_note,
    "shown_text": shown_text,
}


def isolated(text: str) -> str:
    """`text` (a title a user wrote, in any script) as one direction-isolated run inside a
    sentence of another language: Unicode's FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE,
    so that an English title in an Arabic sentence keeps its quotation marks and punctuation
    where they belong. Plain text (notifications, e-mails) cannot use HTML's <bdi>."""
    return f"\u2068{text}\u2069" if text else text
