"""Browser and vendor signals: Global Privacy Control per the site's mode, Google Consent Mode v2."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import (
    CONSENT_PATH,
    TEXTS,
    HostPage,
    Servers,
    Traffic,
    banner,
    banner_button,
    choice_recorded,
    dialog,
    dialog_button,
    switch,
    wait_for_widget,
)

GPC_ON = """Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {
    get: () => true, configurable: true });"""
ALL_DENIED = {
    "ad_storage": "denied",
    "ad_user_data": "denied",
    "ad_personalization": "denied",
    "analytics_storage": "denied",
    "functionality_storage": "denied",
    "personalization_storage": "denied",
    "security_storage": "granted",
}
# Snapshots the data layer at the moment a gated script runs.
SNAPSHOT = """<script type="text/plain" data-consent="analytics">
window.__dataLayerAtRun = (window.dataLayer || []).map(a => Array.from(a));
</script>"""
DATA_LAYER = "() => (window.dataLayer || []).map(a => Array.from(a))"


@pytest.fixture
def gpc(page: Page) -> None:
    page.add_init_script(GPC_ON)


def consent_calls(page: Page) -> list[list[Any]]:
    return [entry for entry in page.evaluate(DATA_LAYER) if entry and entry[0] == "consent"]


# ---- Global Privacy Control ------------------------------------------------------------------------


@pytest.mark.usefixtures("gpc")
def test_gpc_reject_all_records_a_refusal_without_a_banner(
    page: Page, traffic: Traffic, host_page: HostPage, servers: Servers
):
    page.goto(host_page(gpc_mode="reject_all"))
    state = choice_recorded(page, traffic, "reject_all", method="gpc")
    expect(banner(page)).to_have_count(0)
    assert not any(state["categories"][key] for key in ("preferences", "analytics", "marketing"))
    assert servers.records(state["id"])[0]["method"] == "gpc"


@pytest.mark.usefixtures("gpc")
def test_gpc_reject_all_keeps_the_settings_reachable(page: Page, traffic: Traffic, host_page: HostPage):
    page.goto(host_page(gpc_mode="reject_all"))
    choice_recorded(page, traffic, "reject_all", method="gpc")
    page.locator("#open-settings").click()
    expect(dialog(page)).to_be_visible()
    switch(page, "analytics").click()
    dialog_button(page, "save").click()
    choice_recorded(page, traffic, "custom", method="settings", categories={"analytics": True})


@pytest.mark.usefixtures("gpc")
def test_gpc_reject_all_is_not_sent_again_on_reload(page: Page, traffic: Traffic, host_page: HostPage):
    page.goto(host_page(gpc_mode="reject_all"))
    choice_recorded(page, traffic, "reject_all", method="gpc")
    traffic.clear()
    page.reload()
    wait_for_widget(page)
    traffic.quiet()
    traffic.refute(CONSENT_PATH, method="POST")


@pytest.mark.usefixtures("gpc")
def test_gpc_reject_marketing_still_shows_the_banner(page: Page, traffic: Traffic, host_page: HostPage):
    page.goto(host_page(gpc_mode="reject_marketing"))
    expect(banner(page)).to_be_visible()
    traffic.quiet()
    traffic.refute(CONSENT_PATH)


@pytest.mark.usefixtures("gpc")
def test_gpc_reject_marketing_settings_show_marketing_off_with_a_note(page: Page, host_page: HostPage):
    page.goto(host_page(gpc_mode="reject_marketing"))
    banner_button(page, "settings").click()
    expect(switch(page, "marketing")).to_have_attribute("aria-checked", "false")
    expect(dialog(page).get_by_text(TEXTS["nl"]["gpc_note"])).to_be_visible()


@pytest.mark.usefixtures("gpc")
def test_gpc_reject_marketing_accept_all_does_not_grant_marketing(
    page: Page, traffic: Traffic, host_page: HostPage, servers: Servers
):
    page.goto(host_page(gpc_mode="reject_marketing"))
    banner_button(page, "accept_all").click()
    expected = {"necessary": True, "preferences": True, "analytics": True, "marketing": False}
    post = traffic.expect(CONSENT_PATH, method="POST", status=201)
    assert post.body["categories"] == expected
    state = page.evaluate("() => ConsentServer.get()")
    assert state["categories"] == expected
    assert page.evaluate("() => ConsentServer.has('marketing')") is False
    assert servers.records(state["id"])[0]["categories"] == expected


@pytest.mark.usefixtures("gpc")
def test_gpc_reject_marketing_lets_the_visitor_switch_marketing_on(
    page: Page, traffic: Traffic, host_page: HostPage
):
    page.goto(host_page(gpc_mode="reject_marketing"))
    banner_button(page, "settings").click()
    switch(page, "marketing").click()
    dialog_button(page, "save").click()
    choice_recorded(page, traffic, "custom", method="settings", categories={"marketing": True})


@pytest.mark.usefixtures("gpc")
def test_gpc_ignore_accept_all_grants_marketing(page: Page, traffic: Traffic, host_page: HostPage):
    page.goto(host_page(gpc_mode="ignore"))
    banner_button(page, "settings").click()
    expect(dialog(page).get_by_text(TEXTS["nl"]["gpc_note"])).to_have_count(0)
    dialog_button(page, "accept_all").click()
    state = choice_recorded(page, traffic, "accept_all", categories={"marketing": True})
    assert state["categories"]["marketing"] is True


# ---- Google Consent Mode v2 -----------------------------------------------------------------------------


def test_consent_mode_default_denies_all_but_security_before_a_choice(page: Page, host_page: HostPage):
    page.goto(host_page(consent_mode=True))
    wait_for_widget(page)
    calls = consent_calls(page)
    assert len(calls) == 1
    assert calls[0][:2] == ["consent", "default"]
    assert {k: v for k, v in calls[0][2].items() if k != "wait_for_update"} == ALL_DENIED


def test_consent_mode_default_comes_before_any_gated_script(
    page: Page, traffic: Traffic, host_page: HostPage
):
    page.goto(host_page(SNAPSHOT, consent_mode=True))
    banner_button(page, "accept_all").click()
    page.wait_for_function("() => window.__dataLayerAtRun")
    at_run = page.evaluate("() => window.__dataLayerAtRun")
    assert at_run[0][:2] == ["consent", "default"]


def test_consent_mode_update_after_accepting_analytics_only(
    page: Page, traffic: Traffic, host_page: HostPage
):
    page.goto(host_page(consent_mode=True))
    banner_button(page, "settings").click()
    switch(page, "analytics").click()
    dialog_button(page, "save").click()
    choice_recorded(page, traffic, "custom")
    calls = consent_calls(page)
    assert calls[-1][:2] == ["consent", "update"]
    assert calls[-1][2] == {**ALL_DENIED, "analytics_storage": "granted"}


def test_consent_mode_update_after_accepting_all(page: Page, traffic: Traffic, host_page: HostPage):
    page.goto(host_page(consent_mode=True))
    banner_button(page, "accept_all").click()
    choice_recorded(page, traffic, "accept_all")
    update = consent_calls(page)[-1]
    assert update[:2] == ["consent", "update"]
    assert update[2] == dict.fromkeys(ALL_DENIED, "granted")


def test_consent_mode_off_leaves_the_data_layer_alone(page: Page, traffic: Traffic, host_page: HostPage):
    page.goto(host_page(consent_mode=False))
    banner_button(page, "accept_all").click()
    choice_recorded(page, traffic, "accept_all")
    assert page.evaluate("() => typeof window.dataLayer") == "undefined"


def test_consent_mode_default_is_denied_on_a_returning_visit_too(
    page: Page, traffic: Traffic, host_page: HostPage
):
    page.goto(host_page(consent_mode=True))
    banner_button(page, "accept_all").click()
    choice_recorded(page, traffic, "accept_all")
    page.reload()
    wait_for_widget(page)
    calls = consent_calls(page)
    assert calls[0][:2] == ["consent", "default"]
    assert {k: v for k, v in calls[0][2].items() if k != "wait_for_update"} == ALL_DENIED
    assert calls[1][:2] == ["consent", "update"]
