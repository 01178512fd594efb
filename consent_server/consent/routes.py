"""Widget-facing consent API: record a choice, show the receipt, withdraw."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, Response, current_app, jsonify, request

from ..collect.services import erase_visitor
from ..cors import install_cors, require_origin
from ..edge import json_body
from ..errors import Unauthorized
from ..extensions import db, limiter
from ..privacy import parse_user_agent
from ..sites.services import get_site
from ..timeutil import utcnow
from ..tokens import ConsentTokens
from ..validation import validate
from . import services
from .schemas import ConsentIn

bp = Blueprint("consent", __name__, url_prefix="/api/v1/consent")
install_cors(bp, "GET, POST, DELETE, OPTIONS")


def consent_tokens() -> ConsentTokens:
    return ConsentTokens(current_app.config["SECRET_KEY"], current_app.config["SECRET_KEY_FALLBACKS"])


def current_visitor() -> services.Visitor:
    # remote_addr is already the truncated network: EdgePrivacy rewrote it before Flask ran.
    return services.Visitor(request.remote_addr or None, parse_user_agent(request.headers.get("User-Agent")))


def bearer_token() -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Send the consent token as `Authorization: Bearer <token>`.", code="invalid_token")
    return token.strip()


@bp.post("")
@limiter.limit(lambda: current_app.config["RATELIMIT_CONSENT"])
def record() -> tuple[Response, int]:
    choice = validate(ConsentIn, json_body())
    site = get_site(db.session, choice.site)
    require_origin(site)
    result = services.record_choice(db.session, site, choice, current_visitor(), consent_tokens(), utcnow())
    db.session.commit()  # the 201 below is only sent once the proof is durable
    return jsonify(result), 201


@bp.get("/<consent_id>")
def show_receipt(consent_id: str) -> Response:
    claims = consent_tokens().verify(bearer_token())
    body = services.receipt(db.session, consent_id, claims)
    require_origin(get_site(db.session, body["site"]))
    return jsonify(body)


@bp.delete("/<consent_id>")
@limiter.limit(lambda: current_app.config["RATELIMIT_CONSENT"])
def erase(consent_id: str) -> tuple[str, int]:
    claims = consent_tokens().verify(bearer_token())
    require_origin(get_site(db.session, claims.site))
    erase = partial(erase_visitor, db.session)
    services.withdraw(db.session, consent_id, claims, current_visitor(), utcnow(), erase)
    db.session.commit()
    return "", 204
