"""axe-core (shipped by axe-playwright-python, never a CDN): zero WCAG 2.1 A/AA violations on both layers.

The widget lives in an open shadow root; axe-core walks open shadow roots, and each run also checks
that axe really evaluated nodes inside it (their targets are shadow-piercing selector lists).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import axe_playwright_python
import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import (
    TEXTS,
    HostPage,
    Traffic,
    banner,
    banner_button,
    choice_recorded,
    dialog,
    dialog_button,
)

AXE_SCRIPT = Path(axe_playwright_python.__file__).parent / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PLACEHOLDER = '<iframe data-consent="marketing" data-src="/embed/video.html" title="Video"></iframe>'


def run_axe(page: Page) -> dict[str, Any]:
    page.add_script_tag(path=AXE_SCRIPT)
    return dict(page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS))


def in_widget(node: dict[str, Any]) -> bool:
    # A node inside a shadow root has a list of selectors as target: [shadow host, node inside it].
    first = node["target"][0]
    return isinstance(first, list) and str(first[0]).startswith("cs-consent")


def shadow_checks(results: dict[str, Any], rule_id: str) -> int:
    """How many nodes inside the widget's shadow roots passed this rule."""
    return sum(
        1 for rule in results["passes"] if rule["id"] == rule_id for node in rule["nodes"] if in_widget(node)
    )


def describe(rules: list[dict[str, Any]]) -> str:
    return "; ".join(
        f"{rule['id']} ({rule['impact']}): {rule['help']} at {[node['target'] for node in rule['nodes']]}"
        for rule in rules
    )


def assert_clean(results: dict[str, Any]) -> None:
    """No violation anywhere, nothing axe could not decide, and the widget's insides really checked."""
    assert results["violations"] == [], describe(results["violations"])
    assert results["incomplete"] == [], "axe could not decide: " + describe(results["incomplete"])
    for rule_id in ("color-contrast", "button-name"):
        assert shadow_checks(results, rule_id) > 0, f"axe did not check {rule_id} inside the shadow root"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_first_layer_has_no_axe_violations(page: Page, host_page: HostPage, lang: str):
    page.goto(host_page(PLACEHOLDER, lang=lang))
    expect(banner(page)).to_be_visible()
    expect(page.locator("[data-consent-placeholder]")).to_be_visible()
    # Contrast is measured on the end state of the fade-in.
    banner(page).evaluate("el => Promise.all(el.getAnimations().map(a => a.finished))")
    assert_clean(run_axe(page))


@pytest.mark.parametrize("chosen", [False, True], ids=["before-choice", "after-choice"])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_settings_layer_has_no_axe_violations(
    page: Page, traffic: Traffic, host_page: HostPage, lang: str, chosen: bool
):
    page.goto(host_page(lang=lang))
    if chosen:  # the layer then also shows the consent id and the receipt button
        banner_button(page, "accept_all", lang).click()
        choice_recorded(page, traffic, "accept_all")
        page.locator("#open-settings").click()
        expect(dialog_button(page, "receipt", lang)).to_be_visible()
    else:
        banner_button(page, "settings", lang).click()
    expect(dialog(page)).to_have_accessible_name(TEXTS[lang]["settings_title"])
    # Open every "services and cookies" disclosure so the tables are checked too.
    dialog(page).locator("details").evaluate_all("els => els.forEach(d => { d.open = true; })")
    assert_clean(run_axe(page))
