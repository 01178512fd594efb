"""`consent-server demo`: the one-command quickstart on SQLite in the instance folder."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

import click
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import select

from . import create_app
from .accounts.services import create_user, set_password
from .demo_data import already_seeded, seed_demo_traffic
from .extensions import db
from .models import User
from .paths import PACKAGE_DIR
from .server import serve
from .sites.services import import_site
from .timeutil import utcnow

DEMO_SITE_FILE = PACKAGE_DIR / "data" / "monoconnect.json"
DEMO_ADMIN = "demo-admin@example.org"


def _demo_secret(instance: Path) -> str:
    """A random secret kept in the instance folder, so demo tokens survive a restart."""
    path = instance / "demo-secret-key"
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


def demo_site_document(port: int) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(DEMO_SITE_FILE.read_text(encoding="utf-8"))
    doc["origins"] += [f"http://127.0.0.1:{port}", f"http://localhost:{port}"]
    # The demo runs on 127.0.0.1, outside the real site's cookie domain.
    doc.pop("cookie_domain", None)
    return doc


@click.command("demo")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 16))
def demo(port: int, workers: int) -> None:
    """Start the demo: SQLite, migrations, the monoconnect.nl site, an admin, and /demo on 127.0.0.1."""
    instance = Path(Flask("consent_server", instance_relative_config=True).instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    app = create_app(
        {
            "DEMO": True,
            "SECRET_KEY": os.environ.get("CONSENT_SECRET_KEY") or _demo_secret(instance),
            "DEMO_SITE": "monoconnect",
        }
    )
    password = secrets.token_urlsafe(12)
    with app.app_context():
        upgrade()
        site, _ = import_site(db.session, demo_site_document(port))
        user = db.session.scalar(select(User).where(User.email == DEMO_ADMIN))
        if user is None:
            create_user(db.session, DEMO_ADMIN, "admin", [site.key], password, actor="demo")
        else:
            set_password(db.session, user, password, actor="demo")
        db.session.commit()
        if not already_seeded(db.session, site, utcnow().date()):
            click.echo("  Seeding 90 days of demo traffic (only the first time; up to half a minute)...")
            seed_demo_traffic(
                db.session, site, utcnow(), app.config["SALT_PERIOD"], app.config["GEOIP_DATABASE"]
            )
        database = app.config["DATABASE_URL"]
        site_key = site.key
    base = f"http://127.0.0.1:{port}"
    click.echo(
        f"\n  consent-server demo\n"
        f"  demo page:  {base}/demo\n"
        f"  dashboard:  {base}/login (statistics: {base}/sites/{site_key}/)\n"
        f"  log in as:  {DEMO_ADMIN}\n"
        f"  password:   {password}\n"
        f"  database:   {database}\n"
        f"  Ctrl+C stops the server.\n"
    )
    serve(app, "127.0.0.1", port, workers, app.config["LOG_LEVEL"])
