"""The admin pages in Chromium: a new site configured from scratch and seen on a host page, the live
preview, the policy bump that brings the banner back, refusals at their fields, keyboard use, the
strict CSP, and zero axe-core violations (WCAG 2.1 A/AA) on every admin page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import axe_playwright_python
import pytest
from playwright.sync_api import Page, expect

from consent_server.accounts.services import create_user
from consent_server.embed.services import long_date
from consent_server.extensions import db
from consent_server.models import Scan, Site
from consent_server.timeutil import utcnow
from tests.browser.support import (
    CONSENT_PATH,
    TIMEOUT_MS,
    HostPage,
    Servers,
    Traffic,
    banner,
    page_html,
    wait_for_widget,
)
from tests.factories import consent_body

AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
EMAIL = "beheer@example.nl"
PASSWORD = "correct horse battery staple admin"
# Records every CSP violation in every frame; init scripts run before the page's own and outside its CSP.
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});
"""


@pytest.fixture(scope="module", autouse=True)
def admin_account(servers: Servers) -> Iterator[None]:
    servers.import_site()
    with servers.app.app_context():
        create_user(db.session, EMAIL, "admin", [], PASSWORD, actor="test")
        db.session.commit()
        db.session.remove()
    yield


@pytest.fixture(autouse=True)
def dutch_browser(page: Page) -> None:
    page.set_extra_http_headers({"Accept-Language": "nl-NL,nl;q=0.9"})


def log_in(page: Page, servers: Servers) -> None:
    page.goto(servers.consent + "/login")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Uw sites")).to_be_visible()


def assert_no_axe_violations(page: Page) -> None:
    # Evaluated through DevTools in every frame (the preview too), never as a <script>: the CSP forbids it.
    for frame in page.frames:
        frame.evaluate(AXE_SOURCE)
    results = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    problems = [
        f"{rule['id']} ({rule['impact']}): {rule['help']} at {[node['target'] for node in rule['nodes']]}"
        for rule in results["violations"] + results["incomplete"]
    ]
    assert problems == [], f"{page.url}: {problems}"


def preview(page: Page) -> Any:
    """The preview frame that is showing (live updates swap in a fresh frame)."""
    return page.frame_locator("[data-preview-frames] iframe:not([hidden])")


def save_and_confirm(page: Page) -> None:
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_role("heading", name="Bezoekers opnieuw vragen?")).to_be_visible()
    page.get_by_role("button", name="Opslaan en bezoekers opnieuw vragen").click()
    expect(page.get_by_text("bezoekers worden opnieuw gevraagd")).to_be_visible()


def host_banner_title(page: Page) -> Any:
    return banner(page).get_by_role("heading")


# ---- the walk-through of a new admin ----------------------------------------------------------------------


