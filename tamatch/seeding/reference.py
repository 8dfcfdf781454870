"""Load the reference tables (States, mechanisms, taxonomy, SDGs, kinds, languages) from seeds/."""

import csv
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from tamatch.extensions import db
from tamatch.models import (
    AffectedGroup,
    Language,
    Mechanism,
    MechanismKind,
    Membership,
    RegionalGroup,
    Sdg,
    SdgTarget,
    State,
    SupportKind,
    Theme,
)

SEEDS_DIR = Path(__file__).resolve().parent.parent.parent / "seeds"


def read_seed(name: str) -> list[dict[str, str]]:
    """The rows of seeds/<name> as dicts of stripped strings."""
    with (SEEDS_DIR / name).open(encoding="utf-8", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


def split_list(value: str, sep: str = ";") -> list[str]:
    """Split a seed cell such as "A12;B31" into its non-empty items."""
    return [item.strip() for item in value.split(sep) if item.strip()]


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "x"}


def _state_row(row: dict[str, str]) -> dict[str, Any]:
    graduation = row["ldc_graduation_on"]
    return {
        "iso3": row["iso3"],
        "name": row["name"],
        "regional_group": RegionalGroup(row["regional_group"]) if row["regional_group"] else None,
        "membership": Membership(row["membership"]),
        "ldc_listed": _flag(row["ldc_listed"]),
        "ldc_graduation_on": date.fromisoformat(graduation) if graduation else None,
        "is_sids": _flag(row["is_sids"]),
        "is_lldc": _flag(row["is_lldc"]),
    }


def _term_row(row: dict[str, str]) -> dict[str, Any]:
    return {"code": row["code"], "name": row["name"]}


def _theme_parents(rows: list[dict[str, str]], before: set[str]) -> int:
    """Set each theme's parent (seeds/themes.csv `parent_code`) once every theme row exists, so
    that ids follow the seed's order; returns how many of the themes `before` changed."""
    themes = {t.code: t for t in db.session.scalars(sa.select(Theme))}
    changed = 0
    for row in rows:
        theme, parent = themes[row["code"]], row.get("parent_code") or None
        if theme.parent_code != parent:
            changed += theme.code in before
            theme.parent_code = parent
    db.session.flush()
    return changed


# (model, natural key, seed file, row converter), in dependency order.
TABLES: list[tuple[type, str, str, Callable[[dict[str, str]], dict[str, Any]]]] = [
    (State, "iso3", "states.csv", _state_row),
    (
        Mechanism,
        "code",
        "mechanisms.csv",
        lambda r: {"code": r["code"], "name": r["name"], "kind": MechanismKind(r["kind"])},
    ),
    (Theme, "code", "themes.csv", _term_row),
    (AffectedGroup, "code", "affected_groups.csv", _term_row),
    (Sdg, "number", "sdgs.csv", lambda r: {"number": int(r["number"]), "name": r["name"]}),
    (SupportKind, "code", "support_kinds.csv", _term_row),
    (Language, "code", "languages.csv", _term_row),
]


def upsert_by_key(model: type, key: str, rows: Iterable[dict[str, Any]]) -> tuple[int, int]:
    """Insert missing rows and update changed ones, matched on `key`; returns (created, updated).

    One SELECT reads the existing rows, one bulk INSERT adds the new ones; the session is flushed,
    never committed.
    """
    existing = {getattr(obj, key): obj for obj in db.session.scalars(sa.select(model))}
    new_rows, updated = [], 0
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            new_rows.append(row)
            continue
        changed = False
        for field, value in row.items():
            if getattr(obj, field) != value:
                setattr(obj, field, value)
                changed = True
        updated += changed
    db.session.flush()
    if new_rows:
        db.session.execute(sa.insert(model), new_rows)
    return len(new_rows), updated


def load_reference() -> dict[str, int]:
    """Upsert every reference table from seeds/*.csv; idempotent; flushes, does not commit.

    Returns per-table counts ("state_created", "state_updated", ...) and totals
    ("created", "updated"); a second run returns zeros.
    """
    counts: dict[str, int] = {"created": 0, "updated": 0}
    for model, key, filename, convert in TABLES:
        rows = read_seed(filename)
        before = set(db.session.scalars(sa.select(Theme.code))) if model is Theme else set()
        created, updated = upsert_by_key(model, key, (convert(r) for r in rows))
        if model is Theme:
            updated += _theme_parents(rows, before)
        counts[f"{model.__tablename__}_created"] = created
        counts[f"{model.__tablename__}_updated"] = updated
        counts["created"] += created
        counts["updated"] += updated
    goals = ids_by_key(Sdg, "number")
    targets = (
        {"code": r["target"], "sdg_id": goals[int(r["goal"])], "title": r["title"]}
        for r in read_seed("sdg_targets.csv")
    )
    created, updated = upsert_by_key(SdgTarget, "code", targets)
    counts |= {"sdg_target_created": created, "sdg_target_updated": updated}
    counts["created"] += created
    counts["updated"] += updated
    db.session.flush()
    return counts


