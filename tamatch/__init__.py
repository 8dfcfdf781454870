"""tamatch: the Item 10 voluntary platform of the Human Rights Council."""

import os

from flask import Flask

from tamatch.config import CONFIGS, DEV_SECRET_KEY, INSTANCE_DIR, REPO_ROOT


def create_app(config: str | type | None = None, **overrides) -> Flask:
    """Build the application. `config` is a name from CONFIGS or a class; overrides win."""
    app = Flask(
        __name__,
        template_folder=str(REPO_ROOT / "templates"),
        static_folder=str(REPO_ROOT / "tamatch" / "static"),
        instance_path=str(INSTANCE_DIR),
    )
    name = config or os.environ.get("TAMATCH_CONFIG", "development")
    app.config.from_object(CONFIGS[name] if isinstance(name, str) else name)
    app.config.update(overrides)
    _check_production_secret(app)
    _check_public_base_url(app)
    _trust_proxies(app)
    INSTANCE_DIR.mkdir(exist_ok=True)

    register_extensions(app)
    register_converters(app)
    register_blueprints(app)
    register_template_helpers(app)
    register_error_handlers(app)
    register_commands(app)
    return app


def _check_production_secret(app: Flask) -> None:
    """Refuse to start a production app whose SECRET_KEY is missing, the default or short."""
    if not app.config.get("REQUIRE_STRONG_SECRET"):
        return
    key = app.config.get("SECRET_KEY") or ""
    if key == DEV_SECRET_KEY or len(key) < 32:
        raise RuntimeError("SECRET_KEY must be set to a random value of 32 characters or more")


def _check_public_base_url(app: Flask) -> None:
    """Refuse to start a production app that cannot write an absolute link into an e-mail."""
    if not app.config.get("REQUIRE_PUBLIC_BASE_URL"):
        return
    base = app.config.get("PUBLIC_BASE_URL") or ""
    if not base.startswith(("https://", "http://")):
        raise RuntimeError(
            "PUBLIC_BASE_URL must be set to the address users reach the platform at, "
            "for example https://tamatch.example.org (links in e-mails are built on it)"
        )


def _trust_proxies(app: Flask) -> None:
    """Take the client address and scheme from the PROXY_HOPS proxies in front of the app."""
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def register_extensions(app: Flask) -> None:
    from tamatch import models  # noqa: F401 - registers the tables on the metadata
    from tamatch.auth.session import init_login
    from tamatch.extensions import babel, bootstrap, csrf, db, limiter, mail, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(REPO_ROOT / "migrations"))
    csrf.init_app(app)
    from tamatch.i18n.domain import PseudoAwareDomain
    from tamatch.i18n.locales import select_locale

    babel.init_app(app, locale_selector=select_locale)
    babel.domain_instance = PseudoAwareDomain()  # serves the pseudo-locale when chosen
    bootstrap.init_app(app)
    mail.init_app(app)
    limiter.init_app(app)
    init_login(app)
    from tamatch.security import init_security

    init_security(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _enable_sqlite_foreign_keys(app)


def _enable_sqlite_foreign_keys(app: Flask) -> None:
    import sqlalchemy as sa

    from tamatch.extensions import db

    with app.app_context():

        @sa.event.listens_for(db.engine, "connect")
        def _on_connect(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.close()


def register_converters(app: Flask) -> None:
    """`<int:...>` matches only what an INTEGER column holds (a larger id is a 404); JSON
    bodies nest only so deep; query and form values hold no NUL."""
    from tamatch.json_input import BoundedJSONProvider
    from tamatch.request_args import AppRequest, BoundedIntegerConverter

    app.request_class = AppRequest
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.json = BoundedJSONProvider(app)


def register_blueprints(app: Flask) -> None:
    from tamatch.admin.blueprint import bp as admin_bp
    from tamatch.api.blueprint import bp as api_bp
    from tamatch.auth.blueprint import bp as auth_bp
    from tamatch.followup.blueprint import bp as followup_bp
    from tamatch.i18n.blueprint import bp as i18n_bp
    from tamatch.interests.blueprint import bp as interests_bp
    from tamatch.main.blueprint import bp as main_bp
    from tamatch.needs.blueprint import bp as needs_bp
    from tamatch.notifications.blueprint import bp as notifications_bp
    from tamatch.offers.blueprint import bp as offers_bp
    from tamatch.planning.blueprint import bp as planning_bp
    from tamatch.public.blueprint import bp as public_bp
    from tamatch.recommendations.blueprint import bp as recommendations_bp
    from tamatch.rounds.blueprint import bp as rounds_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(i18n_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(recommendations_bp, url_prefix="/recommendations")
    app.register_blueprint(needs_bp, url_prefix="/needs")
    app.register_blueprint(offers_bp, url_prefix="/offers")
    app.register_blueprint(interests_bp, url_prefix="/interests")
    app.register_blueprint(rounds_bp, url_prefix="/rounds")
    app.register_blueprint(notifications_bp, url_prefix="/notifications")
    app.register_blueprint(followup_bp, url_prefix="/followup")
    app.register_blueprint(planning_bp, url_prefix="/planning")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(public_bp)


def register_template_helpers(app: Flask) -> None:
    from tamatch.templating import init_templating

    init_templating(app)


def register_error_handlers(app: Flask) -> None:
    from tamatch.errors import init_error_handlers

    init_error_handlers(app)


def register_commands(app: Flask) -> None:
    from tamatch.cli import init_cli

    init_cli(app)
