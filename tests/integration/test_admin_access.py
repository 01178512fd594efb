"""Who may use the admin pages: admins only. Marketing users get 404 on every admin route, as for a page
that does not exist; anonymous visitors go to the login form; every form needs its CSRF token."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from consent_server import create_app
from tests.conftest import app_settings

UNKNOWN = "11111111-2222-4333-8444-555555555555"
SAMPLE = {"key": "example", "user_id": 1, "key_id": 1, "scan_id": 1, "consent_id": UNKNOWN}


def _admin_routes() -> list[tuple[str, str]]:
    app = create_app(app_settings("sqlite://"))
    adapter = app.url_map.bind("localhost")
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/admin"):
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            routes.append(
                (adapter.build(rule.endpoint, {a: SAMPLE[a] for a in rule.arguments}, method=method), method)
            )
    return sorted(routes)


ADMIN_ROUTES = _admin_routes()


def test_the_admin_area_has_the_routes_of_the_issue() -> None:
    paths = {path for path, _ in ADMIN_ROUTES}
    assert {
        "/admin/",
        "/admin/sites",
        "/admin/users",
        "/admin/audit",
        "/admin/consents",
        "/admin/data",
    } <= paths
    assert len(ADMIN_ROUTES) >= 30


@pytest.mark.parametrize(("path", "method"), ADMIN_ROUTES)
def test_a_marketing_user_gets_404_on_every_admin_route(
    app: Flask, make_site: Any, make_user: Any, login_as: Any, path: str, method: str
) -> None:
    site = make_site()
    client = login_as(make_user("marketing", [site]), on=app.test_client())
    token = client.get("/").get_data(as_text=True).split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.open(path, method=method, data={"csrf_token": token})  # a valid form, of the wrong user
    assert response.status_code == 404, f"{method} {path}"


@pytest.mark.parametrize(("path", "method"), ADMIN_ROUTES)
def test_an_anonymous_visitor_is_sent_to_the_login_form(app: Flask, path: str, method: str) -> None:
    response = app.test_client().open(path, method=method)
    if method == "GET":
        assert response.status_code == 302 and response.location.startswith("/login"), path
    else:
        assert response.status_code in (302, 400), path  # the CSRF check may answer first
        if response.status_code == 302:
            assert response.location.startswith("/login")


def test_an_admin_form_without_its_csrf_token_is_refused(app: Flask, make_user: Any, login_as: Any) -> None:
    client = login_as(make_user("admin"), on=app.test_client())
    data = {"key": "x", "name": "X", "origins": "https://x.nl"}
    response = client.post("/admin/sites/new", data=data, headers={"Accept": "text/html"})
    assert response.status_code == 400
    assert "Formulier verlopen" in response.get_data(as_text=True)


def test_an_admin_form_with_its_csrf_token_is_accepted(app: Flask, make_user: Any, login_as: Any) -> None:
    client = login_as(make_user("admin"), on=app.test_client())
    page = client.get("/admin/sites/new").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    data = {"csrf_token": token, "key": "x", "name": "X", "origins": "https://x.nl"}
    assert client.post("/admin/sites/new", data=data).status_code == 303


def test_the_header_links_to_the_admin_pages_for_admins_only(
    app: Flask, make_site: Any, make_user: Any, login_as: Any
) -> None:
    site = make_site()
    admin = login_as(make_user("admin"), on=app.test_client())
    marketing = login_as(make_user("marketing", [site]), on=app.test_client())
    assert 'href="/admin/"' in admin.get("/").get_data(as_text=True)
    assert 'href="/admin/"' not in marketing.get("/").get_data(as_text=True)
