"""The theme picker in headless Chromium: levels fold, the filter finds by word or code, keys
move through the themes shown, and axe-core finds no WCAG 2.2 AA violation."""

from babel.support import NullTranslations

from tamatch.models import Role
from tests.browser.test_journeys import Journey


def test_filter_keys_and_levels(server, browser, make, db):
    make.user(role=Role.FOCAL_POINT, state="HTI", email="focal-picker@example.org")
    j = Journey(browser, server, "en", NullTranslations(), db)
    page = j.person()
    j.sign_in(page, "focal-picker@example.org")
    page.goto(f"{server}/needs/new")

    def level(code):
        return page.locator(f'fieldset[aria-labelledby="theme_ids-level-{code}"]')

    group_d = level("D")
    assert group_d.locator("legend button").get_attribute("aria-expanded") == "false"
    death = page.get_by_label("Death penalty")
    assert not death.is_visible()  # groups start folded
    search = page.get_by_label("Filter the themes by a word or a code")
    search.fill("death")
    assert death.is_visible()
    assert not page.get_by_label("Right to food").is_visible()
    assert level("D2").is_visible()  # its subgroup shows
    assert not level("E").is_visible()
    search.press("ArrowDown")
    assert death.evaluate("box => box === document.activeElement")
    page.keyboard.press("Space")
    assert death.is_checked() and "Themes ticked: 1" in page.content()
    search.fill("D45")  # a code finds its theme
    assert page.get_by_label("Freedom of association").is_visible()
    search.fill("no such words at all")
    assert "No theme has these words." in page.content()
    search.press("Escape")
    assert search.input_value() == "" and level("E").is_visible()
    j.run_axe(page, "theme-picker")
    assert not j.errors, j.errors
    assert not j.violations, j.violations
