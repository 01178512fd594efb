"""Dashboard access: login, sessions, logout, CSRF, open redirects, throttling, audit, API keys, language."""

from __future__ import annotations

import functools
import re
import time
import uuid
from typing import Any

import pytest
from flask import Blueprint, Flask, jsonify
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from consent_server import create_app
from consent_server.accounts.services import set_password
from consent_server.auth import access, services
from consent_server.auth.access import (
    POLICY,
    admin_required,
    api_user_required,
    current_user,
    login_required,
    safe_next,
    visible_site,
)
from consent_server.auth.i18n import CATALOG, LANGUAGES
from consent_server.config import ConfigurationError, load_settings
from consent_server.extensions import db
from consent_server.models import ApiKey, AuditLog, User
from consent_server.timeutil import utcnow
from tests.conftest import app_settings
from tests.factories import consent_body

PASSWORD = "correct horse battery staple"
HTML = {"Accept": "text/html"}
CLIENT_ADDRESS = "198.51.100.77"  # the test client's address; only 198.51.100.0 may ever be stored


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = CLIENT_ADDRESS
    return client


@functools.cache
def password_hash() -> str:
    return generate_password_hash(PASSWORD)  # scrypt takes ~0.2 s: hash once per run


@pytest.fixture
def user(make_user: Any) -> User:
    user: User = make_user("marketing", email="marketing@example.nl")
    user.password_hash = password_hash()
    db.session.commit()
    return user


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def post_login(client: FlaskClient, email: str, password: str, query: str = "", **headers: str) -> Any:
    data = {"email": email, "password": password, "csrf_token": csrf_token(client)}
    return client.post(f"/login{query}", data=data, headers=headers)


def session_cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def audit(action: str) -> list[AuditLog]:
    return list(db.session.scalars(select(AuditLog).where(AuditLog.action == action)))