def _normalise(name: str) -> str:
    """A State name folded for matching: case, diacritics, apostrophes, punctuation, "&" and the
    article "the" do not count ("Côte d'Ivoire" and "cote divoire" fold alike)."""
    name = unicodedata.normalize("NFKD", name.casefold())
    name = "".join(c for c in name if not unicodedata.combining(c))
    name = re.sub(r"['\u2019\u2018`\u00b4]", "", name).replace("&", " and ")
    words = [w for w in re.sub(r"[^\w]+", " ", name).split() if w != "the"]
    words = ["saint" if w == "st" else w for w in words]  # "St Lucia", "St. Kitts and Nevis"
    # An elided article written apart ("COTE D IVOIRE") folds like "d'Ivoire".
    return re.sub(r"\b([dl]) (?=\w)", r"\1", " ".join(words))


# "Korea (Democratic People's Republic of)", "Moldova, Republic of": the qualifier after the name.
_INVERTED = re.compile(r"^([^,()]+?)\s*[,(]\s*([^,()]+?\bof(?: the)?)\s*\)?$", re.IGNORECASE)
# "Myanmar (Burma)": a name with another of its names in parentheses.
_ALIAS = re.compile(r"^([^,()]+?)\s*\(([^,()]+)\)$")


# Former and historical names found in real files (UPR Info, older OHCHR documents).
HISTORICAL_NAMES = (
    ("SWZ", "Swaziland"),
    ("MMR", "Burma"),
    ("COD", "Zaire"),
    ("CPV", "Cape Verde"),
    ("CZE", "Czech Republic"),
    ("TLS", "East Timor"),
    ("MKD", "Macedonia"),
    ("MKD", "The former Yugoslav Republic of Macedonia"),
    ("TUR", "Turkey"),
    ("KHM", "Kampuchea"),
    ("LKA", "Ceylon"),
    ("BEN", "Dahomey"),
    ("BFA", "Upper Volta"),
    ("LBY", "Libyan Arab Jamahiriya"),
    ("WSM", "Western Samoa"),
    ("BLR", "Byelorussian Soviet Socialist Republic"),
    ("BLR", "Byelorussia"),
    ("THA", "Siam"),
    ("GBR", "Great Britain"),
    ("LAO", "Lao PDR"),
    ("PRK", "DPRK"),
    ("COD", "Congo (Kinshasa)"),
    ("COD", "Congo-Kinshasa"),
    ("COG", "Congo (Brazzaville)"),
    ("COG", "Congo-Brazzaville"),
    ("VAT", "Vatican City State"),
)
# Not mapped on purpose: "Yugoslavia", "Serbia and Montenegro", "Czechoslovakia", "USSR" name
# predecessor States of several of today's; an import lists them as unresolved.


class StateResolver:
    """Resolves State names as written in UN documents ("Iran (Islamic Republic of)") to ISO3."""

    def __init__(self, names: Iterable[tuple[str, str]], observers: Iterable[str] = ()) -> None:
        self._index = {_normalise(name): iso3 for iso3, name in names}
        self.observers = frozenset(observers)

    def iso3(self, name: str) -> str | None:
        """The ISO3 code of one name, or None when it names no UN member or observer State.

        Besides the names themselves, a qualifier written after the name ("Moldova, Republic
        of") and a name with an alias in parentheses ("Myanmar (Burma)") are understood.
        """
        found = self._index.get(_normalise(name))
        if found is None and (inverted := _INVERTED.match(name.strip())):
            found = self._index.get(_normalise(f"{inverted[2]} {inverted[1]}"))
        if found is None and (alias := _ALIAS.match(name.strip())):
            found = self._index.get(_normalise(alias[2])) or self._index.get(_normalise(alias[1]))
        return found

    def resolve(self, text: str) -> list[str]:
        """ISO3 codes of the States named in a ";"/","-separated list; unknown names are dropped."""
        found: list[str] = []
        for part in split_list(text, ";"):
            whole = self.iso3(part)
            pieces = [whole] if whole else [self.iso3(p) for p in split_list(part, ",")]
            found.extend(code for code in pieces if code and code not in found)
        return found


@lru_cache(maxsize=1)
def state_resolver() -> StateResolver:
    """A resolver built from seeds/states.csv and seeds/state_names.csv."""
    states = read_seed("states.csv")
    names = [(r["iso3"], r["name"]) for r in states]
    names += [(r["iso3"], r["name"]) for r in read_seed("state_names.csv")]
    names += list(HISTORICAL_NAMES)
    observers = [r["iso3"] for r in states if r["membership"] == Membership.OBSERVER]
    return StateResolver(names, observers)


def ids_by_key(model: type, key: str = "code") -> dict[Any, int]:
    """Map natural key -> primary key for a reference table (one query)."""
    rows = db.session.execute(sa.select(getattr(model, key), model.id))
    return {row[0]: row[1] for row in rows}
