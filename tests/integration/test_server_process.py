"""A real `consent-server serve` process (gunicorn, two workers) on a fresh SQLite or PostgreSQL database.

A 201 for a consent is a promise that the proof is durable: a SIGKILL right after it must not undo it.
The visitor's address must not survive the edge: not in any table, not in any log line.
"""

from __future__ import annotations

import ipaddress
import json
import shutil
import time
from pathlib import Path

import pytest

from bench.serverkit import (
    BACKENDS,
    CONSENT_PATH,
    JSON_HEADERS,
    Database,
    ServerProcess,
    fresh_database,
    measure_durability,
    postgres_unavailable,
    running_server,
)

pytestmark = pytest.mark.slow

CLIENT_V4 = "203.0.113.77"
CLIENT_V6 = "2001:db8:abcd:12:1:2:3:4"
# Written by the client in front of the proxy's own entry: never trusted, so never kept either.
SPOOFED = "198.51.100.23"
# A User-Agent nobody else sends: it may be summarised (Chrome 131, Linux, desktop), never stored or logged.
DISTINCT_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 "
    "ZeldzaamMerk/9.87"
)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql" and (reason := postgres_unavailable()):
        pytest.skip(reason)
    return str(request.param)


def textual_forms(address: str) -> set[str]:
    """The ways an address can be written down, all lower case (the search is case-insensitive)."""
    ip = ipaddress.ip_address(address)
    forms = {ip.compressed, ip.exploded, str(int(ip)), ip.packed.hex()}
    if isinstance(ip, ipaddress.IPv4Address):
        mapped = ipaddress.IPv6Address(f"::ffff:{ip}")
        forms |= {f"::ffff:{ip}", mapped.compressed, mapped.exploded}
    else:
        groups = ip.exploded.split(":")
        forms |= {
            ":".join(f"{int(group, 16):x}" for group in groups[:4]) + ":",  # the /64 a careless cut keeps
            ":".join(groups[:4]),
            ":" + ":".join(f"{int(group, 16):x}" for group in groups[4:]),  # the interface identifier
        }
    return {form.lower() for form in forms}


def leaks(haystack: str, *addresses: str) -> list[str]:
    lowered = haystack.lower()
    return sorted(form for address in addresses for form in textual_forms(address) if form in lowered)


def ip_networks(database: Database) -> set[str]:
    return {row[0] for row in database.query("SELECT ip_network FROM consent_records")}


def test_sigkill_loses_no_acknowledged_consent(backend: str, tmp_path: Path) -> None:
    report = measure_durability(backend, tmp_path, seconds=4, threads=6, kill_after=600)
    print(f"\n{report.summary()}")
    assert len(report.tally.acknowledged) >= 50, "too few acknowledged consents for the check to mean much"
    assert report.tally.cut_off > 0, "the SIGKILL should land while requests are in flight"
    assert report.lost == [], f"{len(report.lost)} consents were answered 201 but are not stored"


def send_traffic_through_proxy(server: ServerProcess) -> tuple[dict[str, int], list[int], list[bytes]]:
    """Good and bad requests as a reverse proxy forwards them, with the client in X-Forwarded-For."""
    v4 = {"X-Forwarded-For": CLIENT_V4}
    v6 = {"X-Forwarded-For": CLIENT_V6}
    statuses = {
        "consent v4": server.post_consent(v4).status,
        "consent v4 after a spoofed entry": server.post_consent(
            {"X-Forwarded-For": f"{SPOOFED}, {CLIENT_V4}"}
        ).status,
        "unknown path": server.request("GET", "/api/v1/nope", headers=v4).status,
        "unknown category": server.post_consent(v4, categories={"tracking": True}).status,
        "malformed json": server.request("POST", CONSENT_PATH, b'{"site": ', {**JSON_HEADERS, **v4}).status,
        "preflight from an unregistered origin": server.request(
            "OPTIONS",
            CONSENT_PATH,
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST", **v6},
        ).status,
    }
    tracked = server.post_consent({**v4, "User-Agent": DISTINCT_UA}, action="accept_all")
    statuses["consent for analytics v4"] = tracked.status
    if tracked.status == 201:
        token = tracked.json()["token"]
        for kind, extra in (("pageview", {}), ("event", {"name": "Aanmelden"})):
            hit = {
                "site": "example",
                "token": token,
                "type": kind,
                "url": "https://www.example.nl/nieuws?id=7",
                **extra,
            }
            headers = {**JSON_HEADERS, **v4, "User-Agent": DISTINCT_UA}
            statuses[f"collect {kind} v4"] = server.request(
                "POST", "/api/v1/collect", json.dumps(hit).encode(), headers
            ).status
    consent = server.post_consent(v6, action="accept_all")
    statuses["consent v6"] = consent.status
    if consent.status == 201:
        body = consent.json()
        auth = {"Authorization": f"Bearer {body['token']}", "Origin": JSON_HEADERS["Origin"], **v6}
        path = f"{CONSENT_PATH}/{body['consent_id']}"
        statuses["receipt v6"] = server.request("GET", path, headers=auth).status
        statuses["withdrawal v6"] = server.request("DELETE", path, headers=auth).status
    # Each worker counts on its own and the window is fixed: 50 writes still break 10/minute somewhere.
    flood = [server.post_consent(v4).status for _ in range(50)]
    # gunicorn quotes a header line it cannot parse in its error log.
    raw = [
        server.send_raw(f"GET /healthz HTTP/1.1\r\nHost: x\r\n{header}\r\n\r\n".encode())
        for header in (f"X-Forwarded-For {CLIENT_V4}", f":{CLIENT_V6}")
    ]
    return statuses, flood, raw