def test_a_new_site_configured_in_the_ui_shows_on_a_host_page_and_follows_each_change(
    page: Page, servers: Servers, traffic: Traffic
) -> None:
    log_in(page, servers)
    page.get_by_role("link", name="Beheer").click()
    page.get_by_role("navigation", name="Beheermenu").get_by_role("link", name="Sites").click()
    page.get_by_role("link", name="Nieuwe site").click()
    page.get_by_label("Sleutel").fill("gemeente")
    page.get_by_label("Naam").fill("Gemeente Voorbeeld")
    page.get_by_label("Adressen (origins)").fill(servers.host)
    page.get_by_role("button", name="Site aanmaken").click()
    expect(page.get_by_text("De site Gemeente Voorbeeld is aangemaakt.")).to_be_visible()
    embed = page.locator(".embed-code code").text_content() or ""
    assert f"{servers.consent}/w/gemeente.js" in embed

    # The host page embeds it as the edit page says, with the declaration table.
    widget = f"{servers.consent}/w/gemeente.js"
    host = page.context.new_page()
    host.set_extra_http_headers({"Accept-Language": "nl-NL,nl;q=0.9"})
    url = servers.pages.add(page_html(widget, "<h2>Cookies</h2><div data-consent-declaration></div>"))
    host.goto(url)
    wait_for_widget(host)
    expect(host_banner_title(host)).to_have_text("Cookies op deze website")
    declaration = host.locator("[data-consent-declaration]")
    expect(declaration).to_contain_text("Noodzakelijk")
    expect(declaration).not_to_contain_text("Statistieken")
    expect(declaration).to_contain_text(f"Versie 1 van {long_date(utcnow().date().isoformat(), 'nl')}.")
    banner(host).get_by_role("button", name="Alles accepteren").click()
    expect(declaration).to_contain_text("Uw keuze: Noodzakelijk")

    # A category with a service and a cookie, through the empty rows, and a new title.
    page.locator("#g-categories-1 > summary").click()
    page.locator("#f-categories-1-key").fill("analytics")
    page.locator("#f-categories-1-texts-nl-name").fill("Statistieken")
    page.locator("#f-categories-1-texts-en-name").fill("Statistics")
    page.locator("#f-categories-1-texts-nl-description").fill("Meten hoe de site wordt gebruikt.")
    page.locator("#f-categories-1-texts-en-description").fill("Measure how the site is used.")
    page.get_by_role("button", name="Formulier bijwerken (lege rijen toevoegen)").click()
    page.locator("#g-services-0 > summary").click()
    page.locator("#f-services-0-key").fill("matomo")
    page.locator("#f-services-0-category").select_option("analytics")
    page.locator("#f-services-0-name").fill("Matomo")
    page.locator("#f-services-0-provider").fill("Gemeente Voorbeeld")
    page.locator("#f-services-0-texts-nl-purpose").fill("Bezoekersstatistieken.")
    page.locator("#f-services-0-texts-en-purpose").fill("Visitor statistics.")
    page.locator("#g-services-0-cookies-0 > summary").click()
    page.locator("#f-services-0-cookies-0-name").fill("_pk_id.*")
    page.locator("#f-services-0-cookies-0-duration-days").fill("395")
    page.locator("#f-services-0-cookies-0-texts-nl-purpose").fill("Herkent terugkerende bezoekers.")
    page.locator("#f-services-0-cookies-0-texts-en-purpose").fill("Recognises returning visitors.")
    page.locator("#f-texts-nl-title").fill("Gemeente Voorbeeld gebruikt cookies")
    save_and_confirm(page)
    expect(page.locator(".meta")).to_contain_text("beleidsversie 2")

    # The host page asks again, with the new title, and declares the new cookie.
    host.reload()
    wait_for_widget(host)
    expect(host_banner_title(host)).to_have_text("Gemeente Voorbeeld gebruikt cookies")
    expect(declaration).to_contain_text("Statistieken")
    expect(declaration).to_contain_text("_pk_id.*")
    expect(declaration).to_contain_text("1 jaar")
    expect(declaration).to_contain_text("Nog geen keuze gemaakt.")
    expect(declaration).to_contain_text("Versie 2 van")

    # The public declaration page follows too, in both languages, with the version.
    public = page.context.new_page()
    public.goto(f"{servers.consent}/sites/gemeente/cookies?lang=en")
    expect(public.get_by_role("heading", name="Statistics")).to_be_visible()
    expect(public.locator("main")).to_contain_text("Version 2 of")
    expect(public.locator("main")).to_contain_text("Recognises returning visitors.")
    public.goto(f"{servers.consent}/sites/gemeente/cookies?lang=nl")
    expect(public.locator("main")).to_contain_text("Herkent terugkerende bezoekers.")


def test_a_text_change_brings_the_banner_back_on_the_host_page(
    page: Page, servers: Servers, host_page: HostPage
) -> None:
    url = host_page()
    host = page.context.new_page()
    host.goto(url)
    wait_for_widget(host)
    banner(host).get_by_role("button", name="Alles weigeren").click()
    expect(banner(host)).to_have_count(0)
    host.reload()
    wait_for_widget(host)
    expect(banner(host)).to_have_count(0)  # the choice holds

    log_in(page, servers)
    page.goto(servers.consent + "/admin/sites/example/")
    page.locator("#f-texts-nl-description").fill("Een nieuwe uitleg over cookies.")
    save_and_confirm(page)

    host.reload()
    wait_for_widget(host)
    expect(banner(host)).to_be_visible()
    expect(banner(host)).to_contain_text("Een nieuwe uitleg over cookies.")


def test_a_choice_in_the_preview_is_neither_stored_nor_sent(
    page: Page, servers: Servers, traffic: Traffic
) -> None:
    log_in(page, servers)
    page.goto(servers.consent + "/admin/sites/example/")
    page.locator("[data-preview-frames]").evaluate("frames => frames.scrollIntoView({block: 'end'})")
    frame = preview(page)
    frame.locator("[data-consent-ui] section.banner").get_by_role("button", name="Alles accepteren").click()
    expect(frame.locator("[data-consent-ui] section.banner")).to_have_count(0)
    traffic.quiet()
    traffic.refute(CONSENT_PATH)
    assert "cs_consent" not in {cookie["name"] for cookie in page.context.cookies()}
    page.reload()
    expect(preview(page).locator("[data-consent-ui] section.banner")).to_be_visible(timeout=TIMEOUT_MS)


