"""Rebuild the State seeds (names in six languages too) and the Slovenia copy from ../shared."""

import csv
import os
import shutil
import sys
from pathlib import Path

SEEDS = Path(__file__).resolve().parent
# ../shared/data beside the checkout; TAMATCH_SHARED_DATA for a worktree elsewhere.
DATA = Path(os.environ.get("TAMATCH_SHARED_DATA") or SEEDS.parent.parent / "shared" / "data")
GROUPS = DATA / "country-groups-openclimatedata"
CODES = DATA / "country-codes-datahub" / "country-codes.csv"
SLOVENIA = DATA / "upr-ohchr-thematic-slovenia" / "slovenia_upr_cycles2-4_parsed.csv"

REGION = {
    "African Group": "african",
    "Asia-Pacific Group": "asia_pacific",
    "Eastern European Group": "eastern_european",
    "GRULAC": "grulac",
    "WEOG": "weog",
}
# Corrections to the source lists; each is explained in seeds/README.md.
# The day each State left, or is to leave, the LDC list, as the General Assembly set it. The
# source lists give the year only (graduated-ldcs.csv) or nothing (ldc.csv: still listed); each
# day and its source is in seeds/README.md. Botswana (1994) is left out: no source gives the day.
LDC_GRADUATION = {
    "CPV": "2007-12-20",
    "MDV": "2011-01-01",
    "WSM": "2014-01-01",
    "GNQ": "2017-06-04",
    "VUT": "2020-12-04",
    "BTN": "2023-12-13",
    "STP": "2024-12-13",
    "BGD": "2026-11-24",  # A/RES/76/8
    "LAO": "2026-11-24",  # A/RES/76/8
    "NPL": "2026-11-24",  # A/RES/76/8
    "SLB": "2027-12-13",
}
# Non-member observer States: in no regional group, not on any of the three lists.
OBSERVERS = ("PSE", "VAT")
EXTRA_SIDS = {"BHR"}  # missing from openclimatedata's list of UN-member SIDS
DUAL_GROUP = {("TUR", "asia_pacific")}  # Türkiye votes with WEOG; drop its Asia-Pacific row
# Names the datahub file leaves blank or spells in a way no UN document does.
NAME_OVERRIDES = {"CIV": "Côte d'Ivoire", "TUR": "Türkiye"}
# Names found in real files for the observer States, besides the UNTERM, ISO and CLDR ones.
OBSERVER_NAMES = {
    "PSE": ["Palestine", "State of Palestine", "Palestine, State of"],
    "VAT": ["Holy See", "Vatican", "Vatican City", "Holy See (Vatican City State)"],
}
# Common forms found in UN documents and UPR matrices, besides the UNTERM and ISO names.
EXTRA_NAMES = {
    "CIV": ["Cote d'Ivoire", "Ivory Coast"],
    "CZE": ["Czech Republic", "Czechia"],
    "GBR": ["United Kingdom", "UK"],
    "MKD": ["North Macedonia", "the former Yugoslav Republic of Macedonia", "Macedonia"],
    "NLD": ["Netherlands", "Kingdom of the Netherlands", "Netherlands (Kingdom of the)"],
    "SWZ": ["Swaziland", "Eswatini"],
    "TUR": ["Turkey", "Türkiye", "Turkiye"],
    "USA": ["United States", "USA"],
    "VNM": ["Vietnam"],
    "KOR": ["South Korea", "Korea, Republic of"],
    "PRK": ["North Korea"],
    "COD": ["DR Congo", "Congo, Democratic Republic of the"],
    "COG": ["Republic of the Congo"],
    "BOL": ["Bolivia"],
    "VEN": ["Venezuela"],
    "IRN": ["Iran"],
    "SYR": ["Syria"],
    "LAO": ["Laos"],
    "MDA": ["Moldova"],
    "RUS": ["Russia"],
    "TZA": ["Tanzania"],
    "FSM": ["Micronesia"],
    "CPV": ["Cape Verde"],
    "TLS": ["East Timor"],
    "STP": ["São Tomé and Príncipe"],
}


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _codes(name: str) -> set[str]:
    return {row["Code"] for row in _read(GROUPS / name)}


def _strip_the(name: str) -> str:
    name = name.strip().removesuffix(" *")  # UNTERM marks non-member States with an asterisk
    if name.endswith(" (the)"):
        name = name[: -len(" (the)")]
    if name.startswith("the "):
        name = name[len("the ") :]
    return name


