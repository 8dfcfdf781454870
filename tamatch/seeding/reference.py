"""Load the reference tables (States, mechanisms, taxonomy, SDGs, kinds, languages) from seeds/."""

import csv
import re
import unicodedata
from collections.abc import Callable, Iterable
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
    return {
        "iso3": row["iso3"],
        "name": row["name"],
        "regional_group": RegionalGroup(row["regional_group"]),
        "is_ldc": _flag(row["is_ldc"]),
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
    words = re.sub(r"[^\w]+", " ", name).split()
    return " ".join(word for word in words if word != "the")


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
)


class StateResolver:
    """Resolves State names as written in UN documents ("Iran (Islamic Republic of)") to ISO3."""

    def __init__(self, names: Iterable[tuple[str, str]]) -> None:
        self._index = {_normalise(name): iso3 for iso3, name in names}

    def iso3(self, name: str) -> str | None:
        """The ISO3 code of one name, or None when it is not a UN member State's name."""
        return self._index.get(_normalise(name))

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
    names = [(r["iso3"], r["name"]) for r in read_seed("states.csv")]
    names += [(r["iso3"], r["name"]) for r in read_seed("state_names.csv")]
    names += list(HISTORICAL_NAMES)
    return StateResolver(names)


def ids_by_key(model: type, key: str = "code") -> dict[Any, int]:
    """Map natural key -> primary key for a reference table (one query)."""
    rows = db.session.execute(sa.select(getattr(model, key), model.id))
    return {row[0]: row[1] for row in rows}