def fresh(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


# ---- the login form ------------------------------------------------------------------------------------


def test_login_form_labels_its_fields_in_dutch_by_default(client: FlaskClient) -> None:
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="nl">' in page
    assert '<label for="email">E-mail</label>' in page
    assert '<label for="password">Wachtwoord</label>' in page


def test_login_form_labels_its_fields_in_english_for_an_english_browser(client: FlaskClient) -> None:
    page = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.8"}).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert '<label for="email">Email</label>' in page
    assert '<label for="password">Password</label>' in page


def test_login_with_the_right_password_goes_to_the_start_page(client: FlaskClient, user: User) -> None:
    response = post_login(client, "marketing@example.nl", PASSWORD)
    assert (response.status_code, response.headers["Location"]) == (303, "/")
    assert client.get("/").status_code == 200


def test_login_ignores_case_and_spaces_in_the_email_address(client: FlaskClient, user: User) -> None:
    assert post_login(client, "  Marketing@Example.NL ", PASSWORD).status_code == 303


def test_login_with_a_wrong_password_shows_the_form_again_with_one_message(
    client: FlaskClient, user: User
) -> None:
    response = post_login(client, "marketing@example.nl", "wrong password")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Het e-mailadres of het wachtwoord klopt niet." in page
    assert 'value="marketing@example.nl"' in page
    assert client.get("/").status_code == 302


def test_unknown_email_and_wrong_password_get_the_same_answer(client: FlaskClient, user: User) -> None:
    def answer(email: str) -> tuple[int, str]:
        response = post_login(client, email, "wrong password")
        page = re.sub(r'value="[^"]*"', "", response.get_data(as_text=True))
        return response.status_code, page

    assert answer("marketing@example.nl") == answer("nobody@example.nl")


def test_unknown_email_costs_a_password_hash_like_a_known_one(app: Flask, user: User) -> None:
    def seconds(email: str) -> float:
        start = time.perf_counter()
        with pytest.raises(services.LoginRefused):
            services.authenticate(db.session, email, "wrong password")
        return time.perf_counter() - start

    known, unknown = seconds("marketing@example.nl"), seconds("nobody@example.nl")
    assert unknown > known / 3  # both verify one scrypt hash; without the dummy hash unknown is ~1000x faster


def test_deactivated_user_cannot_log_in(client: FlaskClient, make_user: Any) -> None:
    make_user(email="gone@example.nl", active=False).password_hash = password_hash()
    db.session.commit()
    response = post_login(client, "gone@example.nl", PASSWORD)
    assert response.status_code == 422
    assert client.get("/").status_code == 302


def test_empty_fields_are_named_in_the_form(client: FlaskClient) -> None:
    response = post_login(client, "", "")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'aria-describedby="email-error"' in page and 'aria-describedby="password-error"' in page
    assert page.count("Vul dit veld in.") == 2


def test_signed_in_user_opening_the_login_form_goes_to_next(
    client: FlaskClient, login_as: Any, user: User
) -> None:
    login_as(user)
    response = client.get("/login?next=/account/api-keys")
    assert (response.status_code, response.headers["Location"]) == (302, "/account/api-keys")


@pytest.mark.parametrize(
    "field",
    [
        {"email": "a\x00b@example.nl"},
        {"email": "x" * 100_000 + "@example.nl"},
        {"email": "<script>alert(1)</script>@example.nl"},
        {"email": "\u202e@example.nl"},
        {"password": "pass\x00word"},
        {"password": "p" * 50_000},
        {"email": ["two", "values"]},
    ],
    ids=["nul-email", "huge-email", "xss-email", "bidi-email", "nul-password", "huge-password", "repeated"],
)
def test_hostile_login_input_gets_a_re_rendered_form_never_a_500(
    client: FlaskClient, user: User, field: dict[str, Any]
) -> None:
    data = {"email": "marketing@example.nl", "password": "wrong", "csrf_token": csrf_token(client), **field}
    response = client.post("/login", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<script>alert(1)</script>" not in page
    assert "\x00" not in page


# ---- next: same-site paths only ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "///evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "evil.example",
        " /sites",
        "",
    ],
)
def test_login_never_redirects_off_site(client: FlaskClient, user: User, target: str) -> None:
    assert safe_next(target) is None
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": "marketing@example.nl", "password": PASSWORD, "csrf_token": csrf_token(client)},
    )
    assert (response.status_code, response.headers["Location"]) == (303, "/")


def test_login_goes_back_to_a_same_site_next_path(client: FlaskClient, user: User) -> None:
    response = post_login(client, "marketing@example.nl", PASSWORD, "?next=/account/api-keys%3Fx%3D1")
    assert response.headers["Location"] == "/account/api-keys?x=1"


def test_a_page_sends_anonymous_visitors_to_the_login_form_and_back(client: FlaskClient) -> None:
    response = client.get("/account/api-keys?tab=1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/account/api-keys?tab%3D1"


# ---- cookies and sessions ------------------------------------------------------------------------------


def test_session_cookie_is_httponly_and_samesite_lax(client: FlaskClient, user: User) -> None:
    cookie = post_login(client, "marketing@example.nl", PASSWORD).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_session_cookie_is_not_secure_over_plain_http_by_default(client: FlaskClient) -> None:
    assert "Secure" not in client.get("/login").headers["Set-Cookie"]


def test_session_cookie_is_secure_over_https(client: FlaskClient) -> None:
    assert "Secure" in client.get("/login", base_url="https://localhost").headers["Set-Cookie"]


@pytest.mark.parametrize("app_config", [{"COOKIE_SECURE": "always"}])
def test_cookie_secure_always_marks_cookies_secure_even_over_http(client: FlaskClient) -> None:
    assert "Secure" in client.get("/login").headers["Set-Cookie"]
    response = client.post("/account/language", data={"lang": "en", "csrf_token": csrf_token(client)})
    [language] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("lang=")]
    assert "Secure" in language


