"""What happens at the edge of every request: client address truncation, body parsing, headers."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from typing import Any

from flask import Response, request

from .errors import MalformedBody, UnsupportedMediaType
from .privacy import truncate_ip

# Headers that may carry a client address. They are removed before the app sees the request.
ADDRESS_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_CLIENT_IP",
    "HTTP_X_CLIENT_IP",
    "HTTP_TRUE_CLIENT_IP",
    "HTTP_CF_CONNECTING_IP",
    "HTTP_X_CLUSTER_CLIENT_IP",
)
API_MAX_BODY = 16 * 1024
API_MAX_DEPTH = 8
JSON_MEDIA_TYPES = {"application/json", "text/plain", ""}

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _trusted_value(header: str, trusted: int) -> str | None:
    values = [part.strip() for part in header.split(",") if part.strip()]
    return values[-trusted] if len(values) >= trusted else None


class EdgePrivacy:
    """WSGI middleware: resolve the client through trusted proxies, then keep only its network.

    Runs before Flask, so no view, log line, rate limiter or error report can see the full address
    (privacy invariant 1). Forwarding headers are dropped after use.
    """

    def __init__(self, app: WSGIApp, trusted_proxies: int = 0):
        self.app = app
        self.trusted_proxies = trusted_proxies

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        remote = environ.get("REMOTE_ADDR")
        if self.trusted_proxies:
            remote = _trusted_value(environ.get("HTTP_X_FORWARDED_FOR", ""), self.trusted_proxies) or remote
            proto = _trusted_value(environ.get("HTTP_X_FORWARDED_PROTO", ""), self.trusted_proxies)
            if proto in {"http", "https"}:
                environ["wsgi.url_scheme"] = proto
        environ["REMOTE_ADDR"] = truncate_ip(remote) or ""
        for key in ADDRESS_HEADERS:
            environ.pop(key, None)
        return self.app(environ, start_response)


def _too_deep(text: str, limit: int) -> bool:
    if text.count("{") + text.count("[") <= limit:
        return False  # cannot nest deeper than the brackets it has
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            depth += 1
            if depth > limit:
                return True
        elif char in "}]":
            depth -= 1
    return False


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"number {text[:20]} is out of range")
    return value


def _check_strings(value: Any, path: str = "") -> None:
    if isinstance(value, str):
        _check_text(value, path)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, path)
            _check_strings(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_strings(item, f"{path}[{index}]")


def _check_text(text: str, path: str) -> None:
    if "\x00" in text:
        raise MalformedBody(
            "Text may not contain NUL characters.", {path or "body": "contains NUL"}, "invalid_text"
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise MalformedBody(
            "Text may not contain lone surrogates.", {path or "body": "lone surrogate"}, "invalid_text"
        ) from None


def parse_text(raw: bytes, max_depth: int = API_MAX_DEPTH) -> dict[str, Any]:
    """Parse a JSON object from bytes, refusing invalid UTF-8, deep nesting, NaN, NUL and surrogates."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedBody("The body is not valid UTF-8.") from None
    if _too_deep(text, max_depth):
        raise MalformedBody(f"The body nests deeper than {max_depth} levels.", code="too_deep")
    try:
        value = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except ValueError as exc:  # JSONDecodeError, NaN/Infinity, integers with too many digits
        raise MalformedBody(f"The body is not valid JSON: {str(exc)[:120]}") from None
    if not isinstance(value, dict):
        raise MalformedBody("The body must be a JSON object.")
    _check_strings(value)
    return value


def json_body(max_bytes: int = API_MAX_BODY, max_depth: int = API_MAX_DEPTH) -> dict[str, Any]:
    """Read the request body as a JSON object (application/json or text/plain for sendBeacon).

    Raises MalformedBody, UnsupportedMediaType, or 413 when the body is larger than max_bytes.
    """
    if request.mimetype not in JSON_MEDIA_TYPES:
        raise UnsupportedMediaType("Send JSON as application/json or text/plain.")
    request.max_content_length = max_bytes
    return parse_text(request.get_data(cache=False), max_depth)


PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"


def apply_security_headers(response: Response) -> Response:
    """Set the headers every response carries; pages get a strict CSP without 'unsafe-inline'."""
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Content-Security-Policy", PAGE_CSP if response.mimetype == "text/html" else API_CSP)
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response
