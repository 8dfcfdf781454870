"""Bad input never gives a 500 (issue 10 item 8): every route of the URL map, hostile values.

One world (tests/world.py), one walk. Each route is sent, as each main role (a visitor, a focal
point, a partner, an organiser, an admin):
- with the real ids of the world in its path, and a query string giving every argument a view
  reads (found in the source) a hostile value: huge, 2**31, negative, junk, NUL, unicode, a
  text of 50,000 characters;
- with each id of its path replaced by a hostile one (huge, 2**31, 2**31 - 1, 0, -1, text);
  those no route matches once, those that reach the view as a focal point and an admin;
- when it takes a body (CSRF off), a form whose every field has a hostile value, and under
  /api/v1 JSON bodies with out-of-range numbers, one nested too deep and one too large.
Reads come first, then the writes. The test prints how many requests it sent.
"""

import json
import re
import time
from pathlib import Path

import pytest
from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, FloatField, IntegerField
from wtforms.fields.core import UnboundField

from tests.api_support import bearer
from tests.authz_table import SESSION_API, TABLE
from tests.world import build_world, fresh_user

ROLES = ("anonymous", "focal_own", "partner_own", "organiser", "admin")
SKIPPED = {"static", "bootstrap.static"}
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
HUGE = "99999999999999999999"
LONG_TEXT = "é" * 5_000 + "a" * 45_000  # 50,000 characters
LONG_TEXT_ROLES = ("anonymous", "focal_own", "organiser")  # a long URL is costly: fewer roles
# Ids no route matches (one role is enough: routing knows no roles), and ids that reach views.
UNROUTED_IDS = (HUGE, str(2**31), "-1", "abc", "%00")
MISSING_IDS = (str(2**31 - 1), "0")
JUNK = "x\x00%00'\"<>; DROP \u202e漢字🙂"
SOURCE = Path(__file__).resolve().parent.parent / "tamatch"
# Every query argument a view or the API reads, found in the source, so a new one is walked too.
READ_ARG = re.compile(
    r"(?:int_arg|enum_arg|text_arg|int_param|text_param|enum_param|lookup_param"
    r"|args\.get(?:list)?)\(\s*\"(\w+)\"|page_arg=\"(\w+)\""
)
JSON_FIELD = re.compile(r"\.(integer|text|day|choice|language|boolean|id_list|codes)\(\s*\"(\w+)\"")


def _query_args() -> list[str]:
    names = {"page", "per_page", "q", "sort", "order", "format", "lang"}
    for path in SOURCE.rglob("*.py"):
        found = READ_ARG.findall(path.read_text(encoding="utf-8"))
        names.update(name for pair in found for name in pair if name)
    return sorted(names)


def _queries() -> list[dict[str, str]]:
    """Query strings, each giving every argument one kind of hostile value."""
    names = _query_args()
    # A negative number is junk to every reader of an argument (none takes a sign), so it goes
    # with the junk, in the paging arguments.
    kinds = [
        {"*": HUGE, "per_page": str(10**9), "q": "x" * 201},
        {"*": str(2**31), "per_page": "-1", "q": "\x00%00" + "ü漢🙂\u202e" * 50},
        {"*": JUNK, "page": "-1", "per_page": "abc", "sort": "-;drop", "order": "sideways"},
    ]
    return [{name: kind.get(name, kind["*"]) for name in names} for kind in kinds]


def _form_body(huge: str) -> dict[str, str]:
    """Every field of every form of the app, with a hostile value for its type."""
    body: dict[str, str] = {}
    forms, seen = list(FlaskForm.__subclasses__()), set()
    while forms:
        form = forms.pop()
        if form in seen:
            continue
        seen.add(form)
        forms.extend(form.__subclasses__())
        for name in dir(form):
            field = getattr(form, name, None)
            if not isinstance(field, UnboundField):
                continue
            kind = field.field_class
            if issubclass(kind, IntegerField):
                body[name] = huge
            elif issubclass(kind, FloatField | DecimalField):
                body[name] = "1e999"
            elif issubclass(kind, DateField):
                body[name] = "99999-12-31"
            else:
                body[name] = "\x01=cmd()" + JUNK
    return body


def _json_bodies() -> list[object]:
    names: dict[str, str] = {}
    for path in (SOURCE / "api").rglob("*.py"):
        names.update({name: kind for kind, name in JSON_FIELD.findall(path.read_text("utf-8"))})

    def body(number: int) -> dict:
        values = {"integer": number, "id_list": [number, -1], "codes": ["\x00", "x" * 10_000]}
        return {name: values.get(kind, JUNK) for name, kind in names.items()}

    deep = "[" * 100_000 + "]" * 100_000
    return [body(2**63), body(2**31), deep, json.dumps({"title": "x" * 3_000_000})]


