"""HTTP security headers on every response; no caching of pages for signed-in users."""

from flask import Flask, Response, current_app, request
from flask_login import current_user

# Everything from this origin only: no inline script or style, no framing, no plug-ins.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def _headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    hsts = current_app.config.get("HSTS")
    if hsts and request.is_secure:  # browsers ignore it over plain HTTP (RFC 6797)
        headers.setdefault("Strict-Transport-Security", hsts)
    static = request.endpoint in ("static", "bootstrap.static")
    if not static and current_user.is_authenticated:
        headers["Cache-Control"] = "no-store"
    return response


def init_security(app: Flask) -> None:
    app.after_request(_headers)
