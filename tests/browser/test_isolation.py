"""Isolation: a strict Content-Security-Policy host page, and host CSS that tries to break the banner."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import (
    HostPage,
    PageLog,
    Servers,
    Traffic,
    banner,
    banner_button,
    choice_recorded,
    dialog,
    ran,
)

# Reports every CSP violation, wherever it happens (the event is composed: it leaves shadow roots).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => {
    window.__violations.push([e.violatedDirective, e.blockedURI, e.sourceFile, e.lineNumber].join(' '));
}, true);
"""
# No inline script, style or handler on the host page itself: only the widget can cause a violation.
CSP_PAGE = """<!doctype html>
<html lang="nl">
<head><meta charset="utf-8"><title>Strict host</title></head>
<body>
<main>
<h1>Strict host page</h1>
<p><button type="button" id="open-settings" data-consent-open>Cookie-instellingen</button></p>
{body}
</main>
<script src="{widget}" async></script>
</body>
</html>"""
IFRAME = '<iframe data-consent="marketing" data-src="/embed/video.html" title="Video"></iframe>'
NONCED_GATED = (
    '<script type="text/plain" data-consent="analytics" nonce="n0nce">'
    '(window.__ran = window.__ran || []).push("nonced")</script>'
)
HOSTILE_CSS = """<style>
* { color: #ff0000 !important; font-size: 40px !important; background: #00ff00 !important; }
button { display: none !important; visibility: hidden !important; }
section, dialog, [data-consent-ui] * { display: none !important; }
:root { --cs-bg: #000000; --cs-accent: #ffff00; --g: #000000; --a: #ffff00; --c: #00ff00; }
</style>"""


def strict_csp(servers: Servers, script_extra: str = "") -> dict[str, str]:
    """No 'unsafe-inline' anywhere: scripts and styles only from the host itself and the consent server."""
    consent = servers.consent
    policy = (
        f"default-src 'self'; script-src 'self' {consent}{script_extra}; "
        f"style-src 'self' {consent}; connect-src {consent}"
    )
    return {"Content-Security-Policy": policy}


def violations(page: Page, log: PageLog) -> list[str]:
    refused = [text for text in log.messages("error") if "Content Security Policy" in text]
    return list(page.evaluate("() => window.__violations")) + refused


@pytest.fixture
def csp_page(page: Page, host_page: HostPage, servers: Servers) -> str:
    page.add_init_script(RECORD_VIOLATIONS)
    return host_page(html=CSP_PAGE.replace("{body}", IFRAME), headers=strict_csp(servers))


def test_strict_csp_page_shows_a_styled_banner(page: Page, csp_page: str, page_log: PageLog):
    page.goto(csp_page)
    expect(banner(page)).to_be_visible()
    accept = banner_button(page, "accept_all")
    expect(accept).to_have_css("background-color", "rgb(21, 66, 115)")  # the theme's accent
    expect(banner(page)).to_have_css("position", "fixed")
    assert violations(page, page_log) == []


def test_strict_csp_page_whole_flow_without_violations(
    page: Page, csp_page: str, page_log: PageLog, traffic: Traffic
):
    page.goto(csp_page)
    expect(page.locator('[data-consent-placeholder="marketing"]')).to_be_visible()
    banner_button(page, "settings").click()
    expect(dialog(page)).to_be_visible()
    expect(dialog(page)).to_have_css("position", "fixed")  # the UA dialog styles plus ours apply
    page.keyboard.press("Escape")
    banner_button(page, "accept_all").click()
    choice_recorded(page, traffic, "accept_all")
    traffic.expect("/embed/video.html", status=200)
    page.locator("#open-settings").click()
    expect(dialog(page)).to_be_visible()
    assert violations(page, page_log) == []


def test_nonce_csp_page_runs_a_nonced_gated_script(
    page: Page, host_page: HostPage, servers: Servers, page_log: PageLog, traffic: Traffic
):
    page.add_init_script(RECORD_VIOLATIONS)
    headers = strict_csp(servers, " 'nonce-n0nce'")
    page.goto(host_page(html=CSP_PAGE.replace("{body}", NONCED_GATED), headers=headers))
    banner_button(page, "accept_all").click()
    choice_recorded(page, traffic, "accept_all")
    page.wait_for_function("() => (window.__ran || []).includes('nonced')")
    assert ran(page) == ["nonced"]
    assert violations(page, page_log) == []


def test_host_css_cannot_hide_or_restyle_the_banner(page: Page, host_page: HostPage):
    page.goto(host_page(head=HOSTILE_CSS))
    expect(banner(page)).to_be_visible()
    accept = banner_button(page, "accept_all")
    expect(accept).to_be_visible()
    expect(accept).to_have_css("background-color", "rgb(21, 66, 115)")
    expect(accept).to_have_css("color", "rgb(255, 255, 255)")
    expect(accept).to_have_css("font-size", "15px")