def test_the_live_preview_follows_typing_without_taking_the_focus(page: Page, servers: Servers) -> None:
    log_in(page, servers)
    page.goto(servers.consent + "/admin/sites/example/")
    frame = preview(page)
    expect(frame.locator("[data-consent-ui] section.banner")).to_be_visible(timeout=TIMEOUT_MS)
    title = page.locator("#f-texts-nl-title")
    title.fill("")
    title.type("Live voorbeeld", delay=20)
    expect(preview(page).locator("[data-consent-ui] section.banner h2")).to_have_text(
        "Live voorbeeld", timeout=TIMEOUT_MS
    )
    expect(title).to_be_focused()
    assert page.locator("[data-preview-frames] iframe").count() == 1
    page.locator("#f-theme-accent").fill("#0b5e2e")
    button = preview(page).locator("[data-consent-ui] section.banner button").first
    expect(button).to_have_css("background-color", "rgb(11, 94, 46)", timeout=TIMEOUT_MS)
    page.get_by_role("button", name="Voorbeeld in het Engels").click()
    expect(preview(page).locator("html")).to_have_attribute("lang", "en", timeout=TIMEOUT_MS)
    with servers.app.app_context():
        site = db.session.query(Site).filter_by(key="example").one()
        assert site.texts["nl"]["title"] != "Live voorbeeld"  # a preview saves nothing
        db.session.remove()


def test_a_low_contrast_theme_is_refused_next_to_the_field_and_the_summary_links_to_it(
    page: Page, servers: Servers
) -> None:
    log_in(page, servers)
    page.goto(servers.consent + "/admin/sites/example/")
    page.locator("#f-theme-text").fill("#aaaaaa")
    expect(preview(page).get_by_role("alert")).to_contain_text("EDPB-E", timeout=TIMEOUT_MS)
    page.get_by_role("button", name="Opslaan", exact=True).click()
    summary = page.get_by_role("alert").filter(has_text="De instellingen zijn niet opgeslagen")
    expect(summary).to_be_visible()
    expect(page.locator("#f-theme-text-error")).to_contain_text("EDPB-E")
    expect(page.locator("#f-theme-text")).to_have_attribute("aria-invalid", "true")
    summary.get_by_role("link").first.click()
    expect(page.locator("#f-theme-text")).to_be_focused()
    assert_no_axe_violations(page)


def test_a_new_site_can_be_made_with_the_keyboard_alone(page: Page, servers: Servers) -> None:
    log_in(page, servers)
    page.goto(servers.consent + "/admin/sites/new")
    page.locator("#site-key").focus()
    page.keyboard.type("toetsenbord")
    page.keyboard.press("Tab")
    page.keyboard.type("Toetsenbord")
    page.keyboard.press("Tab")
    page.keyboard.type("https://toetsenbord.example.nl")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Site aanmaken")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("Toetsenbord"))).to_be_visible()


def test_admin_pages_cause_no_csp_violation(page: Page, servers: Servers) -> None:
    page.add_init_script(CSP_RECORDER)
    log_in(page, servers)
    for path in (
        "/admin/",
        "/admin/sites",
        "/admin/users",
        "/admin/audit",
        "/admin/data",
        "/admin/sites/example/",
    ):
        page.goto(servers.consent + path)
        page.wait_for_load_state("load")
        for frame in page.frames:
            assert frame.evaluate("window.__cspViolations || []") == [], (path, frame.url)
    page.locator("#f-texts-en-title").fill("Typed")
    expect(preview(page).locator("[data-consent-ui] section.banner")).to_be_visible(timeout=TIMEOUT_MS)
    for frame in page.frames:
        assert frame.evaluate("window.__cspViolations || []") == [], frame.url


def test_a_user_is_created_with_a_generated_password_that_logs_in(page: Page, servers: Servers) -> None:
    log_in(page, servers)
    page.goto(servers.consent + "/admin/users/new")
    page.get_by_label("E-mail").fill("nieuw@example.nl")
    page.get_by_label("Marketing").check()
    page.get_by_label(re.compile("^Example")).check()
    page.get_by_role("button", name="Gebruiker aanmaken").click()
    password = page.get_by_label("Wachtwoord", exact=True).input_value()
    assert len(password) >= 12
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Uitloggen").click()
    page.get_by_label("E-mail").fill("nieuw@example.nl")
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("link", name="Example")).to_be_visible()
    assert page.request.get(servers.consent + "/admin/").status == 404