def test_client_ip_and_user_agent_reach_no_database_and_no_log(backend: str, tmp_path: Path) -> None:
    settings = {"TRUSTED_PROXIES": "1", "RATELIMIT_CONSENT": "10/minute"}
    with fresh_database(backend, tmp_path) as database:
        with running_server(database, tmp_path, settings) as server:
            statuses, flood, raw = send_traffic_through_proxy(server)
            exit_code = server.stop()
        stored = database.everything_stored()  # before anything else opens the database
        networks = ip_networks(database)
    logs = server.log_text()

    assert statuses == {
        "consent v4": 201,
        "consent v4 after a spoofed entry": 201,
        "unknown path": 404,
        "unknown category": 422,
        "malformed json": 400,
        "preflight from an unregistered origin": 403,
        "consent for analytics v4": 201,
        "collect pageview v4": 202,
        "collect event v4": 202,
        "consent v6": 201,
        "receipt v6": 200,
        "withdrawal v6": 204,
    }
    assert 429 in flood and 201 in flood
    assert all(answer.startswith(b"HTTP/1.1 400") for answer in raw)
    assert exit_code == 0
    # Proof that the test looks where the data is: the truncated networks are there, and so is the log.
    assert {"203.0.113.0", "2001:db8:abcd::"} <= networks
    assert "203.0.113.0" in stored and "2001:db8:abcd::" in stored
    assert '"POST /api/v1/consent" 201' in logs
    assert "/nieuws" in stored and "Aanmelden" in stored  # the analytics rows are in what was searched
    if backend == "postgresql" and shutil.which("pg_dump"):
        assert "COPY public.analytics_events" in stored  # pg_dump's output was searched too
    assert leaks(logs, CLIENT_V4, CLIENT_V6, SPOOFED) == []
    assert leaks(stored, CLIENT_V4, CLIENT_V6, SPOOFED) == []
    assert "ZeldzaamMerk" not in logs and "ZeldzaamMerk" not in stored
    assert "AppleWebKit" not in stored


def redis_unavailable(url: str = "redis://127.0.0.1:6379/13") -> str | None:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        client.flushdb()  # database 13 belongs to this test
    except redis.RedisError as exc:
        return f"no Redis answers at {url}: {exc}"
    return None


def test_rate_limit_holds_across_workers_with_redis_storage(tmp_path: Path) -> None:
    reason = redis_unavailable()
    if reason:
        pytest.skip(reason)
    settings = {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/13", "RATELIMIT_CONSENT": "5/minute"}
    with (
        fresh_database("sqlite", tmp_path) as database,
        running_server(database, tmp_path, settings, workers=4) as server,
    ):
        # Every request opens its own connection, so the four workers share them out between them.
        statuses = [server.post_consent().status for _ in range(12)]
    assert statuses.count(201) == 5, statuses
    assert statuses.count(429) == 7, statuses


def send_pageviews(server: ServerProcess, visitors: int, hits_each: int) -> list[int]:
    """Accept-all consents for some visitors, then pageviews of each; returns the collect statuses."""
    tokens = [server.post_consent(action="accept_all").json()["token"] for _ in range(visitors)]
    statuses = []
    for n in range(hits_each):
        for token in tokens:
            hit = {
                "site": "example",
                "token": token,
                "type": "pageview",
                "url": f"https://www.example.nl/p{n}",
            }
            reply = server.request("POST", "/api/v1/collect", json.dumps(hit).encode(), JSON_HEADERS)
            statuses.append(reply.status)
    return statuses


def stored_events(database: Database) -> int:
    return int(database.query("SELECT count(*) FROM analytics_events")[0][0])


def test_sigterm_writes_every_acknowledged_hit(backend: str, tmp_path: Path) -> None:
    # A flush interval longer than the test: the hits can only reach the database at shutdown.
    settings = {"COLLECT_FLUSH_MS": "600000"}
    with fresh_database(backend, tmp_path) as database:
        with running_server(database, tmp_path, settings) as server:
            statuses = send_pageviews(server, visitors=6, hits_each=5)
            waiting = stored_events(database)
            exit_code = server.stop()
        stored = stored_events(database)
        visits_pageviews = database.query("SELECT count(*), sum(pageviews) FROM analytics_sessions")[0]

    assert statuses == [202] * 30
    assert waiting == 0, "the hits should still be in the workers' buffers before the stop"
    assert exit_code == 0
    assert stored == 30
    assert tuple(visits_pageviews) == (6, 30)


def test_hits_older_than_the_flush_interval_survive_sigkill(backend: str, tmp_path: Path) -> None:
    settings = {"COLLECT_FLUSH_MS": "200"}
    with fresh_database(backend, tmp_path) as database:
        with running_server(database, tmp_path, settings) as server:
            statuses = send_pageviews(server, visitors=4, hits_each=5)
            time.sleep(1.0)  # five intervals: every acknowledged hit has had its batch written
            server.kill()
        stored = stored_events(database)

    assert statuses == [202] * 20
    assert stored == 20
