"""The OpenAPI 3.1 document for every JSON endpoint. A test fails when an /api/ route is missing here."""

from __future__ import annotations

from functools import cache
from typing import Any

from .collect.schemas import CollectIn
from .consent.schemas import ConsentIn

ERROR = {"$ref": "#/components/schemas/Error"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: int) -> dict[str, Any]:
    meaning = {
        400: "Malformed body (not JSON, not UTF-8, too deep, NUL or lone surrogates)",
        401: "Missing or invalid consent token",
        403: "Origin not registered for the site, or consent id not owned by the token",
        404: "Unknown site or consent id",
        409: "The site's policy version changed: ask the visitor again",
        413: "Body larger than 16 KiB",
        415: "Body is neither application/json nor text/plain",
        422: "A field is missing, of the wrong type, or not allowed for this site",
        429: "Too many requests from this network",
        503: "The database does not answer, or too many hits wait to be written: retry later",
    }
    return {str(status): _json(ERROR, meaning[status]) for status in statuses}


CONSENT_RESULT = {
    "type": "object",
    "required": ["consent_id", "token", "categories", "policy_version", "expires_at"],
    "properties": {
        "consent_id": {"type": "string", "format": "uuid"},
        "token": {"type": "string", "description": "Signed (itsdangerous); send it back as a Bearer token."},
        "categories": {"type": "object", "additionalProperties": {"type": "boolean"}},
        "policy_version": {"type": "integer"},
        "expires_at": {"type": "string", "format": "date-time"},
    },
}
RECEIPT = {
    "type": "object",
    "properties": {
        "consent_id": {"type": "string", "format": "uuid"},
        "site": {"type": "string"},
        "records": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "recorded_at": {"type": "string", "format": "date-time"},
                    "expires_at": {"type": "string", "format": "date-time"},
                    "action": {"enum": ["accept_all", "reject_all", "custom", "withdraw"]},
                    "method": {"enum": ["banner", "settings", "api", "gpc"]},
                    "categories": {"type": "object", "additionalProperties": {"type": "boolean"}},
                    "policy_version": {"type": "integer"},
                    "banner_hash": {"type": "string", "description": "SHA-256 of the texts the visitor saw"},
                    "language": {"enum": ["nl", "en"]},
                    "url": {"type": ["string", "null"], "description": "Host + path, utm_* only"},
                    "browser": {"type": ["string", "null"]},
                    "os": {"type": ["string", "null"]},
                    "device": {"type": ["string", "null"]},
                    "erased": {
                        "type": "object",
                        "additionalProperties": {"type": "integer"},
                        "description": "On a withdrawal through DELETE: analytics rows erased, per table",
                    },
                },
            },
        },
    },
}
COOKIE = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "description": "A name, or a pattern with * such as _ga_*"},
        "domain": {"type": ["string", "null"]},
        "storage": {"enum": ["cookie", "local_storage", "session_storage"]},
        "duration_days": {"type": "integer", "description": "0 means until the browser closes"},
        "purpose": {"type": "string"},
    },
}
DECLARATION = {
    "type": "object",
    "properties": {
        "site": {"type": "string"},
        "name": {"type": "string"},
        "language": {"enum": ["nl", "en"]},
        "policy_version": {"type": "integer"},
        "updated_at": {"type": "string", "format": "date"},
        "privacy_url": {"type": ["string", "null"]},
        "consent_lifetime_months": {"type": "integer"},
        "title": {"type": "string"},
        "categories": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "key": {"type": "string"},
                    "name": {"type": "string"},
                    "description": {"type": "string"},
                    "always_on": {"type": "boolean"},
                    "services": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "name": {"type": "string"},
                                "provider": {"type": "string"},
                                "privacy_url": {"type": ["string", "null"]},
                                "purpose": {"type": "string"},
                                "cookies": {"type": "array", "items": COOKIE},
                            },
                        },
                    },
                },
            },
        },
    },
}
BEARER: list[dict[str, list[str]]] = [{"consentToken": []}]
# The stats API: a user's API key as a Bearer token, or the dashboard session cookie (same access rules).
API_USER: list[dict[str, list[str]]] = [{"bearerAuth": []}, {"dashboardSession": []}]
# --- the stats API (consent_server/stats/routes.py): Plausible Stats API v1 parameters and answers ---
STATS_ERRORS = {
    "400": _json(
        ERROR, "A parameter cannot be answered: bad period, date, metric, property, filter, limit..."
    ),
    "401": _json(ERROR, "Neither a dashboard session nor a valid API key"),
    "404": _json(ERROR, "No such site, or none this user may see (the same answer)"),
}