def test_login_starts_a_fresh_session(client: FlaskClient, user: User) -> None:
    with client.session_transaction() as session:
        session["planted"] = "before login"
    post_login(client, "marketing@example.nl", PASSWORD)
    with client.session_transaction() as session:
        assert "planted" not in session


def test_session_ends_after_its_lifetime(client: FlaskClient, login_as: Any, user: User) -> None:
    login_as(user)
    with client.session_transaction() as session:
        session[access.SESSION_STARTED] -= 12 * 3600 + 1
    assert client.get("/").status_code == 302


def test_a_session_with_a_malformed_user_id_is_anonymous(
    client: FlaskClient, login_as: Any, user: User
) -> None:
    login_as(user)
    with client.session_transaction() as session:
        session["_user_id"] = f"{user.id}"
    assert client.get("/").status_code == 302


def test_signed_in_pages_are_not_cached(client: FlaskClient, login_as: Any, user: User) -> None:
    login_as(user)
    assert client.get("/").headers["Cache-Control"] == "no-store"


# ---- logout and server-side session validity ---------------------------------------------------------------


def test_logout_ends_the_session(client: FlaskClient, login_as: Any, user: User) -> None:
    login_as(user)
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert (response.status_code, response.headers["Location"]) == (303, "/login")
    assert client.get("/").status_code == 302


def test_session_cookie_replayed_after_logout_is_refused(client: FlaskClient, user: User) -> None:
    post_login(client, "marketing@example.nl", PASSWORD)
    stolen = session_cookie(client)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    client.set_cookie("session", stolen)
    assert client.get("/").status_code == 302


def test_logout_ends_the_sessions_on_other_devices(
    app: Flask, client: FlaskClient, login_as: Any, user: User
) -> None:
    laptop, phone = client, login_as(user, on=app.test_client())
    login_as(user, on=laptop)
    laptop.post("/logout", data={"csrf_token": csrf_token(laptop, "/")})
    assert phone.get("/").status_code == 302


def test_password_change_ends_every_session(client: FlaskClient, login_as: Any, user: User) -> None:
    login_as(user)
    set_password(db.session, user, "another long password")
    db.session.commit()
    assert client.get("/").status_code == 302


def test_deactivation_ends_every_session(client: FlaskClient, login_as: Any, user: User) -> None:
    login_as(user)
    user.active = False
    db.session.commit()
    assert client.get("/").status_code == 302


def test_logout_says_so_on_the_login_form(client: FlaskClient, login_as: Any, user: User) -> None:
    login_as(user)
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/")}, follow_redirects=True)
    assert "U bent uitgelogd, op al uw apparaten." in response.get_data(as_text=True)


def test_logout_of_an_anonymous_visitor_just_shows_the_form(client: FlaskClient) -> None:
    response = client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert (response.status_code, response.headers["Location"]) == (303, "/login")


# ---- CSRF -------------------------------------------------------------------------------------------------


