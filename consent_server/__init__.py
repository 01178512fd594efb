"""consent-server: cookie consent with server-side proof, and consent-gated analytics."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

from .admin.routes import bp as admin_bp
from .auth.cookies import SessionCookies
from .auth.routes import bp as auth_bp
from .cli import register_commands
from .collect.routes import bp as collect_bp
from .config import check_production, load_settings
from .consent.routes import bp as consent_bp
from .core.routes import bp as core_bp
from .dashboard.routes import bp as dashboard_bp
from .edge import EdgePrivacy, apply_security_headers
from .embed.routes import api as declaration_api
from .embed.routes import bp as embed_bp
from .errors import register_error_handlers
from .extensions import csrf, db, limiter, login_manager, migrate
from .logs import protect_logger
from .paths import source_directory
from .ratelimit import storage_uri
from .stats.routes import bp as stats_api_bp


def migrations_directory() -> str:
    return str(source_directory("migrations"))


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: settings, extensions, blueprints, error handlers, CLI."""
    app = Flask(__name__, instance_relative_config=True)
    settings = load_settings()
    settings.update(config or {})
    if not (settings.get("TESTING") or settings.get("DEMO")):
        check_production(settings)
    _apply_settings(app, settings)

    db.init_app(app)
    migrate.init_app(app, db, directory=migrations_directory(), render_as_batch=True)
    limiter.init_app(app)
    login_manager.init_app(app)
    csrf.init_app(app)
    # The widget's API authenticates with signed visitor tokens under CORS, never with the session cookie.
    csrf.exempt(consent_bp)
    csrf.exempt(collect_bp)
    app.session_interface = SessionCookies()

    app.register_blueprint(core_bp)
    app.register_blueprint(consent_bp)
    app.register_blueprint(collect_bp)
    app.register_blueprint(embed_bp)
    app.register_blueprint(declaration_api)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(stats_api_bp)

    register_error_handlers(app)
    app.after_request(apply_security_headers)
    app.wsgi_app = EdgePrivacy(app.wsgi_app, app.config["TRUSTED_PROXIES"])  # type: ignore[method-assign]

    register_commands(app)
    protect_logger("werkzeug")
    return app


def _apply_settings(app: Flask, settings: dict[str, Any]) -> None:
    app.config.update(settings)
    if not settings.get("DATABASE_URL"):
        # The embedded default: one SQLite file in the instance folder.
        os.makedirs(app.instance_path, exist_ok=True)
        app.config["DATABASE_URL"] = f"sqlite:///{Path(app.instance_path) / 'consent.sqlite'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True}
    if not app.config.get("SECRET_KEY") and settings.get("TESTING"):
        app.config["SECRET_KEY"] = "testing-only-secret"  # noqa: S105 (tests only)
    app.config["RATELIMIT_KEY_PREFIX"] = "consent-server"
    app.config["RATELIMIT_STORAGE_URI"] = storage_uri(app.config["RATELIMIT_STORAGE_URI"])
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=app.config["SESSION_LIFETIME_HOURS"])
    # A form token lives as long as its session (which ends at the lifetime above, at the latest).
    app.config["WTF_CSRF_TIME_LIMIT"] = None
    app.json.sort_keys = False  # type: ignore[attr-defined]
