"""The six catalogues: up to date with the code, right plural forms, and complete.

The completeness test fails while any catalogue has a message without a translation or marked
fuzzy, and prints the counts of each. TAMATCH_ALLOW_INCOMPLETE_CATALOGUES=1 skips it (never
set it in the Makefile or CI: translators work until it passes).
"""

import os

import pytest
from babel.messages.pofile import read_po

from tamatch.i18n.locales import LOCALES
from tests.i18n_support import TRANSLATIONS, fresh_template  # noqa: F401 - a fixture

# Babel's (CLDR's) plural rules, as `pybabel init` writes them. French and Spanish have three
# since CLDR 38: one, "many" for exact millions ("1 000 000 de besoins"), other.
PLURAL_FORMS = {"ar": 6, "zh": 1, "en": 2, "fr": 3, "ru": 3, "es": 3}


def _catalogue(locale: str):
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return read_po(file, locale=locale)


def _template(path):
    with path.open("rb") as file:
        return read_po(file)


def _ids(catalog) -> set:
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}


def _untranslated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return not all(strings)


def test_the_committed_template_holds_every_message_of_the_code(fresh_template):  # noqa: F811
    missing = _ids(_template(fresh_template)) - _ids(_template(TRANSLATIONS / "messages.pot"))
    assert not missing, f"run `make translations`: {len(missing)} new, e.g. {sorted(missing)[:5]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_each_catalogue_has_every_message_of_the_template(locale):
    template = _ids(_template(TRANSLATIONS / "messages.pot"))
    assert template - _ids(_catalogue(locale)) == set(), "run `make translations`"


@pytest.mark.parametrize("locale", LOCALES)
def test_plural_forms_are_right_for_each_language(locale):
    catalog = _catalogue(locale)
    assert catalog.num_plurals == PLURAL_FORMS[locale]
    for message in catalog:
        if message.pluralizable and message.string and any(message.string):
            assert len(message.string) == PLURAL_FORMS[locale], message.id


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_the_placeholders_of_their_message(locale):
    problems = [
        f"{message.id!r}: {'; '.join(map(str, errors))}"
        for message, errors in _catalogue(locale).check()
    ]
    assert not problems, "\n".join(problems[:20])


def catalogue_counts() -> dict[str, dict[str, int]]:
    """Per catalogue: messages, untranslated and fuzzy ones."""
    counts = {}
    for locale in LOCALES:
        messages = [m for m in _catalogue(locale) if m.id]
        counts[locale] = {
            "messages": len(messages),
            "untranslated": sum(_untranslated(m) for m in messages),
            "fuzzy": sum(m.fuzzy for m in messages) + int(_catalogue(locale).fuzzy),
        }
    return counts


def test_every_catalogue_is_complete_and_nothing_is_fuzzy(capsys):
    counts = catalogue_counts()
    report = "\n".join(
        f"{locale}: {c['messages']} messages, {c['untranslated']} untranslated, {c['fuzzy']} fuzzy"
        for locale, c in counts.items()
    )
    with capsys.disabled():
        print("\n" + report)
    incomplete = {k for k, c in counts.items() if c["untranslated"] or c["fuzzy"]}
    if incomplete and os.environ.get("TAMATCH_ALLOW_INCOMPLETE_CATALOGUES") == "1":
        pytest.skip("TAMATCH_ALLOW_INCOMPLETE_CATALOGUES=1:\n" + report)
    assert not incomplete, "catalogues to finish:\n" + report