def test_login_without_a_csrf_token_is_refused(client: FlaskClient, user: User) -> None:
    response = client.post("/login", data={"email": "marketing@example.nl", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_login_with_the_csrf_token_of_another_browser_is_refused(
    app: Flask, client: FlaskClient, user: User
) -> None:
    foreign = csrf_token(app.test_client())
    data = {"email": "marketing@example.nl", "password": PASSWORD, "csrf_token": foreign}
    assert client.post("/login", data=data).status_code == 400


def test_logout_without_a_csrf_token_is_refused(client: FlaskClient, login_as: Any, user: User) -> None:
    login_as(user)
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200


def test_api_key_form_without_a_csrf_token_is_refused(client: FlaskClient, login_as: Any, user: User) -> None:
    login_as(user)
    assert client.post("/account/api-keys", data={"name": "report"}).status_code == 400
    assert db.session.scalar(select(ApiKey)) is None


def test_csrf_failure_on_a_page_is_a_page_that_says_what_to_do(client: FlaskClient) -> None:
    response = client.post("/login", data={"email": "x@example.nl", "password": "y"}, headers=HTML)
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert "Formulier verlopen" in response.get_data(as_text=True)


def test_widget_api_is_exempt_from_csrf(client: FlaskClient, make_site: Any) -> None:
    make_site()
    assert client.post("/api/v1/consent", json=consent_body()).status_code == 201


# ---- throttling -------------------------------------------------------------------------------------------


def test_sixth_failed_login_to_one_account_within_a_minute_is_throttled(
    client: FlaskClient, user: User
) -> None:
    statuses = [post_login(client, "marketing@example.nl", "wrong password").status_code for _ in range(6)]
    assert statuses == [422] * 5 + [429]


def test_account_throttle_refuses_even_the_right_password(client: FlaskClient, user: User) -> None:
    for _ in range(5):
        post_login(client, "marketing@example.nl", "wrong password")
    assert post_login(client, "marketing@example.nl", PASSWORD).status_code == 429
    assert client.get("/").status_code == 302


def test_account_throttle_ignores_case_and_spaces(client: FlaskClient, user: User) -> None:
    for email in (
        "MARKETING@example.nl",
        " marketing@EXAMPLE.nl",
        "Marketing@Example.nl ",
        "MARKETING@EXAMPLE.NL",
    ):
        post_login(client, email, "wrong password")
    post_login(client, "marketing@example.nl", "wrong password")
    assert post_login(client, "marketing@example.nl", "wrong password").status_code == 429


def test_successful_logins_do_not_count_against_the_limit(app: Flask, user: User) -> None:
    for _ in range(6):
        browser = app.test_client()
        browser.environ_base["REMOTE_ADDR"] = CLIENT_ADDRESS
        assert post_login(browser, "marketing@example.nl", PASSWORD).status_code == 303


@pytest.mark.parametrize("app_config", [{"RATELIMIT_LOGIN_IP": "3/minute"}])
def test_network_throttle_counts_failures_across_accounts(client: FlaskClient) -> None:
    statuses = [post_login(client, f"user{n}@example.nl", "wrong password").status_code for n in range(4)]
    assert statuses == [422, 422, 422, 429]


@pytest.mark.parametrize("app_config", [{"RATELIMIT_LOGIN_IP": "3/minute"}])
def test_network_throttle_leaves_other_networks_alone(app: Flask, client: FlaskClient) -> None:
    for n in range(4):
        post_login(client, f"user{n}@example.nl", "wrong password")
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    assert post_login(other, "user9@example.nl", "wrong password").status_code == 422


def test_throttled_login_is_a_friendly_page_with_retry_after(client: FlaskClient, user: User) -> None:
    for _ in range(5):
        post_login(client, "marketing@example.nl", "wrong password")
    response = post_login(client, "marketing@example.nl", "wrong password", **HTML)
    assert response.status_code == 429
    assert response.mimetype == "text/html"
    assert "Te veel pogingen" in response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) > 0


def test_throttling_is_not_applied_to_showing_the_form(client: FlaskClient, user: User) -> None:
    for _ in range(6):
        post_login(client, "marketing@example.nl", "wrong password")
    assert client.get("/login").status_code == 200


REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


@pytest.mark.skipif(not _redis_answers(), reason=f"no Redis answers at {REDIS_URL}")
@pytest.mark.parametrize("app_config", [{"RATELIMIT_STORAGE_URI": REDIS_URL}])
def test_login_throttle_holds_for_another_worker_sharing_redis(
    app: Flask, client: FlaskClient, database_url: str, make_user: Any
) -> None:
    email = f"{uuid.uuid4().hex[:12]}@example.nl"  # Redis outlives the test: a fresh account, a fresh count
    make_user(email=email).password_hash = password_hash()
    db.session.commit()
    for _ in range(5):
        post_login(client, email, "wrong password")
    other_worker = create_app(app_settings(database_url, RATELIMIT_STORAGE_URI=REDIS_URL))
    with other_worker.app_context():
        response = post_login(other_worker.test_client(), email, PASSWORD)
        db.session.remove()
    assert response.status_code == 429


# ---- audit ------------------------------------------------------------------------------------------------


def test_successful_login_is_audited_without_password_or_full_address(
    client: FlaskClient, user: User
) -> None:
    post_login(client, "marketing@example.nl", PASSWORD)
    [entry] = audit("login.success")
    assert entry.actor == "marketing@example.nl"
    assert entry.details == {"network": "198.51.100.0"}


def test_failed_login_is_audited_with_the_email_tried_and_never_the_password(
    client: FlaskClient, user: User
) -> None:
    post_login(client, "Marketing@Example.nl", "wrong password")
    post_login(client, "nobody@example.nl", "another wrong one")
    entries = audit("login.failure")
    assert [(e.target, e.details["reason"]) for e in entries] == [
        ("marketing@example.nl", "wrong_password"),
        ("nobody@example.nl", "unknown_email"),
    ]
    stored = repr([(e.actor, e.target, e.details) for e in entries])
    assert "wrong" not in stored.replace("wrong_password", "")
    assert CLIENT_ADDRESS not in stored and "198.51.100.0" in stored


def test_hostile_email_is_audited_without_control_characters(client: FlaskClient) -> None:
    post_login(client, "a\x00b\x1b[31m@example.nl", "wrong password")
    [entry] = audit("login.failure")
    assert entry.target == "ab[31m@example.nl"


def test_logout_is_audited(client: FlaskClient, login_as: Any, user: User) -> None:
    login_as(user)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert [entry.actor for entry in audit("logout")] == ["marketing@example.nl"]


# ---- the start page ---------------------------------------------------------------------------------------


def test_start_page_lists_only_the_sites_granted_to_a_marketing_user(
    client: FlaskClient, login_as: Any, make_site: Any, make_user: Any
) -> None:
    make_site()
    make_site(key="other", name="Other site", origins=["https://other.nl"], cookie_domain=None)
    login_as(make_user("marketing", ["example"]))
    page = client.get("/").get_data(as_text=True)
    assert 'href="/sites/example/"' in page
    assert "/sites/other/" not in page and "Other site" not in page


def test_start_page_lists_every_site_for_an_admin(
    client: FlaskClient, login_as: Any, make_site: Any, make_user: Any
) -> None:
    make_site()
    make_site(key="other", name="Other site", origins=["https://other.nl"], cookie_domain=None)
    login_as(make_user("admin"))
    page = client.get("/").get_data(as_text=True)
    assert 'href="/sites/example/"' in page and 'href="/sites/other/"' in page


def test_start_page_says_when_no_site_is_granted(client: FlaskClient, login_as: Any, make_user: Any) -> None:
    login_as(make_user("marketing"))
    assert "Er zijn nog geen sites aan u toegekend." in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/login", "/", "/account/api-keys"])
def test_pages_have_no_inline_script_style_or_handlers(
    client: FlaskClient, login_as: Any, make_user: Any, path: str
) -> None:
    if path != "/login":
        login_as(make_user("admin"))
    response = client.get(path)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert not re.search(r"<style|\sstyle=|\son[a-z]+=", page)
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


def test_logout_is_a_post_form_in_the_header(client: FlaskClient, login_as: Any, user: User) -> None:
    login_as(user)
    page = client.get("/").get_data(as_text=True)
    assert re.search(
        r'<form[^>]*method="post" action="/logout">\s*<input type="hidden" name="csrf_token"', page
    )


# ---- API keys ---------------------------------------------------------------------------------------------


def create_key(client: FlaskClient, name: str = "report") -> tuple[Any, str | None]:
    response = client.post("/account/api-keys", data={"name": name, "csrf_token": csrf_token(client, "/")})
    match = re.search(r'value="(csk_[^"]+)"', response.get_data(as_text=True))
    return response, match.group(1) if match else None


def test_a_new_api_key_is_shown_once(client: FlaskClient, login_as: Any, user: User) -> None:
    login_as(user)
    response, key = create_key(client)
    assert response.status_code == 201 and key is not None
    assert response.headers["Cache-Control"] == "no-store"
    assert key not in client.get("/account/api-keys").get_data(as_text=True)


def test_an_api_key_is_stored_as_its_sha256_hash_and_prefix_only(
    client: FlaskClient, login_as: Any, user: User
) -> None:
    login_as(user)
    _, key = create_key(client)
    assert key is not None
    stored = db.session.scalar(select(ApiKey))
    assert stored.key_hash == services.hash_api_key(key) and stored.prefix == key[:12]
    assert key not in repr([stored.name, stored.prefix, stored.key_hash])


def test_the_key_list_shows_names_and_prefixes(client: FlaskClient, login_as: Any, user: User) -> None:
    login_as(user)
    _, key = create_key(client, "monthly report")
    page = client.get("/account/api-keys").get_data(as_text=True)
    assert key is not None
    assert "monthly report" in page and key[:12] in page


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, "tab\there"])
def test_a_key_needs_a_printable_name(client: FlaskClient, login_as: Any, user: User, name: str) -> None:
    login_as(user)
    response, key = create_key(client, name)
    assert response.status_code == 422 and key is None
    assert "Geef de sleutel een naam van 1 tot 100 tekens." in response.get_data(as_text=True)


