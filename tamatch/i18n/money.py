"""Amounts of money in the reader's locale: US dollars, whole, as the UN writes them."""

from babel import Locale
from babel.numbers import format_currency
from flask_babel import get_locale


def whole_dollars(value: int, locale=None) -> str:
    """`value` US dollars without cents, with the locale's grouping and placement.

    >>> whole_dollars(1234567, "en"), whole_dollars(1234567, "fr")
    ('US$1,234,567', '1\\u202f234\\u202f567\\xa0$US')
    """
    locale = Locale.parse(locale or get_locale() or "en")
    pattern = locale.currency_formats["standard"].pattern.split(";")[0]
    pattern = pattern.replace(".00", "")
    symbol = locale.currency_symbols.get("USD", "US$")
    if symbol == "$":  # a bare $ could be any dollar; UN documents write US$
        pattern = pattern.replace("¤", "'US$'")
    return format_currency(value, "USD", format=pattern, locale=locale, currency_digits=False)
