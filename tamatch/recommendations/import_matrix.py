"""The OHCHR thematic list of UPR recommendations ("matrix"): its heading, theme rows and cells.

The matrix OHCHR publishes for each review is a Word table under the heading "UPR of China
(3rd Cycle - 31st session) / Thematic list of recommendations": "Theme: A12 Acceptance of
international norms" rows group the recommendations by their main theme; each recommendation
row holds "28.212 Continue its ... (Tunisia); / Source of position: A/HRC/40/6/Add.1 - Para. 2",
the position and the full list of themes ("A12 ...", "S16 SDG 16 - ...", "Affected persons:",
"- general"). Saved as CSV or XLSX the heading becomes rows above the table; researchers also
flatten it to one row per recommendation and theme code (Position, code, recommendations,
country, theme_code, description), where "country" is the recommending State.
"""

import re
from dataclasses import dataclass

_SYMBOL = re.compile(r"\b[A-Z]/HRC/\d+/\d+(?:/Add\.\d+)?", re.I)
_STATE = re.compile(r"\bUPR of\s+(?:the\s+)?(?P<name>.+?)\s*(?:\(|\s[-\u2013\u2014]\s|,|$)", re.I)
_CYCLE = re.compile(r"\b(?:(\d)(?:st|nd|rd|th)?|(first|second|third|fourth|fifth))\s+cycle", re.I)
_SESSION = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+session", re.I)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}


@dataclass(frozen=True, slots=True)
class MatrixHeading:
    """What the heading rows above a matrix say: State under review, cycle, session, symbol."""

    state: str = ""
    cycle: int | None = None
    session: int | None = None
    symbol: str = ""


def heading(lines: list[str]) -> MatrixHeading:
    """Read "UPR of China (3rd Cycle - 31st session)", "A/HRC/40/6" from the heading rows."""
    text = " \n".join(lines)
    state = next((m["name"].strip() for line in lines if (m := _STATE.search(line))), "")
    cycle = _CYCLE.search(text)
    session = _SESSION.search(text)
    symbol = _SYMBOL.search(text)
    return MatrixHeading(
        state=state,
        cycle=(int(cycle[1]) if cycle[1] else _ORDINALS[cycle[2].casefold()]) if cycle else None,
        session=int(session[1]) if session else None,
        symbol=symbol[0] if symbol else "",
    )


_THEME_ROW = re.compile(r"^\s*Theme\s*:\s*(?P<label>.+?)\s*$", re.I | re.S)


def theme_row(cells: list[str]) -> str | None:
    """The theme of a "Theme: A12 Acceptance of international norms" row (one filled cell)."""
    filled = [c for c in cells if c.strip()]
    if len(filled) != 1:
        return None
    found = _THEME_ROW.match(filled[0])
    return found["label"] if found else None


_SECTION = re.compile(
    r"(Affected persons|Groups of persons|SDGs)\s*:", re.I
)  # the sub-lists of a matrix's theme cell
_SDG_LABEL = re.compile(r"^(?:S\d{0,2}\b|SDG\b|\d{1,2}(?:\.\w+)?\s*[-\u2013\u2014])", re.I)


@dataclass(frozen=True, slots=True)
class ThemeCell:
    """A matrix theme cell split into its theme labels, SDG labels and affected persons."""

    themes: tuple[str, ...]
    sdgs: tuple[str, ...]
    affected: tuple[str, ...]


def theme_cell(value: str) -> ThemeCell:
    """Split "A12 Acceptance ...\\nS16 SDG 16 - peace ...\\nAffected persons:\\n- general" (also
    run together on one line, as flattened files hold it) into its three lists."""
    themes: list[str] = []
    sdgs: list[str] = []
    affected: list[str] = []
    target = themes
    for part in _SECTION.split(value):
        name = part.strip().casefold()
        if name in {"affected persons", "groups of persons"}:
            target = affected
            continue
        if name == "sdgs":
            target = sdgs
            continue
        for item in _items(part, bulleted=target is affected):
            (sdgs if target is themes and _SDG_LABEL.match(item) else target).append(item)
    return ThemeCell(tuple(themes), tuple(sdgs), tuple(affected))


def _items(text: str, bulleted: bool) -> list[str]:
    """Lines (or "|"-separated items); in a bulleted list, "- a- b" run together is two."""
    items = []
    for line in re.split(r"\n|\|", text):
        parts = re.split(r"(?:(?<=\S)|^)\s*-\s*(?=\S)(?<!\w-)", line) if bulleted else [line]
        items.extend(p.strip(" -\u2013\t") for p in parts)
    return [i for i in items if i]


# "(Uruguay) (Mali);", "(Iran (Islamic Republic of))": a parenthesis, one level nested, that
# ends a sentence of the cell or is followed by another one names a recommending State.
_PARENTHESIS = re.compile(r"\(((?:[^()]|\([^()]*\))+)\)(?=\s*(?:[;.,]|\(|$))", re.M)


def recommending_names(text: str) -> list[str]:
    """The names in the parentheses that close each recommendation of a matrix cell; a
    parenthesis with a digit ("(No. 29)", "(2016-2020)") names no State."""
    names = (m.group(1).strip() for m in _PARENTHESIS.finditer(text))
    return [name for name in names if not any(ch.isdigit() for ch in name)]