def test_a_revoked_key_no_longer_authenticates(
    client: FlaskClient, login_as: Any, user: User, probe: Any
) -> None:
    login_as(user)
    _, key = create_key(client)
    key_id = db.session.scalar(select(ApiKey.id))
    client.post(f"/account/api-keys/{key_id}/revoke", data={"csrf_token": csrf_token(client, "/")})
    assert probe.get("/api/v1/probe/me", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_revoking_a_key_of_another_user_is_404(
    app: Flask, client: FlaskClient, login_as: Any, user: User, make_user: Any
) -> None:
    other = make_user("marketing")
    login_as(other, on=(owner := app.test_client()))
    create_key(owner)
    key_id = db.session.scalar(select(ApiKey.id))
    login_as(user)
    response = client.post(
        f"/account/api-keys/{key_id}/revoke", data={"csrf_token": csrf_token(client, "/")}, headers=HTML
    )
    assert response.status_code == 404
    assert db.session.scalar(select(ApiKey.revoked_at)) is None


def test_api_key_creation_and_revocation_are_audited_without_the_key(
    client: FlaskClient, login_as: Any, user: User
) -> None:
    login_as(user)
    _, key = create_key(client)
    key_id = db.session.scalar(select(ApiKey.id))
    client.post(f"/account/api-keys/{key_id}/revoke", data={"csrf_token": csrf_token(client, "/")})
    entries = audit("api_key.create") + audit("api_key.revoke")
    assert [entry.actor for entry in entries] == ["marketing@example.nl"] * 2
    assert key is not None and key not in repr([(e.target, e.details) for e in entries])


def test_cli_creates_a_key_and_prints_it_once(app: Flask, user: User, probe: Any) -> None:
    result = app.test_cli_runner().invoke(args=["users", "api-key", "Marketing@Example.nl", "--name", "cron"])
    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1]
    assert probe.get("/api/v1/probe/me", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    assert [entry.actor for entry in audit("api_key.create")] == ["cli"]


def test_cli_api_key_for_an_unknown_user_fails(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["users", "api-key", "nobody@example.nl", "--name", "x"])
    assert result.exit_code == 2
    assert "no user" in result.output


# ---- the building blocks, on probe routes ------------------------------------------------------------------


@pytest.fixture
def probe(app: Flask, monkeypatch: pytest.MonkeyPatch) -> FlaskClient:
    """Probe views using each building block; marked "public" so only the decorator itself protects them,
    except `guarded`, which has no decorator and relies on POLICY alone."""
    bp = Blueprint("probe", __name__)

    @bp.get("/api/v1/probe/me")
    @api_user_required
    def me() -> Any:
        return jsonify(email=current_user.email, via="api_key" if current_user.api_key else "session")

    @bp.get("/api/v1/probe/sites/<key>")
    @api_user_required
    def api_site(key: str) -> Any:
        return jsonify(site=visible_site(key).key)

    @bp.get("/probe/page")
    @login_required
    def page() -> str:
        return "page"

    @bp.get("/probe/admin")
    @admin_required
    def admin() -> str:
        return "admin"

    @bp.get("/probe/guarded/<key>")
    def guarded(key: str) -> str:
        return "guarded"

    @bp.get("/probe/unlisted")
    def unlisted() -> str:
        return "unlisted"

    for endpoint in ("me", "api_site", "page", "admin"):
        monkeypatch.setitem(POLICY, f"probe.{endpoint}", "public")
    monkeypatch.setitem(POLICY, "probe.guarded", "site")
    app.register_blueprint(bp)
    return app.test_client()


@pytest.fixture
def api_key(user: User) -> str:
    _, key = services.create_api_key(db.session, user, "probe", utcnow())
    db.session.commit()
    return key


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_api_user_required_accepts_a_dashboard_session(probe: FlaskClient, login_as: Any, user: User) -> None:
    login_as(user, on=probe)
    assert probe.get("/api/v1/probe/me").get_json() == {"email": "marketing@example.nl", "via": "session"}


def test_api_user_required_accepts_a_bearer_api_key(probe: FlaskClient, api_key: str) -> None:
    response = probe.get("/api/v1/probe/me", headers=bearer(api_key))
    assert response.get_json() == {"email": "marketing@example.nl", "via": "api_key"}
    assert "Set-Cookie" not in response.headers


def test_api_user_required_refuses_anonymous_with_401_json(probe: FlaskClient) -> None:
    response = probe.get("/api/v1/probe/me")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].lower().startswith("bearer")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer csk_" + "A" * 43,
        "Bearer not-a-key",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Bearer csk_\x00" + "A" * 42,
        "Bearer " + "A" * 100_000,
    ],
    ids=["unknown", "malformed", "empty", "basic", "nul", "huge"],
)
def test_api_user_required_refuses_a_bad_authorization_header(probe: FlaskClient, header: str) -> None:
    assert probe.get("/api/v1/probe/me", headers={"Authorization": header}).status_code == 401


