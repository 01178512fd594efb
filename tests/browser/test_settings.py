"""The settings layer: how it opens, what it holds, focus and keyboard, custom choices, withdrawal."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.support import (
    TEXTS,
    HostPage,
    Servers,
    Traffic,
    banner,
    banner_button,
    choice_recorded,
    cookie_names,
    dialog,
    dialog_button,
    focus_in_dialog,
    has_focus,
    switch,
    tab_to,
    wait_for_widget,
)
from tests.factories import site_document

CATEGORIES = ["necessary", "preferences", "analytics", "marketing"]
GA_SERVICE = {
    "key": "google-analytics",
    "category": "analytics",
    "name": "Google Analytics",
    "provider": "Google Ireland Ltd.",
    "texts": {"nl": {"purpose": "Telt bezoeken."}, "en": {"purpose": "Counts visits."}},
    "cookies": [
        {
            "name": "_ga",
            "duration_days": 400,
            "texts": {"nl": {"purpose": "Bezoeker-ID."}, "en": {"purpose": "Visitor ID."}},
        },
        {
            "name": "_ga_*",
            "duration_days": 400,
            "texts": {"nl": {"purpose": "Sessiestatus."}, "en": {"purpose": "Session state."}},
        },
    ],
}
ADS_SERVICE = {
    "key": "ads",
    "category": "marketing",
    "name": "Ads",
    "provider": "Ads Inc.",
    "texts": {"nl": {"purpose": "Advertenties."}, "en": {"purpose": "Advertising."}},
    "cookies": [
        {
            "name": "_fbp",
            "duration_days": 90,
            "texts": {"nl": {"purpose": "Advertentie-ID."}, "en": {"purpose": "Advertising ID."}},
        }
    ],
}


def accept(page: Page, traffic: Traffic) -> dict:
    banner_button(page, "accept_all").click()
    return choice_recorded(page, traffic, "accept_all")


def open_from_host(page: Page) -> None:
    page.locator("#open-settings").click()
    expect(dialog(page)).to_be_visible()


# ---- opening ----------------------------------------------------------------------------------------


def test_settings_open_from_the_banner_button(page: Page, host_page: HostPage):
    page.goto(host_page())
    banner_button(page, "settings").click()
    expect(dialog(page)).to_be_visible()
    expect(dialog(page).get_by_role("heading", name=TEXTS["nl"]["settings_title"])).to_be_visible()


def test_settings_open_from_a_data_consent_open_element(page: Page, traffic: Traffic, host_page: HostPage):
    page.goto(host_page())
    accept(page, traffic)
    expect(banner(page)).to_have_count(0)
    open_from_host(page)


def test_settings_open_from_a_data_consent_open_element_before_a_choice(page: Page, host_page: HostPage):
    page.goto(host_page())
    expect(banner(page)).to_be_visible()
    open_from_host(page)


def test_settings_open_from_the_api(page: Page, host_page: HostPage):
    page.goto(host_page())
    wait_for_widget(page)
    page.evaluate("() => ConsentServer.show()")
    expect(dialog(page)).to_be_visible()


def test_settings_open_from_the_floating_button_after_a_choice(
    page: Page, traffic: Traffic, host_page: HostPage
):
    page.goto(host_page(floating_button=True))
    fab = page.locator("[data-consent-ui]").get_by_role("button", name=TEXTS["nl"]["settings_title"])
    expect(fab).to_be_hidden()  # no floating button next to the banner
    accept(page, traffic)
    fab.click()
    expect(dialog(page)).to_be_visible()


# ---- what it is ---------------------------------------------------------------------------------------


def test_settings_layer_is_a_modal_dialog(page: Page, host_page: HostPage):
    page.goto(host_page())
    banner_button(page, "settings").click()
    expect(dialog(page)).to_be_visible()
    assert dialog(page).evaluate("el => el.matches(':modal')") is True
    expect(dialog(page)).to_have_accessible_name(TEXTS["nl"]["settings_title"])


def test_settings_have_one_switch_per_category_and_none_pre_ticked(page: Page, host_page: HostPage):
    page.goto(host_page())
    banner_button(page, "settings").click()
    switches = dialog(page).get_by_role("switch")
    expect(switches).to_have_count(len(CATEGORIES))
    for key in CATEGORIES:
        expect(switch(page, key)).to_have_attribute("aria-checked", "true" if key == "necessary" else "false")


def test_necessary_switch_is_on_and_locked(page: Page, host_page: HostPage):
    page.goto(host_page())
    banner_button(page, "settings").click()
    necessary = switch(page, "necessary")
    expect(necessary).to_have_attribute("aria-disabled", "true")
    necessary.click(force=True)  # aria-disabled still receives clicks; it must not switch off
    expect(necessary).to_have_attribute("aria-checked", "true")


def test_tab_cycles_inside_the_settings_dialog(page: Page, host_page: HostPage):
    page.goto(host_page())
    banner_button(page, "settings").click()
    expect(dialog(page)).to_be_visible()
    focusable = dialog(page).locator("button, a[href], summary").count()
    for _ in range(focusable + 2):
        page.keyboard.press("Tab")
        assert focus_in_dialog(page), "Tab moved the focus out of the dialog"
    for _ in range(focusable + 2):
        page.keyboard.press("Shift+Tab")
        assert focus_in_dialog(page), "Shift+Tab moved the focus out of the dialog"


def test_escape_closes_settings_and_returns_focus_to_the_host_opener(
    page: Page, traffic: Traffic, host_page: HostPage
):
    page.goto(host_page())
    accept(page, traffic)
    open_from_host(page)
    page.keyboard.press("Escape")
    expect(dialog(page)).to_have_count(0)
    expect(page.locator("#open-settings")).to_be_focused()


def test_escape_closes_settings_and_returns_focus_to_the_banner_settings_button(
    page: Page, host_page: HostPage
):
    page.goto(host_page())
    settings = banner_button(page, "settings")
    tab_to(page, settings)
    page.keyboard.press("Enter")
    expect(dialog(page)).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog(page)).to_have_count(0)
    assert has_focus(settings)


def test_settings_list_the_services_and_their_cookies(page: Page, host_page: HostPage):
    page.goto(host_page())
    banner_button(page, "settings").click()
    dialog(page).get_by_text("Diensten en cookies").first.click()
    expect(dialog(page).get_by_role("cell", name="mc_session")).to_be_visible()


# ---- choices ----------------------------------------------------------------------------------------


def test_saving_a_custom_choice_records_custom_by_settings(
    page: Page, traffic: Traffic, host_page: HostPage, servers: Servers
):
    page.goto(host_page())
    banner_button(page, "settings").click()
    switch(page, "analytics").click()
    expect(switch(page, "analytics")).to_have_attribute("aria-checked", "true")
    dialog_button(page, "save").click()
    expected = {"necessary": True, "preferences": False, "analytics": True, "marketing": False}
    state = choice_recorded(page, traffic, "custom", method="settings", categories=expected)
    expect(dialog(page)).to_have_count(0)
    expect(banner(page)).to_have_count(0)
    assert state["categories"] == expected
    assert servers.records(state["id"]) == [
        {
            "action": "custom",
            "method": "settings",
            "categories": expected,
            "policy_version": 1,
            "language": "nl",
        }
    ]


def test_reject_all_in_settings_records_reject_all_by_settings(
    page: Page, traffic: Traffic, host_page: HostPage
):
    page.goto(host_page())
    banner_button(page, "settings").click()
    dialog_button(page, "reject_all").click()
    choice_recorded(page, traffic, "reject_all", method="settings")


def test_settings_show_the_consent_id_after_a_choice(page: Page, traffic: Traffic, host_page: HostPage):
    page.goto(host_page())
    state = accept(page, traffic)
    open_from_host(page)
    expect(dialog(page).locator("code")).to_have_text(state["id"])


def test_settings_show_no_consent_id_before_a_choice(page: Page, host_page: HostPage):
    page.goto(host_page())
    banner_button(page, "settings").click()
    expect(dialog(page).locator("code")).to_have_count(0)
    expect(dialog_button(page, "receipt")).to_have_count(0)


def test_receipt_button_downloads_the_receipt_as_json(
    page: Page, traffic: Traffic, host_page: HostPage, tmp_path: Path
):
    page.goto(host_page())
    state = accept(page, traffic)
    open_from_host(page)
    with page.expect_download() as info:
        dialog_button(page, "receipt").click()
    download = info.value
    assert download.suggested_filename == f"consent-{state['id']}.json"
    target = tmp_path / "receipt.json"
    download.save_as(target)
    receipt = json.loads(target.read_text(encoding="utf-8"))
    assert receipt["consent_id"] == state["id"]
    assert [record["action"] for record in receipt["records"]] == ["accept_all"]


# ---- keyboard only --------------------------------------------------------------------------------------


def test_keyboard_tab_to_reject_and_enter_rejects(page: Page, traffic: Traffic, host_page: HostPage):
    page.goto(host_page())
    expect(banner(page)).to_be_visible()
    tab_to(page, banner_button(page, "reject_all"))
    page.keyboard.press("Enter")
    choice_recorded(page, traffic, "reject_all", method="banner")
    expect(banner(page)).to_have_count(0)


def test_keyboard_only_custom_choice_through_settings(page: Page, traffic: Traffic, host_page: HostPage):
    page.goto(host_page())
    expect(banner(page)).to_be_visible()
    tab_to(page, banner_button(page, "settings"))
    page.keyboard.press("Enter")
    expect(dialog(page)).to_be_visible()
    tab_to(page, switch(page, "analytics"))
    page.keyboard.press("Space")
    expect(switch(page, "analytics")).to_have_attribute("aria-checked", "true")
    tab_to(page, dialog_button(page, "save"))
    page.keyboard.press("Enter")
    expected = {"necessary": True, "preferences": False, "analytics": True, "marketing": False}
    choice_recorded(page, traffic, "custom", method="settings", categories=expected)
    expect(dialog(page)).to_have_count(0)


def test_keyboard_only_reopen_from_the_host_page_and_reject(
    page: Page, traffic: Traffic, host_page: HostPage
):
    page.goto(host_page())
    accept(page, traffic)
    page.locator("#open-settings").focus()
    page.keyboard.press("Enter")
    expect(dialog(page)).to_be_visible()
    tab_to(page, dialog_button(page, "reject_all"))
    page.keyboard.press("Enter")
    choice_recorded(page, traffic, "reject_all", method="settings")


# ---- withdrawal ----------------------------------------------------------------------------------------


def withdrawal_page(host_page: HostPage) -> str:
    services = site_document()["services"] + [GA_SERVICE, ADS_SERVICE]
    return host_page(services=services)


def set_host_cookies(page: Page, *names: str) -> None:
    page.evaluate(
        "names => names.forEach(n => { document.cookie = n + '=1; Path=/; Max-Age=3600'; })", list(names)
    )


def switch_off_analytics(page: Page, traffic: Traffic) -> None:
    open_from_host(page)
    switch(page, "analytics").click()
    expect(switch(page, "analytics")).to_have_attribute("aria-checked", "false")
    dialog_button(page, "save").click()
    choice_recorded(page, traffic, "custom", categories={"analytics": False, "marketing": True})


def test_withdrawing_analytics_deletes_its_declared_cookies(
    page: Page, context: BrowserContext, traffic: Traffic, host_page: HostPage
):
    page.goto(withdrawal_page(host_page))
    accept(page, traffic)
    set_host_cookies(page, "_ga", "_ga_ABC", "_fbp", "unrelated")
    assert {"_ga", "_ga_ABC", "_fbp", "unrelated"} <= cookie_names(context)
    switch_off_analytics(page, traffic)
    names = cookie_names(context)
    assert "_ga" not in names
    assert "_ga_ABC" not in names
    assert {"_fbp", "unrelated", "cs_consent"} <= names  # marketing stays granted; undeclared stays


def test_withdrawing_fires_the_change_listener(page: Page, traffic: Traffic, host_page: HostPage):
    page.goto(withdrawal_page(host_page))
    accept(page, traffic)
    page.evaluate(
        "() => { window.__changes = []; ConsentServer.on('change', s => window.__changes.push(s)); }"
    )
    switch_off_analytics(page, traffic)
    changes = page.evaluate("() => window.__changes")
    assert len(changes) == 1
    assert changes[0]["categories"]["analytics"] is False


def test_later_choices_are_recorded_under_the_same_consent_id(
    page: Page, traffic: Traffic, host_page: HostPage, servers: Servers
):
    page.goto(host_page())
    first = accept(page, traffic)
    open_from_host(page)
    dialog_button(page, "reject_all").click()
    second = choice_recorded(page, traffic, "reject_all", method="settings", consent_id=first["id"])
    assert second["id"] == first["id"]
    assert [(r["action"], r["method"]) for r in servers.records(first["id"])] == [
        ("accept_all", "banner"),
        ("reject_all", "settings"),
    ]
