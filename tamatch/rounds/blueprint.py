"""The rounds blueprint with its route modules registered, for the app factory."""

from tamatch.rounds import (  # noqa: F401 - the route modules register on `bp`
    bp,
    consent_routes,
    exports_routes,
    proposals,
    routes,
)

__all__ = ["bp"]