def test_a_bad_bearer_key_is_refused_even_with_a_session(
    probe: FlaskClient, login_as: Any, user: User
) -> None:
    login_as(user, on=probe)
    assert probe.get("/api/v1/probe/me", headers=bearer("csk_" + "A" * 43)).status_code == 401


def test_the_key_of_a_deactivated_user_is_refused(probe: FlaskClient, api_key: str, user: User) -> None:
    user.active = False
    db.session.commit()
    assert probe.get("/api/v1/probe/me", headers=bearer(api_key)).status_code == 401


def test_using_a_key_records_when_it_was_last_used(probe: FlaskClient, api_key: str) -> None:
    probe.get("/api/v1/probe/me", headers=bearer(api_key))
    db.session.expire_all()
    assert db.session.scalar(select(ApiKey.last_used_at)) is not None


def test_visible_site_answers_an_ungranted_site_exactly_like_a_missing_one(
    probe: FlaskClient, make_site: Any, make_user: Any, login_as: Any
) -> None:
    make_site()
    make_site(key="other", name="Other", origins=["https://other.nl"], cookie_domain=None)
    login_as(make_user("marketing", ["example"]), on=probe)
    granted = probe.get("/api/v1/probe/sites/example")
    ungranted, missing = probe.get("/api/v1/probe/sites/other"), probe.get("/api/v1/probe/sites/nope")
    assert granted.get_json() == {"site": "example"}
    assert (ungranted.status_code, ungranted.get_data()) == (missing.status_code, missing.get_data())
    assert ungranted.status_code == 404


