"""Route x role x site: every endpoint has an access rule in POLICY, and every route honours it.

The routes come from app.url_map, so a new route is covered the moment it exists. To add one:
1. give its endpoint a rule in POLICY (consent_server/auth/access.py): "public", "visitor-token",
   "login", "site" or "admin";
2. if its URL has an argument other than `key` (the site key), add a sample to SAMPLES below;
   if it needs query parameters to answer 200 (other than `site_id`, which "site" routes without a
   `key` argument get automatically), add them to QUERIES.

Each identity asks each "login", "site" and "admin" route, and the answer must be:
- anonymous (and an API key on a page, where only the session counts): 302 to /login on pages,
  401 on /api/ routes;
- marketing user with a grant for the site: allowed on "login" and "site", 404 on "admin";
- marketing user without that grant: allowed on "login", 404 on "site" and "admin";
- admin: allowed everywhere;
- on /api/ routes, the same users' API keys get the same answers as their sessions.
"Allowed" means the access layer let the request through: a 2xx/3xx (other than to /login) or the
view's own 400/409/422 for the sample input.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from sqlalchemy import select

from consent_server import create_app
from consent_server.auth import services
from consent_server.auth.access import POLICY, RULES
from consent_server.extensions import db
from consent_server.models import Scan, Site, User
from consent_server.timeutil import utcnow
from tests.conftest import app_settings

PROTECTED = ("login", "site", "admin")


@dataclass
class World:
    """What the samples can refer to: the site, and each identity's own user and API key."""

    site: Site
    users: dict[str, User]
    keys: dict[str, tuple[int, str]]  # identity -> (API key id, API key)
    identity: str

    @property
    def user(self) -> User | None:
        return self.users.get(self.identity)


def _scan_id(world: World) -> int:
    """A scan of the world's site (the admin's scan pages need one that exists)."""
    scan = db.session.scalar(select(Scan).where(Scan.site_id == world.site.id))
    if scan is None:
        scan = Scan(site_id=world.site.id, url="https://www.example.nl/", status="failed", error="sample")
        db.session.add(scan)
        db.session.commit()
    return scan.id


# URL argument name -> its value for the identity asking. Add yours here.
SAMPLES: dict[str, Callable[[World], Any]] = {
    "key": lambda world: world.site.key,
    "key_id": lambda world: world.keys[world.identity][0] if world.identity in world.keys else 1,
    "filename": lambda world: "app.css",
    "consent_id": lambda world: "11111111-2222-4333-8444-555555555555",
    # The admin's user pages: the identity's own account (with its own key for key_id), else the admin's.
    "user_id": lambda world: (world.user or world.users["admin"]).id,
    "scan_id": _scan_id,
    "table": lambda world: "devices",  # a CSV table of both statistics pages
}
# endpoint -> extra query parameters it needs to answer 200. Add yours here.
QUERIES: dict[str, dict[str, str]] = {
    "stats_api.breakdown_stats": {"property": "visit:source"},
}

# In this order: identities that are refused first, the admin last, so a route that changes something
# (revokes a key, deletes a site) changes it only after everybody else asked. Every identity has its
# own user and key, so one identity's change never spoils another's credentials.
IDENTITIES = (
    "anonymous",
    "api-key-ungranted",
    "api-key-granted",
    "api-key-admin",
    "marketing-ungranted",
    "marketing-granted",
    "admin",
)
ROLE = {
    "api-key-ungranted": ("marketing", False),
    "api-key-granted": ("marketing", True),
    "api-key-admin": ("admin", True),
    "marketing-ungranted": ("marketing", False),
    "marketing-granted": ("marketing", True),
    "admin": ("admin", True),
}


def _routes() -> list[tuple[str, str, str]]:
    # The same factory as the tests' app; it does no I/O, so it can run at collection time.
    app = create_app(app_settings("sqlite://"))
    return sorted(
        (rule.endpoint, rule.rule, method)
        for rule in app.url_map.iter_rules()
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
    )


ROUTES = _routes()
ENDPOINTS = {endpoint for endpoint, _, _ in ROUTES}
CHECKED = [route for route in ROUTES if POLICY.get(route[0]) in PROTECTED]


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"WTF_CSRF_ENABLED": False}  # CSRF has its own tests; here the access rule alone decides


