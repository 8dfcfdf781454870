"""The admin blueprint with its route modules registered, for the app factory."""

from tamatch.admin import (  # noqa: F401 - the route modules register on `bp`
    audit_routes,
    bp,
    routes,
)

__all__ = ["bp"]
