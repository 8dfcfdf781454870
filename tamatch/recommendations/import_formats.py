"""Reading recommendation exports: encodings, CSV/XLSX tables, header synonyms, cell parsers."""

import csv
import hashlib
import io
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import format_number
from flask_babel import gettext as _

from tamatch.models.reference import Membership
from tamatch.recommendations.import_headers import (  # noqa: F401 - the layouts, here too
    EXTRA_STATE_NAMES,
    FORMATS,
    KNOWN_HEADERS,
    MATRIX,
    MATRIX_HEADERS,
    MATRIX_REQUIRED,
    REQUIRED,
    SYNONYMS,
    UHRI,
    UHRI_HEADERS,
    UHRI_REQUIRED,
    UPR_INFO,
    UPR_INFO_HEADERS,
    UPR_INFO_ISSUES,
    UPR_INFO_REQUIRED,
)
from tamatch.seeding.reference import state_resolver

# Far above any real export (UHRI's has about 20 columns, UPR Info's about 15): a wider header
# is not a recommendations file, and parsing millions of columns costs seconds and memory.
MAX_COLUMNS = 500

# Characters that are almost never in real text but appear when bytes are decoded with the
# wrong one of Mac Roman / Windows-1252 (Z with caron, double dagger, modifier circumflex, ...).
_MOJIBAKE = frozenset(
    "\u017d\u017e\u0160\u0161\u2021\u02c6\u2039\u203a\u0152\u0153\u0178\u2030"
    "\u2020\u0192\u201e\u201a\u02dc\u00ac\u221a\u2248\u2206\u25ca\u221e\u2260"
    "\u2264\u2265\u2202\u2211\u220f\u03c0\u222b\u03a9\u00a4\u0131\u02c7\u02d8"
    "\u02d9\u02da\u00b8\u02dd\u02db\ufb01\ufb02\u00b7\u00a1"
)
_LEGACY_ENCODINGS = ("mac_roman", "cp1252", "latin-1")


def mojibake_score(text: str) -> int:
    """How many characters of `text` look like a wrong decoding (lower is more plausible)."""
    score = 0
    for i, ch in enumerate(text):
        if ch.isascii():
            continue
        category = unicodedata.category(ch)
        if category in {"Cc", "Co", "Cn"}:
            score += 5
        elif ch in _MOJIBAKE:
            score += 2
        elif ch.isupper() and i and text[i - 1].islower():
            score += 2  # "cafÈ": a lower-case letter decoded as a capital
    return score


def decode_bytes(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding found: UTF-8 (BOM or not), UTF-16, or legacy."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Old Mac Excel writes CR-only lines: a hint for Mac Roman when the scores tie.
    mac_hint = b"\r" in data and b"\n" not in data
    best: tuple[int, int, str, str] | None = None
    for rank, encoding in enumerate(_LEGACY_ENCODINGS):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        tie = rank if not (mac_hint and encoding == "mac_roman") else -1
        candidate = (mojibake_score(text), tie, encoding, text)
        if best is None or candidate[:2] < best[:2]:
            best = candidate
    assert best is not None  # latin-1 decodes any bytes
    return best[3], best[2]


@dataclass
class Table:
    """A file's header and its data rows as (row number, cells); `headings` are the rows above
    the header (an OHCHR matrix's title, with the State, cycle and session), `header_row` its
    number (1 when the file starts with it)."""

    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]
    encoding: str
    headings: list[str] = field(default_factory=list)
    header_row: int = 1
    source: Iterator | None = None  # the reader below `rows`, to close when stopping early

    def close(self) -> None:
        """Release the file (an XLSX workbook) when `rows` is not read to its end."""
        close = getattr(self.source, "close", None)
        if close is not None:
            close()


HEADER_SEARCH = 20  # rows looked at for the header when headings come first


def is_xlsx(data: bytes) -> bool:
    return data.startswith(b"PK\x03\x04")


