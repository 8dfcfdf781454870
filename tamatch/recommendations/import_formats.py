"""Reading recommendation exports: encodings, CSV/XLSX tables, header synonyms, cell parsers."""

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from tamatch.models.reference import Membership
from tamatch.seeding.reference import state_resolver

UHRI, UPR_INFO = "uhri", "upr-info"
FORMATS = (UHRI, UPR_INFO)

# Canonical field -> header synonyms (compared after `header_key`), per format.
UHRI_HEADERS: dict[str, tuple[str, ...]] = {
    field: tuple(names.split())
    for field, names in {
        "text": "recommendation annotation text recommendationtext observation fulltext "
        "recommendationandrecommendingstate",
        "symbol": "symbol documentsymbol document reference",
        "position_source": "sourceofposition positionsource sourceofpositions",
        "paragraph": "paragraph para paragraphnumber recid recommendationnumber no",
        "body": "body mechanism treatybody bodyname source mechanismbody",
        "session": "session uprsession sessionnumber",
        "cycle": "cycle uprcycle",
        "date": "date documentdate publicationdate dateofdocument issued issuedon",
        "state": "country stateunderreview state countries countryterritory sur "
        "countryconcerned to",
        "recommending": "recommendingstates recommendingstate recommendingcountries from",
        "themes": "themes theme humanrightsthemes fulllistofthemes "
        "humanrightsthemesandgroupsofpersons",
        "affected": "affectedpersons affectedgroups affectedpersonsorgroups persons "
        "groupsofpersons concernedpersonsgroups affectedpersonsgroups",
        "sdgs": "sdgs sdg relevantsdgs sustainabledevelopmentgoals",
        "response": "position response uprposition uprpositions status stateresponse "
        "positionofthestateunderreview stateposition",
    }.items()
}
UHRI_REQUIRED = ("text", "state")
UPR_INFO_HEADERS: dict[str, tuple[str, ...]] = {
    "state": ("to",),
    "text": ("text",),
    "recommending": ("from",),
    "response": ("response",),
    "issues": ("issue", "issues"),
    "session": ("session",),
}
UPR_INFO_REQUIRED = ("state", "text", "recommending", "session")

# UPR Info "Issue" -> (theme codes, affected-group codes). Issues not listed ("Other",
# "General", "Human rights violations by state agents", "Public security", "Right to land")
# have no close UHRI theme and are imported without one.
UPR_INFO_ISSUES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "international instruments": (("A12",), ()),
    "women's rights": (("TM-womens-rights",), ("women",)),
    "rights of the child": (("TM-rights-of-the-child",), ("children",)),
    "justice": (("D51",), ()),
    "torture and other cid treatment": (("D25",), ()),
    "detention": (("D26",), ("persons_deprived_of_liberty",)),
    "right to education": (("E51",), ()),
    "minorities": (("G1",), ("minorities",)),
    "labour": (("TM-labour-rights",), ()),
    "migrants": (("G4",), ("migrants",)),
    "death penalty": (("D23",), ()),
    "human rights education and training": (("A5",), ()),
    "racial discrimination": (("B32",), ()),
    "special procedures": (("A24",), ()),
    "nhri": (("A45",), ()),
    "trafficking": (("D27",), ()),
    "disabilities": (("F4",), ("persons_with_disabilities",)),
    "esc rights - general": (("E1",), ()),
    "right to health": (("E41",), ()),
    "freedom of opinion and expression": (("D43",), ()),
    "treaty bodies": (("A22",), ()),
    "technical assistance and cooperation": (("TM-cooperation-technical-assistance",), ()),
    "freedom of the press": (("D43",), ("media",)),
    "freedom of religion and belief": (("D42",), ()),
    "sexual orientation and gender identity": (("G2",), ("lgbti",)),
    "poverty": (("E25",), ("persons_in_poverty",)),
    "development": (("B41",), ()),
    "enforced disappearances": (("D32",), ("disappeared_persons",)),
    "civil society": (("A61",), ("civil_society",)),
    "indigenous peoples": (("TM-indigenous-peoples",), ("indigenous_peoples",)),
    "freedom of association and peaceful assembly": (("D44", "D45"), ()),
    "cp rights - general": (("D1",), ()),
    "asylum-seekers - refugees": (("G5",), ("refugees_asylum_seekers",)),
    "national plan of action": (("A46",), ()),
    "human rights defenders": (("H1",), ("human_rights_defenders",)),
    "upr process": (("A27",), ()),
    "international humanitarian law": (("TM-intl-criminal-humanitarian-law",), ()),
    "impunity": (("TM-rule-of-law-impunity",), ()),
    "right to food": (("E22",), ()),
    "elections": (("D7",), ()),
    "hiv - aids": (("E41",), ("persons_with_hiv",)),
    "extrajudicial executions": (("TM-extrajudicial-executions",), ()),
    "right to housing": (("E23",), ()),
    "corruption": (("TM-good-governance-corruption",), ()),
    "internally displaced persons": (("TM-idps",), ("idps",)),
    "environment": (("B71",), ()),
    "right to water": (("E26",), ()),
    "counter-terrorism": (("B8",), ()),
    "freedom of movement": (("D41",), ()),
}

