"""The public cookie declaration after admin changes: the date of the policy version, both languages, and
the visitor's own choice when the browser sends the widget's cookie to the consent server."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient

from consent_server.extensions import db
from consent_server.models import Site
from consent_server.tokens import ConsentTokens
from tests.conftest import TEST_SECRET
from tests.integration.admin_helpers import admin, admin_user, app_config, form_fields, with_values

__all__ = ["admin", "admin_user", "app_config"]


@pytest.fixture
def site(make_site: Any) -> Site:
    site = make_site()
    site.policy_updated_at = datetime(2026, 3, 4, 12, tzinfo=UTC)
    db.session.commit()
    return site


def change_texts(admin: FlaskClient, **changes: str) -> None:
    fields = form_fields(admin.get("/admin/sites/example/").get_data(as_text=True), "site-form")
    response = admin.post(
        "/admin/sites/example/", data=with_values(fields, {**changes, "action": "save", "confirmed": "yes"})
    )
    assert response.status_code == 303


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("nl", 'Versie 1 van\n    <time datetime="2026-03-04">4 maart 2026</time>'),
        ("en", 'Version 1 of\n    <time datetime="2026-03-04">4 March 2026</time>'),
    ],
)
def test_the_declaration_shows_the_date_of_the_policy_version(
    client: FlaskClient, site: Site, lang: str, text: str
) -> None:
    html = client.get(f"/sites/example/cookies?lang={lang}").get_data(as_text=True)
    assert text in html
    assert (
        client.get(f"/api/v1/sites/example/declaration?lang={lang}").get_json()["policy_date"] == "2026-03-04"
    )


def test_a_policy_bump_in_the_admin_moves_the_date_and_a_theme_change_does_not(
    admin: FlaskClient, site: Site
) -> None:
    change_texts(admin, **{"theme.radius": "3"})
    assert admin.get("/api/v1/sites/example/declaration").get_json()["policy_date"] == "2026-03-04"
    change_texts(admin, **{"services[4].cookies[2].texts.en.purpose": "Counts video views."})
    body = admin.get("/api/v1/sites/example/declaration?lang=en").get_json()
    assert body["policy_version"] == 2 and body["policy_date"] == datetime.now(UTC).date().isoformat()


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nl", ["Statistieken bijhouden", "Uw keuze", "3 dagen"]),
        ("en", ["Keep statistics", "Your choice", "3 days"]),
    ],
)
def test_a_category_added_in_the_admin_is_in_the_declaration_in_both_languages(
    admin: FlaskClient, site: Site, lang: str, expected: list[str]
) -> None:
    change_texts(
        admin,
        **{
            "categories[4].key": "stats",
            "categories[4].texts.nl.name": "Statistieken bijhouden",
            "categories[4].texts.en.name": "Keep statistics",
            "categories[4].texts.nl.description": "Tellen.",
            "categories[4].texts.en.description": "Counting.",
            "services[3].category": "stats",
            "services[3].cookies[0].name": "stat_id",
            "services[3].cookies[0].duration_days": "3",
            "services[3].cookies[0].texts.nl.purpose": "Telt.",
            "services[3].cookies[0].texts.en.purpose": "Counts.",
        },
    )
    html = admin.get(f"/sites/example/cookies?lang={lang}").get_data(as_text=True)
    for text in [*expected, "stat_id"]:
        assert text in html
    body = admin.get(f"/api/v1/sites/example/declaration?lang={lang}").get_json()
    assert body["categories"][-1]["key"] == "stats"


def cookie_for(site_key: str, consent_id: str, granted: list[str], version: int = 1) -> str:
    token = ConsentTokens(TEST_SECRET).sign(site_key, consent_id, granted, version)
    state = {"i": consent_id, "c": {key: True for key in granted}, "v": version, "t": token, "e": 0}
    return quote(json.dumps(state, separators=(",", ":")))


CONSENT_ID = "3f2b8c1e-5d4a-4b7e-9c2f-1a2b3c4d5e6f"


def test_the_declaration_shows_the_visitors_choice_when_the_browser_sends_it(
    client: FlaskClient, site: Site
) -> None:
    client.set_cookie("cs_consent", cookie_for("example", CONSENT_ID, ["necessary", "analytics"]))
    response = client.get("/sites/example/cookies?lang=en")
    html = response.get_data(as_text=True)
    assert "On: Necessary, Statistics." in html and CONSENT_ID in html
    assert response.headers["Cache-Control"] == "private, no-store"
    assert 'href="https://www.example.nl">Go to Example</a>' in html


@pytest.mark.parametrize(
    "cookie",
    [
        cookie_for("other", CONSENT_ID, ["necessary", "marketing"]),
        cookie_for("example", CONSENT_ID, ["necessary"]).replace(".", "-", 1),  # the token no longer verifies
        quote(json.dumps({"i": CONSENT_ID, "t": "forged"})),
        "%7Bnot json",
        "x" * 4000,
    ],
)
def test_a_forged_or_foreign_choice_is_not_shown(client: FlaskClient, site: Site, cookie: str) -> None:
    client.set_cookie("cs_consent", cookie)
    html = client.get("/sites/example/cookies?lang=en").get_data(as_text=True)
    assert "this page cannot read it" in html and CONSENT_ID not in html


def test_without_the_cookie_the_page_says_where_the_choice_is_changed(
    client: FlaskClient, site: Site
) -> None:
    response = client.get("/sites/example/cookies?lang=nl")
    html = response.get_data(as_text=True)
    assert "deze pagina kan haar niet lezen" in html and "Cookie-instellingen" in html
    assert "Cache-Control" not in response.headers or "no-store" not in response.headers["Cache-Control"]