class TableTooWide(ValueError):
    """The header has more columns than any real format (MAX_COLUMNS): not read further."""

    def __init__(self):
        super().__init__(
            _(
                "Its header has more than %(num)s columns, far more than any recommendations "
                "file has: is it the right file?",
                num=format_number(MAX_COLUMNS),
            )
        )


def read_table(data: bytes) -> Table:
    """Open CSV (any of the encodings above; comma, semicolon or tab) or XLSX bytes; a header
    wider than MAX_COLUMNS is refused (TableTooWide) before its cells are parsed."""
    if is_xlsx(data):
        rows, encoding = _read_xlsx(data), "xlsx"
    else:
        text, encoding = decode_bytes(data)
        _check_width(text)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
        rows = enumerate(reader, start=1)
    return _with_header(rows, encoding)


def _check_width(text: str) -> None:
    """TableTooWide when a line the header is looked for in has more than MAX_COLUMNS cells
    (counted by the delimiters, before any is parsed: millions would cost seconds)."""
    lines = re.split(r"\r\n|\r|\n", text, maxsplit=HEADER_SEARCH)
    for line in lines[:HEADER_SEARCH]:
        if max(line.count(d) for d in (",", ";", "\t")) >= MAX_COLUMNS:
            raise TableTooWide()


def _delimiter(text: str) -> str:
    """Comma, semicolon or tab: the one that splits a line near the top into known headers
    (headings may come first), else the one the first line has most of."""
    lines = re.split(r"\r\n|\r|\n", text, maxsplit=HEADER_SEARCH)[:HEADER_SEARCH]
    for line in lines:
        for delimiter in (",", ";", "\t"):
            if len({header_key(c) for c in line.split(delimiter)} & KNOWN_HEADERS) >= 2:
                return delimiter
    return max((",", ";", "\t"), key=lines[0].count)


def _with_header(rows: Iterator[tuple[int, list[str]]], encoding: str) -> Table:
    """The header is the first row naming two known columns (row 1 when none does); the rows
    above it are headings; blank rows are left out."""
    seen: list[tuple[int, list[str]]] = []
    for number, cells in rows:
        seen.append((number, cells))
        known = {header_key(c) for c in cells} & KNOWN_HEADERS
        if len(known) >= 2 or len(seen) >= HEADER_SEARCH:
            break
    index = next(
        (i for i, (_n, cells) in enumerate(seen)
         if len({header_key(c) for c in cells} & KNOWN_HEADERS) >= 2),
        0,
    )  # fmt: skip
    if not seen:
        return Table([], iter(()), encoding)
    headings = [" ".join(c.strip() for c in cells if c.strip()) for _n, cells in seen[:index]]
    header_row, header = seen[index]
    rest = itertools.chain(seen[index + 1 :], rows)
    data = ((n, row) for n, row in rest if any(c.strip() for c in row))
    return Table([h.strip() for h in header], data, encoding, [h for h in headings if h],
                 header_row, rows)  # fmt: skip


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(data: bytes) -> Iterator[tuple[int, list[str]]]:
    import zipfile

    from openpyxl import load_workbook

    from tamatch.safe_zip import check_archive

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        check_archive(archive)  # a zip bomb is refused before openpyxl unpacks anything
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    for row in workbook.active.iter_rows(
        max_row=HEADER_SEARCH, max_col=MAX_COLUMNS + 1, values_only=True
    ):  # the rows the header is looked for in, never more than one cell too many
        if len(row) > MAX_COLUMNS and any(
            v is not None and str(v).strip() for v in row[MAX_COLUMNS:]
        ):
            workbook.close()
            raise TableTooWide()

    def cells() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, row in enumerate(workbook.active.iter_rows(values_only=True), start=1):
                yield number, [_cell(v) for v in row]
        finally:  # also when the reader stops early (a preview's first rows)
            workbook.close()

    return cells()


