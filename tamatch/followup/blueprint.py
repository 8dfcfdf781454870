"""The followup blueprint with its route modules registered, for the app factory."""

from tamatch.followup import (  # noqa: F401 - the route modules register on `bp`
    bp,
    dashboard_routes,
    evidence_routes,
    routes,
)

__all__ = ["bp"]
