"""Every journey of issue 15 in headless Debian Chromium, in Arabic, Chinese, English and en-XA.

One walk per language, each person in a browser context of their own on a 390 px phone: an
admin invites a focal point, who posts a need; a partner posts an offer; the organiser runs and
publishes a round; the State accepts, the partner accepts one proposal and declines the other;
the State files its progress report, civil society comments on it, a reviewer assesses it; the
organiser follows consent; the focal point opens the planning pages. The walk finds its way by
field names and by the words of the walk's own language, so it checks that they reach the page.

On every page it shows, each walk checks (and prints the counts of):
- `lang` and `dir` on <html> (`ar` right to left), and no sideways scrolling at 390 px;
- axe-core's WCAG 2.2 AA rules (axe-core comes with axe-playwright-python: nothing is fetched)
  at 390 px, and in English at 1280 px too: any violation fails the test;
- in the pseudo-locale en-XA (English in disguise: axe-core runs in the English walk), no
  visible word that escaped translation (the rules of tests/test_pseudo_locale.py), text
  written by the platform's scripts included;
- no console error.
A screenshot of each page goes to artifacts/ (journey-<locale>-<step>-<page>.png), and the
counts to artifacts/journey-<locale>.txt.
"""

import os
import re
import time
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from babel import support

from tamatch.i18n.catalogues import write_pseudo
from tamatch.i18n.locales import DEFAULT_LOCALE, LOCALE_NAMES, PSEUDO_CATALOGUE, PSEUDO_LOCALE
from tamatch.models import (
    Language,
    Need,
    OrganisationKind,
    ProgressReport,
    Rating,
    Role,
    SolveRun,
)
from tests.browser.conftest import ARTIFACTS, needs_chromium
from tests.factories import PASSWORD
from tests.i18n_support import fresh_template  # noqa: F401 - a fixture
from tests.test_pseudo_locale import PROPER, WORD, _babel_words, _content_words, _escaped

axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright")
pytestmark = needs_chromium
# axe-core's tags for the WCAG 2.0, 2.1 and 2.2 A and AA success criteria.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
RIGHT_TO_LEFT = {"ar"}
VISITOR_PAGES = ["/", "/auth/login", "/recommendations/", "/needs/", "/followup/practices",
                 "/public/", "/states/HTI"]  # fmt: skip
PLANNING_PAGES = ["/planning/", "/planning/recommendations", "/planning/measures",
                  "/planning/measures/new", "/planning/calendar", "/planning/due",
                  "/planning/clusters", "/planning/institutions", "/planning/reports"]  # fmt: skip


