"""The collector's per-worker state: the hit buffer, the site snapshots it revalidates, its rate limit."""

from __future__ import annotations

import time
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from consent_server.collect import runtime
from consent_server.collect.runtime import collector_for, shutdown_collector
from consent_server.extensions import db
from consent_server.models import AnalyticsEvent, AnalyticsSession
from tests.factories import browser_headers, consent_body

ORIGIN = browser_headers()["Origin"]


@pytest.fixture
def app_config() -> dict[str, Any]:
    # Longer than any test: hits stay in the buffer until a test flushes (or a test shortens it).
    return {"COLLECT_FLUSH_MS": 600_000}


@pytest.fixture
def site(make_site: Any) -> Any:
    return make_site()


def give_consent(client: Any, **overrides: Any) -> dict[str, Any]:
    response = client.post(
        "/api/v1/consent", json=consent_body(action="accept_all", **overrides), headers=browser_headers()
    )
    assert response.status_code == 201
    return response.get_json()  # type: ignore[no-any-return]


def hit(client: Any, token: str, path: str = "/nieuws", headers: dict[str, str] | None = None) -> Any:
    body = {"site": "example", "token": token, "type": "pageview", "url": f"https://www.example.nl{path}"}
    return client.post("/api/v1/collect", json=body, headers={**browser_headers(), **(headers or {})})


def stored() -> int:
    db.session.rollback()  # a fresh snapshot: the batches commit on their own connections
    return db.session.scalar(select(func.count()).select_from(AnalyticsEvent)) or 0


def test_accepted_hits_wait_in_the_buffer_until_a_flush(app: Flask, client: Any, site: Any) -> None:
    token = give_consent(client)["token"]
    assert [hit(client, token).status_code for _ in range(3)] == [202] * 3
    assert stored() == 0
    assert collector_for(app).buffer.flush() == 3
    assert stored() == 3


def test_the_flush_thread_writes_within_the_interval(app: Flask, client: Any, site: Any) -> None:
    app.config["COLLECT_FLUSH_MS"] = 50  # read when the worker's collector is made, on the first hit
    token = give_consent(client)["token"]
    assert hit(client, token).status_code == 202
    deadline = time.monotonic() + 5
    while stored() == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert stored() == 1


def test_shutdown_writes_the_waiting_hits(app: Flask, client: Any, site: Any) -> None:
    token = give_consent(client)["token"]
    assert hit(client, token).status_code == 202
    shutdown_collector(app)
    assert stored() == 1


def test_batches_of_one_visit_add_up_in_one_visit(app: Flask, client: Any, site: Any) -> None:
    token = give_consent(client)["token"]
    for path in ("/a", "/b", "/c"):
        hit(client, token, path)
    collector_for(app).buffer.flush()
    for path in ("/d", "/e"):
        hit(client, token, path)
    collector_for(app).buffer.flush()
    db.session.rollback()
    visits = db.session.execute(select(AnalyticsSession.pageviews, AnalyticsSession.exit_page)).all()
    assert [tuple(visit) for visit in visits] == [(5, "/e")]


def test_hits_waiting_when_the_visitor_withdraws_are_never_written(
    app: Flask, client: Any, site: Any
) -> None:
    consent = give_consent(client)
    assert hit(client, consent["token"]).status_code == 202
    withdrawn = client.delete(
        f"/api/v1/consent/{consent['consent_id']}",
        headers={"Authorization": f"Bearer {consent['token']}", "Origin": ORIGIN},
    )
    assert withdrawn.status_code == 204
    assert collector_for(app).buffer.flush() == 0
    assert stored() == 0


def test_a_failed_batch_is_kept_for_the_next_flush(
    app: Flask, client: Any, site: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = give_consent(client)["token"]
    hit(client, token)
    hit(client, token)
    real = runtime.store_hits

    def fail_once(*args: Any, **kwargs: Any) -> int:
        monkeypatch.setattr(runtime, "store_hits", real)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(runtime, "store_hits", fail_once)
    buffer = collector_for(app).buffer
    with pytest.raises(RuntimeError):
        buffer.flush()
    assert buffer.pending() == 2
    assert buffer.flush() == 2
    assert stored() == 2


def test_a_full_buffer_answers_503_and_takes_nothing_more(app: Flask, client: Any, site: Any) -> None:
    app.config["COLLECT_BUFFER_MAX"] = 2
    token = give_consent(client)["token"]
    statuses = [hit(client, token).status_code for _ in range(3)]
    assert statuses == [202, 202, 503]
    assert collector_for(app).buffer.flush() == 2


def test_a_policy_bump_reaches_a_worker_that_cached_the_site(
    app: Flask, client: Any, site: Any, make_site: Any
) -> None:
    token = give_consent(client)["token"]
    assert hit(client, token).status_code == 202  # the worker now holds a snapshot of the site
    make_site(policy_version=2)
    response = hit(client, token)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "policy_outdated"


def test_an_origin_removed_reaches_a_worker_that_cached_the_site(
    app: Flask, client: Any, site: Any, make_site: Any
) -> None:
    token = give_consent(client)["token"]
    assert hit(client, token).status_code == 202
    make_site(origins=["https://elders.example.nl"])
    response = hit(client, token)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "origin_not_allowed"


def test_rate_limit_answers_429_with_retry_after_and_stores_nothing(
    app: Flask, client: Any, site: Any
) -> None:
    app.config["RATELIMIT_COLLECT"] = "2/minute"
    token = give_consent(client)["token"]
    responses = [hit(client, token) for _ in range(3)]
    assert [response.status_code for response in responses] == [202, 202, 429]
    refused = responses[-1]
    assert refused.get_json()["error"]["code"] == "too_many_requests"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert collector_for(app).buffer.flush() == 2