def test_every_endpoint_has_an_access_rule() -> None:
    missing = sorted(ENDPOINTS - POLICY.keys())
    assert missing == [], (
        f"endpoints without an access rule: {missing}. Add each to POLICY in consent_server/auth/access.py "
        f"with one of {RULES}; if its URL has arguments other than `key` or needs query parameters, add "
        "samples to SAMPLES/QUERIES in tests/integration/test_access_matrix.py."
    )


def test_policy_lists_no_endpoint_that_does_not_exist() -> None:
    assert sorted(POLICY.keys() - ENDPOINTS) == [], "remove these stale entries from POLICY"


def test_every_rule_in_the_policy_is_known() -> None:
    assert {endpoint: rule for endpoint, rule in POLICY.items() if rule not in RULES} == {}


def test_the_matrix_checks_at_least_the_dashboard_shell() -> None:
    assert {"auth.index", "auth.api_keys", "auth.create_api_key", "auth.revoke_api_key"} <= {
        endpoint for endpoint, _, _ in CHECKED
    }


def expected(rule: str, identity: str, api: bool) -> str:
    if identity == "anonymous" or (identity.startswith("api-key") and not api):
        return "401" if api else "login"
    role, granted = ROLE[identity]
    if rule == "admin":
        return "allowed" if role == "admin" else "404"
    if rule == "site":
        return "allowed" if granted else "404"
    return "allowed"


def outcome(status: int, location: str | None) -> str:
    if 300 <= status < 400:
        return "login" if location and urlsplit(location).path == "/login" else "allowed"
    if status < 300 or status in (400, 409, 422):
        return "allowed"
    return {401: "401", 404: "404"}.get(status, f"status {status}")


@pytest.fixture
def world(app: Flask, make_site: Any, make_user: Any) -> Callable[[str], World]:
    site = make_site()
    users: dict[str, User] = {}
    keys: dict[str, tuple[int, str]] = {}
    for identity, (role, granted) in ROLE.items():
        users[identity] = make_user(role, [site] if granted and role != "admin" else [])
        api_key, secret = services.create_api_key(db.session, users[identity], "matrix", utcnow())
        keys[identity] = (api_key.id, secret)
    db.session.commit()
    return lambda identity: World(site, users, keys, identity)


@pytest.mark.parametrize(("endpoint", "rule_path", "method"), CHECKED, ids=lambda v: str(v))
def test_route_answers_every_identity_as_its_access_rule_says(
    app: Flask,
    login_as: Any,
    world: Callable[[str], World],
    endpoint: str,
    rule_path: str,
    method: str,
) -> None:
    rule = POLICY[endpoint]
    [url_rule] = [r for r in app.url_map.iter_rules() if r.endpoint == endpoint and r.rule == rule_path]
    missing = sorted(set(url_rule.arguments) - SAMPLES.keys())
    assert not missing, f"{endpoint}: add a sample for URL argument(s) {missing} to SAMPLES"
    wrong = []
    for identity in IDENTITIES:
        here = world(identity)
        values = {name: SAMPLES[name](here) for name in url_rule.arguments}
        path = app.url_map.bind("localhost").build(endpoint, values, method=method)
        query = dict(QUERIES.get(endpoint, {}))
        if rule == "site" and "key" not in url_rule.arguments:
            query.setdefault("site_id", here.site.key)
        client = app.test_client()
        headers = {"Accept": "text/html"}
        if identity.startswith("api-key"):
            headers["Authorization"] = f"Bearer {here.keys[identity][1]}"
        elif here.user is not None:
            login_as(here.user, on=client)

        response = client.open(path, method=method, query_string=query, headers=headers)

        got = outcome(response.status_code, response.headers.get("Location"))
        want = expected(rule, identity, path.startswith("/api/"))
        if got != want:
            wrong.append(f"{identity}: expected {want}, got {response.status_code} {response.location or ''}")
    assert wrong == [], f"{method} {rule_path} ({rule!r} rule):\n  " + "\n  ".join(wrong)
