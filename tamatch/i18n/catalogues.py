"""Catalogue chores for `make translations`: the English catalogue and the pseudo-locale.

    python -m tamatch.i18n.catalogues english   # fills empty English messages with the source
    python -m tamatch.i18n.catalogues pseudo    # writes and compiles translations/en_XA

The pseudo-locale `en-XA` is generated from `messages.pot`, never written by hand: every letter
accented and every message lengthened by a third, between brackets, so a page shown in it
reveals text that escaped translation (plain ASCII letters) and layouts that break on longer
languages. Placeholders (`%(name)s`, `%s`, `{name}`) and markup are kept as they are.
"""

import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from tamatch.i18n.locales import PSEUDO_CATALOGUE

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
ACCENTED = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "àƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
        strict=True,
    )
)
# What must survive untouched: printf and format placeholders, markup, entities.
KEEP = re.compile(r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%[-#0 +]*\d*(?:\.\d+)?[sdifr%]"
                  r"|\{[^{}]*\}|<[^>]*>|&[a-zA-Z#0-9]+;")  # fmt: skip
PAD = "·"


def pseudo(text: str) -> str:
    """`text` accented and lengthened, placeholders kept.

    >>> pseudo("%(num)d needs")
    '[%(num)d ñééðš··]'
    """
    if not text:
        return text
    out, last, letters = [], 0, 0
    for match in KEEP.finditer(text):
        plain = text[last : match.start()]
        out.append(plain.translate(str.maketrans(ACCENTED)))
        letters += sum(c.isalpha() for c in plain)
        out.append(match.group())
        last = match.end()
    plain = text[last:]
    out.append(plain.translate(str.maketrans(ACCENTED)))
    letters += sum(c.isalpha() for c in plain)
    return "[" + "".join(out) + PAD * max(1, round(letters / 3)) + "]"


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=locale)


def _write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        write_po(file, catalog, width=100)


def write_pseudo(template: Path = TEMPLATE, directory: Path = TRANSLATIONS) -> Path:
    """Write `<directory>/en_XA/LC_MESSAGES/messages.po` and `.mo` from `template`."""
    source = _read(template)
    catalog = Catalog(locale="en", project="tamatch", fuzzy=False)
    for message in source:
        if not message.id:
            continue
        if message.pluralizable:
            string = tuple(pseudo(form) for form in message.id)
        else:
            string = pseudo(message.id)
        catalog.add(message.id, string, context=message.context)
    target = directory / PSEUDO_CATALOGUE / "LC_MESSAGES" / "messages.po"
    _write(catalog, target)
    with target.with_suffix(".mo").open("wb") as file:
        write_mo(file, catalog)
    return target


def fill_english(directory: Path = TRANSLATIONS) -> int:
    """English messages without a translation, or fuzzy, get their source text; returns how many."""
    path = directory / "en" / "LC_MESSAGES" / "messages.po"
    catalog = _read(path, "en")
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        # A fuzzy guess (pybabel update matched a similar old message) is never right here.
        fuzzy = "fuzzy" in message.flags
        message.flags.discard("fuzzy")
        if message.pluralizable:
            if fuzzy or not all(message.string):
                message.string = tuple(message.id)
                filled += 1
        elif fuzzy or not message.string:
            message.string = message.id
            filled += 1
    _write(catalog, path)
    return filled


def main(argv: list[str]) -> int:
    if argv == ["pseudo"]:
        print(f"wrote {write_pseudo()}")
    elif argv == ["english"]:
        print(f"filled {fill_english()} English messages")
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
