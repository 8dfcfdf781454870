"""The needs blueprint with its route modules registered, for the app factory."""

from tamatch.needs import (  # noqa: F401 - the route modules register on `bp`
    bp,
    cohort_routes,
    routes,
)

__all__ = ["bp"]
