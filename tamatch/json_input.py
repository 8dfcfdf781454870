"""JSON the app reads: nested at most MAX_JSON_DEPTH deep, so parsing never recurses away."""

import re

from flask.json.provider import DefaultJSONProvider

MAX_JSON_DEPTH = 32  # no body of the API nests more than a few levels
# Strings (whose brackets do not count) and everything else but brackets, dropped.
_NOT_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"|[^\[\]{}"]+')


class TooDeep(ValueError):
    """The JSON nests deeper than MAX_JSON_DEPTH."""


def check_depth(text: str | bytes, limit: int = MAX_JSON_DEPTH) -> None:
    """Raise TooDeep when `text` opens more than `limit` arrays or objects inside each other."""
    if isinstance(text, bytes | bytearray):
        text = text.decode("utf-8", errors="replace")
    depth = 0
    for bracket in _NOT_BRACKETS.sub("", text):
        depth += 1 if bracket in "[{" else -1
        if depth > limit:
            raise TooDeep(f"JSON nested deeper than {limit} levels")


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, refusing too deep a document before parsing it (a ValueError: the request
    answers 400, never a RecursionError's 500)."""

    def loads(self, s: str | bytes, **kwargs):
        check_depth(s)
        return super().loads(s, **kwargs)
