"""Gating: scripts and iframes wait for their category; after reject they never load."""

from __future__ import annotations

from urllib.parse import unquote

from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.support import (
    CONSENT_PATH,
    HostPage,
    Servers,
    Traffic,
    banner,
    banner_button,
    choice_recorded,
    consent_cookie,
    local_storage,
    ran,
)

GATED = """
<script type="text/plain" data-consent="analytics" src="/js/analytics.js"></script>
<script type="text/plain" data-consent="analytics">(window.__ran = window.__ran || []).push("inline")</script>
<iframe data-consent="marketing" data-src="/embed/video.html" title="Video"></iframe>
"""
# The first script answers late: document order must hold even when a later one is ready first.
ORDERED = """
<script type="text/plain" data-consent="analytics" src="/js/first.js?delay=300" id="first"
        data-extra="kept" nonce="n0nce"></script>
<script type="text/plain" data-consent="analytics" id="inline" nonce="n0nce"
        >(window.__ran = window.__ran || []).push("inline")</script>
<script type="text/plain" data-consent="analytics" src="/js/second.js" id="second"></script>
"""
EXTERNAL_ORDER = """
<script type="text/plain" data-consent="analytics" src="/js/one.js?delay=300"></script>
<script type="text/plain" data-consent="analytics" src="/js/two.js?delay=100"></script>
<script type="text/plain" data-consent="analytics" src="/js/three.js"></script>
"""
IFRAME = '<iframe data-consent="marketing" data-src="/embed/video.html" title="Video"></iframe>'
TWO_CATEGORIES = '<script type="text/plain" data-consent="analytics marketing" src="/js/both.js"></script>'
ADD_SCRIPT = """name => {
    const s = document.createElement('script');
    s.type = 'text/plain';
    s.dataset.consent = 'analytics';
    s.src = '/js/' + name + '.js';
    document.querySelector('main').appendChild(s);
}"""
ADD_IFRAME = """() => {
    const f = document.createElement('iframe');
    f.dataset.consent = 'marketing';
    f.dataset.src = '/embed/late.html';
    f.title = 'Late video';
    document.querySelector('main').appendChild(f);
}"""


def reject(page: Page, traffic: Traffic) -> None:
    banner_button(page, "reject_all").click()
    choice_recorded(page, traffic, "reject_all")
    traffic.quiet()


def accept(page: Page, traffic: Traffic) -> dict:
    banner_button(page, "accept_all").click()
    return choice_recorded(page, traffic, "accept_all")


def test_reject_all_records_a_refusal(page: Page, traffic: Traffic, host_page: HostPage, servers: Servers):
    page.goto(host_page(GATED))
    banner_button(page, "reject_all").click()
    state = choice_recorded(page, traffic, "reject_all", method="banner")
    assert state["categories"] == {
        "necessary": True,
        "preferences": False,
        "analytics": False,
        "marketing": False,
    }
    assert [r["action"] for r in servers.records(state["id"])] == ["reject_all"]
    expect(banner(page)).to_have_count(0)


def test_after_reject_gated_scripts_never_run(page: Page, traffic: Traffic, host_page: HostPage):
    page.goto(host_page(GATED))
    reject(page, traffic)
    traffic.refute("/js/analytics.js")
    assert ran(page) == []


def test_after_reject_gated_iframe_keeps_its_placeholder(page: Page, traffic: Traffic, host_page: HostPage):
    page.goto(host_page(GATED))
    reject(page, traffic)
    expect(page.locator('[data-consent-placeholder="marketing"]')).to_be_visible()
    expect(page.locator("iframe[data-consent]")).not_to_have_attribute("src", "/embed/video.html")
    traffic.refute("/embed/video.html")


def test_accept_all_runs_external_gated_scripts_in_document_order(
    page: Page, traffic: Traffic, host_page: HostPage
):
    page.goto(host_page(EXTERNAL_ORDER))
    accept(page, traffic)
    page.wait_for_function("() => (window.__ran || []).length === 3")
    assert ran(page) == ["one", "two", "three"]


def test_accept_all_runs_inline_and_external_gated_scripts_in_document_order(
    page: Page, traffic: Traffic, host_page: HostPage
):
    page.goto(host_page(ORDERED))
    accept(page, traffic)
    page.wait_for_function("() => (window.__ran || []).length === 3")
    assert ran(page) == ["first", "inline", "second"]


def test_gated_scripts_keep_their_attributes_and_nonce(page: Page, traffic: Traffic, host_page: HostPage):
    page.goto(host_page(ORDERED))
    accept(page, traffic)
    page.wait_for_function("() => (window.__ran || []).length === 3")
    first = page.locator("script#first")
    expect(first).to_have_attribute("data-extra", "kept")
    expect(first).to_have_attribute("src", "/js/first.js?delay=300")
    assert first.evaluate("el => el.nonce") == "n0nce"
    assert page.locator("script#inline").evaluate("el => el.nonce") == "n0nce"
    assert page.locator("script[type='text/plain']").count() == 0


def test_accept_all_loads_gated_iframe(page: Page, traffic: Traffic, host_page: HostPage):
    page.goto(host_page(GATED))
    expect(page.locator('[data-consent-placeholder="marketing"]')).to_be_visible()
    accept(page, traffic)
    expect(page.locator("iframe[data-consent]")).to_have_attribute("src", "/embed/video.html")
    expect(page.locator("iframe[data-consent]")).to_be_visible()
    expect(page.locator("[data-consent-placeholder]")).to_have_count(0)
    traffic.expect("/embed/video.html", status=200)


