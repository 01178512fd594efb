"""Fixtures shared by every test: one database per backend per run, an app per test, factories.

Integration tests run on SQLite always and on PostgreSQL when one answers on 127.0.0.1:5432 (or at
CONSENT_TEST_POSTGRES_URL); a fresh database is created for the run and dropped after it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from consent_server import create_app
from consent_server.collect.runtime import shutdown_collector
from consent_server.extensions import db
from tests.factories import site_document

POSTGRES_ADMIN_URL = os.environ.get(
    "CONSENT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = ["sqlite", "postgresql"]
TEST_SECRET = "test-secret-key-for-the-suite"


def _postgres_reason() -> str | None:
    """Why PostgreSQL tests cannot run here, or None when a server answers."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    try:
        with psycopg.connect(POSTGRES_ADMIN_URL.replace("+psycopg", ""), connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return f"no PostgreSQL answers at {POSTGRES_ADMIN_URL}: {str(exc).strip()[:120]}"


@contextmanager
def fresh_postgres_database(prefix: str) -> Iterator[str]:
    """Create a new PostgreSQL database, yield its URL, and drop it afterwards."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = POSTGRES_ADMIN_URL.replace("+psycopg", "")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgresql_url() -> Iterator[str]:
    reason = _postgres_reason()
    if reason:
        pytest.skip(reason)
    with fresh_postgres_database("consent_test") as url:
        yield url


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'consent.sqlite'}"


def app_settings(database_url: str, **overrides: Any) -> dict[str, Any]:
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": TEST_SECRET,
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_CONSENT": "100000/minute",
        # Every accepted hit is written before its 202, so a test can look at once; the buffered
        # write path is exercised by tests/integration/test_collect_buffer.py and the server tests.
        "COLLECT_FLUSH_MS": 0,
        **overrides,
    }


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest) -> str:
    """The URL of this run's migrated database on the parametrised backend."""
    url: str = request.getfixturevalue(f"{request.param}_url")
    migrated: set[str] = request.config.cache_migrated  # type: ignore[attr-defined]
    if url not in migrated:
        app = create_app(app_settings(url))
        with app.app_context():
            upgrade()
            db.engine.dispose()
        migrated.add(url)
    return url


def pytest_configure(config: pytest.Config) -> None:
    config.cache_migrated = set()  # type: ignore[attr-defined]


def empty_all_tables() -> None:
    tables = [table.name for table in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(text(f"DELETE FROM {table}"))
    db.session.commit()


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Per-test overrides of the app settings (override this fixture in a module to change them)."""
    return {}


@pytest.fixture
def app(database_url: str, app_config: dict[str, Any]) -> Iterator[Flask]:
    app = create_app(app_settings(database_url, **app_config))
    with app.app_context():
        yield app
        shutdown_collector(app)
        db.session.rollback()
        empty_all_tables()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def make_site(app: Flask) -> Any:
    """make_site(**overrides) imports a valid configuration document and returns the Site."""
    from consent_server.sites.services import import_site

    def make(**overrides: Any) -> Any:
        site, _ = import_site(db.session, site_document(**overrides))
        db.session.commit()
        return site

    return make


@pytest.fixture
def make_user(app: Flask) -> Any:
    """make_user(role="marketing", sites=(), *, email=None, password=None, active=True) -> User.

    `sites` holds Site rows or site keys to grant. Without a password the user cannot log in through the
    form (use login_as); with one it is hashed as in production (scrypt: slow on purpose, so only for
    tests that post to /login).
    """
    from sqlalchemy import select
    from werkzeug.security import generate_password_hash

    from consent_server.models import Site, User

    numbers = iter(range(1, 10_000))

    def make(
        role: str = "marketing",
        sites: Any = (),
        *,
        email: str | None = None,
        password: str | None = None,
        active: bool = True,
    ) -> User:
        granted = [
            db.session.scalar(select(Site).where(Site.key == site)) if isinstance(site, str) else site
            for site in sites
        ]
        user = User(
            email=email or f"{role}-{next(numbers)}@example.org",
            role=role,
            password_hash=generate_password_hash(password) if password else "!no-password",
            sites=granted,
            active=active,
        )
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def login_as(client: FlaskClient) -> Any:
    """login_as(user, on=client) gives the test client a valid dashboard session of `user` (no form)."""
    import time

    from consent_server.auth.access import session_values

    def login(user: Any, on: FlaskClient | None = None) -> FlaskClient:
        target = on or client
        with target.session_transaction() as session:
            session.clear()
            session.permanent = True
            session.update(session_values(user, time.time()))
        return target

    return login
