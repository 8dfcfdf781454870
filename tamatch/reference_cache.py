"""Reference choices (themes, languages, mechanisms...) kept a few minutes per process."""

import time

from flask import current_app

_CACHE: dict[str, tuple[float, list]] = {}
CACHE_SECONDS = 300.0


def cached_choices(key: str, load) -> list:
    """Reference choices change only when reference data is reloaded: keep them a few minutes
    per process instead of querying them on every page."""
    now = time.monotonic()
    hit = _CACHE.get(key)
    if hit is None or now - hit[0] > CACHE_SECONDS or current_app.testing:
        hit = (now, load())
        _CACHE[key] = hit
    return hit[1]
