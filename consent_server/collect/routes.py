"""POST /api/v1/collect: the tracker's only endpoint, and the hot path.

Per hit: validate, check the token, one database read (the site's `updated_at` and the visitor's
latest choice), then queue the hit for this worker's next batch write (runtime.py).
"""

from __future__ import annotations

import math
import time
from functools import lru_cache

from flask import Blueprint, current_app, request
from limits import RateLimitItem, parse

from ..consent.routes import current_visitor
from ..cors import install_cors, require_origin
from ..edge import json_body
from ..errors import TooManyRequests
from ..extensions import db, limiter
from ..timeutil import utcnow
from ..validation import validate
from . import services
from .runtime import collector_for
from .schemas import CollectIn

bp = Blueprint("collect", __name__, url_prefix="/api/v1/collect")
install_cors(bp, "POST, OPTIONS")
limiter.exempt(bp)  # check_rate_limit counts the hits instead


@lru_cache(maxsize=8)
def _limit(text: str) -> RateLimitItem:
    return parse(text)


def check_rate_limit() -> None:
    """Count the hit against RATELIMIT_COLLECT per truncated network. Raises TooManyRequests.

    The `limits` strategy and storage of Flask-Limiter (Redis when configured, so it holds across
    workers), called directly: the decorator's per-request bookkeeping costs more than the hit itself
    on this hot path.
    """
    item = _limit(current_app.config["RATELIMIT_COLLECT"])
    network = request.remote_addr or "unknown"
    if not limiter.limiter.hit(item, "consent-server", "collect", network):
        reset = limiter.limiter.get_window_stats(item, "consent-server", "collect", network).reset_time
        raise TooManyRequests(
            "Too many analytics hits from this network; try again later.",
            retry_after=max(1, math.ceil(reset - time.time())),
        )


def is_prefetch() -> bool:
    purpose = request.headers.get("Sec-Purpose", "") or request.headers.get("Purpose", "")
    return "prefetch" in purpose.lower()


@bp.post("")
def collect() -> tuple[str, int]:
    check_rate_limit()
    hit = validate(CollectIn, json_body())
    collector = collector_for(current_app)
    site = collector.site(db.session, hit.site)
    require_origin(site)
    claims = collector.tokens.verify(hit.token)
    now = utcnow()
    site, latest = collector.latest_choice(db.session, site, claims.consent_id)
    require_origin(site)  # again, should the site have changed since the snapshot
    services.judge_consent(site, claims, latest, now)
    pending = services.prepare_hit(site, hit, claims.consent_id, current_visitor(), now, is_prefetch())
    if pending is not None:
        collector.buffer.add(pending)
    # 202 for bots too: they learn nothing from the answer.
    return "", 202
