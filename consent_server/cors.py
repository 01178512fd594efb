"""CORS for the widget-facing API: only origins a site registered, and `Vary: Origin` always."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Protocol

from flask import Blueprint, Response, g, request
from sqlalchemy import select

from .errors import Forbidden, error_response
from .extensions import db
from .models import Site

ALLOWED_HEADERS = "Content-Type, Authorization"
PREFLIGHT_MAX_AGE = "600"


ORIGINS_TTL = 10.0  # seconds a worker trusts its list of registered origins
_origins: tuple[float, str, frozenset[str]] = (0.0, "", frozenset())


def registered_origins() -> frozenset[str]:
    """Every origin any site registered, re-read at most every ORIGINS_TTL seconds per database.

    Labelling only: whether a request may act on a site is decided by require_origin from the
    site's own row, so a stale list can never let a removed origin record anything.
    """
    global _origins
    read_at, url, origins = _origins
    current = str(db.engine.url)
    if time.monotonic() - read_at > ORIGINS_TTL or url != current:
        origins = frozenset(origin for row in db.session.scalars(select(Site.origins)) for origin in row)
        _origins = (time.monotonic(), current, origins)
    return origins


class HasOrigins(Protocol):
    @property
    def origins(self) -> Sequence[str]: ...


def require_origin(site: HasOrigins) -> None:
    """Refuse a browser request from an origin the site did not register. Raises Forbidden."""
    origin = request.headers.get("Origin")
    if origin is not None and origin not in site.origins:
        raise Forbidden("This origin is not registered for the site.", code="origin_not_allowed")


def install_cors(blueprint: Blueprint, methods: str) -> None:
    """Answer preflights for registered origins and label responses for them; nobody else gets CORS."""

    @blueprint.before_request
    def _preflight() -> Response | None:
        origin = request.headers.get("Origin")
        g.cors_origin = origin if origin and origin in registered_origins() else None
        if request.method != "OPTIONS":
            return None
        if g.cors_origin is None:
            return error_response(403, "origin_not_allowed", "This origin is not registered for any site.")
        response = Response(status=204)
        response.headers["Access-Control-Allow-Methods"] = methods
        response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
        return response

    @blueprint.after_request
    def _label(response: Response) -> Response:
        response.vary.add("Origin")
        origin = g.get("cors_origin")
        if origin:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Expose-Headers"] = "Retry-After"
        return response
