"""POST /api/v1/collect: the tracker's only endpoint, and the hot path."""

from __future__ import annotations

from flask import Blueprint, current_app, request

from ..consent.routes import consent_tokens, current_visitor
from ..cors import install_cors, require_origin
from ..edge import json_body
from ..extensions import db, limiter
from ..sites.services import get_site
from ..timeutil import utcnow
from ..validation import validate
from . import services
from .schemas import CollectIn

bp = Blueprint("collect", __name__, url_prefix="/api/v1/collect")
install_cors(bp, "POST, OPTIONS")


def is_prefetch() -> bool:
    purpose = request.headers.get("Sec-Purpose", "") or request.headers.get("Purpose", "")
    return "prefetch" in purpose.lower()


@bp.post("")
@limiter.limit(lambda: current_app.config["RATELIMIT_COLLECT"])
def collect() -> tuple[str, int]:
    hit = validate(CollectIn, json_body())
    site = get_site(db.session, hit.site)
    require_origin(site)
    claims = consent_tokens().verify(hit.token)
    config = current_app.config
    services.record_hit(
        db.session,
        site,
        hit,
        claims,
        current_visitor(),
        utcnow(),
        config["SALT_PERIOD"],
        is_prefetch(),
        config["GEOIP_DATABASE"],
    )
    db.session.commit()
    # 202 for bots too: they learn nothing from the answer.
    return "", 202