class Journey:
    """One walk in one language: a browser context per person, checks on every page shown."""

    def __init__(self, browser, base: str, locale: str, translations, db):
        self.browser, self.base, self.locale, self.db = browser, base, locale, db
        self.translations = translations
        self.step, self.errors, self.wide, self.escaped = 0, [], {}, {}
        self.axe, self.violations, self.pages = axe_playwright.Axe(), {}, 0
        self.html_lang = "en" if locale == PSEUDO_LOCALE else locale
        self.axe_runs, self.started = 0, time.monotonic()
        ARTIFACTS.mkdir(exist_ok=True)

    def t(self, message: str, **values) -> str:
        """`message` in the walk's language, as the platform's catalogue has it."""
        text = self.translations.ugettext(message)
        return text % values if values else text

    def person(self):
        context = self.browser.new_context(viewport=PHONE, locale=self.html_lang)
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", lambda d: d.accept())
        if self.locale == PSEUDO_LOCALE:  # chosen for the session, as a tester would
            page.goto(self.base)
            page.locator("#language-choice").select_option(PSEUDO_LOCALE)
            with page.expect_navigation():
                page.locator("form:has(#language-choice)").evaluate("f => f.submit()")
        return page

    def says(self, page, message: str, *, stored: bool = False, **values) -> None:
        """The page shows `message`; `stored`: a text kept in its recipient's language (a
        notification), which the pseudo-locale, a session's choice only, leaves English."""
        if stored and self.locale == PSEUDO_LOCALE:
            expected = message % values if values else message
        else:
            expected = self.t(message, **values)
        assert expected in page.inner_text("body"), (page.url, expected)

    def visit(self, page, path: str, name: str) -> None:
        response = page.goto(self.base + path)
        assert response.ok, (path, response.status)
        self.check(page, name)

    def check(self, page, name: str) -> None:
        """The checks of every page, and its screenshot."""
        self.step += 1
        self.pages += 1
        label = f"{self.step:02d}-{name}"
        html = page.locator("html")
        assert html.get_attribute("lang") == self.html_lang, (label, page.url)
        direction = "rtl" if self.locale in RIGHT_TO_LEFT else "ltr"
        assert html.get_attribute("dir") == direction, (label, page.url)
        assert page.evaluate("getComputedStyle(document.body).direction") == direction, label
        page.screenshot(path=str(ARTIFACTS / f"journey-{self.locale}-{label}.png"), full_page=True)
        if (extra := page.evaluate(SIDEWAYS)) > 0:
            self.wide[label] = f"{extra} px too wide: {page.evaluate(WIDEST)}"
        if self.locale == PSEUDO_LOCALE:
            self.find_escapes(page, label)
            return  # English in disguise: the English walk runs axe-core on these pages
        self.run_axe(page, f"{label} (390 px)")
        if self.locale == DEFAULT_LOCALE:  # the desktop layout's words differ, not its colours
            page.set_viewport_size(DESKTOP)
            self.run_axe(page, f"{label} (1280 px)")
            page.set_viewport_size(PHONE)

    def run_axe(self, page, label: str) -> None:
        self.axe_runs += 1
        options = {"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]}
        for violation in self.axe.run(page, options=options).response["violations"]:
            nodes = "; ".join(n["html"][:120] for n in violation["nodes"][:3])
            self.violations.setdefault(label, []).append(f"{violation['id']}: {nodes}")

    def find_escapes(self, page, label: str) -> None:
        allowed = _content_words(self.db) | _babel_words() | PROPER
        allowed |= {w for name in LOCALE_NAMES.values() for w in WORD.findall(name)}
        if words := _escaped(page.content(), allowed):
            self.escaped[label] = [f"{w!r} in {t!r}" for w, t in words.items()]

    def sign_in(self, page, email: str) -> None:
        page.goto(f"{self.base}/auth/login")
        page.locator("input[name=email]").fill(email)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("form:has(input[name=password]) [type=submit]").click()
        if "/auth/two-factor" in page.url:
            import pyotp

            totp = pyotp.TOTP(page.locator("code.user-select-all").inner_text())
            page.locator("input[name=code]").fill(
                totp.generate_otp(totp.timecode(datetime.now(UTC)))
            )
            page.locator("form:has(input[name=code]) [type=submit]").click()
        page.wait_for_url(re.compile(r"^(?!.*auth).*$"))

    def report(self) -> str:
        axe = sum(len(v) for v in self.violations.values())
        checks = [f"{len(self.wide)} wider than 390 px"]
        if self.axe_runs:
            checks.append(f"axe-core WCAG 2.2 AA: {axe} violations in {self.axe_runs} runs")
        if self.locale == PSEUDO_LOCALE:
            checks.append(f"{len(self.escaped)} with text that escaped translation")
        seconds = time.monotonic() - self.started
        lines = [f"{self.locale}: {self.pages} pages in {seconds:.0f} s; " + "; ".join(checks)]
        for kind in (self.violations, self.wide, self.escaped):
            lines += [f"  {label}: {found}" for label, found in kind.items()]
        return "\n".join(lines)


# How far the page reaches past the screen; and the element that reaches furthest (to fix it).
SIDEWAYS = "document.documentElement.scrollWidth - window.innerWidth"
WIDEST = """(() => {
  let worst = null, reach = window.innerWidth;
  for (const e of document.body.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    const out = Math.max(r.right - window.innerWidth, -r.left);
    if (out > 0 && out + window.innerWidth > reach) { reach = out + window.innerWidth; worst = e; }
  }
  return worst ? worst.outerHTML.slice(0, 160) : '';
})()"""


@pytest.fixture
def catalogue_for(app, tmp_path, monkeypatch, request):
    """The Babel translations a walk in `locale` reads (the pseudo-locale fresh from the code)."""

    def _load(locale: str):
        if locale != PSEUDO_LOCALE:
            directory = app.extensions["babel"].translation_directories[0]
            return support.Translations.load(directory, [locale])
        write_pseudo(request.getfixturevalue("fresh_template"), tmp_path)
        monkeypatch.setattr(app.extensions["babel"], "translation_directories", [str(tmp_path)])
        return support.Translations.load(str(tmp_path), [PSEUDO_CATALOGUE])

    return _load


def _people(make, locale: str) -> None:
    account = {"locale": locale} if locale != PSEUDO_LOCALE else {}
    make.user(role=Role.ADMIN, email="admin@example.org", **account)
    make.user(role=Role.ORGANISER, email="organiser@example.org", **account)
    make.user(role=Role.REVIEWER, email="reviewer@example.org", **account)
    partner_org = make.organisation(name="OHCHR test", kind=OrganisationKind.UN_ENTITY)
    make.user(role=Role.PARTNER, email="partner@example.org", organisation=partner_org, **account)
    make.user(role=Role.CIVIL_SOCIETY, email="voice@ngo.example", state="HTI", **account)
    make.recommendation(state="HTI", text="Establish a national tracking database.")
    make.recommendation(state="HTI", text="Train line ministries on treaty reporting.")


# The words and the layout do not depend on the database: the PostgreSQL run of the suite
# (`.ci/run` runs it on SQLite, then on PostgreSQL) walks once, in English, to keep CI short.
ON_POSTGRESQL = os.environ.get("TAMATCH_TEST_DATABASE_URL", "").startswith("postgresql")
once = pytest.mark.skipif(ON_POSTGRESQL, reason="walked on SQLite; English walks on PostgreSQL")
WALKS = ["en", *(pytest.param(code, marks=once) for code in ("ar", "zh", PSEUDO_LOCALE))]


@pytest.mark.parametrize("locale", WALKS)
def test_every_journey(server, browser, make, db, catalogue_for, locale):
    _people(make, locale)
    j = Journey(browser, server, locale, catalogue_for(locale), db)
    english = make.term(Language, "en").id

    # 0. What anyone sees before signing in.
    visitor = j.person()
    for path in VISITOR_PAGES:
        j.visit(visitor, path, "visitor-" + (path.strip("/").replace("/", "-") or "home"))

    # 1. An admin invites a focal point of Haiti.
    admin = j.person()
    j.sign_in(admin, "admin@example.org")
    j.visit(admin, "/admin/users/invite", "admin-invite")
    admin.locator("input[name=email]").fill("focal@gov.example")
    admin.locator("input[name=name]").fill("Marie Joseph")
    admin.locator("select[name=role]").select_option("focal_point")
    admin.locator("select[name=state_id]").select_option(str(make.state("HTI").id))
    admin.locator("form:has(select[name=role]) [type=submit]").click()
    link = admin.locator("#invitation-link").input_value()
    j.check(admin, "admin-invited")

    # 2. The focal point sets a password and posts a need tied to recommendations.
    focal = j.person()
    focal.goto(link)
    j.check(focal, "focal-invitation")
    focal.locator("input[name=password]").fill("a-long-password-1")
    focal.locator("input[name=confirm]").fill("a-long-password-1")
    focal.locator("form:has(input[name=confirm]) [type=submit]").click()
    focal.wait_for_url(re.compile(r"^(?!.*auth).*$"))
    j.check(focal, "focal-home")
    j.visit(focal, "/needs/new", "focal-need-form")
    focal.locator("input[name=title]").fill("A tracking database for recommendations")
    focal.locator("textarea[name=gap]").fill(
        "Our NMRF follows recommendations on paper; ministries cannot report progress."
    )
    focal.get_by_label(re.compile("tracking database")).check()
    focal.locator("[data-theme-group] legend button").first.click()  # groups start folded
    focal.locator("input[name=theme_ids]").first.check()
    focal.locator("input[name=support_kind_ids]").first.check()
    focal.locator(f"input[name=language_ids][value='{english}']").check()
    focal.locator("input[name=cost_min]").fill("10000")
    focal.locator("input[name=cost_max]").fill("30000")
    focal.locator("input[name=window_start]").fill("2027-01-01")
    focal.locator("input[name=window_end]").fill("2027-06-30")
    j.check(focal, "focal-need-filled")
    focal.locator("[name=publish]").click()
    j.says(focal, "Need published.")
    j.check(focal, "focal-need-published")
    # A second need, of Benin, with the same terms: the partner will decline its proposal.
    posted = db.session.scalar(sa.select(Need))
    benin = make.need(state="BEN", title="Legal aid clinics for Benin")
    benin.themes, benin.support_kinds = list(posted.themes), list(posted.support_kinds)
    db.session.commit()

    # 3. A partner posts an offer, with the theme picker's filter.
    partner = j.person()
    j.sign_in(partner, "partner@example.org")
    j.visit(partner, "/offers/new", "partner-offer-form")
    partner.locator("input[name=title]").fill("Tracking databases for NMRFs")
    partner.locator("textarea[name=description]").fill(
        "Experts help set up a recommendations database."
    )
    partner.locator("[data-theme-picker] input[type=search]").fill(
        partner.locator("[data-theme-option] label").first.inner_text()[:6]
    )
    partner.locator("input[name=theme_ids]").first.check()
    j.says(partner, "Themes ticked: %(num)s", num="1")
    partner.locator("input[name=support_kind_ids]").first.check()
    partner.locator(f"input[name=language_ids][value='{english}']").check()
    partner.locator("input[name=capacity]").fill("2")
    partner.locator("input[name=budget]").fill("80000")
    partner.locator("input[name=typical_cost]").fill("25000")
    partner.locator("input[name=window_start]").fill("2027-01-01")
    partner.locator("input[name=window_end]").fill("2027-12-31")
    j.check(partner, "partner-offer-filled")
    partner.locator("[name=publish]").click()
    j.says(partner, "Offer published.")
    j.check(partner, "partner-offer-published")

    # 4. The organiser runs and publishes a round.
    organiser = j.person()
    j.sign_in(organiser, "organiser@example.org")
    j.visit(organiser, "/rounds/new", "organiser-round-form")
    organiser.locator("input[name=name]").fill("HRC 61 round")
    organiser.locator("input[name=serves]").fill("61st session")
    organiser.locator("input[name=submission_deadline]").fill("2030-01-01")
    organiser.locator("input[name=time_limit]").fill("5")
    organiser.locator("form:has(input[name=time_limit]) [type=submit]").click()
    j.check(organiser, "organiser-round")
    organiser.get_by_role("button", name=j.t("Open for submissions"), exact=True).click()
    organiser.get_by_role("button", name=j.t("Close submissions"), exact=True).click()
    organiser.get_by_role("button", name=j.t("Solve now"), exact=True).click()
    organiser.wait_for_selector("form[action$='/publish']")
    j.says(organiser, "%(s)s of %(n)s needs served (%(p)s %%).", s=2, n=2, p="100")
    j.check(organiser, "organiser-run")
    organiser.get_by_role("button", name=j.t("Publish these proposals"), exact=True).click()
    j.says(organiser, "%(n)d proposals sent to the States and partners.", n=2)
    j.check(organiser, "organiser-published")

    # 5. The State accepts; the partner accepts its proposal and declines Benin's.
    answers = [(focal, "focal", "tracking database", "accept"),
               (partner, "partner", "tracking database", "accept"),
               (partner, "partner", "Benin", "decline")]  # fmt: skip
    for page, who, title, decision in answers:
        j.visit(page, "/rounds/proposals", f"{who}-proposals")
        page.get_by_role("link", name=re.compile(title, re.I)).first.click()
        page.locator(f"input[name=decision][value={decision}]").check()
        if decision == "decline":
            page.locator("textarea[name=reason]").fill("Our experts are busy until 2028.")
        page.locator("form:has(input[name=decision]) [type=submit]").click()
        j.says(page, "Your answer is recorded.")
        j.check(page, f"{who}-{decision}")
    j.visit(focal, "/notifications/", "focal-notifications")
    j.says(focal, "A match is agreed: the engagement starts", stored=True)
    run_id = db.session.scalar(sa.select(SolveRun.id).order_by(SolveRun.id.desc()))
    j.visit(organiser, f"/rounds/runs/{run_id}/consent", "organiser-consent")

    # 6. The State files its progress report.
    j.visit(focal, "/followup/", "focal-followup")
    focal.get_by_role("link", name="Tracking databases for NMRFs").first.click()
    j.check(focal, "focal-engagement")
    focal.get_by_role("button", name=j.t("Write the report")).first.click()
    for select in focal.locator("select[name^=status_]").all():
        select.select_option("partially_implemented")
    focal.locator("textarea[name=achievements]").fill("The database is live in four ministries.")
    focal.locator("textarea[name=challenges]").fill("Staff turnover.")
    j.check(focal, "focal-report-form")
    focal.locator("[name=submit]").click()
    j.says(focal, "Report submitted.")
    j.check(focal, "focal-report-submitted")

    # 7. Civil society of Haiti comments; a reviewer assesses.
    report_id = db.session.scalar(sa.select(ProgressReport.id))
    voice = j.person()
    j.sign_in(voice, "voice@ngo.example")
    j.visit(voice, f"/followup/reports/{report_id}", "voice-report")
    voice.locator("textarea[name=body]").fill("The ministries of the south are not connected yet.")
    voice.locator("form[action$='/comments'] [type=submit]").click()
    j.says(voice, "Comment posted.")
    j.check(voice, "voice-commented")
    reviewer = j.person()
    j.sign_in(reviewer, "reviewer@example.org")
    j.visit(reviewer, f"/followup/reports/{report_id}", "reviewer-report")
    reviewer.locator(f"input[name=rating][value={Rating.SUBSTANTIAL.value}]").check()
    reviewer.locator("textarea[name=comment]").fill("Real progress; keep training.")
    reviewer.locator("form[action$='/reviews'] [type=submit]").click()
    j.says(reviewer, "Assessment recorded.")
    j.check(reviewer, "reviewer-assessed")

    # 8. The focal point's planning pages.
    for path in PLANNING_PAGES:
        j.visit(focal, path, "focal-" + path.strip("/").replace("/", "-"))

    summary = j.report()
    print("\n" + summary)
    (ARTIFACTS / f"journey-{locale}.txt").write_text(summary + "\n", encoding="utf-8")
    assert not j.errors, j.errors
    assert not j.violations, j.report()
    assert not j.wide, j.report()
    assert not j.escaped, j.report()
