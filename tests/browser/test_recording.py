"""After a choice: remembered across loads, asked again only when needed, never lost when offline."""

from __future__ import annotations

import json
from urllib.parse import quote

from playwright.sync_api import BrowserContext, Page, Route, expect

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
    wait_for_widget,
)

GATED = '<script type="text/plain" data-consent="analytics" src="/js/analytics.js"></script>'


def accept(page: Page, traffic: Traffic) -> dict:
    banner_button(page, "accept_all").click()
    return choice_recorded(page, traffic, "accept_all")


def test_reload_after_a_choice_shows_no_banner_and_sends_nothing(
    page: Page, traffic: Traffic, host_page: HostPage
):
    page.goto(host_page())
    state = accept(page, traffic)
    traffic.clear()
    page.reload()
    wait_for_widget(page)
    traffic.quiet()
    expect(banner(page)).to_have_count(0)
    traffic.refute(CONSENT_PATH, method="POST")
    assert page.evaluate("() => ConsentServer.get()") == state


def test_reload_after_accepting_runs_gated_scripts_at_once(page: Page, traffic: Traffic, host_page: HostPage):
    page.goto(host_page(GATED))
    accept(page, traffic)
    traffic.clear()
    page.reload()
    page.wait_for_function("() => (window.__ran || []).includes('analytics')")
    traffic.refute(CONSENT_PATH, method="POST")


def test_policy_version_bump_shows_the_banner_again(
    page: Page, traffic: Traffic, host_page: HostPage, servers: Servers
):
    page.goto(host_page(GATED))
    accept(page, traffic)
    servers.import_site(policy_version=2)
    traffic.clear()
    page.reload()
    expect(banner(page)).to_be_visible()
    assert page.evaluate("() => ConsentServer.get()") is None
    traffic.quiet()
    traffic.refute("/js/analytics.js")  # the old consent no longer counts


def test_choice_after_a_policy_bump_is_recorded_under_the_new_version(
    page: Page, traffic: Traffic, host_page: HostPage, servers: Servers
):
    page.goto(host_page())
    accept(page, traffic)
    servers.import_site(policy_version=2)
    traffic.clear()
    page.reload()
    banner_button(page, "reject_all").click()
    state = choice_recorded(page, traffic, "reject_all", policy_version=2)
    assert state["policyVersion"] == 2
    assert servers.records(state["id"])[-1]["policy_version"] == 2


def test_expired_consent_shows_the_banner_again(
    page: Page, context: BrowserContext, traffic: Traffic, host_page: HostPage
):
    page.goto(host_page())
    accept(page, traffic)
    page.evaluate(
        """() => {
            const s = JSON.parse(localStorage.getItem('cs_consent'));
            s.e = Date.now() - 1000;
            localStorage.setItem('cs_consent', JSON.stringify(s));
            document.cookie = 'cs_consent=' + encodeURIComponent(JSON.stringify(s)) + '; Path=/';
        }"""
    )
    page.reload()
    expect(banner(page)).to_be_visible()


def test_choice_survives_a_lost_cookie_through_local_storage(
    page: Page, context: BrowserContext, traffic: Traffic, host_page: HostPage
):
    page.goto(host_page())
    state = accept(page, traffic)
    context.clear_cookies()  # what Safari does to script-set cookies after 7 days
    page.reload()
    wait_for_widget(page)
    expect(banner(page)).to_have_count(0)
    cookie = consent_cookie(context)
    assert cookie is not None
    assert quote(state["id"]) in cookie["value"]


def abort_consent_posts(page: Page, servers: Servers) -> None:
    def abort(route: Route) -> None:
        route.abort("internetdisconnected")

    page.route(servers.consent + CONSENT_PATH, abort)


def test_choice_applies_at_once_when_the_consent_server_is_unreachable(
    page: Page, traffic: Traffic, host_page: HostPage, servers: Servers
):
    abort_consent_posts(page, servers)
    page.goto(host_page(GATED))
    banner_button(page, "accept_all").click()
    post = traffic.expect(CONSENT_PATH, method="POST")
    page.wait_for_function("() => (window.__ran || []).includes('analytics')")
    expect(banner(page)).to_have_count(0)
    traffic.quiet()
    assert post.failure is not None
    assert ran(page) == ["analytics"]


def test_unsent_choice_is_queued_in_local_storage(
    page: Page, traffic: Traffic, host_page: HostPage, servers: Servers
):
    abort_consent_posts(page, servers)
    page.goto(host_page())
    banner_button(page, "accept_all").click()
    traffic.expect(CONSENT_PATH, method="POST")
    traffic.quiet()
    queue = json.loads(local_storage(page)["cs_queue"])
    state = page.evaluate("() => ConsentServer.get()")
    assert [(item["action"], item["consent_id"]) for item in queue] == [("accept_all", state["id"])]


def test_queued_choice_is_sent_after_a_reload(
    page: Page, traffic: Traffic, host_page: HostPage, servers: Servers
):
    abort_consent_posts(page, servers)
    page.goto(host_page())
    banner_button(page, "accept_all").click()
    traffic.expect(CONSENT_PATH, method="POST")
    state = page.evaluate("() => ConsentServer.get()")
    assert servers.records(state["id"]) == []
    page.unroute(servers.consent + CONSENT_PATH)
    traffic.clear()
    page.reload()
    traffic.expect(CONSENT_PATH, method="POST", body={"consent_id": state["id"]}, status=201)
    assert [record["action"] for record in servers.records(state["id"])] == ["accept_all"]
    page.wait_for_function("() => localStorage.getItem('cs_queue') === '[]'")
    expect(banner(page)).to_have_count(0)
