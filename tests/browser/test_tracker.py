"""The tracker in the widget: first-party analytics, only while analytics is granted and confirmed.

Most tests answer POST /api/v1/collect with a stand-in (`Collector`, 202 unless told otherwise), so the
widget is tested on its own; the hits still go through the page's network and are asserted with
`Traffic`. A beacon sent while a page unloads never shows in Playwright's network events, so what
happens on leaving a page is asserted where it arrives: `Received`, at the consent server's edge. The
last tests talk to the real collector, once the server has one.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page, Route

from consent_server import create_app
from tests.browser.support import (
    COLLECT_PATH,
    CONSENT_PATH,
    Collector,
    HostPage,
    PageLog,
    Received,
    Servers,
    Traffic,
    banner_button,
    choice_recorded,
    hits,
    local_storage,
    wait_for_widget,
)
from tests.conftest import app_settings

REFERRER = "http://www.zoekmachine.example/zoeken?q=cookies"
CLICKABLES = """
<p><a id="outbound" href="https://partner.example/brochure?utm_source=site&id=7#top"
      onclick="event.preventDefault()">Partner</a></p>
<p><a id="download" href="/files/Jaarverslag.PDF?v=2#p3" onclick="event.preventDefault()">Jaarverslag</a></p>
<p><a id="odd-file" href="/files/data.xyz" onclick="event.preventDefault()">Data</a></p>
<p><a id="inside" href="/over-ons?x=1" onclick="event.preventDefault()">Over ons</a></p>
<p><a id="mail" href="mailto:info@partner.example" onclick="event.preventDefault()">Mail</a></p>
<button type="button" id="signup" data-consent-event="Signup" data-consent-props='{"plan": "free"}'>
  <span id="signup-label">Aanmelden</span></button>
