"""Configuration classes, chosen by TAMATCH_CONFIG or the app factory's argument."""

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = REPO_ROOT / "instance"


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'tamatch.db'}")
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the driver named.
    if url.startswith(("postgres://", "postgresql://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused in production


def _proxy_hops(default: int) -> int:
    """TAMATCH_PROXY_HOPS: how many reverse proxies in front of the app to believe."""
    value = os.environ.get("TAMATCH_PROXY_HOPS", "").strip() or str(default)
    if not value.isdigit():
        raise RuntimeError(f"TAMATCH_PROXY_HOPS must be a whole number (0 or more), not {value!r}")
    return int(value)


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    BOOTSTRAP_SERVE_LOCAL = True
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    PSEUDO_LOCALE = False  # en-XA in the switcher (development and tests)
    PER_PAGE = 25
    INVITATION_DAYS = 7
    # argon2id parameters (RFC 9106 second recommended option: 64 MiB, 3 passes).
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    ARGON2_PARALLELISM = 4
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024  # uploads; larger requests answer 413
    MAX_JSON_BYTES = 1024 * 1024  # an API body (a need with its texts is a few kilobytes)
    # Sign-in throttling: per address (Flask-Limiter; share RATELIMIT_STORAGE_URI, e.g. a
    # redis:// URL, between app servers) and a growing wait per e-mail and network after
    # failures (tamatch.auth.throttle, in the database): no stranger can lock an account.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "20 per minute;100 per hour")
    # Reverse proxies (nginx, a load balancer) in front of the app whose X-Forwarded-For and
    # X-Forwarded-Proto are believed (Werkzeug's ProxyFix), so that the per-address limits see
    # the client and HTTPS is recognised. 0 believes none and ignores those headers.
    PROXY_HOPS = _proxy_hops(0)
    # Strict-Transport-Security on HTTPS responses; None sends none.
    HSTS: str | None = None
    # Background jobs: "thread" (a local worker started with the app), "rq" (Redis), "sync".
    JOB_BACKEND = os.environ.get("TAMATCH_JOB_BACKEND", "thread")
    REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    # E-mail leaves the machine only when MAIL_SEND is on; otherwise it waits in the outbox.
    MAIL_SEND = os.environ.get("MAIL_SEND", "") == "1"
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "") == "1"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "tamatch@localhost")
    # Links in e-mails are absolute, built on this address (scheme and host, no trailing
    # slash). Production refuses to start without it; development falls back to loopback.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").strip().rstrip("/")


class DevelopmentConfig(Config):
    """The embedded default of `make run`: SQLite, cookies over plain HTTP on loopback."""

    DEBUG = False
    PSEUDO_LOCALE = True
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    MAIL_SEND = False
    PUBLIC_BASE_URL = (
        os.environ.get("PUBLIC_BASE_URL", "").strip().rstrip("/")
        or f"http://127.0.0.1:{os.environ.get('PORT', '5000')}"
    )


class TestingConfig(Config):
    """Tests: a database of their own, cheap password hashing; CSRF stays on."""

    TESTING = True
    PSEUDO_LOCALE = True
    SECRET_KEY = "testing-secret"  # noqa: S105 - test-only value
    SQLALCHEMY_DATABASE_URI = os.environ.get("TAMATCH_TEST_DATABASE_URL", "sqlite:///:memory:")
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    ARGON2_PARALLELISM = 1
    PER_PAGE = 10
    JOB_BACKEND = "sync"
    LOGIN_RATE_LIMIT = "10000 per minute"  # the throttling test sets a real limit
    PROXY_HOPS = 0
    MAIL_SEND = False
    MAIL_SUPPRESS_SEND = True
    PUBLIC_BASE_URL = "https://tamatch.test"


class ProductionConfig(Config):
    """A real deployment behind one reverse proxy: secure cookies, HSTS; SECRET_KEY from the
    environment. A server that faces clients directly sets TAMATCH_PROXY_HOPS=0."""

    REQUIRE_STRONG_SECRET = True
    REQUIRE_PUBLIC_BASE_URL = True
    PROXY_HOPS = _proxy_hops(1)
    HSTS = "max-age=31536000; includeSubDomains"


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
