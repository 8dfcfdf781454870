"""Security headers, caching and error pages."""

from tamatch.models import Role


def test_headers_on_public_pages(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_authenticated_pages_are_not_cached(make, login):
    response = login(make.user(role=Role.ORGANISER)).get("/")
    assert response.headers["Cache-Control"] == "no-store"


def test_pages_have_no_inline_script_or_style(make, login):
    client = login(make.user(role=Role.FOCAL_POINT))
    for url in ("/", "/needs/new", "/needs/", "/recommendations/"):
        body = client.get(url).get_data(as_text=True)
        assert "<script>" not in body and " onsubmit=" not in body and " onclick=" not in body
        assert ' style="' not in body, url


def test_error_pages_are_generic(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and "Page not found" in body
