"""The JSON API at /api/v1 for NMRF tracking databases and partners' systems."""

from flask import Blueprint

bp = Blueprint("api", __name__)

from tamatch.api.errors import init_api_errors  # noqa: E402 - needs `bp` defined

init_api_errors(bp)

from tamatch.api import (  # noqa: E402, F401 - routes on this blueprint
    followup_routes,
    need_routes,
    openapi,
    read_routes,
    token_routes,
)
