"""Reading typed query-string arguments leniently: a bad value is ignored, never a 500."""

from enum import StrEnum
from typing import TypeVar

import sqlalchemy as sa
from flask import current_app, request
from flask_sqlalchemy.pagination import Pagination

from tamatch.extensions import db

E = TypeVar("E", bound=StrEnum)


def int_arg(name: str, source=None) -> int | None:
    value = (source if source is not None else request.args).get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def enum_arg(name: str, enum_cls: type[E], source=None) -> E | None:
    value = (source if source is not None else request.args).get(name, "")
    try:
        return enum_cls(value)
    except ValueError:
        return None


def paginate(stmt: sa.Select) -> Pagination:
    """The page of `stmt` the request's `page` (and `per_page`, up to 100) arguments ask for;
    PER_PAGE rows by default."""
    return db.paginate(stmt, per_page=current_app.config["PER_PAGE"], max_per_page=100)


def text_arg(name: str, max_length: int = 200, source=None) -> str | None:
    """A trimmed text argument without control characters (NUL and the like: no field holds
    them and PostgreSQL refuses them), cut to `max_length`; None when empty."""
    value = (source if source is not None else request.args).get(name, "")
    return printable(value)[:max_length] or None


def printable(value: str) -> str:
    """`value` with each control character (NUL, tab, line break...) made a space, trimmed."""
    return "".join(ch if ch.isprintable() else " " for ch in value).strip()