def _query(name: str, description: str, schema: dict[str, Any], required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "description": description, "schema": schema}


STATS_SITE = _query("site_id", "The site's key.", {"type": "string"}, required=True)
STATS_PERIOD = _query(
    "period",
    "Whole UTC days: day, 7d, 30d (default), month, 6mo, 12mo, or custom with date=FROM,TO.",
    {"enum": ["day", "7d", "30d", "month", "6mo", "12mo", "custom"], "default": "30d"},
)
STATS_DATE = _query(
    "date",
    "The day the period ends in (YYYY-MM-DD, default today UTC); for period=custom: YYYY-MM-DD,YYYY-MM-DD.",
    {"type": "string"},
)
STATS_METRICS = _query(
    "metrics",
    "Comma-separated: visitors (default), visits, pageviews, views_per_visit, bounce_rate, visit_duration, "
    "events. Visitors are counted per UTC day and added up.",
    {"type": "string", "default": "visitors"},
)
STATS_FILTERS = _query(
    "filters",
    "Plausible v1 filters: property==value or property!=value, ; between filters, | between values "
    "(\\| for a literal pipe), * as a wildcard, (none) for no value. "
    "E.g. visit:source==Google;event:page==/blog*",
    {"type": "string"},
)
STATS_PROPERTIES = [
    "event:page",
    "event:name",
    "visit:entry_page",
    "visit:exit_page",
    "visit:source",
    "visit:channel",
    "visit:referrer",
    "visit:utm_source",
    "visit:utm_medium",
    "visit:utm_campaign",
    "visit:utm_term",
    "visit:utm_content",
    "visit:country",
    "visit:browser",
    "visit:os",
    "visit:device",
    "visit:screen",
]
METRIC_VALUES = {"type": ["number", "null"]}
STATS_META = {
    "type": "object",
    "description": "Ours, next to Plausible's `results`: the UTC days answered, the floor k, where the "
    "figures come from (rollups or raw rows), and which rows the floor folded or withheld.",
    "properties": {
        "date_range": {"type": "array", "items": {"type": "string", "format": "date"}},
        "timezone": {"const": "UTC"},
        "k": {"type": "integer"},
        "source": {"enum": ["rollups", "raw", "consent_daily", "consent_records"]},
        "sample": {
            "type": "integer",
            "description": "Present when a filtered answer was estimated from 1 in `sample` visitors "
            "(a busy period): counts are scaled up, and the floor counted the sample.",
        },
        "below_k": {"type": "boolean"},
    },
}
STATS_AGGREGATE = {
    "type": "object",
    "properties": {
        "results": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "properties": {
                    "value": METRIC_VALUES,
                    "change": {
                        "type": ["number", "null"],
                        "description": "With compare=previous_period: percent change (bounce_rate: "
                        "percentage points); null when either period is below the floor.",
                    },
                    "below_k": {"type": "boolean", "description": "Fewer than k visitors: no value shown."},
                },
            },
        },
        "meta": STATS_META,
    },
    "example": {"results": {"visitors": {"value": 201524}, "bounce_rate": {"value": 53}}},
}
STATS_TIMESERIES = {
    "type": "object",
    "properties": {
        "results": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"date": {"type": "string"}, "below_k": {"type": "boolean"}},
                "additionalProperties": METRIC_VALUES,
            },
        },
        "meta": STATS_META,
    },
    "example": {
        "results": [{"date": "2020-08-01", "visitors": 36085}, {"date": "2020-09-01", "visitors": 0}]
    },
}
STATS_BREAKDOWN = {
    "type": "object",
    "properties": {
        "results": {
            "type": "array",
            "description": 'One row per value, most visitors first; the last row may be "(other)" '
            "(`other: true`), the rows below the k-anonymity floor folded together.",
            "items": {
                "type": "object",
                "properties": {"other": {"type": "boolean"}},
                "additionalProperties": {"type": ["string", "number", "null"]},
            },
        },
        "meta": STATS_META,
    },
    "example": {
        "results": [
            {"source": "Google", "visitors": 94932},
            {"source": "(other)", "visitors": 12, "other": True},
        ]
    },
}
CONSENT_FIGURES = {
    "type": "object",
    "properties": {
        "choices": {"type": ["integer", "null"]},
        "accept_all": {"type": ["integer", "null"]},
        "reject_all": {"type": ["integer", "null"]},
        "custom": {"type": ["integer", "null"]},
        "withdraw": {"type": ["integer", "null"]},
        "opt_in": {"type": "object", "additionalProperties": {"type": ["number", "null"]}},
        "below_k": {"type": "boolean"},
    },
}
STATS_CONSENT = {
    "type": "object",
    "properties": {
        "results": {
            "type": "object",
            "properties": {
                "totals": CONSENT_FIGURES,
                "categories": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "category": {"type": "string"},
                            "choices": {"type": "integer"},
                            "granted": {"type": "integer"},
                            "opt_in_rate": {"type": ["number", "null"]},
                        },
                    },
                },
                "timeseries": {"type": "array", "items": CONSENT_FIGURES},
                "devices": {"type": "array", "items": CONSENT_FIGURES},
                "languages": {"type": "array", "items": CONSENT_FIGURES},
                "policy_versions": {"type": "array", "items": CONSENT_FIGURES},
            },
        },
        "meta": STATS_META,
    },
}


