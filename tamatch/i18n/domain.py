"""A Flask-Babel domain that serves the pseudo-locale's catalogue when a request chose it.

Babel has no locale data for `en_XA` (a CLDR pseudo-locale), so the request formats dates and
numbers as English while its messages come from `translations/en_XA`.
"""

from babel import support
from flask import g, has_request_context
from flask_babel import Domain, get_locale

from tamatch.i18n.locales import PSEUDO_CATALOGUE


class PseudoAwareDomain(Domain):
    def get_translations_cache(self, ctx):
        """One cache per set of directories: apps (tests) may point at different catalogues."""
        return self.cache.setdefault(tuple(self.translation_directories), {})

    def get_translations(self):
        if not has_request_context():
            return super().get_translations()
        locale = get_locale()  # runs the selector, which says whether the pseudo-locale is on
        if not g.get("pseudo_locale") or str(locale) != "en":  # force_locale() wins
            return super().get_translations()
        cache = self.get_translations_cache(None)
        key = (PSEUDO_CATALOGUE, self.domain[0])
        if key not in cache:
            cache[key] = support.Translations.load(
                self.translation_directories[0], [PSEUDO_CATALOGUE], self.domain[0]
            )
        return cache[key]