def header_key(header: str) -> str:
    """ "Recommending State(s)" -> "recommendingstates": case, spaces and punctuation ignored."""
    return re.sub(r"[\W_]+", "", header.casefold())


_MATRIX_TITLE = re.compile(r"thematic list of recommendations|\bUPR of\b", re.I)


def detect_format(headers: list[str], headings: list[str] = ()) -> str:
    """The OHCHR matrix when the headings above the table name it (or a theme-code column
    or the matrix's theme column is there); UPR Info when its To/From/Session columns or its
    regional-group columns are there, whatever the text column is called; otherwise UHRI."""
    keys = {header_key(h) for h in headers}
    if any(_MATRIX_TITLE.search(h) for h in headings) or keys & {
        "themecode",
        "fulllistofthemes",
        "humanrightsthemesandgroupsofpersons",
    }:
        return MATRIX
    if {"to", "from", "session"} <= keys or {"torgrp", "fromrgrp"} <= keys:
        return UPR_INFO
    return UHRI


def map_columns(headers: list[str], fmt: str) -> tuple[dict[str, int], list[str]]:
    """Field -> column index for the synonyms found, and the required fields that are missing.
    Each column serves one field at most: a header the format does not know is left unmapped
    (for the person to choose), never filled by the next column."""
    keys = [header_key(h) for h in headers]
    found: dict[str, int] = {}
    for field_name, names in SYNONYMS[fmt].items():
        for name in names:
            if name in keys and keys.index(name) not in found.values():
                found[field_name] = keys.index(name)
                break
    return found, missing_fields(found, fmt)


def column_index(headers: list[str], ref: str) -> int | None:
    """The column a person names: by its header (as `header_key` compares them), else by its
    letter as a spreadsheet shows it ("D", "AA"); None when the file has no such column."""
    keys = [header_key(h) for h in headers]
    if header_key(ref) in keys:
        return keys.index(header_key(ref))
    if re.fullmatch(r"[A-Za-z]{1,3}", ref.strip()):
        index = 0
        for letter in ref.strip().upper():
            index = index * 26 + ord(letter) - 64
        return index - 1 if index <= len(headers) else None
    return None


def missing_fields(columns: dict[str, int], fmt: str) -> list[str]:
    """The required fields of `fmt` that no column gives."""
    return [f for f in REQUIRED[fmt] if f not in columns]


class StateNames:
    """State names in the forms exports use -> ISO3, remembering the names it could not resolve."""

    def __init__(self) -> None:
        self._resolver = state_resolver()
        self._cache: dict[str, str | None] = {}

    def iso3(self, name: str) -> str | None:
        name = name.strip()
        if name not in self._cache:
            found = self._resolver.iso3(name)
            if found is None:
                key = re.sub(r"\s+", " ", name).casefold()
                found = EXTRA_STATE_NAMES.get(key)
                if found is None and ("&" in key or key.startswith("st ")):
                    spelt = re.sub(r"^st\.? ", "saint ", key.replace("&", "and"))
                    found = self._resolver.iso3(spelt)
            self._cache[name] = found
        return self._cache[name]

    def membership(self, iso3: str) -> Membership:
        """Whether the State is a UN member or a non-member observer State."""
        return Membership.OBSERVER if iso3 in self._resolver.observers else Membership.MEMBER

    def many(self, text: str) -> tuple[list[str], list[str]]:
        """ISO3 codes of a ";"/","-separated list of names, and the names not resolved."""
        codes: list[str] = []
        unknown: list[str] = []
        for part in _split(text, ";|\n"):
            whole = self.iso3(part)
            names = [part] if whole or "," not in part else _split(part, ",")
            for name in names:
                code = self.iso3(name)
                if code is None:
                    unknown.append(name)
                elif code not in codes:
                    codes.append(code)
        return codes, unknown


def _split(text: str, separators: str) -> list[str]:
    return [p.strip() for p in re.split(separators, text) if p.strip()]


