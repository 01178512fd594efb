"""The statistics pages in Chromium: axe-core finds nothing (nl and en), a phone-sized window never
scrolls sideways, a click on a row filters the page, and hostile values collected as page paths,
referrers, utm values and event names stay text: no script runs, no element or `javascript:` link is
injected, and the page still answers 200 showing them escaped.

The module's consent server holds two weeks of seeded demo traffic (consent_server.demo_data) plus
visits sent through the real consent and collect APIs carrying the hostile values.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from playwright.sync_api import Page, expect

from consent_server.accounts.services import create_user
from consent_server.analytics.rollups import refresh_day
from consent_server.demo_data import seed_demo_traffic
from consent_server.extensions import db
from consent_server.models import Site
from consent_server.timeutil import utcnow
from tests.browser.support import SITE_KEY, Servers
from tests.browser.test_login import CSP_RECORDER, assert_no_axe_violations
from tests.factories import CHROME_UA

EMAIL = "statistics@example.nl"
PASSWORD = "correct horse battery staple"
# Each sets a global when it runs; the test then checks that none did.
XSS_PATH = '/"><img src=x onerror="window.__xss=1">'
XSS_SOURCE = '"><svg onload="window.__xss=2">'
XSS_CAMPAIGN = "javascript:window.__xss=3"
XSS_MEDIUM = "<script>window.__xss=4</script>"
XSS_EVENT = '<img src=x onerror="window.__xss=5">'
XSS_REFERRER = 'https://"><img src=x onerror="window.__xss=6">.example/'
XSS_VISITORS = 6  # more than the floor (5), so every hostile value is a row of its own


def collect_hostile_visits(client: FlaskClient, origin: str) -> None:
    """Visitors who consent through the consent API and send hostile values through the collector."""
    headers = {"Origin": origin, "User-Agent": CHROME_UA}
    query = f"utm_source={XSS_SOURCE}&utm_medium={XSS_MEDIUM}&utm_campaign={XSS_CAMPAIGN}"
    for _ in range(XSS_VISITORS):
        consent = client.post(
            "/api/v1/consent",
            json={
                "site": SITE_KEY,
                "categories": {"analytics": True},
                "policy_version": 1,
                "action": "accept_all",
                "language": "nl",
            },
            headers=headers,
        )
        token = consent.get_json()["token"]
        page = {
            "site": SITE_KEY,
            "token": token,
            "type": "pageview",
            "url": f"https://www.example.nl{XSS_PATH}?{query}",
        }
        assert (
            client.post(
                "/api/v1/collect", json={**page, "referrer": XSS_REFERRER}, headers=headers
            ).status_code
            == 202
        )
        event = {"site": SITE_KEY, "token": token, "type": "event", "url": page["url"], "name": XSS_EVENT}
        assert client.post("/api/v1/collect", json=event, headers=headers).status_code == 202


@pytest.fixture(scope="module", autouse=True)
def statistics(servers: Servers) -> Iterator[None]:
    servers.import_site()
    app = servers.app
    with app.app_context():
        create_user(db.session, EMAIL, "marketing", [SITE_KEY], PASSWORD, actor="test")
        db.session.commit()
        site = db.session.query(Site).filter_by(key=SITE_KEY).one()
        # Up to yesterday, so that today holds only the hostile visits, each a row of its own: with
        # smaller rows beside them the floor would fold them into "(other)" (the smallest rows above k go
        # first).
        seed_demo_traffic(db.session, site, utcnow() - timedelta(days=1), days=14, scale=0.3)
        collect_hostile_visits(app.test_client(), servers.host)
        refresh_day(db.session, utcnow().date())
        db.session.commit()
        db.session.remove()
    yield


def log_in(page: Page, servers: Servers, lang: str = "nl") -> None:
    page.set_extra_http_headers({"Accept-Language": lang})
    page.goto(servers.consent + "/login")
    page.get_by_label("E-mail" if lang == "nl" else "Email", exact=True).fill(EMAIL)
    page.get_by_label("Wachtwoord" if lang == "nl" else "Password").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen" if lang == "nl" else "Log in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def stats_url(servers: Servers, path: str = "", query: str = "") -> str:
    return f"{servers.consent}/sites/{SITE_KEY}/{path}{'?' + query if query else ''}"


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("path", ["", "consent"])
def test_statistics_pages_have_no_axe_violations(page: Page, servers: Servers, lang: str, path: str) -> None:
    log_in(page, servers, lang)
    page.goto(stats_url(servers, path))
    expect(page.locator("html")).to_have_attribute("lang", lang)
    page.locator("details").evaluate_all("nodes => nodes.forEach(node => node.open = true)")
    assert_no_axe_violations(page)


def test_filtered_page_with_its_chips_has_no_axe_violations(page: Page, servers: Servers) -> None:
    log_in(page, servers)
    page.goto(stats_url(servers, query="period=7d&filters=visit:device==mobile;visit:channel==search"))
    expect(page.get_by_role("heading", name="Filters")).to_be_visible()
    assert_no_axe_violations(page)


@pytest.mark.parametrize("path", ["", "consent"])
def test_a_phone_sized_window_never_scrolls_sideways(page: Page, servers: Servers, path: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, servers)
    for period in ("day", "30d", "12mo"):
        page.goto(stats_url(servers, path, f"period={period}"))
        page.locator("details").evaluate_all("nodes => nodes.forEach(node => node.open = true)")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), period


def test_phone_shows_the_cards_and_period_links_within_the_screen(page: Page, servers: Servers) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, servers)
    page.goto(stats_url(servers))
    expect(page.get_by_role("link", name="7 dagen")).to_be_in_viewport()
    card = page.locator(".stat-card").first
    box = card.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360


def test_clicking_a_row_filters_the_page_and_the_chip_removes_it(page: Page, servers: Servers) -> None:
    log_in(page, servers)
    page.goto(stats_url(servers, query="period=7d"))
    everyone = page.locator(".stat-card").nth(1).locator(".stat-card__value").inner_text()
    page.locator("#table-devices").get_by_role("link", name="Computer").click()
    expect(page).to_have_url(f"{stats_url(servers)}?period=7d&filters=visit:device%3D%3Ddesktop")
    expect(page.get_by_text("Apparaat is Computer", exact=True)).to_be_visible()
    expect(page.locator(".stat-card").nth(1).locator(".stat-card__value")).not_to_have_text(everyone)
    page.get_by_role("link", name="Filter weghalen: Apparaat is Computer").click()
    expect(page).to_have_url(f"{stats_url(servers)}?period=7d")
    expect(page.get_by_text("Apparaat is Computer", exact=True)).to_have_count(0)
    expect(page.locator(".stat-card").nth(1).locator(".stat-card__value")).to_have_text(everyone)


def test_period_links_and_the_custom_period_form_work_without_javascript(
    browser: Any, servers: Servers
) -> None:
    context = browser.new_context(java_script_enabled=False, user_agent=CHROME_UA)
    page = context.new_page()
    try:
        log_in(page, servers)
        page.goto(stats_url(servers))
        page.get_by_role("link", name="7 dagen").click()
        expect(page.get_by_role("link", name="7 dagen")).to_have_attribute("aria-current", "true")
        page.get_by_text("Eigen periode kiezen").click()
        page.get_by_label("Van", exact=True).fill("2026-01-01")
        page.get_by_label("Tot en met", exact=True).fill("2026-01-31")
        page.get_by_role("button", name="Tonen").click()
        expect(page.locator(".period__range")).to_have_text("1 januari 2026 t/m 31 januari 2026")
    finally:
        context.close()


def test_pages_cause_no_csp_violation(page: Page, servers: Servers) -> None:
    page.add_init_script(CSP_RECORDER)
    log_in(page, servers)
    for path in ("", "consent"):
        page.goto(stats_url(servers, path))
        assert page.evaluate("window.__cspViolations") == []


def hostile_page_is_inert(page: Page) -> None:
    assert page.evaluate("window.__xss") is None
    injected = "img[src='x'], svg[onload], script:not([src]), [onerror], [onload]"
    assert page.locator(injected).count() == 0
    assert page.locator("a[href^='javascript:' i]").count() == 0


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_hostile_values_are_shown_as_text_and_never_run(page: Page, servers: Servers, lang: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, servers, lang)
    response = page.goto(stats_url(servers, query="period=day"))
    assert response is not None and response.status == 200
    for value in (XSS_PATH, XSS_SOURCE, XSS_CAMPAIGN, XSS_MEDIUM, XSS_EVENT):
        expect(page.get_by_role("link", name=value).first).to_be_visible()
    hostile_page_is_inert(page)
    assert dialogs == []


def test_filtering_on_a_hostile_value_keeps_it_text(page: Page, servers: Servers) -> None:
    log_in(page, servers)
    page.goto(stats_url(servers, query="period=day"))
    page.locator("#table-events").get_by_role("link").filter(has_text=XSS_EVENT).click()
    expect(page.get_by_text(f"Gebeurtenis is {XSS_EVENT}", exact=True)).to_be_visible()
    hostile_page_is_inert(page)
    page.locator("#table-utm-campaigns").get_by_role("link").filter(has_text=XSS_CAMPAIGN).click()
    expect(page.get_by_text(f"UTM-campagne is {XSS_CAMPAIGN}", exact=True)).to_be_visible()
    hostile_page_is_inert(page)


def test_hostile_values_stay_text_in_the_expanded_table(page: Page, servers: Servers) -> None:
    log_in(page, servers)
    page.goto(stats_url(servers, query="period=day&show=pages&metric=pageviews"))
    page.locator("details").evaluate_all("nodes => nodes.forEach(node => node.open = true)")
    expect(page.get_by_role("link", name=XSS_PATH).first).to_be_visible()
    hostile_page_is_inert(page)
