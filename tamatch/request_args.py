"""Reading typed query-string arguments leniently: a bad value is ignored, never a 500."""

from collections.abc import Callable
from enum import StrEnum
from typing import Protocol, TypeVar

import sqlalchemy as sa
from flask import Request, current_app, flash, g, request
from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items
from werkzeug.routing import IntegerConverter

from tamatch.extensions import db

E = TypeVar("E", bound=StrEnum)
MAX_INT = 2**31 - 1  # the largest value of an INTEGER column (PostgreSQL); ids and amounts
MAX_NUMBER = 1e15  # the largest measured value (an indicator's) forms and the API take
MAX_PER_PAGE = 100
MAX_TEXT = 200  # what a search box or a filter takes


class WithoutNulMultiDict(ImmutableMultiDict):
    """Query and form values (and names) with their NUL characters dropped: no column holds
    one, PostgreSQL refuses them in text, and no one types them."""

    def __init__(self, mapping=None):
        pairs = iter_multi_items(mapping) if mapping is not None else ()
        super().__init__([(_without_nul(key), _without_nul(value)) for key, value in pairs])


def _without_nul(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


class AppRequest(Request):
    """The app's request: NUL dropped from every query and form value (see WithoutNulMultiDict),
    whichever view, form or API route reads them."""

    parameter_storage_class = WithoutNulMultiDict


def _up_to(limit: int) -> str:
    r"""A regular expression of the decimal numbers from 0 to `limit` (without leading zeros).

    >>> _up_to(253)
    '\\d{1,2}|1\\d{2}|2[0-4]\\d|25[0-2]|253'
    """
    digits = str(limit)
    parts = [rf"\d{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    for i, digit in enumerate(digits):
        rest = len(digits) - i - 1
        low = "1" if i == 0 and len(digits) > 1 else "0"
        if digit > low:
            top = int(digit) - 1
            span = low if top == int(low) else f"[{low}-{top}]"
            tail = rf"\d{{{rest}}}" if rest > 1 else r"\d" * rest
            parts.append(digits[:i] + span + tail)
    parts.append(digits)
    return "|".join(parts)


class BoundedIntegerConverter(IntegerConverter):
    """`<int:...>` in a URL: a whole number an INTEGER column can hold. The path itself must
    match (the regex stops at 2^31 - 1), so a larger id matches no route at all: a 404 for
    every method (a failed conversion would make werkzeug answer 405), never reaching SQL."""

    regex = rf"(?:{_up_to(MAX_INT)})"

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_INT)
        super().__init__(map, *args, **kwargs)


def whole_number(value: str | None, maximum: int = MAX_INT) -> int | None:
    """`value` as a whole number from 0 to `maximum`, or None (junk, negative, too large)."""
    value = (value or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > len(str(maximum)):
        return None
    number = int(value)
    return number if number <= maximum else None


def int_arg(name: str, source=None) -> int | None:
    """A whole-number argument an INTEGER column can hold (an id, a cycle), or None."""
    return whole_number((source if source is not None else request.args).get(name))


def enum_arg(name: str, enum_cls: type[E], source=None) -> E | None:
    value = (source if source is not None else request.args).get(name, "")
    try:
        return enum_cls(value)
    except ValueError:
        return None


class Paged(Protocol):
    pages: int


P = TypeVar("P", bound=Paged)


def paged(
    build: Callable[[int, int], P],
    per_page: int | None = None,
    max_per_page: int = MAX_PER_PAGE,
    *,
    page_arg: str = "page",
    page: int | None = None,
    to_last: bool = True,
) -> P:
    """`build(page, per_page)` for the page the request asks for: the one home of paging.

    `page_arg` (`page` by default) and `per_page` are read leniently: junk, zero or a negative
    number gives the first page and the default size (`per_page`, else PER_PAGE); a size above
    `max_per_page` is cut to it; a page beyond the last gives the last one (an empty page
    unless `to_last`). `page` (already checked: the API's) replaces the argument.
    """
    size = per_page or current_app.config["PER_PAGE"]
    size = min(_count_arg("per_page") or size, max_per_page)
    number = page or _count_arg(page_arg) or 1
    result = build(number, size)
    if to_last and result.pages and number > result.pages:
        result = build(result.pages, size)
    return result


def _count_arg(name: str) -> int | None:
    """A page number or size: digits, however many, up to MAX_INT (a larger one is MAX_INT,
    "as far as it goes"); None for junk."""
    value = request.args.get(name, "").strip()
    if not value.isascii() or not value.isdigit():
        return None
    return int(value) if len(value) < len(str(MAX_INT)) else min(int(value[:11]), MAX_INT)


def paginate(
    stmt: sa.Select, per_page: int | None = None, max_per_page: int = MAX_PER_PAGE, **kwargs
) -> Pagination:
    """The page of `stmt` the request asks for (see `paged`)."""

    def build(number: int, size: int) -> Pagination:
        return db.paginate(stmt, page=number, per_page=size, error_out=False)

    return paged(build, per_page, max_per_page, **kwargs)


def text_arg(name: str, max_length: int = MAX_TEXT, source=None) -> str | None:
    """A trimmed text argument without control characters (NUL and the like: no field holds
    them and PostgreSQL refuses them), cut to `max_length` with a message; None when empty."""
    value = printable((source if source is not None else request.args).get(name, ""))
    if len(value) > max_length:
        _say_cut(max_length)
        value = value[:max_length].strip()
    return value or None


def _say_cut(max_length: int) -> None:
    """Tell the reader once per request that a search text was shortened."""
    if g.get("text_cut_said"):
        return
    g.text_cut_said = True
    flash(
        _(
            "Your search was too long: only its first %(num)s characters were used.",
            num=max_length,
        ),
        "warning",
    )


def printable(value: str) -> str:
    """`value` with each control character (NUL, tab, line break...) made a space, trimmed."""
    return "".join(ch if ch.isprintable() else " " for ch in value).strip()
