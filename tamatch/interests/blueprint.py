"""The interests blueprint with its route modules registered, for the app factory."""

from tamatch.interests import bp, routes  # noqa: F401 - the route modules register on `bp`

__all__ = ["bp"]
