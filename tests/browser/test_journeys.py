"""The main journeys in headless Chromium: invitation to assessed progress report.

Needs Debian's chromium (/usr/bin/chromium) and the playwright package; `.ci/run` installs both.
Screenshots of every step go to artifacts/; any console error fails the test, and so does any
violation of the WCAG 2.2 AA rules that axe-core finds on a page a step shows.
"""

import re
import shutil
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from tamatch.models import OrganisationKind, ProgressReport, Role, User
from tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
playwright_api = pytest.importorskip("playwright.sync_api")
axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright")
# axe-core's tags for the WCAG 2.0, 2.1 and 2.2 A and AA success criteria.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
pytestmark = pytest.mark.skipif(
    shutil.which(CHROMIUM) is None, reason="Debian chromium is not installed"
)


@pytest.fixture
def server(app, db):
    from werkzeug.serving import make_server

    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    address, base = f"http://127.0.0.1:{http.server_port}", app.config["PUBLIC_BASE_URL"]
    app.config["PUBLIC_BASE_URL"] = address  # links in e-mails and on pages lead here
    yield address
    app.config["PUBLIC_BASE_URL"] = base
    http.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def browser():
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


class Journey:
    """One browser context per person; screenshots numbered in order; console errors kept."""

    def __init__(self, browser, base: str):
        self.browser, self.base, self.step, self.errors = browser, base, 0, []
        self.axe, self.violations, self.pages_checked = axe_playwright.Axe(), {}, 0
        ARTIFACTS.mkdir(exist_ok=True)

    def person(self):
        page = self.browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", lambda d: d.accept())
        return page

    def shot(self, page, name: str) -> None:
        self.step += 1
        page.screenshot(path=str(ARTIFACTS / f"{self.step:02d}-{name}.png"), full_page=True)
        self.check_accessibility(page, name)

    def check_accessibility(self, page, name: str) -> None:
        """Run axe-core's WCAG 2.2 AA rules on the page; keep each violation and its elements."""
        options = {"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]}
        found = self.axe.run(page, options=options).response["violations"]
        self.pages_checked += 1
        for violation in found:
            nodes = "; ".join(n["html"][:120] for n in violation["nodes"][:3])
            self.violations.setdefault(name, []).append(f"{violation['id']}: {nodes}")

    def report(self) -> None:
        total = sum(len(v) for v in self.violations.values())
        print(f"axe-core WCAG 2.2 AA: {total} violations on {self.pages_checked} pages")
        for name, found in self.violations.items():
            print(f"  {name}: " + " | ".join(found))

    def sign_in(self, page, email: str, password: str = PASSWORD) -> None:
        page.goto(f"{self.base}/auth/login")
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        if "/auth/two-factor" in page.url:
            import pyotp

            secret = page.locator("code.user-select-all").inner_text()
            totp = pyotp.TOTP(secret)
            page.get_by_label(re.compile("Six-digit code")).fill(
                totp.generate_otp(totp.timecode(datetime.now(UTC)))
            )
            page.get_by_role("button", name="Verify").click()
        page.wait_for_url(re.compile(r"^(?!.*auth).*$"))


def test_from_invitation_to_assessed_report(server, browser, make, db):
    admin = make.user(role=Role.ADMIN, email="admin@example.org")
    make.user(role=Role.ORGANISER, email="organiser@example.org")
    make.user(role=Role.REVIEWER, email="reviewer@example.org")
    partner_org = make.organisation(name="OHCHR test", kind=OrganisationKind.UN_ENTITY)
    make.user(role=Role.PARTNER, email="partner@example.org", organisation=partner_org)
    make.recommendation(state="HTI", text="Establish a national tracking database.")
    make.recommendation(state="HTI", text="Train line ministries on treaty reporting.")
    del admin
    j = Journey(browser, server)

    # 0. What anyone sees before signing in.
    visitor = j.person()
    visitor.goto(server)
    j.shot(visitor, "welcome")
    visitor.goto(f"{server}/auth/login")
    j.shot(visitor, "sign-in")

    # 1. An admin invites a focal point of Haiti.
    admin_page = j.person()
    j.sign_in(admin_page, "admin@example.org")
    admin_page.goto(f"{server}/admin/users/invite")
    admin_page.get_by_label("E-mail").fill("focal@gov.example")
    admin_page.get_by_label("Name").fill("Marie Joseph")
    admin_page.get_by_label("Role").select_option("focal_point")
    admin_page.get_by_label("State (focal points)").select_option(label="Haiti")
    admin_page.get_by_role("button", name="Invite").click()
    link = admin_page.get_by_label("Invitation link").input_value()
    j.shot(admin_page, "admin-invited")

    # 2. The focal point sets a password and posts a need tied to recommendations.
    focal = j.person()
    focal.goto(link)
    focal.get_by_label(re.compile(r"^New password")).fill("a-long-password-1")
    focal.get_by_label("Repeat the new password").fill("a-long-password-1")
    focal.get_by_role("button", name="Set password and sign in").click()
    focal.goto(f"{server}/needs/new")
    focal.get_by_label("Title").fill("A tracking database for recommendations")
    focal.get_by_label("The gap, in your own words").fill(
        "Our NMRF follows recommendations on paper; ministries cannot report progress."
    )
    focal.get_by_label(re.compile("tracking database")).check()
    focal.locator("[data-theme-group] legend button").first.click()  # groups start folded
    focal.locator("input[name=theme_ids]").first.check()
    focal.locator("input[name=support_kind_ids]").first.check()
    focal.get_by_label("English").check()
    focal.get_by_label("Estimated cost from (USD)").fill("10000")
    focal.get_by_label("Estimated cost up to (USD)").fill("30000")
    focal.get_by_label("Wished start, earliest").fill("2027-01-01")
    focal.get_by_label("Wished start, latest").fill("2027-06-30")
    j.shot(focal, "focal-need-form")
    focal.get_by_role("button", name="Publish").click()
    assert "Need published." in focal.content()
    j.shot(focal, "focal-need-published")

    # 3. A partner posts an offer.
    partner = j.person()
    j.sign_in(partner, "partner@example.org")
    partner.goto(f"{server}/offers/new")
    partner.get_by_label("Title").fill("Tracking databases for NMRFs")
    partner.get_by_label("Description").fill("Experts help set up a recommendations database.")
    partner.get_by_label("Filter the themes by a word").fill(
        partner.locator("[data-theme-option] label").first.inner_text()[:6]
    )
    partner.locator("input[name=theme_ids]").first.check()
    assert "Themes ticked: 1" in partner.content()
    partner.locator("input[name=support_kind_ids]").first.check()
    partner.get_by_label("English").check()
    partner.get_by_label("Capacity (number of engagements)").fill("2")
    partner.get_by_label("Total budget (USD)").fill("80000")
    partner.get_by_label("Typical cost of one engagement (USD)").fill("25000")
    partner.get_by_label("Available from").fill("2027-01-01")
    partner.get_by_label("Available until").fill("2027-12-31")
    partner.get_by_role("button", name="Publish").click()
    assert "Offer published." in partner.content()
    j.shot(partner, "partner-offer-published")

    # 4. The organiser runs and publishes a round.
    organiser = j.person()
    j.sign_in(organiser, "organiser@example.org")
    organiser.goto(f"{server}/rounds/new")
    organiser.get_by_label(re.compile(r"^Name")).fill("HRC 61 round")
    organiser.get_by_label("Council session or theme it serves").fill("61st session")
    organiser.get_by_label("Submission deadline").fill("2030-01-01")
    organiser.get_by_label("Solver time limit (seconds)").fill("5")
    organiser.get_by_role("button", name="Save round").click()
    organiser.get_by_role("button", name="Open for submissions").click()
    organiser.get_by_role("button", name="Close submissions").click()
    organiser.get_by_role("button", name="Solve now").click()
    organiser.wait_for_selector("text=1 of 1 needs served")
    j.shot(organiser, "organiser-run-review")
    organiser.get_by_role("button", name="Publish these proposals").click()
    assert "proposals sent" in organiser.content()
    j.shot(organiser, "organiser-published")

    # 5. Both sides accept.
    for who, page in (("focal", focal), ("partner", partner)):
        page.goto(f"{server}/rounds/proposals")
        page.get_by_role("link", name=re.compile("tracking database", re.I)).first.click()
        page.get_by_label("Accept").check()
        page.get_by_role("button", name="Send answer").click()
        assert "Your answer is recorded." in page.content()
        j.shot(page, f"{who}-accepted")
    assert "engagement starts" in focal.goto(f"{server}/notifications/").text()

    # 6. The State files its progress report.
    focal.goto(f"{server}/followup/")
    focal.get_by_role("link", name="Tracking databases for NMRFs").first.click()
    focal.get_by_role("button", name="Write the report").first.click()
    for select in focal.locator("select[name^=status_]").all():
        select.select_option("partially_implemented")
    focal.get_by_label("Achievements").fill("The database is live in four ministries.")
    focal.get_by_label("Challenges").fill("Staff turnover.")
    j.shot(focal, "focal-report-form")
    focal.get_by_role("button", name="Submit report").click()
    assert "Report submitted." in focal.content()
    j.shot(focal, "focal-report-submitted")

    # 7. A reviewer assesses it.
    report_id = db.session.scalar(sa.select(ProgressReport.id))
    reviewer = j.person()
    j.sign_in(reviewer, "reviewer@example.org")
    reviewer.goto(f"{server}/followup/reports/{report_id}")
    reviewer.get_by_label("Substantial progress").check()
    reviewer.get_by_label("Assessment").fill("Real progress; keep training.")
    reviewer.get_by_role("button", name="Record assessment").click()
    assert "Assessment recorded." in reviewer.content()
    j.shot(reviewer, "reviewer-assessed")

    assert db.session.scalar(sa.select(User).where(User.email == "focal@gov.example"))
    assert j.errors == []
    j.report()
    assert j.violations == {}