<button type="button" id="bare" data-consent-event="Bare">Zonder props</button>
"""
HIDE_PAGE = """() => {
    Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});
    document.dispatchEvent(new Event('visibilitychange'));
}"""
SHOW_PAGE = """() => {
    Object.defineProperty(document, 'visibilityState', {value: 'visible', configurable: true});
    document.dispatchEvent(new Event('visibilitychange'));
}"""
PAGEHIDE = "() => window.dispatchEvent(new PageTransitionEvent('pagehide'))"


def collector_built() -> bool:
    app = create_app(app_settings("sqlite://"))
    return any(rule.rule == COLLECT_PATH for rule in app.url_map.iter_rules())


@pytest.fixture
def collector(page: Page, servers: Servers) -> Collector:
    return Collector(page, servers)


@pytest.fixture
def received(servers: Servers, monkeypatch: pytest.MonkeyPatch) -> Received:
    recorder = Received(servers.app)
    monkeypatch.setattr(servers.app, "wsgi_app", recorder)
    return recorder


def accept(page: Page, traffic: Traffic) -> dict[str, Any]:
    banner_button(page, "accept_all").click()
    return choice_recorded(page, traffic, "accept_all")


def reject(page: Page, traffic: Traffic) -> dict[str, Any]:
    banner_button(page, "reject_all").click()
    return choice_recorded(page, traffic, "reject_all")


def token(page: Page) -> str:
    return str(json.loads(local_storage(page)["cs_consent"])["t"])


def pageviews(traffic: Traffic) -> list[dict[str, Any]]:
    return hits(traffic, type="pageview")


def do_everything(page: Page) -> None:
    """Everything the tracker would count: SPA moves, hash moves, clicks, track(), leaving the page."""
    page.evaluate("() => history.pushState({}, '', '/spa/elders')")
    page.evaluate("() => history.replaceState({}, '', '/spa/weer-elders')")
    page.evaluate("() => { location.hash = '#/tab'; }")
    for selector in ("#outbound", "#download", "#inside", "#signup-label", "#bare"):
        page.click(selector)
    page.evaluate("() => ConsentServer.track('Signup', {plan: 'free'})")
    page.evaluate("() => history.back()")
    page.evaluate(HIDE_PAGE)
    page.evaluate(PAGEHIDE)


# ---- no consent, no request ----------------------------------------------------------------------------


def test_before_a_choice_nothing_is_collected(
    page: Page, traffic: Traffic, host_page: HostPage, collector: Collector, received: Received
):
    page.goto(host_page(CLICKABLES), referer=REFERRER)
    wait_for_widget(page)
    do_everything(page)
    page.goto(host_page())
    wait_for_widget(page)
    traffic.quiet()
    traffic.refute(COLLECT_PATH)
    assert received.matching(COLLECT_PATH) == []


def test_after_reject_nothing_is_ever_collected(
    page: Page, traffic: Traffic, host_page: HostPage, collector: Collector, received: Received
):
    url = host_page(CLICKABLES, hash_routing=True)
    page.goto(url, referer=REFERRER)
    reject(page, traffic)
    do_everything(page)
    page.goto(url, referer=REFERRER)  # leaving the page: no engagement either
    wait_for_widget(page)
    do_everything(page)
    page.goto(host_page())
    wait_for_widget(page)
    traffic.quiet()
    traffic.refute(COLLECT_PATH)
    assert collector.bodies == [] and received.matching(COLLECT_PATH) == []


def test_track_without_consent_says_once_why_it_sends_nothing(
    page: Page, traffic: Traffic, host_page: HostPage, page_log: PageLog, collector: Collector
):
    page.goto(host_page())
    reject(page, traffic)
    page.evaluate("() => { ConsentServer.track('Signup'); ConsentServer.track('Signup'); }")
    traffic.quiet()
    traffic.refute(COLLECT_PATH)
    said = [text for text in page_log.messages("warning") if "track()" in text]
    assert len(said) == 1 and said[0].startswith("[consent-server] track(): no analytics consent")


def test_consent_for_other_categories_only_collects_nothing(
    page: Page, traffic: Traffic, host_page: HostPage, collector: Collector
):
    page.goto(host_page(CLICKABLES))
    wait_for_widget(page)
    page.evaluate("() => ConsentServer.set({preferences: true, marketing: true})")
    choice_recorded(page, traffic, "custom")
    do_everything(page)
    traffic.quiet()
    traffic.refute(COLLECT_PATH)


# ---- pageviews -----------------------------------------------------------------------------------------


def test_accept_sends_exactly_one_pageview_with_site_token_url_screen_and_referrer(
    page: Page, traffic: Traffic, host_page: HostPage, servers: Servers, collector: Collector
):
    url = host_page() + "?utm_source=nieuwsbrief#intro"
    page.goto(url, referer=REFERRER)
    accept(page, traffic)
    traffic.expect(COLLECT_PATH, method="POST", body={"type": "pageview"}, status=202)
    traffic.quiet()
    [hit] = hits(traffic)
    assert hit == {
        "site": "example",
        "token": token(page),
        "type": "pageview",
        "url": url,
        "referrer": page.evaluate("() => document.referrer"),
        "screen": "laptop",  # Playwright's default viewport is 1280 px wide
    }
    assert hit["referrer"] == REFERRER  # as the page has it: the server cleans it
    consent, collect = traffic.matching(CONSENT_PATH)[0], traffic.matching(COLLECT_PATH)[0]
    assert traffic.seen.index(consent) < traffic.seen.index(collect)  # the token comes first
    assert collect.origin == servers.consent


def test_pageview_without_a_referrer_leaves_it_out(
    page: Page, traffic: Traffic, host_page: HostPage, collector: Collector
):
    page.goto(host_page())
    accept(page, traffic)
    traffic.expect(COLLECT_PATH, method="POST", body={"type": "pageview"})
    assert "referrer" not in pageviews(traffic)[0]


def test_reload_after_accepting_sends_one_pageview_at_once(
    page: Page, traffic: Traffic, host_page: HostPage, collector: Collector
):
    page.goto(host_page())
    accept(page, traffic)
    traffic.expect(COLLECT_PATH, method="POST", body={"type": "pageview"})
    traffic.clear()
    page.reload()
    traffic.expect(COLLECT_PATH, method="POST", body={"type": "pageview", "url": page.url})
    traffic.quiet()
    traffic.refute(CONSENT_PATH)
    assert len(pageviews(traffic)) == 1


@pytest.mark.parametrize(
    ("width", "expected"), [(375, "mobile"), (575, "mobile"), (576, "tablet"), (991, "tablet"),
                            (992, "laptop"), (1439, "laptop"), (1440, "desktop"), (2560, "desktop")]
)  # fmt: skip
def test_screen_is_a_size_class_of_the_window_width(
    page: Page, traffic: Traffic, host_page: HostPage, collector: Collector, width: int, expected: str
):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(host_page())
    accept(page, traffic)
    hit = traffic.expect(COLLECT_PATH, method="POST", body={"type": "pageview"}).body
    assert hit["screen"] == expected
    assert set(hit) <= {"site", "token", "type", "url", "referrer", "screen"}  # nothing else about the device


def test_choice_still_queued_waits_for_the_token_before_the_pageview(
    page: Page, traffic: Traffic, host_page: HostPage, servers: Servers, collector: Collector
):
    held: list[Route] = []
    page.route(servers.consent + CONSENT_PATH, lambda route: held.append(route))
    page.goto(host_page())
    banner_button(page, "accept_all").click()
    page.wait_for_function("() => ConsentServer.has('analytics')")
    page.evaluate("() => history.pushState({}, '', '/tijdens-het-wachten')")
    page.wait_for_timeout(400)
    traffic.refute(COLLECT_PATH)  # analytics is granted, but the server has not answered yet
    assert len(held) == 1
    held[0].continue_()
    hit = traffic.expect(COLLECT_PATH, method="POST", body={"type": "pageview"}, status=202).body
    assert hit["url"].endswith("/tijdens-het-wachten") and hit["token"] == token(page)
    traffic.quiet()
    assert len(pageviews(traffic)) == 1


def test_regranting_analytics_waits_for_the_new_token(
    page: Page, traffic: Traffic, host_page: HostPage, collector: Collector
):
    page.goto(host_page())
    reject(page, traffic)
    old = token(page)  # does not grant analytics: the collector would refuse it
    traffic.clear()
    page.evaluate("() => ConsentServer.set({analytics: true})")
    choice_recorded(page, traffic, "custom")
    hit = traffic.expect(COLLECT_PATH, method="POST", body={"type": "pageview"}).body
    assert hit["token"] == token(page) != old


# ---- single-page apps ------------------------------------------------------------------------------------


def test_push_state_to_a_new_path_is_a_pageview_and_replace_state_to_the_same_path_is_not(
    page: Page, traffic: Traffic, host_page: HostPage, collector: Collector
):
    url = host_page()
    page.goto(url, referer=REFERRER)
    accept(page, traffic)
    traffic.expect(COLLECT_PATH, method="POST", body={"type": "pageview", "url": url})
    page.evaluate("() => history.pushState({}, '', '/spa/producten')")
    second = traffic.expect(COLLECT_PATH, method="POST", body={"type": "pageview", "url": page.url}).body
    assert second["url"].endswith("/spa/producten") and "referrer" not in second
    page.evaluate("() => history.replaceState({}, '', '/spa/producten?sort=prijs')")
    page.evaluate("() => history.pushState({}, '', '/spa/producten#details')")
    traffic.quiet()
    assert [hit["url"] for hit in pageviews(traffic)] == [url, second["url"]]


def test_back_and_forward_are_pageviews(
    page: Page, traffic: Traffic, host_page: HostPage, collector: Collector
):
    url = host_page()
    page.goto(url)
    accept(page, traffic)
    page.evaluate("() => history.pushState({}, '', '/spa/a')")
    traffic.expect(COLLECT_PATH, method="POST", body={"type": "pageview", "url": page.url})
    page.go_back()
    traffic.expect(COLLECT_PATH, method="POST", body={"type": "pageview", "url": url})
    traffic.quiet()
    assert len(pageviews(traffic)) == 3


def test_hash_changes_are_no_pageviews_without_hash_routing(
    page: Page, traffic: Traffic, host_page: HostPage, collector: Collector
):
    page.goto(host_page())
    accept(page, traffic)
    traffic.expect(COLLECT_PATH, method="POST", body={"type": "pageview"})
    page.evaluate("() => { location.hash = '#/contact'; }")
    page.evaluate("() => history.pushState({}, '', '#/over-ons')")
    traffic.quiet()
    assert len(pageviews(traffic)) == 1


def test_hash_routing_counts_hash_changes_when_the_site_enables_it(
    page: Page, traffic: Traffic, host_page: HostPage, collector: Collector
):
    page.goto(host_page(hash_routing=True))
    accept(page, traffic)
    traffic.expect(COLLECT_PATH, method="POST", body={"type": "pageview"})
    page.evaluate("() => { location.hash = '#/contact'; }")
    traffic.expect(COLLECT_PATH, method="POST", body={"type": "pageview", "url": page.url})
    page.evaluate("() => history.pushState({}, '', '#/over-ons')")
    traffic.expect(COLLECT_PATH, method="POST", body={"type": "pageview", "url": page.url})
    traffic.quiet()
    assert [hit["url"].split("#")[1] for hit in pageviews(traffic)[1:]] == ["/contact", "/over-ons"]


# ---- engagement ------------------------------------------------------------------------------------------


def test_engagement_is_sent_when_the_visitor_navigates_away(
    page: Page, traffic: Traffic, host_page: HostPage, servers: Servers, received: Received
):
    first, second = host_page(), host_page()
    page.goto(first)
    accept(page, traffic)
    traffic.expect(COLLECT_PATH, method="POST", body={"type": "pageview"})
    page.wait_for_timeout(300)
    page.goto(second)
    wait_for_widget(page)
    hit = received.expect(COLLECT_PATH, body={"type": "engagement"})
    assert hit.method == "POST" and hit.origin == servers.consent
    assert hit.body["url"] == first and 300 <= hit.body["engaged_ms"] < 60_000
    assert set(hit.body) == {"site", "token", "type", "url", "engaged_ms", "screen"}
    # A beacon: text/plain, so no preflight; from the host page's origin.
    assert received.headers[received.requests.index(hit)] == {
        "Origin": servers.host,
        "Content-Type": "text/plain",
    }
    page.wait_for_timeout(300)
    assert len(received.matching(COLLECT_PATH, body={"type": "engagement"})) == 1


def test_engagement_is_sent_when_the_page_is_hidden_and_counts_only_visible_time(
    page: Page, traffic: Traffic, host_page: HostPage, collector: Collector
):
    page.goto(host_page())
    accept(page, traffic)
    traffic.expect(COLLECT_PATH, method="POST", body={"type": "pageview"})
    page.wait_for_timeout(200)
    page.evaluate(HIDE_PAGE)
    first = traffic.expect(COLLECT_PATH, method="POST", body={"type": "engagement"}).body
    assert first["engaged_ms"] >= 200
    page.wait_for_timeout(600)  # hidden: does not count
    page.evaluate(SHOW_PAGE)
    page.wait_for_timeout(100)
    page.evaluate(PAGEHIDE)
    traffic.quiet()
    engagements = hits(traffic, type="engagement")
    assert len(engagements) == 2 and 100 <= engagements[1]["engaged_ms"] < 500


def test_no_engagement_of_zero_ms(page: Page, traffic: Traffic, host_page: HostPage, collector: Collector):
    page.goto(host_page())
    accept(page, traffic)
    traffic.expect(COLLECT_PATH, method="POST", body={"type": "pageview"})
    page.evaluate(HIDE_PAGE)
    traffic.expect(COLLECT_PATH, method="POST", body={"type": "engagement"})
    page.evaluate(PAGEHIDE)  # already hidden: nothing visible since
    page.evaluate(HIDE_PAGE)
    traffic.quiet()
    assert len(hits(traffic, type="engagement")) == 1


def test_spa_navigation_sends_the_engagement_of_the_previous_page(
    page: Page, traffic: Traffic, host_page: HostPage, collector: Collector
):
    url = host_page()
    page.goto(url)
    accept(page, traffic)
    traffic.expect(COLLECT_PATH, method="POST", body={"type": "pageview"})
    page.wait_for_timeout(150)
    page.evaluate("() => history.pushState({}, '', '/spa/volgende')")
    traffic.expect(COLLECT_PATH, method="POST", body={"type": "pageview", "url": page.url})
    engagement = traffic.expect(COLLECT_PATH, method="POST", body={"type": "engagement"}).body
    assert engagement["url"] == url and engagement["engaged_ms"] >= 150
    traffic.quiet()
    # The widget sends the engagement first; a beacon may still reach the network after the fetch.
    assert sorted((hit["type"], hit["url"]) for hit in hits(traffic)) == [
        ("engagement", url),
        ("pageview", url),
        ("pageview", page.url),
    ]


# ---- clicks and custom events ----------------------------------------------------------------------------


def test_outbound_link_click_is_an_event_with_the_url_without_query_or_fragment(
    page: Page, traffic: Traffic, host_page: HostPage, collector: Collector
):
    page.goto(host_page(CLICKABLES))
    accept(page, traffic)
    page.click("#outbound")
    hit = traffic.expect(COLLECT_PATH, method="POST", body={"type": "event"}, status=202).body
    assert hit["name"] == "Outbound Link: Click"
    assert hit["props"] == {"url": "https://partner.example/brochure"}
    page.click("#inside")
    page.click("#mail")  # not http(s): no address ever leaves the page
    traffic.quiet()
    assert len(hits(traffic, type="event")) == 1


def test_outbound_link_that_navigates_away_is_still_counted(
    page: Page, traffic: Traffic, host_page: HostPage, collector: Collector
):
    page.route("https://partner.example/**", lambda route: route.fulfill(body="<title>Partner</title>"))
    page.goto(host_page('<a id="away" href="https://partner.example/brochure?id=7">Partner</a>'))
    accept(page, traffic)
    page.click("#away")
    page.wait_for_url("https://partner.example/**")
    hit = traffic.expect(COLLECT_PATH, method="POST", body={"type": "event"}).body
    assert hit["props"] == {"url": "https://partner.example/brochure"}


def test_download_click_is_an_event_with_the_url_without_query(
    page: Page, traffic: Traffic, host_page: HostPage, servers: Servers, collector: Collector
):
    page.goto(host_page(CLICKABLES))
    accept(page, traffic)
    page.click("#download")
    hit = traffic.expect(COLLECT_PATH, method="POST", body={"type": "event"}).body
    assert hit["name"] == "File Download"
    assert hit["props"] == {"url": f"{servers.host}/files/Jaarverslag.PDF"}
    page.click("#odd-file")  # .xyz is not one of the default download extensions
    traffic.quiet()
    assert len(hits(traffic, type="event")) == 1


def test_download_extensions_come_from_the_site(
    page: Page, traffic: Traffic, host_page: HostPage, servers: Servers, collector: Collector
):
    page.goto(host_page(CLICKABLES, download_extensions=["xyz"]))
    accept(page, traffic)
    page.click("#download")
    page.click("#odd-file")
    traffic.expect(COLLECT_PATH, method="POST", body={"type": "event"})
    traffic.quiet()
    events = hits(traffic, type="event")
    assert [(hit["name"], hit["props"]) for hit in events] == [
        ("File Download", {"url": f"{servers.host}/files/data.xyz"})
    ]


def test_data_consent_event_click_sends_its_name_and_props(
    page: Page, traffic: Traffic, host_page: HostPage, collector: Collector
):
    page.goto(host_page(CLICKABLES))
    accept(page, traffic)
    page.click("#signup-label")  # a click inside the element counts (delegated on the document)
    page.click("#bare")
    traffic.expect(COLLECT_PATH, method="POST", body={"name": "Bare"})
    traffic.quiet()
    events = [(hit["name"], hit.get("props")) for hit in hits(traffic, type="event")]
    assert events == [("Signup", {"plan": "free"}), ("Bare", None)]


def test_track_sends_a_custom_event_with_props_bounded(
    page: Page, traffic: Traffic, host_page: HostPage, collector: Collector
):
    page.goto(host_page())
    accept(page, traffic)
    traffic.expect(COLLECT_PATH, method="POST", body={"type": "pageview"})
    page.evaluate(
        """() => {
            const props = {long: 'x'.repeat(300), count: 3};
            for (let i = 0; i < 40; i++) props['k' + i] = 'v' + i;
            ConsentServer.track('Brochure aangevraagd', props);
        }"""
    )
    hit = traffic.expect(COLLECT_PATH, method="POST", body={"type": "event"}, status=202).body
    assert hit["name"] == "Brochure aangevraagd" and hit["url"] == page.url
    assert len(hit["props"]) == 30
    assert hit["props"]["long"] == "x" * 200 and hit["props"]["count"] == "3"


def test_track_queued_before_the_widget_loaded_is_sent_once_consent_is_confirmed(
    page: Page, traffic: Traffic, host_page: HostPage, collector: Collector
):
    page.goto(host_page())
    accept(page, traffic)
    traffic.clear()
    queued = "<script>window.ConsentServer = [['track', 'Vroeg', {bron: 'wachtrij'}]];</script>"
    page.goto(host_page(head=queued))
    hit = traffic.expect(COLLECT_PATH, method="POST", body={"type": "event"}).body
    assert hit["name"] == "Vroeg" and hit["props"] == {"bron": "wachtrij"}


# ---- withdrawal and refusal --------------------------------------------------------------------------------


def test_withdrawal_stops_every_request_at_once(
    page: Page, traffic: Traffic, host_page: HostPage, collector: Collector, received: Received
):
    page.goto(host_page(CLICKABLES))
    accept(page, traffic)
    traffic.expect(COLLECT_PATH, method="POST", body={"type": "pageview"})
    page.wait_for_timeout(200)  # visible time that would make an engagement on leaving
    page.evaluate("() => ConsentServer.set({analytics: false})")
    before = len(hits(traffic))
    do_everything(page)
    choice_recorded(page, traffic, "custom")
    traffic.quiet()
    assert len(hits(traffic)) == before == 1
    page.goto(host_page())  # leaving the page: no engagement either
    wait_for_widget(page)
    traffic.quiet()
    assert len(hits(traffic)) == 1
    assert received.matching(COLLECT_PATH) == []  # an unload beacon would reach the server, not Playwright


def test_collector_refusal_stops_tracking_for_the_page_and_says_so_once(
    page: Page, traffic: Traffic, host_page: HostPage, page_log: PageLog, collector: Collector
):
    collector.status = 403
    page.goto(host_page(CLICKABLES))
    accept(page, traffic)
    traffic.expect(COLLECT_PATH, method="POST", body={"type": "pageview"}, status=403)
    page.wait_for_timeout(100)
    do_everything(page)
    traffic.quiet()
    assert len(hits(traffic)) == 1  # no retry, nothing more
    said = [text for text in page_log.messages("warning") if "refused" in text]
    assert len(said) == 1 and "403" in said[0]


@pytest.mark.parametrize("status", [400, 404, 429, 500])
def test_other_collector_errors_are_not_retried(
    page: Page, traffic: Traffic, host_page: HostPage, collector: Collector, status: int
):
    collector.status = status
    page.goto(host_page())
    accept(page, traffic)
    traffic.expect(COLLECT_PATH, method="POST", body={"type": "pageview"}, status=status)
    page.evaluate("() => ConsentServer.track('Nog een')")
    traffic.expect(COLLECT_PATH, method="POST", body={"type": "event"})  # the page goes on counting
    traffic.quiet(idle_ms=1_000)
    assert len(hits(traffic)) == 2


# ---- the real collector ----------------------------------------------------------------------------------


COLLECTOR_BUILT = pytest.mark.skipif(not collector_built(), reason="collector not built yet")


@COLLECTOR_BUILT
def test_real_collector_accepts_the_pageview(page: Page, traffic: Traffic, host_page: HostPage):
    page.goto(host_page(), referer=REFERRER)
    accept(page, traffic)
    traffic.expect(COLLECT_PATH, method="POST", body={"type": "pageview"}, status=202)


@COLLECTOR_BUILT
def test_real_collector_accepts_spa_pageviews_events_and_engagement(
    page: Page, traffic: Traffic, host_page: HostPage, received: Received
):
    page.goto(host_page(CLICKABLES))
    accept(page, traffic)
    traffic.expect(COLLECT_PATH, method="POST", body={"type": "pageview"}, status=202)
    page.evaluate("() => history.pushState({}, '', '/spa/producten?utm_source=nieuwsbrief')")
    page.click("#signup")
    page.click("#download")
    page.evaluate(HIDE_PAGE)
    received.expect(COLLECT_PATH, body={"type": "engagement", "url": page.url})
    traffic.quiet()
    # Playwright shows no body for a beacon that is not intercepted: the server's view has them all.
    sent = [(seen.body["type"], seen.body.get("name")) for seen in received.matching(COLLECT_PATH)]
    assert sorted(sent, key=str) == sorted(
        [("pageview", None), ("engagement", None), ("pageview", None), ("event", "Signup"),
         ("event", "File Download"), ("engagement", None)], key=str
    )  # fmt: skip
    assert [seen.status for seen in traffic.matching(COLLECT_PATH)] == [202] * 6


@COLLECTOR_BUILT
def test_real_collector_refuses_the_old_token_after_withdrawal(
    page: Page, traffic: Traffic, host_page: HostPage, servers: Servers
):
    page.goto(host_page())
    accept(page, traffic)
    hit = traffic.expect(COLLECT_PATH, method="POST", body={"type": "pageview"}, status=202).body
    page.evaluate("() => ConsentServer.set({analytics: false})")
    choice_recorded(page, traffic, "custom")
    traffic.quiet()
    status = page.evaluate(
        """async ([url, body]) => (await fetch(url, {method: 'POST', body, credentials: 'omit',
            headers: {'Content-Type': 'text/plain'}})).status""",
        [servers.consent + COLLECT_PATH, json.dumps(hit)],  # the widget itself would not send it
    )
    assert 400 <= status < 500
