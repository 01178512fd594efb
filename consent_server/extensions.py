"""Unbound extensions; create_app binds them."""

from __future__ import annotations

import sqlite3
from typing import Any

from flask import request
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
# Keyed on the truncated network (the raw address never reaches the app), so limits count per /24 or /48.
limiter = Limiter(key_func=lambda: request.remote_addr or "unknown", default_limits=[], headers_enabled=True)
# Dashboard sessions: consent_server.auth.access registers the user loader and owns every access rule.
login_manager = LoginManager()
# Server-side session validity (auth.access) replaces Flask-Login's IP/User-Agent fingerprinting.
login_manager.session_protection = None
# Every form POST needs a token; the widget's token-authenticated JSON API is exempted in create_app.
csrf = CSRFProtect()


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets readers and one writer work side by side; FULL sync makes a commit survive a crash."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()


# What services take: a plain Session (scripts, tests) or Flask-SQLAlchemy's request-scoped one.
DBSession = Session | scoped_session[Any]
