"""Layout: usable at 320 CSS px and at 200% zoom, fixed without layout shift, reduced motion respected."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.support import HostPage, Traffic, banner, banner_button, choice_recorded, tab_to

KEYS = ("accept_all", "reject_all", "settings")


def inside_viewport(page: Page, locator: Locator) -> None:
    box = locator.bounding_box()
    size = page.viewport_size
    assert box is not None and size is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"], f"{box} sticks out of {size}"
    assert box["y"] >= 0 and box["y"] + box["height"] <= size["height"], f"{box} sticks out of {size}"


def no_horizontal_scroll(page: Page) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the document scrolls sideways: {widths}"


@pytest.mark.browser_context_args(viewport={"width": 320, "height": 640})
def test_banner_and_its_buttons_fit_a_320_px_viewport_without_scrolling(page: Page, host_page: HostPage):
    page.goto(host_page())
    expect(banner(page)).to_be_visible()
    inside_viewport(page, banner(page))
    for key in KEYS:
        inside_viewport(page, banner_button(page, key))


@pytest.mark.browser_context_args(viewport={"width": 320, "height": 640})
def test_buttons_are_reachable_at_320_px_without_horizontal_scroll(page: Page, host_page: HostPage):
    page.goto(host_page())
    expect(banner(page)).to_be_visible()
    inside_viewport(page, banner(page))
    for key in KEYS:
        button = banner_button(page, key)
        button.scroll_into_view_if_needed()
        inside_viewport(page, button)
    no_horizontal_scroll(page)


@pytest.mark.browser_context_args(viewport={"width": 640, "height": 400}, device_scale_factor=2)
def test_buttons_are_reachable_at_200_percent_zoom(page: Page, host_page: HostPage):
    # 200% zoom of a 1280x800 window leaves 640x400 CSS px: the same layout.
    page.goto(host_page())
    expect(banner(page)).to_be_visible()
    inside_viewport(page, banner(page))
    for key in KEYS:
        button = banner_button(page, key)
        button.scroll_into_view_if_needed()
        inside_viewport(page, button)
    no_horizontal_scroll(page)


@pytest.mark.browser_context_args(viewport={"width": 640, "height": 400}, device_scale_factor=2)
def test_reject_works_by_keyboard_at_200_percent_zoom(page: Page, traffic: Traffic, host_page: HostPage):
    page.goto(host_page())
    reject = banner_button(page, "reject_all")
    tab_to(page, reject)
    inside_viewport(page, reject)  # focusing scrolled it into view
    page.keyboard.press("Enter")
    choice_recorded(page, traffic, "reject_all")


def test_banner_is_fixed_and_shifts_no_layout(page: Page, host_page: HostPage):
    page.add_init_script(
        """window.__shift = 0;
        new PerformanceObserver(list => { for (const e of list.getEntries()) window.__shift += e.value; })
            .observe({type: 'layout-shift', buffered: true});"""
    )
    page.goto(host_page())
    expect(banner(page)).to_be_visible()
    expect(banner(page)).to_have_css("position", "fixed")
    banner(page).evaluate("el => Promise.all(el.getAnimations().map(a => a.finished))")
    # Layout-shift entries are reported after the frames that caused them.
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    assert page.evaluate("() => window.__shift") == 0


def test_reduced_motion_turns_off_the_entrance_animation(page: Page, host_page: HostPage):
    page.emulate_media(reduced_motion="reduce")
    page.goto(host_page())
    expect(banner(page)).to_have_css("animation-name", "none")
