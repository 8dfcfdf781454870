"""Reading typed query-string arguments leniently: a bad value is ignored, never a 500."""

from enum import StrEnum
from typing import TypeVar

from flask import request

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
