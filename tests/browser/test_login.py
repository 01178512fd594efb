"""The dashboard shell in Chromium: keyboard login, the strict CSP holds, and axe-core finds nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import axe_playwright_python
import pytest
from playwright.sync_api import Page, expect

from consent_server.accounts.services import create_user
from consent_server.extensions import db
from tests.browser.support import Servers

AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
EMAIL = "marketing@example.nl"
PASSWORD = "correct horse battery staple"
# Records every CSP violation on the page; init scripts run before the page's own and outside its CSP.
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});
"""


@pytest.fixture(scope="module", autouse=True)
def marketing_user(servers: Servers) -> Iterator[None]:
    servers.import_site()
    with servers.app.app_context():
        create_user(db.session, EMAIL, "marketing", ["example"], PASSWORD, actor="test")
        db.session.commit()
        db.session.remove()
    yield


@pytest.fixture(autouse=True)
def dutch_browser(page: Page) -> None:
    page.set_extra_http_headers({"Accept-Language": "nl-NL,nl;q=0.9"})


def run_axe(page: Page) -> dict[str, Any]:
    # Evaluated through DevTools, not a <script> tag: the dashboard's CSP would rightly block an inline one.
    page.evaluate(AXE_SOURCE)
    return dict(page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS))


def assert_no_axe_violations(page: Page) -> None:
    results = run_axe(page)
    problems = [
        f"{rule['id']} ({rule['impact']}): {rule['help']} at {[node['target'] for node in rule['nodes']]}"
        for rule in results["violations"] + results["incomplete"]
    ]
    assert problems == []


def log_in(page: Page, servers: Servers) -> None:
    page.goto(servers.consent + "/login")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Uw sites")).to_be_visible()


def test_keyboard_alone_logs_in_through_the_skip_link(page: Page, servers: Servers) -> None:
    page.goto(servers.consent + "/login")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_label("E-mail")).to_be_focused()
    page.keyboard.type(EMAIL)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Wachtwoord")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Uw sites")).to_be_visible()
    assert page.url == servers.consent + "/"
    expect(page.get_by_role("link", name="Example")).to_have_attribute("href", "/sites/example/")


def test_login_logout_and_api_keys_cause_no_csp_violation(page: Page, servers: Servers) -> None:
    page.add_init_script(CSP_RECORDER)
    log_in(page, servers)
    page.get_by_role("link", name="API-sleutels").click()
    page.get_by_label("Naam").fill("browser test")
    page.get_by_role("button", name="Sleutel aanmaken").click()
    expect(page.get_by_label("API-sleutel", exact=True)).to_have_value(re.compile(r"^csk_"))
    violations = page.evaluate("window.__cspViolations")
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_label("E-mail")).to_be_visible()
    assert violations + page.evaluate("window.__cspViolations") == []


def test_language_switch_turns_the_login_form_english(page: Page, servers: Servers) -> None:
    page.goto(servers.consent + "/login?next=/account/api-keys")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_label("Email", exact=True)).to_be_visible()
    expect(page.get_by_label("Password")).to_be_visible()
    assert page.url == servers.consent + "/login?next=/account/api-keys"
    expect(page.locator("html")).to_have_attribute("lang", "en")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_login_form_has_no_axe_violations(page: Page, servers: Servers, lang: str) -> None:
    page.set_extra_http_headers({"Accept-Language": lang})
    page.goto(servers.consent + "/login")
    page.get_by_role("button").last.click()  # submit empty: the browser's own validation stops it
    assert_no_axe_violations(page)


def test_failed_login_message_has_no_axe_violations(page: Page, servers: Servers) -> None:
    page.goto(servers.consent + "/login")
    page.get_by_label("E-mail").fill("nobody@example.nl")
    page.get_by_label("Wachtwoord").fill("wrong password")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert")).to_contain_text("klopt niet")
    assert_no_axe_violations(page)


def test_start_page_has_no_axe_violations(page: Page, servers: Servers) -> None:
    log_in(page, servers)
    assert_no_axe_violations(page)


def test_api_keys_page_with_a_new_key_has_no_axe_violations(page: Page, servers: Servers) -> None:
    log_in(page, servers)
    page.goto(servers.consent + "/account/api-keys")
    page.get_by_label("Naam").fill("axe")
    page.get_by_role("button", name="Sleutel aanmaken").click()
    expect(page.get_by_role("heading", name="Uw nieuwe sleutel: axe")).to_be_visible()
    assert_no_axe_violations(page)


def test_small_screen_keeps_the_header_usable(page: Page, servers: Servers) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, servers)
    for name in ("Sites", "API-sleutels", "Uitloggen"):
        expect(
            page.get_by_role("link", name=name).or_(page.get_by_role("button", name=name))
        ).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