def _stats(
    summary: str, description: str, parameters: list[dict[str, Any]], schema: dict[str, Any]
) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "description": description,
            "security": API_USER,
            "parameters": parameters,
            "responses": {
                "200": _json(schema, "The figures, with the k-anonymity floor applied"),
                **STATS_ERRORS,
            },
        }
    }


STATS_PATHS = {
    "/api/v1/stats/aggregate": _stats(
        "Totals of a period (Plausible Stats API v1 aggregate)",
        "Metric values of the period; with compare=previous_period also `change` against the period of equal "
        "length just before. A period with fewer than k visitors answers null values and below_k.",
        [
            STATS_SITE,
            STATS_PERIOD,
            STATS_DATE,
            STATS_METRICS,
            STATS_FILTERS,
            _query("compare", "previous_period adds `change`.", {"enum": ["previous_period"]}),
        ],
        STATS_AGGREGATE,
    ),
    "/api/v1/stats/timeseries": _stats(
        "Figures per hour, day or month (Plausible Stats API v1 timeseries)",
        "Every point of the period, empty ones included; points below the floor have null values and "
        "below_k.",
        [
            STATS_SITE,
            STATS_PERIOD,
            STATS_DATE,
            STATS_METRICS,
            STATS_FILTERS,
            _query(
                "interval",
                "day (default), month (default for 6mo and 12mo), or hour for a single day.",
                {"enum": ["hour", "day", "date", "month"]},
            ),
        ],
        STATS_TIMESERIES,
    ),
    "/api/v1/stats/breakdown": _stats(
        "Figures per value of a property (Plausible Stats API v1 breakdown)",
        'Rows most visitors first; rows with fewer than k visitors are folded into one "(other)" row.',
        [
            STATS_SITE,
            STATS_PERIOD,
            STATS_DATE,
            _query("property", "What to break down by.", {"enum": STATS_PROPERTIES}, required=True),
            STATS_METRICS,
            STATS_FILTERS,
            _query(
                "limit",
                "Rows per page, 1-1000.",
                {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100},
            ),
            _query("page", "Page number, from 1.", {"type": "integer", "minimum": 1, "default": 1}),
        ],
        STATS_BREAKDOWN,
    ),
    "/api/v1/stats/realtime/visitors": _stats(
        "Visitors right now (Plausible Stats API v1 realtime)",
        "Distinct visitors with any hit in the last five minutes, read live from the raw events. A bare "
        "number, as Plausible answers; null when there are some but fewer than k (the floor).",
        [STATS_SITE],
        {"type": ["integer", "null"], "minimum": 0},
    ),
    "/api/v1/stats/consent": _stats(
        "Consent choices and opt-in rates (our extension)",
        "From the consent proof log, aggregates only: choices by action (accept_all, reject_all, custom, "
        "withdraw), opt-in rate per category, per day, device, banner language and policy version. "
        "Every choice counts; the floor counts choices.",
        [STATS_SITE, STATS_PERIOD, STATS_DATE],
        STATS_CONSENT,
    ),
}
CONSENT_ID = {
    "name": "consent_id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "format": "uuid"},
}


