"""The widget as served and the public cookie declaration."""

from __future__ import annotations

import gzip
import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.factories import site_document

WIDGET_BUDGET_GZIP = 10 * 1024  # JS + CSS + configuration of a four-category nl/en site


@pytest.fixture
def site(make_site: Any) -> Any:
    return make_site()


def test_widget_with_a_four_category_nl_en_configuration_fits_the_10kb_gzip_budget(
    client: Any, site: Any
) -> None:
    assert [c.key for c in site.categories] == ["necessary", "preferences", "analytics", "marketing"]
    assert set(site.texts) == {"nl", "en"}
    response = client.get("/w/example.js", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    size = len(response.data)
    print(f"widget served: {size} bytes gzip")
    assert size <= WIDGET_BUDGET_GZIP, f"{size} bytes gzip is over the {WIDGET_BUDGET_GZIP} budget"


def test_widget_is_served_precompressed_with_brotli_and_gzip_and_plain(client: Any, site: Any) -> None:
    plain = client.get("/w/example.js", headers={"Accept-Encoding": "identity"})
    zipped = client.get("/w/example.js", headers={"Accept-Encoding": "gzip"})
    brotli_ = client.get("/w/example.js", headers={"Accept-Encoding": "br, gzip"})
    import brotli

    assert "Content-Encoding" not in plain.headers
    assert gzip.decompress(zipped.data) == plain.data
    assert brotli_.headers["Content-Encoding"] == "br"
    assert brotli.decompress(brotli_.data) == plain.data
    assert plain.mimetype == "application/javascript"
    assert "Accept-Encoding" in plain.headers["Vary"]


def test_widget_embeds_the_sites_configuration_in_one_response(client: Any, site: Any) -> None:
    body = client.get("/w/example.js").get_data(as_text=True)
    assert "__CONFIG__" not in body
    assert '"k":"example"' in body and "Alles weigeren" in body and "Reject all" in body
    assert "--a:#154273" in body  # the theme's accent, under its short served name


def test_every_custom_property_is_served_under_its_short_name_and_set_on_the_host(
    client: Any, site: Any
) -> None:
    body = client.get("/w/example.js").get_data(as_text=True)
    assert "--cs-" not in body
    host = re.search(r":host\{(--[^}]*)\}", body)
    assert host is not None
    declared = {part.split(":", 1)[0] for part in host.group(1).split(";")}
    used = set(re.findall(r"var\((--[a-z]+)\)", body))
    assert used and used <= declared, used - declared


def test_widget_is_revalidated_with_its_etag(client: Any, site: Any) -> None:
    first = client.get("/w/example.js")
    assert first.headers["Cache-Control"] == "public, no-cache"
    etag = first.headers["ETag"]
    again = client.get("/w/example.js", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""


def test_a_configuration_change_changes_the_widget_on_the_next_load(client: Any, make_site: Any) -> None:
    make_site()
    etag = client.get("/w/example.js").headers["ETag"]
    doc = site_document()
    doc["texts"]["nl"]["title"] = "Nieuwe titel"
    make_site(texts=doc["texts"])
    response = client.get("/w/example.js", headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "Nieuwe titel" in response.get_data(as_text=True)


def test_site_texts_cannot_break_out_of_the_script(client: Any, make_site: Any) -> None:
    doc = site_document()
    doc["texts"]["en"]["title"] = "</script><script>alert(1)</script>\u2028"
    make_site(texts=doc["texts"])
    body = client.get("/w/example.js").get_data(as_text=True)
    assert "</script>" not in body and "\u2028" not in body
    assert "\\u003c/script>" in body


def test_widget_of_an_unknown_site_is_404(client: Any, site: Any) -> None:
    assert client.get("/w/nosuch.js").status_code == 404


def test_widget_may_be_loaded_cross_origin(client: Any, site: Any) -> None:
    assert client.get("/w/example.js").headers["Cross-Origin-Resource-Policy"] == "cross-origin"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "nl",
            ["Cookieverklaring", "Noodzakelijk", "altijd aan", "1 jaar", "tot het sluiten van de browser"],
        ),
        ("en", ["Cookie declaration", "Necessary", "always on", "1 year", "until the browser closes"]),
    ],
)
def test_declaration_page_lists_categories_cookies_and_durations(
    client: Any, site: Any, lang: str, expected: list[str]
) -> None:
    page = client.get(f"/sites/example/cookies?lang={lang}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    for text in [*expected, "cs_consent", "VISITOR_INFO1_LIVE", "Google Ireland Ltd."]:
        assert text in html


def test_declaration_page_follows_accept_language_without_lang(client: Any, site: Any) -> None:
    html = client.get("/sites/example/cookies", headers={"Accept-Language": "en-GB,en;q=0.8"}).get_data(
        as_text=True
    )
    assert '<html lang="en">' in html


def test_declaration_page_escapes_configured_texts(client: Any, make_site: Any) -> None:
    doc = site_document()
    doc["categories"][2]["texts"]["nl"]["name"] = '<img src=x onerror="alert(1)">'
    make_site(categories=doc["categories"])
    html = client.get("/sites/example/cookies?lang=nl").get_data(as_text=True)
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html


def test_declaration_json_matches_the_configuration(client: Any, site: Any) -> None:
    body = client.get("/api/v1/sites/example/declaration?lang=en").get_json()
    assert body["language"] == "en" and body["policy_version"] == 1
    assert [c["key"] for c in body["categories"]] == ["necessary", "preferences", "analytics", "marketing"]
    marketing = body["categories"][3]
    assert {s["name"] for s in marketing["services"]} == {"YouTube", "LinkedIn Insight"}
    assert json.dumps(body)  # serialisable as documented


def test_declaration_of_an_unknown_site_is_404(client: Any, site: Any) -> None:
    assert client.get("/sites/nosuch/cookies").status_code == 404
    assert client.get("/api/v1/sites/nosuch/declaration").get_json()["error"]["code"] == "site_not_found"


def test_the_widget_carries_the_policy_version_and_its_date_in_both_languages(
    client: Any, site: Any, app: Any
) -> None:
    from consent_server.embed.services import widget_config
    from consent_server.extensions import db

    site.policy_version = 3
    site.policy_updated_at = datetime(2026, 9, 4, 10, 0, tzinfo=UTC)
    db.session.commit()
    config = widget_config(site, "")
    assert config["pd"] == {"nl": "Versie 3 van 4 september 2026.", "en": "Version 3 of 4 September 2026."}
    assert "Versie 3 van 4 september 2026." in client.get("/w/example.js").get_data(as_text=True)
