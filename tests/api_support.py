"""Helpers shared by the API tests: bearer headers, token issue, CSRF token scraping."""

import re

PAGE = "/api/v1/tokens/manage"


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def _csrf(page) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
