"""The planning blueprint with its route modules registered, for the app factory."""

from tamatch.planning import (  # noqa: F401 - the route modules register on `bp`
    bp,
    calendar_routes,
    cluster_routes,
    indicator_routes,
    institution_routes,
    measure_routes,
    report_routes,
    routes,
)

__all__ = ["bp"]
