"""Uploading a file through the import pages: upload, preview, confirm (for the tests)."""

import io
import re

from werkzeug.test import TestResponse


def csrf(page: TestResponse) -> str:
    html = page.get_data(as_text=True)
    parts = html.split('name="csrf_token" type="hidden" value="')
    return parts[1].split('"')[0] if len(parts) > 1 else ""  # "" when CSRF is off


def upload(browser, name: str, body: bytes, fmt: str = "auto", language: str = ""):
    """POST the file to the upload page; returns the response (a redirect to its preview)."""
    page = browser.get("/recommendations/import")
    return browser.post(
        "/recommendations/import",
        data={"csrf_token": csrf(page), "fmt": fmt, "language": language,
              "file": (io.BytesIO(body), name)},
        content_type="multipart/form-data",
    )  # fmt: skip


def form_values(html: str) -> dict[str, str]:
    """The values the preview form would send as it is shown (selected options, hidden)."""
    values = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*type="hidden" value="([^"]*)"', html))
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"', options) or re.search(
            r'<option value="([^"]*)" selected', options
        )
        values[name] = chosen.group(1) if chosen else ""
    return values


def preview_url(response: TestResponse) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response.headers["Location"]


def upload_and_import(browser, name: str, body: bytes, **choices: str) -> TestResponse:
    """Upload, open the preview, change `choices` (e.g. col_text="3"), press Import."""
    url = preview_url(upload(browser, name, body))
    page = browser.get(url)
    values = form_values(page.get_data(as_text=True)) | choices | {"confirm": "Import"}
    return browser.post(url, data=values)
