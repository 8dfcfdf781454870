"""Fixtures of the browser tests: one Debian Chromium for the session, a live server per test.

Needs Debian's chromium (/usr/bin/chromium) and the playwright package; `.ci/run` installs
both. Playwright never downloads a browser here.
"""

import shutil
import threading
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
needs_chromium = pytest.mark.skipif(
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


@pytest.fixture(scope="session")
def browser():
    """One Chromium for every browser test (each person gets a context of their own)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
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