def test_visible_site_lets_an_admin_see_every_site(
    probe: FlaskClient, make_site: Any, make_user: Any, login_as: Any
) -> None:
    make_site(key="other", name="Other", origins=["https://other.nl"], cookie_domain=None)
    login_as(make_user("admin"), on=probe)
    assert probe.get("/api/v1/probe/sites/other").get_json() == {"site": "other"}


@pytest.mark.parametrize("key", ["a\x00b", "x" * 5000, "%00", "<script>"])
def test_visible_site_refuses_hostile_keys_with_404(
    probe: FlaskClient, make_user: Any, login_as: Any, key: str
) -> None:
    login_as(make_user("admin"), on=probe)
    assert probe.get("/api/v1/probe/sites/" + key).status_code == 404


def test_login_required_sends_anonymous_visitors_to_the_login_form(probe: FlaskClient) -> None:
    response = probe.get("/probe/page")
    assert (response.status_code, response.headers["Location"]) == (302, "/login?next=/probe/page")


def test_admin_required_answers_404_to_a_marketing_user(
    probe: FlaskClient, login_as: Any, make_user: Any
) -> None:
    login_as(make_user("marketing"), on=probe)
    assert probe.get("/probe/admin", headers=HTML).status_code == 404


def test_admin_required_lets_an_admin_in(probe: FlaskClient, login_as: Any, make_user: Any) -> None:
    login_as(make_user("admin"), on=probe)
    assert probe.get("/probe/admin").get_data(as_text=True) == "admin"


