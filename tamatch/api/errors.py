"""JSON error bodies for every failure under /api/v1, whoever raised it."""

from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.http import HTTP_STATUS_CODES

from tamatch.errors import _TITLES as PAGE_TITLES
from tamatch.errors import DomainError, InvalidTransition, NotFound, PermissionDenied
from tamatch.extensions import db

API_PREFIX = "/api/v1"
# The token pages live on this blueprint but are HTML pages: they keep the site's error pages.
PAGE_ENDPOINTS = frozenset({"api.manage_tokens", "api.revoke"})
# Codes the site's HTML handlers also claim: a blueprint handler per code wins over them.
HANDLED_CODES = (400, 401, 403, 404, 405, 409, 413, 415, 422, 429, 500)


class ApiError(Exception):
    """An API failure with its HTTP status, a machine code, a message and per-field errors."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str | None = None,
        fields: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code or _code(status)
        self.fields = fields or {}


def _code(status: int) -> str:
    return HTTP_STATUS_CODES.get(status, "error").lower().replace(" ", "_").replace("-", "_")


def error_response(
    status: int, message: str, code: str | None = None, fields: dict[str, str] | None = None
) -> Response:
    """`{"error": {"status", "code", "message", "fields"}}` with the status set."""
    body: dict[str, Any] = {
        "status": status,
        "code": code or _code(status),
        "message": message,
        "fields": fields or {},
    }
    response = jsonify({"error": body})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="tamatch"'
    return response


def invalid(fields: dict[str, str], status: int = 422) -> ApiError:
    """A validation failure naming each offending field."""
    return ApiError(status, _("The request has invalid values."), "invalid", fields)


def _from_api_error(error: ApiError) -> Response:
    db.session.rollback()
    return error_response(error.status, error.message, error.code, error.fields)


def _from_http(error: HTTPException) -> ResponseReturnValue:
    status = error.code or 500
    if request.endpoint in PAGE_ENDPOINTS:
        title = str(PAGE_TITLES.get(status) or _("Error"))
        return render_template("errors/error.html", code=status, title=title), status
    message = error.description if status < 500 else _("Something went wrong on our side.")
    response = error_response(status, message or HTTP_STATUS_CODES.get(status, "Error"))
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def _from_domain(error: DomainError) -> Response:
    db.session.rollback()
    if isinstance(error, PermissionDenied):
        return error_response(403, error.message, "forbidden")
    if isinstance(error, NotFound):
        return error_response(404, error.message, "not_found")
    if isinstance(error, InvalidTransition):
        return error_response(409, error.message, "invalid_transition")
    fields = {error.field: error.message} if error.field else {}
    return error_response(422, error.message, "invalid", fields)


def _is_api_path() -> bool:
    return request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")


def _json_for_html_errors(response: Response) -> Response:
    """Errors raised before a view is chosen (unknown path, wrong method) get the site's HTML
    page; under /api/v1 they are turned into the JSON body instead."""
    if (
        response.status_code >= 400
        and response.mimetype == "text/html"
        and _is_api_path()
        and request.endpoint not in PAGE_ENDPOINTS
    ):
        status = response.status_code
        replacement = error_response(status, HTTP_STATUS_CODES.get(status, "Error"))
        routing = request.routing_exception
        if isinstance(routing, MethodNotAllowed) and routing.valid_methods:
            replacement.headers["Allow"] = ", ".join(routing.valid_methods)
        return replacement
    return response


def init_api_errors(bp: Blueprint) -> None:
    """Register the JSON error handlers on the API blueprint (and its app-wide fallback)."""
    for code in HANDLED_CODES:
        bp.register_error_handler(code, _from_http)
    bp.register_error_handler(HTTPException, _from_http)
    bp.register_error_handler(ApiError, _from_api_error)
    bp.register_error_handler(DomainError, _from_domain)
    bp.after_app_request(_json_for_html_errors)
