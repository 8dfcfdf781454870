"""The api blueprint with its JSON error handlers and routes, for the app factory."""

from tamatch.api import (  # noqa: F401 - the route modules register on `bp`
    bp,
    followup_routes,
    interest_routes,
    measure_routes,
    need_routes,
    openapi,
    planning_routes,
    read_routes,
    token_routes,
)
from tamatch.api.errors import init_api_errors

init_api_errors(bp)

__all__ = ["bp"]
