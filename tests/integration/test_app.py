"""The app as a whole: start-up settings, health, headers, OpenAPI coverage, CORS."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from consent_server import create_app
from consent_server.config import ConfigurationError
from tests.factories import ORIGIN, browser_headers, consent_body


def test_missing_secret_key_stops_start_up_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CONSENT_SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="CONSENT_SECRET_KEY"):
        create_app({"DATABASE_URL": "sqlite://"})


def test_settings_come_from_consent_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONSENT_SECRET_KEY", "from-env")
    monkeypatch.setenv("CONSENT_TRUSTED_PROXIES", "2")
    monkeypatch.setenv("CONSENT_ANALYTICS_RETENTION_MONTHS", "13")
    app = create_app({"DATABASE_URL": "sqlite://"})
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["TRUSTED_PROXIES"] == 2
    assert app.config["ANALYTICS_RETENTION_MONTHS"] == 13


def test_healthz_answers_ok_when_the_database_answers(client: Any) -> None:
    response = client.get("/healthz")
    assert (response.status_code, response.get_json()) == (200, {"status": "ok"})


def test_healthz_answers_503_when_the_database_does_not(tmp_path: Any) -> None:
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path}/missing/dir/db.sqlite"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"


def test_every_response_carries_security_headers(client: Any) -> None:
    for path in ("/healthz", "/api/openapi.json", "/no-such-page"):
        headers = client.get(path).headers
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert "unsafe-inline" not in headers["Content-Security-Policy"]


@pytest.mark.parametrize("app_config", [{"TRUSTED_PROXIES": 1}])
def test_hsts_is_sent_only_over_https_behind_a_trusted_proxy(client: Any) -> None:
    assert "Strict-Transport-Security" not in client.get("/healthz").headers
    secure = client.get("/healthz", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.1"})
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_unknown_api_route_answers_the_json_error_shape(client: Any) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_every_api_route_is_documented_in_openapi(app: Flask, client: Any) -> None:
    document = client.get("/api/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        automatic = {"HEAD", "OPTIONS"} if rule.provide_automatic_options else {"HEAD"}
        for method in sorted((rule.methods or set()) - automatic):
            if method.lower() not in document["paths"].get(path, {}):
                missing.append(f"{method} {path}")
    assert missing == []


@pytest.mark.parametrize("app_config", [{"DEMO_SITE": "monoconnect"}])
def test_demo_page_embeds_the_widget_for_the_demo_site(client: Any) -> None:
    page = client.get("/demo")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<script src="/w/monoconnect.js" async></script>' in html
    assert "data-consent-open" in html and "<div data-consent-declaration></div>" in html
    assert "<script>" not in html  # no inline script: the page itself runs under the strict CSP


class TestCors:
    @pytest.fixture(autouse=True)
    def _site(self, make_site: Any) -> None:
        make_site()

    def test_preflight_is_answered_for_a_registered_origin(self, client: Any) -> None:
        response = client.options(
            "/api/v1/consent", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"}
        )
        assert response.status_code == 204
        assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
        assert "POST" in response.headers["Access-Control-Allow-Methods"]
        assert "Origin" in response.headers["Vary"]

    def test_preflight_from_an_unregistered_origin_gets_no_cors_headers(self, client: Any) -> None:
        response = client.options("/api/v1/consent", headers={"Origin": "https://evil.example"})
        assert response.status_code == 403
        assert "Access-Control-Allow-Origin" not in response.headers
        assert "Origin" in response.headers["Vary"]

    def test_origin_of_another_site_cannot_record_consent_here(self, client: Any, make_site: Any) -> None:
        make_site(key="other", origins=["https://other.nl"], cookie_domain=None)
        response = client.post(
            "/api/v1/consent", json=consent_body(), headers=browser_headers(Origin="https://other.nl")
        )
        assert response.status_code == 403
        assert response.get_json()["error"]["code"] == "origin_not_allowed"

    def test_a_recorded_consent_is_readable_by_the_registered_origin(self, client: Any) -> None:
        response = client.post("/api/v1/consent", json=consent_body(), headers=browser_headers())
        assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
        assert "Origin" in response.headers["Vary"]
