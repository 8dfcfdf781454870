"""The main pages in Arabic, Chinese and English on a 390 px phone: nothing scrolls sideways.

Headless Chromium (as tests/browser/test_journeys.py); a screenshot of each page in each
language goes to artifacts/ (languages-<locale>-<page>.png). Arabic pages must be laid out
right to left.
"""

import shutil

import pytest

from tamatch.models import Role
from tests.browser.test_journeys import ARTIFACTS, CHROMIUM, browser, server  # noqa: F401
from tests.factories import PASSWORD

pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    shutil.which(CHROMIUM) is None, reason="Debian chromium is not installed"
)

PHONE = {"width": 390, "height": 844}
SIGNED_OUT = ["/", "/auth/login", "/recommendations/", "/needs/", "/followup/practices",
              "/public/", "/states/HTI"]  # fmt: skip
FOCAL_POINT = ["/", "/needs/new", "/needs/", "/planning/", "/notifications/"]


def _sideways(page) -> int:
    """How many pixels the page is wider than the screen (0: it does not scroll sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def _visit(page, base: str, locale: str, paths: list[str], who: str) -> list[str]:
    wide = []
    for path in paths:
        response = page.goto(base + path)
        assert response.ok, (path, response.status)
        assert page.evaluate("document.documentElement.lang") == locale
        direction = page.evaluate("getComputedStyle(document.body).direction")
        assert direction == ("rtl" if locale == "ar" else "ltr"), (path, direction)
        name = path.strip("/").replace("/", "-") or "home"
        page.screenshot(path=str(ARTIFACTS / f"languages-{locale}-{who}-{name}.png"))
        if (extra := _sideways(page)) > 0:
            wide.append(f"{path} is {extra}px too wide")
    return wide


@pytest.mark.parametrize("locale", ["ar", "zh", "en"])
def test_main_pages_fit_a_phone_in_each_language(server, browser, make, db, locale):  # noqa: F811
    make.user(role=Role.FOCAL_POINT, email="focal@gov.example", locale=locale)
    make.recommendation(state="HTI", text="Establish a national tracking database.")
    db.session.commit()
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport=PHONE, locale=locale)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    wide = _visit(page, server, locale, SIGNED_OUT, "visitor")
    page.goto(f"{server}/auth/login")
    page.locator("input[name=email]").fill("focal@gov.example")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_load_state()
    wide += _visit(page, server, locale, FOCAL_POINT, "focal")
    context.close()
    assert not wide, "\n".join(wide)
    assert not errors, errors
