"""Hostile input against the consent API: always a clear 4xx JSON error, never a 5xx, nothing stored."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select

from consent_server.extensions import db
from consent_server.models import ConsentRecord
from tests.factories import CHROME_UA, ORIGIN, consent_body

UUID = "11111111-2222-4333-8444-555555555555"


def body(**overrides: Any) -> bytes:
    return json.dumps(consent_body(**overrides)).encode()


def raw(text: str) -> bytes:
    """A body written by hand, so escapes like \\ud800 reach the server exactly as typed."""
    return text.encode("utf-8", "surrogatepass")


VALID = json.dumps(consent_body())
# (id, body bytes, content type, extra headers, expected status)
CORPUS: list[tuple[str, bytes, str, dict[str, str], int]] = [
    ("oversized-17k", body(url="https://www.example.nl/" + "a" * 17_000), "application/json", {}, 413),
    ("oversized-2m", b'{"site": "' + b"x" * 2_000_000 + b'"}', "application/json", {}, 413),
    ("deep-arrays-1000", b"[" * 1000 + b"]" * 1000, "application/json", {}, 400),
    ("deep-objects-1000", b'{"a":' * 1000 + b"1" + b"}" * 1000, "application/json", {}, 400),
    (
        "deep-in-categories",
        raw(VALID.replace('"categories": {', '"categories": {"x": ' + "[" * 50 + "]" * 50 + ", ")),
        "application/json",
        {},
        400,
    ),
    ("raw-nul-byte", VALID.encode().replace(b'"nl"', b'"n\x00l"'), "application/json", {}, 400),
    ("escaped-nul-in-site", raw(VALID.replace('"example"', '"exa\\u0000mple"')), "application/json", {}, 400),
    ("escaped-nul-in-url", raw(VALID.replace("nieuws", "nie\\u0000uws")), "application/json", {}, 400),
    (
        "escaped-nul-in-key",
        raw(VALID.replace('"analytics"', '"analytics\\u0000"')),
        "application/json",
        {},
        400,
    ),
    ("lone-surrogate-in-url", raw(VALID.replace("nieuws", "nie\\ud800uws")), "application/json", {}, 400),
    ("lone-low-surrogate-in-language", raw(VALID.replace('"nl"', '"\\udc00"')), "application/json", {}, 400),
    (
        "lone-surrogate-in-key",
        raw(VALID.replace('"analytics"', '"\\ud83danalytics"')),
        "application/json",
        {},
        400,
    ),
    ("invalid-utf8", VALID.encode().replace(b"nieuws", b"nie\xff\xfeuws"), "application/json", {}, 400),
    ("overlong-utf8", VALID.encode().replace(b"nieuws", b"nie\xc0\xafuws"), "application/json", {}, 400),
    ("not-json", b"site=example&action=accept_all", "text/plain", {}, 400),
    ("truncated-json", VALID.encode()[:-5], "application/json", {}, 400),
    ("empty-body", b"", "application/json", {}, 400),
    ("json-null", b"null", "application/json", {}, 400),
    ("json-array", b"[]", "application/json", {}, 400),
    ("json-string", b'"accept_all"', "application/json", {}, 400),
    ("nan", raw(VALID.replace('"policy_version": 1', '"policy_version": NaN')), "application/json", {}, 400),
    (
        "infinity",
        raw(VALID.replace('"policy_version": 1', '"policy_version": -Infinity')),
        "application/json",
        {},
        400,
    ),
    (
        "huge-integer-5000-digits",
        raw(VALID.replace('"policy_version": 1', '"policy_version": ' + "9" * 5000)),
        "application/json",
        {},
        400,
    ),
    ("huge-integer-2-64", body(policy_version=2**64), "application/json", {}, 422),
    (
        "huge-float",
        raw(VALID.replace('"policy_version": 1', '"policy_version": 1e400')),
        "application/json",
        {},
        400,
    ),
    ("float-version", body(policy_version=1.5), "application/json", {}, 422),
    ("string-version", body(policy_version="1"), "application/json", {}, 422),
    ("bool-version", body(policy_version=True), "application/json", {}, 422),
    ("negative-version", body(policy_version=-1), "application/json", {}, 422),
    ("site-number", body(site=123), "application/json", {}, 422),
    ("site-xss", body(site="<script>alert(1)</script>"), "application/json", {}, 422),
    ("site-missing", body(site=None), "application/json", {}, 422),
    ("categories-list", body(categories=["analytics"]), "application/json", {}, 422),
    ("category-value-string", body(categories={"analytics": "yes"}), "application/json", {}, 422),
    ("category-value-number", body(categories={"analytics": 1}), "application/json", {}, 422),
    (
        "category-key-xss",
        body(categories={"<img src=x onerror=alert(1)>": True}),
        "application/json",
        {},
        422,
    ),
    ("category-unknown", body(categories={"tracking": True}), "application/json", {}, 422),
    (
        "categories-1000-keys",
        body(categories={f"c{i}": True for i in range(1000)}),
        "application/json",
        {},
        422,
    ),
    ("action-unknown", body(action="accept"), "application/json", {}, 422),
    ("action-null", raw(VALID.replace('"custom"', "null")), "application/json", {}, 422),
    ("method-unknown", body(method="admin"), "application/json", {}, 422),
    ("language-unknown", body(language="de"), "application/json", {}, 422),
    ("consent-id-not-uuid", body(consent_id="../../etc/passwd"), "application/json", {}, 422),
    ("consent-id-sql", body(consent_id="' OR 1=1 --"), "application/json", {}, 422),
    ("url-too-long", body(url="https://www.example.nl/" + "a" * 3000), "application/json", {}, 422),
    ("url-number", body(url=42), "application/json", {}, 422),
    ("token-too-long", body(consent_id=UUID, token="x" * 3000), "application/json", {}, 422),
    ("unknown-field", body(admin=True), "application/json", {}, 422),
    ("unknown-site", body(site="nosuchsite"), "application/json", {}, 404),
    ("old-policy-version", body(policy_version=2), "application/json", {}, 409),
    ("withdraw-without-id", body(action="withdraw"), "application/json", {}, 422),
    ("withdraw-unknown-id", body(action="withdraw", consent_id=UUID), "application/json", {}, 404),
    ("unregistered-origin", body(), "application/json", {"Origin": "https://evil.example"}, 403),
    ("null-origin", body(), "application/json", {"Origin": "null"}, 403),
    ("origin-with-path", body(), "application/json", {"Origin": ORIGIN + "/"}, 403),
    ("form-encoded", b"site=example", "application/x-www-form-urlencoded", {}, 415),
    ("multipart", b"--x--", "multipart/form-data; boundary=x", {}, 415),
    ("xml", b"<consent/>", "application/xml", {}, 415),
]


@pytest.fixture
def site(make_site: Any) -> Any:
    return make_site()


def stored() -> int:
    return db.session.scalar(select(func.count()).select_from(ConsentRecord)) or 0


@pytest.mark.parametrize(
    ("case", "data", "content_type", "headers", "status"), CORPUS, ids=[c[0] for c in CORPUS]
)
def test_hostile_consent_post_gets_a_4xx_json_error_and_stores_nothing(
    client: Any, site: Any, case: str, data: bytes, content_type: str, headers: dict[str, str], status: int
) -> None:
    response = client.post(
        "/api/v1/consent",
        data=data,
        content_type=content_type,
        headers={"Origin": ORIGIN, "User-Agent": CHROME_UA, **headers},
    )
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    error = response.get_json()["error"]
    assert error["code"] and error["message"]
    assert stored() == 0


HOSTILE_READS = [
    (
        "get-path-traversal",
        "GET",
        "/api/v1/consent/..%2F..%2Fetc%2Fpasswd",
        {"Authorization": "Bearer x"},
        404,
    ),
    ("get-huge-token", "GET", f"/api/v1/consent/{UUID}", {"Authorization": "Bearer " + "a" * 5000}, 401),
    ("get-nul-in-path", "GET", "/api/v1/consent/%00", {"Authorization": "Bearer x"}, 401),
    ("get-surrogate-in-path", "GET", "/api/v1/consent/%ED%A0%80", {"Authorization": "Bearer x"}, 401),
    ("delete-no-token", "DELETE", f"/api/v1/consent/{UUID}", {}, 401),
    (
        "delete-forged-token",
        "DELETE",
        f"/api/v1/consent/{UUID}",
        {"Authorization": "Bearer eyJzIjoiZSJ9.x.y"},
        401,
    ),
    ("put-not-allowed", "PUT", "/api/v1/consent", {}, 405),
    ("preflight-unregistered", "OPTIONS", "/api/v1/consent", {"Origin": "https://evil.example"}, 403),
    ("unknown-api-route", "GET", "/api/v1/nothing", {}, 404),
]


@pytest.mark.parametrize(
    ("case", "method", "path", "headers", "status"), HOSTILE_READS, ids=[c[0] for c in HOSTILE_READS]
)
def test_hostile_receipt_and_withdrawal_requests_get_a_4xx_json_error(
    client: Any, site: Any, case: str, method: str, path: str, headers: dict[str, str], status: int
) -> None:
    response = client.open(path, method=method, headers=headers)
    assert response.status_code == status
    assert response.get_json()["error"]["code"]
    assert stored() == 0


def test_chunked_body_over_the_limit_is_refused_without_content_length(client: Any, site: Any) -> None:
    import io

    builder_args = {
        "data": None,
        "input_stream": io.BytesIO(b" " * 40_000),
        "content_type": "application/json",
        "headers": {"Transfer-Encoding": "chunked"},
        "environ_overrides": {"wsgi.input_terminated": True},
    }
    response = client.post("/api/v1/consent", **builder_args)
    # Werkzeug stops reading at the limit; the cut-off body then fails as JSON (400) or as too large (413).
    assert response.status_code in {400, 413}
    assert response.get_json()["error"]["code"]
    assert stored() == 0