# Short forms the UPR Info database uses that seeds/state_names.csv does not list.
EXTRA_STATE_NAMES = {
    "dpr korea": "PRK",
    "democratic republic of congo": "COD",
    "republic of congo": "COG",
    "macedonia fyr": "MKD",
    "guinea bissau": "GNB",
}

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
    """A file's header and its data rows as (row number, cells); the header is row 1."""

    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]
    encoding: str


def is_xlsx(data: bytes) -> bool:
    return data.startswith(b"PK\x03\x04")


def read_table(data: bytes) -> Table:
    """Open CSV (any of the encodings above; comma, semicolon or tab) or XLSX bytes."""
    if is_xlsx(data):
        return _read_xlsx(data)
    text, encoding = decode_bytes(data)
    first_line = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers = next(reader, [])
    rows = ((number, row) for number, row in enumerate(reader, start=2) if any(row))
    return Table([h.strip() for h in headers], rows, encoding)


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


def _read_xlsx(data: bytes) -> Table:
    import zipfile

    from openpyxl import load_workbook

    from tamatch.safe_zip import check_archive

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        check_archive(archive)  # a zip bomb is refused before openpyxl unpacks anything
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows = workbook.active.iter_rows(values_only=True)
    headers = [_cell(v).strip() for v in next(rows, ())]

    def cells() -> Iterator[tuple[int, list[str]]]:
        for number, row in enumerate(rows, start=2):
            values = [_cell(v) for v in row]
            if any(v.strip() for v in values):
                yield number, values
        workbook.close()

    return Table(headers, cells(), "xlsx")


def header_key(header: str) -> str:
    """ "Recommending State(s)" -> "recommendingstates": case, spaces and punctuation ignored."""
    return re.sub(r"[\W_]+", "", header.casefold())


def detect_format(headers: list[str]) -> str:
    """UPR Info when the To/From/Text/Session columns are there, otherwise UHRI."""
    keys = {header_key(h) for h in headers}
    return UPR_INFO if {"to", "from", "text", "session"} <= keys else UHRI


def map_columns(headers: list[str], fmt: str) -> tuple[dict[str, int], list[str]]:
    """Field -> column index for the synonyms found, and the required fields that are missing."""
    synonyms, required = (
        (UPR_INFO_HEADERS, UPR_INFO_REQUIRED) if fmt == UPR_INFO else (UHRI_HEADERS, UHRI_REQUIRED)
    )
    keys = [header_key(h) for h in headers]
    found: dict[str, int] = {}
    for field, names in synonyms.items():
        for name in names:
            if name in keys:
                found[field] = keys.index(name)
                break
    return found, [f for f in required if f not in found]


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
