"""Service routes: health, the OpenAPI document, and the demo page."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, abort, current_app, jsonify, render_template
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..openapi import openapi_document

bp = Blueprint("core", __name__)
log = logging.getLogger(__name__)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        log.warning("health check: database did not answer (%s)", type(exc).__name__)
        db.session.rollback()
        return jsonify(status="unavailable", database="down"), 503
    return jsonify(status="ok"), 200


@bp.get("/api/openapi.json")
def openapi() -> Response:
    return jsonify(openapi_document())


@bp.get("/demo")
def demo() -> str:
    site_key = current_app.config.get("DEMO_SITE")
    if not site_key:
        abort(404)
    return render_template("demo.html", site_key=site_key)