# ---- axe on every admin page ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def records(servers: Servers) -> dict[str, Any]:
    """A consent id with a receipt, and a finished scan with a proposal, for the pages that show them."""
    with servers.app.app_context():
        version = db.session.query(Site).filter_by(key="example").one().policy_version
        db.session.remove()
    client = servers.app.test_client()
    body = consent_body(action="accept_all", policy_version=version)
    answer = client.post("/api/v1/consent", json=body, headers={"Origin": servers.host})
    assert answer.status_code == 201, answer.get_data(as_text=True)
    with servers.app.app_context():
        site = db.session.query(Site).filter_by(key="example").one()
        proposal: dict[str, Any] = {
            "id": "p1",
            "name": "_hjSession_*",
            "storage": "cookie",
            "domain": None,
            "duration_days": 1,
            "category": "analytics",
            "category_reason": "known",
            "provider": "Hotjar Ltd.",
            "service_key": "hotjar",
            "service_name": "Hotjar",
            "service_purpose": {"nl": "Meten.", "en": "Measure."},
            "privacy_url": None,
            "purpose": {"nl": "Sessie.", "en": "Session."},
            "known": True,
            "examples": [],
            "review": [],
        }
        report = {
            "phases": [
                {"name": "no_choice", "status": "done", "pages": [{"url": servers.host}], "items": []}
            ],
            "findings": [
                {"kind": "undeclared", "severity": "medium", "message": "cookie _hjSession_1 is undeclared"}
            ],
            "proposals": [proposal],
        }
        scan = Scan(site_id=site.id, url=servers.host + "/", status="done", report=report, requested_by=EMAIL)
        db.session.add(scan)
        db.session.commit()
        scan_id = scan.id
        user_id = db.session.execute(db.text("SELECT id FROM users WHERE email = :e"), {"e": EMAIL}).scalar()
        db.session.remove()
    return {"consent_id": answer.get_json()["consent_id"], "scan_id": scan_id, "user_id": user_id}


PAGES = [
    "/admin/",
    "/admin/sites",
    "/admin/sites/new",
    "/admin/sites/example/",
    "/admin/sites/import",
    "/admin/sites/example/scans/{scan_id}",
    "/admin/sites/example/preview",
    "/admin/users",
    "/admin/users/new",
    "/admin/users/{user_id}",
    "/admin/audit",
    "/admin/audit?from=not-a-date",
    "/admin/consents",
    "/admin/consents?consent_id=nope",
    "/admin/consents/{consent_id}",
    "/admin/consents/{consent_id}/erase",
    "/admin/data",
]


@pytest.mark.parametrize("path", PAGES)
def test_admin_page_has_no_axe_violations(
    page: Page, servers: Servers, records: dict[str, Any], path: str
) -> None:
    log_in(page, servers)
    page.goto(servers.consent + path.format(**records))
    if path == "/admin/sites/example/":
        expect(preview(page).locator("[data-consent-ui] section.banner")).to_be_visible(timeout=TIMEOUT_MS)
    assert_no_axe_violations(page)


@pytest.mark.parametrize("path", ["/admin/sites/example/", "/admin/users/new", "/admin/data"])
def test_admin_page_in_english_has_no_axe_violations(page: Page, servers: Servers, path: str) -> None:
    page.set_extra_http_headers({"Accept-Language": "en"})
    page.goto(servers.consent + "/login")
    page.get_by_label("Email", exact=True).fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(servers.consent + path)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_no_axe_violations(page)


def test_form_pages_with_refusals_have_no_axe_violations(page: Page, servers: Servers) -> None:
    log_in(page, servers)
    page.goto(servers.consent + "/admin/users/new")
    page.get_by_role("button", name="Gebruiker aanmaken").click()
    expect(page.locator("#user-email-error")).to_be_visible()
    assert_no_axe_violations(page)
    page.goto(servers.consent + "/admin/sites/new")
    page.get_by_role("button", name="Site aanmaken").click()
    expect(page.locator("#site-key-error")).to_be_visible()
    assert_no_axe_violations(page)
    page.goto(servers.consent + "/admin/sites/example/")
    page.locator("#f-texts-nl-description").fill("Nog een andere uitleg.")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_role("heading", name="Bezoekers opnieuw vragen?")).to_be_visible()
    assert_no_axe_violations(page)