def build_states() -> list[dict[str, str]]:
    """One row per UN member State with its regional group and corrected flags."""
    codes = {row["ISO3166-1-Alpha-3"]: row for row in _read(CODES)}
    # A graduated State is listed only with a sourced day (Botswana has none).
    ldc = _codes("ldc.csv") | (_codes("graduated-ldcs.csv") & LDC_GRADUATION.keys())
    lldc = _codes("lldc.csv")
    sids = _codes("sids.csv") | EXTRA_SIDS
    groups: dict[str, str] = {}
    for row in _read(GROUPS / "un-regional-groups.csv"):
        group = REGION[row["Region"]]
        if (row["Code"], group) not in DUAL_GROUP:
            groups[row["Code"]] = group
    states = []
    members = {iso3: ("member", group) for iso3, group in groups.items()}
    everyone = members | dict.fromkeys(OBSERVERS, ("observer", ""))
    for iso3, (membership, group) in sorted(everyone.items()):
        src = codes[iso3]
        name = NAME_OVERRIDES.get(iso3) or _strip_the(src["UNTERM English Short"])
        graduation = LDC_GRADUATION.get(iso3, "")
        states.append(
            {
                "iso3": iso3,
                "name": name,
                "regional_group": group,
                "membership": membership,
                "ldc_listed": str(int(iso3 in ldc)),
                "ldc_graduation_on": graduation,
                "is_sids": str(int(iso3 in sids)),
                "is_lldc": str(int(iso3 in lldc)),
            }
        )
    return states


def build_names(states: list[dict[str, str]]) -> list[dict[str, str]]:
    """Every known English form of each State's name, for resolving names in documents."""
    codes = {row["ISO3166-1-Alpha-3"]: row for row in _read(CODES)}
    rows: list[dict[str, str]] = []
    for state in states:
        iso3 = state["iso3"]
        src = codes[iso3]
        forms = [state["name"], *EXTRA_NAMES.get(iso3, []), *OBSERVER_NAMES.get(iso3, [])]
        for column in (
            "UNTERM English Short",
            "UNTERM English Formal",
            "official_name_en",
            "CLDR display name",
        ):
            if src[column].strip():
                forms.append(_strip_the(src[column]))
        seen: set[str] = set()
        for form in forms:
            if form.casefold() not in seen:
                seen.add(form.casefold())
                rows.append({"iso3": iso3, "name": form})
    return rows


# The UN's short names in its six languages (UNTERM), the column for each locale.
UN_LANGUAGES = {"ar": "Arabic", "zh": "Chinese", "en": "English", "fr": "French",
                "ru": "Russian", "es": "Spanish"}  # fmt: skip
# The datahub file has no UNTERM names for these two; these are UNTERM's own.
I18N_OVERRIDES = {
    "CIV": {"ar": "كوت ديفوار", "zh": "科特迪瓦", "en": "Côte d'Ivoire", "fr": "Côte d'Ivoire",
            "ru": "Кот-д'Ивуар", "es": "Côte d'Ivoire"},
    "TUR": {"ar": "تركيا", "zh": "土耳其", "en": "Türkiye", "fr": "Türkiye", "ru": "Турция",
            "es": "Türkiye"},
}  # fmt: skip
# UNTERM's short names end with the article for sorting: "France (la)", "Bahamas (las)".
TRAILING_ARTICLE = (" (the)", " (la)", " (le)", " (les)", " (l')", " (el)", " (los)", " (las)")


def _strip_article(name: str) -> str:
    name = name.strip().removesuffix(" *")
    for article in TRAILING_ARTICLE:
        if name.endswith(article):
            return name[: -len(article)]
    return name


def build_names_i18n(states: list[dict[str, str]]) -> list[dict[str, str]]:
    """iso3 and the State's UNTERM short name in each of the six UN languages."""
    rows = {row["ISO3166-1-Alpha-3"]: row for row in _read(CODES)}
    out = []
    for state in states:
        iso3, source = state["iso3"], rows[state["iso3"]]
        names = I18N_OVERRIDES.get(iso3) or {
            code: _strip_article(source[f"UNTERM {language} Short"])
            for code, language in UN_LANGUAGES.items()
        }
        names["en"] = state["name"]  # the English name the platform shows already
        out.append({"iso3": iso3, **{code: names[code] for code in UN_LANGUAGES}})
    return out


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> int:
    if not DATA.is_dir():
        print(f"no source data at {DATA}", file=sys.stderr)
        return 1
    states = build_states()
    _write(SEEDS / "states.csv", states)
    _write(SEEDS / "state_names.csv", build_names(states))
    _write(SEEDS / "state_names_i18n.csv", build_names_i18n(states))
    shutil.copyfile(SLOVENIA, SEEDS / "recommendations_slovenia.csv")
    print(f"{len(states)} States written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
