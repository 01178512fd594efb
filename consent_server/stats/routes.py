"""The stats API: Plausible's Stats API v1 shape (plausible.io/docs/stats-api-v1), plus consent figures.

GET /api/v1/stats/aggregate   site_id, period, date, metrics, filters, compare=previous_period
GET /api/v1/stats/timeseries  site_id, period, date, metrics, filters, interval
GET /api/v1/stats/breakdown   site_id, period, date, property, metrics, filters, limit, page
GET /api/v1/stats/realtime/visitors  site_id (a bare number, as Plausible; null below the floor)
GET /api/v1/stats/consent     site_id, period, date (our extension: choices and opt-in rates)

Thin: the parameters are parsed by stats.periods and stats.query, the figures come from
stats.services with the k-anonymity floor applied, and this module only serialises. Access rule
"site" (auth/access.py): the dashboard session or `Authorization: Bearer <api key>`, and a grant for
`site_id` (404 otherwise, as for a missing site). A parameter that cannot be answered is a 400 in the
one JSON error shape, as Plausible answers 400, never a 500.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from ..auth.access import api_user_required, visible_site
from ..errors import DomainError, InvalidInput
from ..extensions import db
from ..models import Site
from ..timeutil import utcnow
from .periods import DateRange, parse_period
from .query import parse_compare, parse_filters, parse_limit
from .services import aggregate, breakdown, consent_stats, realtime_visitors, timeseries

bp = Blueprint("stats_api", __name__, url_prefix="/api/v1/stats")

MAX_PARAMETER_LENGTH = 8192


class BadParameter(DomainError):
    """A query parameter the API cannot answer (Plausible answers these with 400)."""

    status = 400
    code = "invalid_parameter"


@contextmanager
def _parameters() -> Iterator[None]:
    """Turn a parser's or service's InvalidInput into a 400 with the same message and fields."""
    try:
        yield
    except InvalidInput as exc:
        raise BadParameter(exc.message, exc.fields) from None


def _arg(name: str) -> str | None:
    """One query parameter, refused when it holds control characters (NUL...) or is huge."""
    value = request.args.get(name)
    if value is None:
        return None
    if len(value) > MAX_PARAMETER_LENGTH:
        raise BadParameter(f"The `{name}` parameter is too long.", fields={name: "too long"})
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        raise BadParameter(
            f"The `{name}` parameter holds control characters.", fields={name: "control characters"}
        )
    return value


def _site() -> Site:
    key = _arg("site_id")
    if not key:
        raise BadParameter(
            "The `site_id` parameter is required: the key of a site.", fields={"site_id": "required"}
        )
    return visible_site(key)


def _period() -> DateRange:
    with _parameters():
        return parse_period(_arg("period"), _arg("date"), utcnow().date())


def _k() -> int:
    return int(current_app.config["STATS_MIN_VISITORS"])


def _answer(build: Callable[[], dict[str, Any]]) -> Response:
    with _parameters():
        return jsonify(build())


@bp.get("/aggregate")
@api_user_required
def aggregate_stats() -> Response:
    """Totals of the period (`results.<metric>.value`), with `change` against the previous period."""
    site, period = _site(), _period()
    with _parameters():
        filters = parse_filters(_arg("filters"))
        compare = parse_compare(_arg("compare"))
    metrics = (_arg("metrics") or "visitors").split(",")
    return _answer(lambda: aggregate(db.session, site, period, metrics, filters, compare, k=_k()))


@bp.get("/timeseries")
@api_user_required
def timeseries_stats() -> Response:
    """One point per hour, day or month of the period (`results[].date`), empty points included."""
    site, period = _site(), _period()
    with _parameters():
        filters = parse_filters(_arg("filters"))
    metrics = (_arg("metrics") or "visitors").split(",")
    interval = _arg("interval")
    return _answer(lambda: timeseries(db.session, site, period, metrics, filters, interval, k=_k()))


@bp.get("/breakdown")
@api_user_required
def breakdown_stats() -> Response:
    """Rows per value of `property`, most visitors first, with "(other)" for the rows below the floor."""
    site, period = _site(), _period()
    with _parameters():
        filters = parse_filters(_arg("filters"))
        limit, page = parse_limit(_arg("limit"), _arg("page"))
    prop = _arg("property")
    if not prop:
        raise BadParameter(
            "The `property` parameter is required, e.g. property=visit:source.",
            fields={"property": "required"},
        )
    metrics = (_arg("metrics") or "visitors").split(",")
    return _answer(lambda: breakdown(db.session, site, period, prop, metrics, filters, limit, page, k=_k()))


@bp.get("/realtime/visitors")
@api_user_required
def realtime_stats() -> Response:
    """Visitors with a hit in the last five minutes, as Plausible answers it: a bare number. Fewer than k
    (but some) is `null`: the floor holds here too, and a made-up number would mislead."""
    site = _site()
    answer = realtime_visitors(db.session, site, utcnow(), k=_k())
    return jsonify(answer["results"]["visitors"]["value"])


@bp.get("/consent")
@api_user_required
def consent_stats_api() -> Response:
    """Consent choices of the period by action, per-category opt-in rates, by day, device, language and
    policy version (aggregates of the proof log only)."""
    site, period = _site(), _period()
    return _answer(lambda: consent_stats(db.session, site, period, k=_k()))