class Walk:
    def __init__(self, app, db, world):
        self.app, self.db, self.world = app, db, world
        self.clients: dict[str, object] = {}
        self.sent = 0
        self.failures: list[str] = []

    def client(self, role: str, fresh: bool = False):
        if fresh or role not in self.clients:
            user = None if role == "anonymous" else fresh_user(self.db, self.world.users[role])
            self.clients[role] = self.app.test_client(user=user)
        return self.clients[role]

    def send(self, role: str, endpoint: str, method: str, url: str, **kwargs) -> None:
        is_api = endpoint.startswith("api.") and endpoint not in SESSION_API
        client = self.app.test_client() if is_api else self.client(role, method != "GET")
        headers = bearer(self.world.tokens[role]) if is_api and role != "anonymous" else {}
        self.sent += 1
        try:
            with client.open(url, method=method, headers=headers, **kwargs) as response:
                status = response.status_code
        except Exception as error:
            status = f"raised {type(error).__name__}: {str(error).splitlines()[0][:160]}"
        if not isinstance(status, int) or status >= 500:
            self.failures.append(f"{status} | {role} {method} {url[:200]}")


def _routes(app, world) -> list[tuple[str, str, str]]:
    """(endpoint, method, url with the world's ids) for every rule and method of the URL map."""
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIPPED:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            template = next(iter(TABLE[(rule.endpoint, method)].values()))[0]
            routes.append((rule.endpoint, method, template.format(**world.ids)))
    return routes


def _hostile_paths(app, endpoint: str, method: str, url: str, ids: tuple[str, ...]) -> list[str]:
    """`url` with each int in its path replaced by each of `ids`."""
    adapter = app.url_map.bind("localhost")
    path = url.split("?", 1)[0]
    rule, values = adapter.match(path, method=method, return_rule=True)
    urls = []
    for name, converter in rule._converters.items():
        if type(converter).__name__ not in {"IntegerConverter", "BoundedIntegerConverter"}:
            continue
        marker = {**values, name: 7_777_777_777}
        built = adapter.build(endpoint, marker, method=method)
        urls.extend(built.replace("7777777777", bad) for bad in ids)
    return urls


@pytest.fixture
def world(app, db, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    return build_world(db)


def test_no_route_answers_5xx_to_hostile_input(app, db, world):
    from urllib.parse import urlencode

    started = time.monotonic()
    walk = Walk(app, db, world)
    routes = _routes(app, world)
    queries = [urlencode(q) for q in _queries()]
    reads = [r for r in routes if r[1] == "GET"]
    writes = [r for r in routes if r[1] in BODY_METHODS]
    long_query = urlencode({"q": LONG_TEXT, "page": HUGE})
    for endpoint, method, url in reads:
        for role in ROLES:
            for query in queries + ([long_query] if role in LONG_TEXT_ROLES else []):
                walk.send(role, endpoint, method, f"{url}{'&' if '?' in url else '?'}{query}")
        for bad_url in _hostile_paths(app, endpoint, method, url, UNROUTED_IDS):
            walk.send("admin", endpoint, method, bad_url)
        for bad_url in _hostile_paths(app, endpoint, method, url, MISSING_IDS):
            for role in ("focal_own", "admin"):
                walk.send(role, endpoint, method, bad_url)
    read_time = time.monotonic() - started
    forms = [_form_body(HUGE), _form_body(str(2**31))]
    bodies = _json_bodies()
    for endpoint, method, url in writes:
        for bad_url in _hostile_paths(app, endpoint, method, url, UNROUTED_IDS + MISSING_IDS):
            walk.send("admin", endpoint, method, bad_url, data=forms[0])
        for role in ROLES:
            if endpoint.startswith("api.") and endpoint not in SESSION_API:
                for body in bodies if role == "focal_own" else bodies[:2]:
                    content = body if isinstance(body, str) else json.dumps(body)
                    walk.send(
                        role, endpoint, method, url, data=content, content_type="application/json"
                    )
            else:
                for form in forms:
                    walk.send(role, endpoint, method, url, data=form)
    elapsed = time.monotonic() - started
    print(
        f"\nhostile walk: {walk.sent} requests over {len(routes)} routes in {elapsed:.1f} s "
        f"(reads {read_time:.1f} s), {len(walk.failures)} answered 5xx"
    )
    assert not walk.failures, f"{len(walk.failures)} of {walk.sent}:\n" + "\n".join(
        walk.failures[:80]
    )
