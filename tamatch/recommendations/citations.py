"""UN citations: document symbols, paragraphs and position sources, in files and in queries."""

import re
from dataclasses import dataclass

from tamatch.recommendations.import_formats import text_hash
from tamatch.seeding.recommendations import report_symbol


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a row's recommendation is: document symbol and paragraph, and the position's
    source; `text` is the recommendation without the matrix's "Source of position" line."""

    symbol: str
    paragraph: str
    text: str
    position_source: str

    @property
    def cited(self) -> bool:
        return bool(self.symbol and self.paragraph)


# An OHCHR matrix cell: "28.212 Continue its reforms ... (Tunisia);" then, on its own line,
# "Source of position: A/HRC/40/6/Add.1 - Para. 2".
_POSITION_LINE = re.compile(r"\s*Source of position\s*:\s*(?P<source>[^\n]*?)\s*$", re.I | re.M)
_LEADING_PARAGRAPH = re.compile(r"^\s*(?P<para>\d+\.\d+(?:\.\d+)*)\.?\s+")
_ADDENDUM = re.compile(r"/Add\.\d+\b", re.I)


def citation(row: dict[str, str], upr: bool) -> Citation:
    """The citation of a UHRI-layout row, from its symbol, paragraph and position columns.

    A UPR recommendation is in the Working Group report (A/HRC/40/6) and the State's position
    in its addendum (A/HRC/40/6/Add.1): a position source, or an addendum given as the symbol,
    gives the report's symbol and is kept as the response's source.
    """
    text, source = row["text"], row.get("position_source", "")
    symbol, paragraph = row.get("symbol", ""), row.get("paragraph", "")
    line = _POSITION_LINE.search(text)
    if line:
        source = source or line["source"]
        text = (text[: line.start()] + text[line.end() :]).strip()
        lead = _LEADING_PARAGRAPH.match(text)
        if lead and not paragraph:
            paragraph, text = lead["para"], text[lead.end() :]
    if upr and _ADDENDUM.search(symbol):
        source, symbol = source or symbol, report_symbol(symbol)
    elif " - " in symbol:
        symbol = report_symbol(symbol)  # "A/HRC/28/15 - Para 121"
    if upr and not symbol and source:
        symbol = report_symbol(source)
    return Citation(symbol, paragraph, text or row["text"], source)


def uhri_keys(row: dict[str, str], cited: Citation, iso3: str) -> tuple[str, str | None]:
    """The row's external key, and the key the importer gave it before it read position
    sources (when different): a file imported then updates its rows instead of adding them."""
    tail = f"{cited.symbol}:{cited.paragraph}" if cited.cited else text_hash(row["text"])
    symbol, paragraph = row.get("symbol", ""), row.get("paragraph", "")
    symbol = report_symbol(symbol) if " - " in symbol else symbol
    former = f"{symbol}:{paragraph}" if symbol and paragraph else text_hash(row["text"])
    key, former_key = f"uhri:{tail}:{iso3}"[:200], f"uhri:{former}:{iso3}"[:200]
    return key, (former_key if former_key != key else None)
