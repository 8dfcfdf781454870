"""The i18n blueprint with its route modules registered, for the app factory."""

from tamatch.i18n import (  # noqa: F401 - the route modules register on `bp`
    bp,
    routes,
)

__all__ = ["bp"]
