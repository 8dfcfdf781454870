"""Reading and checking query parameters and JSON bodies; bad input is a 400 or 422 by field."""

from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import current_app, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import format_number
from flask_babel import gettext as _

from tamatch.api.errors import ApiError, invalid
from tamatch.extensions import db
from tamatch.json_input import MAX_JSON_DEPTH, TooDeep, check_depth
from tamatch.request_args import MAX_INT, paginate, printable

E = TypeVar("E", bound=StrEnum)
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 25
MAX_QUERY_LENGTH = 200
MAX_ID = MAX_INT  # ids and amounts beyond a 32-bit integer are refused, never sent to SQL


def _bad_parameter(name: str, message: str) -> ApiError:
    return invalid({name: message}, status=400)


def int_param(name: str, minimum: int = 1, maximum: int | None = None) -> int | None:
    """An integer query parameter within bounds, or None when absent."""
    value = request.args.get(name)
    if value is None:
        return None
    if not value.isdigit() or len(value) > 9:
        raise _bad_parameter(name, _("Must be a whole number."))
    number = int(value)
    if number < minimum or (maximum is not None and number > maximum):
        if maximum is None:
            raise _bad_parameter(name, _("Must be %(minimum)s or more.", minimum=minimum))
        raise _bad_parameter(
            name, _("Must be from %(minimum)s to %(maximum)s.", minimum=minimum, maximum=maximum)
        )
    return number


def enum_param(name: str, enum_cls: type[E]) -> E | None:
    value = request.args.get(name)
    if value is None:
        return None
    try:
        return enum_cls(value)
    except ValueError:
        raise _bad_parameter(
            name, _("Must be one of: %(values)s.", values=", ".join(m.value for m in enum_cls))
        ) from None


def text_param(name: str) -> str | None:
    value = printable(request.args.get(name) or "")  # NUL and the like become spaces
    if len(value) > MAX_QUERY_LENGTH:
        raise _bad_parameter(name, _("At most %(num)s characters.", num=MAX_QUERY_LENGTH))
    return value or None


def lookup_param(name: str, model: Any, column: sa.ColumnElement) -> int | None:
    """The id of the row whose `column` equals the parameter (a code); 400 when none does."""
    value = request.args.get(name)
    if value is None:
        return None
    row_id = db.session.scalar(sa.select(model.id).where(column == value))
    if row_id is None:
        raise _bad_parameter(name, _("Unknown code."))
    return row_id


def get_row(model: Any, object_id: int) -> Any:
    """The row with this id, or None (ids beyond the column's range exist nowhere)."""
    return db.session.get(model, object_id) if 0 < object_id <= MAX_ID else None


def paginated(stmt: sa.Select, serialise) -> ResponseReturnValue:
    """The `{"items", "page", "per_page", "total", "pages"}` envelope of one page of `stmt`; a
    page beyond the last is empty (a client reading until an empty page stops there)."""
    page_number = int_param("page") or 1
    per_page = int_param("per_page", maximum=MAX_PER_PAGE) or DEFAULT_PER_PAGE
    page = paginate(stmt, per_page, MAX_PER_PAGE, page=page_number, to_last=False)
    return jsonify(
        {
            "items": [serialise(item) for item in page.items],
            "page": page_number,
            "per_page": per_page,
            "total": page.total,
            "pages": page.pages,
        }
    )


def json_body() -> dict[str, Any]:
    """The request's JSON object; 400 unless the body is one, of at most MAX_JSON_BYTES and
    nested at most MAX_JSON_DEPTH deep."""
    limit = current_app.config["MAX_JSON_BYTES"]
    if (request.content_length or 0) > limit or len(request.get_data(cache=True)) > limit:
        raise ApiError(
            400,
            _("The JSON body is too large: at most %(num)s bytes.", num=format_number(limit)),
            "body_too_large",
        )
    try:
        check_depth(request.get_data(cache=True))
    except TooDeep:
        raise ApiError(
            400,
            _("The JSON body is nested too deeply: at most %(num)s levels.", num=MAX_JSON_DEPTH),
            "body_too_deep",
        ) from None
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, _("Send a JSON object with 'Content-Type: application/json'."))
    return body


def reject_unknown(body: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise invalid(dict.fromkeys(unknown, _("Unknown field.")))


class Fields:
    """Collects per-field errors while reading a body, then raises them all at once."""

    def __init__(self, body: dict[str, Any]):
        self.body = body
        self.errors: dict[str, str] = {}

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def text(self, name: str, minimum: int, maximum: int) -> str | None:
        value = self.body.get(name)
        if not isinstance(value, str) or not minimum <= len(value.strip()) <= maximum:
            self.fail(
                name,
                _(
                    "Must be text of %(minimum)s to %(maximum)s characters.",
                    minimum=minimum,
                    maximum=maximum,
                ),
            )
            return None
        return value

    def integer(self, name: str, minimum: int, maximum: int = MAX_ID) -> int | None:
        value = self.body.get(name)
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or value < minimum
            or value > maximum
        ):
            self.fail(
                name,
                _(
                    "Must be a whole number from %(minimum)s to %(maximum)s.",
                    minimum=minimum,
                    maximum=maximum,
                ),
            )
            return None
        return value

    def day(self, name: str) -> date | None:
        value = self.body.get(name)
        if isinstance(value, str) and len(value) == 10:
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(name, _("Must be a date, YYYY-MM-DD."))
        return None

    def choice(self, name: str, enum_cls: type[E]) -> E | None:
        try:
            return enum_cls(self.body.get(name))
        except ValueError:
            self.fail(
                name, _("Must be one of: %(values)s.", values=", ".join(m.value for m in enum_cls))
            )
            return None

    def language(self, name: str) -> str | None:
        """An optional language code of the `language` table (None: not given)."""
        from tamatch.i18n.content import text_language_codes

        value = self.body.get(name)
        known = sorted(code for code, _name in text_language_codes())
        if value is None or value in known:
            return value
        self.fail(name, _("Must be one of: %(values)s.", values=", ".join(known)))
        return None

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self.body.get(name, default)
        if not isinstance(value, bool):
            self.fail(name, _("Must be true or false."))
            return default
        return value

    def id_list(self, name: str) -> tuple[int, ...]:
        value = self.body.get(name)
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) and 0 < v <= MAX_ID for v in value
        ):
            self.fail(name, _("Must be a list of ids."))
            return ()
        return tuple(value)

    def codes(self, name: str, model: Any) -> tuple[int, ...]:
        """Ids of the rows of a coded taxonomy named by a non-empty list of codes."""
        value = self.body.get(name)
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            self.fail(name, _("Must be a non-empty list of codes."))
            return ()
        rows = db.session.execute(sa.select(model.code, model.id).where(model.code.in_(value)))
        found = {row.code: row.id for row in rows}
        missing = [code for code in value if code not in found]
        if missing:
            self.fail(name, _("Unknown codes: %(codes)s.", codes=", ".join(sorted(set(missing)))))
            return ()
        return tuple(dict.fromkeys(found[code] for code in value))

    def check(self) -> None:
        if self.errors:
            raise invalid(self.errors)
