"""User administration: create, change role and grants, deactivate, reset a password, API keys; audited,
and never with a password, hash or key in the audit log."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.security import check_password_hash

from consent_server.extensions import db
from consent_server.models import ApiKey, AuditLog, User
from tests.integration.admin_helpers import admin, admin_user, app_config, audit

__all__ = ["admin", "admin_user", "app_config"]


def user(email: str) -> User:
    db.session.expire_all()
    found = db.session.scalar(select(User).where(User.email == email))
    assert found is not None
    return found


def shown_secret(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}" class="secret" type="text" value="([^"]+)"', html)
    assert match, html[:2000]
    return match.group(1)


def audit_text() -> str:
    return json.dumps(
        [[e.actor, e.action, e.target, e.details] for e in db.session.scalars(select(AuditLog))]
    )


@pytest.fixture
def marketing(make_user: Any, make_site: Any) -> User:
    make_site()
    return make_user("marketing", ["example"], email="marketing@example.org")


def test_a_new_user_without_a_password_gets_one_generated_and_shown_once(
    admin: FlaskClient, make_site: Any
) -> None:
    make_site()
    response = admin.post(
        "/admin/users/new", data={"email": "New@Example.org", "role": "marketing", "sites": "example"}
    )
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    password = shown_secret(response.get_data(as_text=True), "new-password")
    created = user("new@example.org")
    assert created.role == "marketing" and [site.key for site in created.sites] == ["example"]
    assert check_password_hash(created.password_hash, password) and len(password) >= 12
    [entry] = audit("user.create")
    assert entry.actor == "admin@example.org" and entry.details == {"role": "marketing", "sites": ["example"]}
    assert password not in audit_text() and created.password_hash not in audit_text()


def test_a_new_user_with_a_typed_password_goes_to_the_user_page(admin: FlaskClient) -> None:
    response = admin.post(
        "/admin/users/new",
        data={"email": "typed@example.org", "role": "admin", "password": "a good long password"},
    )
    assert response.status_code == 303
    assert check_password_hash(user("typed@example.org").password_hash, "a good long password")
    assert "a good long password" not in audit_text()


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"email": "", "role": "marketing"}, "user-email", "Vul dit veld in"),
        ({"email": "not-an-address", "role": "marketing"}, "user-email", "geldig e-mailadres"),
        ({"email": "a\x00b@example.org", "role": "marketing"}, "user-email", "geldig e-mailadres"),
        ({"email": "x@example.org", "role": "root"}, "role", "Kies een rol"),
        (
            {"email": "x@example.org", "role": "marketing", "password": "short"},
            "user-password",
            "minstens 12",
        ),
        (
            {"email": "x@example.org", "role": "marketing", "password": "p\x00" * 10},
            "user-password",
            "niet-toegestane",
        ),
        ({"email": "x@example.org", "role": "marketing", "sites": "nosuch"}, "sites", "bestaat niet"),
        ({"email": "admin@example.org", "role": "marketing"}, "user-email", "Er is al een gebruiker"),
    ],
)
def test_a_new_user_is_refused_next_to_the_field(
    admin: FlaskClient, form: dict[str, str], field: str, message: str
) -> None:
    response = admin.post("/admin/users/new", data=form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html and message in html
    assert db.session.scalar(select(User).where(User.email == "x@example.org")) is None


def test_changing_role_and_grants_is_audited_with_before_and_after(
    admin: FlaskClient, marketing: User, make_site: Any
) -> None:
    make_site(key="second", name="Second")
    response = admin.post(
        f"/admin/users/{marketing.id}", data={"role": "marketing", "sites": ["example", "second"]}
    )
    assert response.status_code == 303
    assert sorted(site.key for site in user("marketing@example.org").sites) == ["example", "second"]
    [entry] = audit("user.update")
    assert entry.target == "marketing@example.org"
    assert entry.details["changes"] == {"sites": {"before": ["example"], "after": ["example", "second"]}}
    admin.post(f"/admin/users/{marketing.id}", data={"role": "admin"})
    assert user("marketing@example.org").role == "admin"
    assert audit("user.update")[1].details["changes"]["role"] == {"before": "marketing", "after": "admin"}


def test_an_admin_cannot_change_their_own_role(admin: FlaskClient, admin_user: User) -> None:
    response = admin.post(f"/admin/users/{admin_user.id}", data={"role": "marketing"})
    assert response.status_code == 422
    assert "eigen rol" in response.get_data(as_text=True)
    assert user("admin@example.org").role == "admin"


def test_deactivation_ends_the_users_sessions_and_keys_and_is_audited(
    app: Flask, admin: FlaskClient, marketing: User, login_as: Any
) -> None:
    other = login_as(marketing, on=app.test_client())
    assert other.get("/").status_code == 200
    response = admin.post(f"/admin/users/{marketing.id}/active", data={"active": "0"})
    assert response.status_code == 303
    account = user("marketing@example.org")
    assert not account.active and account.deactivated_at is not None
    assert other.get("/").status_code == 302  # the session ended
    [entry] = audit("user.deactivate")
    assert entry.details["changes"] == {"active": {"before": True, "after": False}}
    admin.post(f"/admin/users/{marketing.id}/active", data={"active": "1"})
    assert user("marketing@example.org").active and audit("user.reactivate")


def test_an_admin_cannot_deactivate_themselves(admin: FlaskClient, admin_user: User) -> None:
    response = admin.post(f"/admin/users/{admin_user.id}/active", data={"active": "0"})
    assert response.status_code == 422
    assert user("admin@example.org").active


def test_a_password_reset_shows_the_new_password_once_and_ends_sessions(
    app: Flask, admin: FlaskClient, marketing: User, login_as: Any
) -> None:
    other = login_as(marketing, on=app.test_client())
    response = admin.post(f"/admin/users/{marketing.id}/password")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    password = shown_secret(response.get_data(as_text=True), "new-password")
    assert check_password_hash(user("marketing@example.org").password_hash, password)
    assert other.get("/").status_code == 302
    [entry] = audit("user.password")
    assert entry.actor == "admin@example.org" and entry.target == "marketing@example.org"
    assert password not in audit_text()


def test_an_admin_creates_and_revokes_a_users_api_key(admin: FlaskClient, marketing: User) -> None:
    response = admin.post(f"/admin/users/{marketing.id}/api-keys", data={"name": "rapport"})
    assert response.status_code == 201 and response.headers["Cache-Control"] == "no-store"
    secret = shown_secret(response.get_data(as_text=True), "new-key")
    key = db.session.scalar(select(ApiKey))
    assert key is not None and key.user_id == marketing.id and secret.startswith(key.prefix)
    assert audit("api_key.create")[0].actor == "admin@example.org"
    assert secret not in audit_text()
    revoke = admin.post(f"/admin/users/{marketing.id}/api-keys/{key.id}/revoke")
    assert revoke.status_code == 303
    db.session.expire_all()
    assert db.session.get(ApiKey, key.id).revoked_at is not None  # type: ignore[union-attr]
    assert audit("api_key.revoke")[0].actor == "admin@example.org"


def test_a_key_of_another_user_cannot_be_revoked_through_this_user(
    admin: FlaskClient, marketing: User, admin_user: User
) -> None:
    from consent_server.auth.services import create_api_key
    from consent_server.timeutil import utcnow

    key, _ = create_api_key(db.session, admin_user, "own", utcnow())
    db.session.commit()
    assert admin.post(f"/admin/users/{marketing.id}/api-keys/{key.id}/revoke").status_code == 404


def test_the_user_pages_escape_what_users_typed(admin: FlaskClient, marketing: User) -> None:
    admin.post(f"/admin/users/{marketing.id}/api-keys", data={"name": "<b>key</b>"})
    html = admin.get(f"/admin/users/{marketing.id}").get_data(as_text=True)
    assert "<b>key</b>" not in html and "&lt;b&gt;key&lt;/b&gt;" in html
    assert admin.get("/admin/users/999999").status_code == 404