@cache
def openapi_document() -> dict[str, Any]:
    consent_in = ConsentIn.model_json_schema(ref_template="#/components/schemas/{model}")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "consent-server",
            "version": "1",
            "description": "Cookie consent with server-side proof, and consent-gated analytics. "
            'Every error has the shape {"error": {"code", "message", "fields"}}.',
        },
        "paths": {
            "/healthz": {
                "get": {
                    "summary": "Liveness and database check",
                    "responses": {
                        "200": _json(
                            {"type": "object", "properties": {"status": {"const": "ok"}}}, "Healthy"
                        ),
                        "503": _json({"type": "object"}, "The database does not answer"),
                    },
                }
            },
            "/api/openapi.json": {
                "get": {
                    "summary": "This document",
                    "responses": {"200": _json({"type": "object"}, "OpenAPI")},
                }
            },
            "/api/v1/consent": {
                "post": {
                    "summary": "Record a visitor's choice (proof under GDPR art. 7(1)) and get its token",
                    "description": "Accepted as application/json or text/plain JSON (sendBeacon). Reusing a "
                    "consent_id requires the token issued for it, in `token` or as a Bearer header. "
                    "The 201 is sent only after the record is committed.",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/ConsentIn"}},
                            "text/plain": {"schema": {"$ref": "#/components/schemas/ConsentIn"}},
                        },
                    },
                    "responses": {
                        "201": _json(CONSENT_RESULT, "Recorded"),
                        **_errors(400, 401, 403, 404, 409, 413, 415, 422, 429),
                    },
                },
                "options": {
                    "summary": "CORS preflight (registered origins only)",
                    "responses": {"204": {"description": "Allowed"}, **_errors(403)},
                },
            },
            "/api/v1/consent/{consent_id}": {
                "parameters": [CONSENT_ID],
                "get": {
                    "summary": "The visitor's receipt: every choice recorded under this id",
                    "security": BEARER,
                    "responses": {"200": _json(RECEIPT, "Receipt"), **_errors(401, 403, 404)},
                },
                "delete": {
                    "summary": "Withdraw consent and erase the analytics linked to this visitor",
                    "security": BEARER,
                    "responses": {"204": {"description": "Withdrawn"}, **_errors(401, 403, 404, 429)},
                },
                "options": {
                    "summary": "CORS preflight (registered origins only)",
                    "responses": {"204": {"description": "Allowed"}, **_errors(403)},
                },
            },
            "/api/v1/collect": {
                "post": {
                    "summary": "Record a pageview, custom event or engagement (analytics consent required)",
                    "description": "Accepted as application/json or text/plain JSON (sendBeacon). "
                    "The collector checks the token's signature, site, analytics grant, policy version "
                    "and age, and the visitor's latest recorded choice. "
                    "Bots and prefetches are answered 202 but only counted. "
                    "An accepted hit is written within CONSENT_COLLECT_FLUSH_MS (see the README).",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/CollectIn"}},
                            "text/plain": {"schema": {"$ref": "#/components/schemas/CollectIn"}},
                        },
                    },
                    "responses": {
                        "202": {"description": "Accepted"},
                        **_errors(400, 401, 403, 404, 409, 413, 415, 422, 429, 503),
                    },
                },
                "options": {
                    "summary": "CORS preflight (registered origins only)",
                    "responses": {"204": {"description": "Allowed"}, **_errors(403)},
                },
            },
            **STATS_PATHS,
            "/api/v1/sites/{key}/declaration": {
                "parameters": [
                    {"name": "key", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "lang", "in": "query", "schema": {"enum": ["nl", "en"]}},
                ],
                "get": {
                    "summary": "The site's cookie declaration (cookieverklaring) in one language",
                    "responses": {"200": _json(DECLARATION, "Declaration"), **_errors(404)},
                },
                "options": {
                    "summary": "CORS preflight (registered origins only)",
                    "responses": {"204": {"description": "Allowed"}, **_errors(403)},
                },
            },
        },
        "components": {
            "schemas": {
                "ConsentIn": consent_in,
                "CollectIn": CollectIn.model_json_schema(ref_template="#/components/schemas/{model}"),
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["code", "message"],
                            "properties": {
                                "code": {"type": "string"},
                                "message": {"type": "string"},
                                "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                            },
                        }
                    },
                },
            },
            "securitySchemes": {
                "consentToken": {"type": "http", "scheme": "bearer"},
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A stats API key (`csk_...`), created under /account/api-keys or with "
                    "`consent-server users api-key`. It has its user's rights: admins every site, marketing "
                    "users their granted sites; any other site answers 404, like a missing one.",
                },
                "dashboardSession": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "session",
                    "description": "The dashboard's login session (same rights as bearerAuth).",
                },
            },
        },
    }