def test_accept_all_stores_the_choice_in_a_lax_cookie_and_local_storage(
    page: Page, context: BrowserContext, traffic: Traffic, host_page: HostPage
):
    page.goto(host_page())
    state = accept(page, traffic)
    cookie = consent_cookie(context)
    assert cookie is not None
    assert cookie["sameSite"] == "Lax"
    assert cookie["path"] == "/"
    assert cookie["expires"] > 0  # persistent, not a session cookie
    assert state["id"] in unquote(cookie["value"])
    assert state["id"] in local_storage(page)["cs_consent"]


def test_accept_all_exposes_the_choice_through_the_api(page: Page, traffic: Traffic, host_page: HostPage):
    page.goto(host_page())
    state = accept(page, traffic)
    assert set(state) == {"id", "categories", "policyVersion", "updatedAt"}
    assert state["categories"] == {
        "necessary": True,
        "preferences": True,
        "analytics": True,
        "marketing": True,
    }
    assert state["policyVersion"] == 1
    assert page.evaluate("() => ConsentServer.has('analytics')") is True
    assert page.evaluate("() => ConsentServer.has('nonsense')") is False


def test_accept_all_is_recorded_on_the_server(
    page: Page, traffic: Traffic, host_page: HostPage, servers: Servers
):
    page.goto(host_page())
    state = accept(page, traffic)
    records = servers.records(state["id"])
    assert len(records) == 1
    assert records[0]["action"] == "accept_all"
    assert records[0]["method"] == "banner"
    assert records[0]["categories"] == state["categories"]
    assert records[0]["language"] == "nl"


def test_script_added_after_accepting_runs(page: Page, traffic: Traffic, host_page: HostPage):
    page.goto(host_page())
    accept(page, traffic)
    page.evaluate(ADD_SCRIPT, "late")
    page.wait_for_function("() => (window.__ran || []).includes('late')")
    traffic.expect("/js/late.js", status=200)


def test_script_added_before_the_choice_runs_once_granted(page: Page, traffic: Traffic, host_page: HostPage):
    page.goto(host_page())
    expect(banner(page)).to_be_visible()
    page.evaluate(ADD_SCRIPT, "early")
    traffic.quiet()
    traffic.refute("/js/early.js")
    accept(page, traffic)
    page.wait_for_function("() => (window.__ran || []).includes('early')")


def test_script_added_after_reject_never_runs(page: Page, traffic: Traffic, host_page: HostPage):
    page.goto(host_page())
    reject(page, traffic)
    page.evaluate(ADD_SCRIPT, "late")
    traffic.quiet()
    traffic.refute("/js/late.js")
    assert ran(page) == []


def test_iframe_added_later_is_gated_until_granted(page: Page, traffic: Traffic, host_page: HostPage):
    page.goto(host_page())
    expect(banner(page)).to_be_visible()
    page.evaluate(ADD_IFRAME)
    expect(page.locator('[data-consent-placeholder="marketing"]')).to_be_visible()
    traffic.quiet()
    traffic.refute("/embed/late.html")
    accept(page, traffic)
    expect(page.locator("iframe[data-consent]")).to_have_attribute("src", "/embed/late.html")
    traffic.expect("/embed/late.html", status=200)


def test_consent_post_goes_to_the_consent_server_only(
    page: Page, traffic: Traffic, host_page: HostPage, servers: Servers
):
    page.goto(host_page(GATED))
    reject(page, traffic)
    traffic.expect(CONSENT_PATH, method="POST", origin=servers.consent, status=201)
    traffic.only(["/w/example.js", CONSENT_PATH])


def test_placeholder_allow_button_grants_only_its_category(page: Page, traffic: Traffic, host_page: HostPage):
    page.goto(host_page(IFRAME))
    placeholder = page.locator('[data-consent-placeholder="marketing"]')
    placeholder.get_by_role("button", name="Marketing en externe media toestaan").click()
    expected = {"necessary": True, "preferences": False, "analytics": False, "marketing": True}
    choice_recorded(page, traffic, "custom", method="settings", categories=expected)
    expect(page.locator("iframe[data-consent]")).to_have_attribute("src", "/embed/video.html")
    traffic.expect("/embed/video.html", status=200)


def test_script_needing_two_categories_waits_for_both(page: Page, traffic: Traffic, host_page: HostPage):
    page.goto(host_page(TWO_CATEGORIES))
    expect(banner(page)).to_be_visible()
    page.evaluate("() => ConsentServer.set({analytics: true})")
    choice_recorded(page, traffic, "custom", method="api", categories={"analytics": True, "marketing": False})
    traffic.quiet()
    traffic.refute("/js/both.js")
    page.evaluate("() => ConsentServer.set({marketing: true})")
    page.wait_for_function("() => (window.__ran || []).includes('both')")


def test_withdrawing_marketing_unloads_the_iframe(page: Page, traffic: Traffic, host_page: HostPage):
    page.goto(host_page(IFRAME))
    accept(page, traffic)
    expect(page.locator("iframe[data-consent]")).to_have_attribute("src", "/embed/video.html")
    page.evaluate("() => ConsentServer.set({marketing: false})")
    choice_recorded(page, traffic, "custom", categories={"marketing": False})
    expect(page.locator('[data-consent-placeholder="marketing"]')).to_be_visible()
    assert not any(frame.url.endswith("/embed/video.html") for frame in page.frames)
