"""The recommendations blueprint with its route modules registered, for the app factory."""

from tamatch.recommendations import (  # noqa: F401 - the route modules register on `bp`
    bp,
    import_routes,
    routes,
)

__all__ = ["bp"]