def split_terms(text: str) -> list[str]:
    """Items of a taxonomy cell separated by "|", ";" or line breaks."""
    return _split(text, r"\||;|\n")


def unescape(text: str) -> str:
    """Numeric HTML character references ("&#40;") as characters; other text untouched."""
    if "&#" not in text:
        return text
    return re.sub(
        r"&#(x[0-9a-fA-F]+|\d+);",
        lambda m: chr(int(m.group(1)[1:], 16) if m.group(1)[0] == "x" else int(m.group(1))),
        text,
    )


def normalised_text(text: str) -> str:
    """Text as compared for joint recommendations: NFKC, plain quotes, one space, case-folded."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return re.sub(r"\s+", " ", text).strip().casefold()


_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def text_hash(text: str) -> str:
    return hashlib.sha1(normalised_text(text).encode(), usedforsecurity=False).hexdigest()[:16]


def report_symbol_of(symbol: str) -> str:
    """ "A/HRC/40/6/Add.1" -> "A/HRC/40/6": the Working Group report of a UPR addendum."""
    return re.sub(r"/Add\.\d+$", "", symbol.strip(), flags=re.I)


def is_voluntary(value: str) -> bool:
    """Voluntary pledges and commitments are the State's own, not recommendations."""
    return value.strip().casefold().startswith("voluntary")


def issue_terms(issue: str) -> tuple[list[str], list[str]]:
    """Theme and affected-group codes of a UPR Info issue (none for issues not mapped)."""
    themes, groups = UPR_INFO_ISSUES.get(issue.casefold(), ((), ()))
    return list(themes), list(groups)


def mechanism_code(value: str, known: dict[str, str]) -> str | None:
    """Mechanism code of a "Body" cell: a code or name from seeds/mechanisms.csv, or a kind."""
    word = value.strip().casefold()
    if word in known:
        return known[word]
    if "universal periodic review" in word or word.startswith("upr"):
        return "UPR"
    if re.search(r"special (rapporteur|procedure)|working group|independent expert", word):
        return "SP"
    return None


def upr_cycle(session: int) -> int:
    """UPR cycle of a Working Group session: 1-12 first, 13-26 second, 27-40 third, then fourth."""
    return 1 if session <= 12 else 2 if session <= 26 else 3 if session <= 40 else 4


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y", "%B %d, %Y")


def parse_date(value: str) -> date | None:
    """A date in ISO, day/month/year or "7 November 2014" form; None when not one of those."""
    value = value.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


_SDG = re.compile(r"(?:sdg|goal|s)?\s*0?(\d{1,2})(?:\.(\d{1,2}|[a-c])\b|\b)", re.IGNORECASE)


def parse_sdg_cell(value: str) -> tuple[list[int], list[str]] | None:
    """(goals, targets) from "16.3", "S16", "SDG 16 - Peace...", "16 - ...", "5; 16.3": a target
    also names its goal. The bare "S" (SDG implementation in general) names no goal. None when
    an item is not a goal from 1 to 17 or a target of one."""
    numbers: list[int] = []
    targets: list[str] = []
    for item in _split(value, r"\||;|\n|,(?=\s*(?:sdg|goal|s)?\s*\d)"):
        if item.strip().casefold() in {"s", "sdg"}:
            continue
        match = _SDG.match(item.strip())
        if not match or not 1 <= int(match.group(1)) <= 17:
            return None
        goal = int(match.group(1))
        if goal not in numbers:
            numbers.append(goal)
        if match.group(2):
            target = f"{goal}.{match.group(2).lower()}"
            if target not in targets:
                targets.append(target)
    return numbers, targets


def parse_sdgs(value: str) -> list[int] | None:
    """SDG goal numbers of a cell (see parse_sdg_cell); None when an item is not 1-17."""
    parsed = parse_sdg_cell(value)
    return None if parsed is None else parsed[0]
