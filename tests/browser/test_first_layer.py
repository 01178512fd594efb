"""The first layer: what a visitor sees and what the widget does (nothing) before a choice."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.support import (
    TEXTS,
    WIDGET_PATH,
    HostPage,
    Servers,
    Traffic,
    banner,
    banner_button,
    consent_cookie,
    cookie_names,
    has_focus,
    local_storage,
    wait_for_widget,
)

# Size is compared from the layout boxes (flex layout may split a pixel unevenly), the rest exactly.
COMPARED_STYLES = [
    "background-color",
    "color",
    "font-family",
    "font-size",
    "font-weight",
    "border-top-width",
    "border-top-style",
    "border-top-color",
    "border-top-left-radius",
    "padding-top",
    "padding-left",
    "text-decoration-line",
]


def test_before_a_choice_only_the_widget_is_requested(page: Page, traffic: Traffic, host_page: HostPage):
    page.goto(host_page())
    expect(banner(page)).to_be_visible()
    traffic.quiet()
    traffic.expect(WIDGET_PATH, method="GET", status=200)
    traffic.only([WIDGET_PATH])


def test_before_a_choice_nothing_is_stored(page: Page, context: BrowserContext, host_page: HostPage):
    page.goto(host_page())
    expect(banner(page)).to_be_visible()
    assert cookie_names(context) == set()
    assert consent_cookie(context) is None
    assert local_storage(page) == {}
    assert page.evaluate("() => sessionStorage.length") == 0
    assert page.evaluate("() => ConsentServer.get()") is None


def test_banner_is_a_labelled_region_with_three_buttons(page: Page, host_page: HostPage):
    page.goto(host_page())
    region = page.get_by_role("region", name=TEXTS["nl"]["title"])
    expect(region).to_be_visible()
    expect(region.get_by_role("heading", name=TEXTS["nl"]["title"])).to_be_visible()
    for key in ("accept_all", "reject_all", "settings"):
        expect(banner_button(page, key)).to_be_visible()


def test_banner_takes_focus_when_it_appears(page: Page, host_page: HostPage):
    page.goto(host_page())
    expect(banner(page)).to_be_visible()
    assert has_focus(banner(page))


def test_page_stays_usable_while_the_banner_is_open(page: Page, host_page: HostPage):
    page.goto(host_page())
    expect(banner(page)).to_be_visible()
    page.locator("#host-checkbox").click()  # fails when something covers it: no cookie wall
    expect(page.locator("#host-checkbox")).to_be_checked()
    page.locator("#host-link").click()
    expect(page).to_have_url(page.url.split("#")[0] + "#more")
    expect(banner(page)).to_be_visible()


def test_banner_links_to_the_cookie_declaration_and_privacy_statement(
    page: Page, host_page: HostPage, servers: Servers
):
    page.goto(host_page())
    declaration = banner(page).get_by_role("link", name="Cookieverklaring")
    expect(declaration).to_have_attribute("href", f"{servers.consent}/sites/example/cookies?lang=nl")
    expect(banner(page).get_by_role("link", name="Privacyverklaring")).to_have_attribute(
        "href", "https://www.monoconnect.nl/privacyverklaring"
    )
    response = page.request.get(f"{servers.consent}/sites/example/cookies?lang=nl")
    assert response.status == 200
    assert "_ga" not in response.text()  # the declaration lists what the site declared, nothing else


def test_accept_and_reject_are_identical_in_size_and_style(page: Page, host_page: HostPage):
    page.goto(host_page())
    expect(banner(page)).to_be_visible()
    page.mouse.move(0, 0)  # no hover on either button

    def looks(key: str) -> dict[str, str]:
        return dict(
            banner_button(page, key).evaluate(
                "(el, names) => { const s = getComputedStyle(el);"
                " return Object.fromEntries(names.map(n => [n, s.getPropertyValue(n)])); }",
                COMPARED_STYLES,
            )
        )

    assert looks("accept_all") == looks("reject_all")
    accept = banner_button(page, "accept_all").bounding_box()
    reject = banner_button(page, "reject_all").bounding_box()
    assert accept and reject
    assert accept["width"] == pytest.approx(reject["width"], abs=0.5)
    assert accept["height"] == pytest.approx(reject["height"], abs=0.5)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_language_follows_the_html_lang(page: Page, host_page: HostPage, lang: str):
    page.goto(host_page(lang=lang))
    for key in ("accept_all", "reject_all", "settings"):
        expect(banner_button(page, key, lang)).to_have_text(TEXTS[lang][key])


@pytest.mark.browser_context_args(locale="en-GB")
def test_language_follows_the_browser_without_html_lang(page: Page, host_page: HostPage):
    page.goto(host_page(lang=None))
    for key in ("accept_all", "reject_all", "settings"):
        expect(banner_button(page, key, "en")).to_have_text(TEXTS["en"][key])


@pytest.mark.browser_context_args(locale="de-DE")
def test_language_falls_back_to_the_site_default(page: Page, host_page: HostPage):
    page.goto(host_page(lang=None))
    wait_for_widget(page)
    for key in ("accept_all", "reject_all", "settings"):
        expect(banner_button(page, key, "nl")).to_have_text(TEXTS["nl"][key])