def test_policy_protects_a_view_that_forgot_its_decorator(
    probe: FlaskClient, login_as: Any, make_user: Any, make_site: Any
) -> None:
    make_site()
    assert probe.get("/probe/guarded/example").status_code == 302
    login_as(make_user("marketing"), on=probe)
    assert probe.get("/probe/guarded/example").status_code == 404


def test_an_endpoint_without_a_policy_entry_is_refused(probe: FlaskClient, caplog: Any) -> None:
    assert probe.get("/probe/unlisted").status_code == 500
    assert "probe.unlisted has no access rule" in caplog.text


# ---- language -------------------------------------------------------------------------------------------


def test_language_switch_remembers_the_choice_and_goes_back(client: FlaskClient) -> None:
    data = {"lang": "en", "next": "/login?next=/x", "csrf_token": csrf_token(client)}
    response = client.post("/account/language", data=data)
    assert (response.status_code, response.headers["Location"]) == (303, "/login?next=/x")
    [language] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("lang=")]
    assert "lang=en" in language and "HttpOnly" in language and "SameSite=Lax" in language
    assert '<label for="email">Email</label>' in client.get("/login").get_data(as_text=True)


def test_chosen_language_beats_the_browser_language(client: FlaskClient) -> None:
    client.post("/account/language", data={"lang": "nl", "csrf_token": csrf_token(client)})
    page = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="nl">' in page


def test_language_switch_ignores_an_unknown_language_and_an_offsite_next(client: FlaskClient) -> None:
    data = {"lang": "xx", "next": "//evil.example/", "csrf_token": csrf_token(client)}
    response = client.post("/account/language", data=data)
    assert response.headers["Location"] == "/"
    assert not [c for c in response.headers.getlist("Set-Cookie") if c.startswith("lang=")]


def test_every_message_has_dutch_and_english() -> None:
    missing = [key for key, texts in CATALOG.items() if any(not texts.get(lang) for lang in LANGUAGES)]
    assert missing == []


def test_cookie_secure_setting_accepts_only_auto_or_always() -> None:
    assert load_settings({"CONSENT_COOKIE_SECURE": "always"})["COOKIE_SECURE"] == "always"
    with pytest.raises(ConfigurationError, match="CONSENT_COOKIE_SECURE"):
        load_settings({"CONSENT_COOKIE_SECURE": "never"})
