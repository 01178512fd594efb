"""window.ConsentServer: the pre-load queue, and an API that never throws into the host page."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.support import (
    CONSENT_PATH,
    HostPage,
    PageLog,
    Traffic,
    banner,
    banner_button,
    choice_recorded,
    dialog,
    wait_for_widget,
)

# Runs before the (async) widget: calls made now must not be lost.
QUEUE = """<script>
window.ConsentServer = window.ConsentServer || [];
window.__calls = 0; window.__changes = []; window.__arrayChanges = [];
ConsentServer.push(function (cs) {
    window.__calls += 1;
    window.__got = cs.get();
    cs.on('change', function (state) { window.__changes.push(state); });
});
ConsentServer.push(['on', 'change', function (state) { window.__arrayChanges.push(state); }]);
</script>"""
BAD_CALLS = """() => {
    const calls = [
        () => ConsentServer.set(null),
        () => ConsentServer.set(undefined),
        () => ConsentServer.set('analytics'),
        () => ConsentServer.set({nonsense: true}),
        () => ConsentServer.on('x'),
        () => ConsentServer.on('change'),
        () => ConsentServer.on(),
        () => ConsentServer.has(),
        () => ConsentServer.has(null),
        () => ConsentServer.push(42),
        () => ConsentServer.push(null),
        () => ConsentServer.push(['nope']),
        () => ConsentServer.push(['on']),
        () => ConsentServer.push(function () { throw new Error('queued function'); }),
        () => ConsentServer.show(),
        () => ConsentServer.show(),
    ];
    const thrown = [];
    calls.forEach((call, i) => {
        try { call(); } catch (e) { thrown.push(i + ': ' + e); }
    });
    return thrown;
}"""
BLOCKED_STORAGE = """Object.defineProperty(window, 'localStorage', {
    get() { throw new DOMException('The operation is insecure.', 'SecurityError'); },
    configurable: true,
});"""


def test_queued_function_runs_once_the_widget_has_loaded(page: Page, host_page: HostPage):
    page.goto(host_page(head=QUEUE))
    wait_for_widget(page)
    page.wait_for_function("() => window.__calls > 0")
    assert page.evaluate("() => window.__calls") == 1
    assert page.evaluate("() => window.__got") is None


def test_queued_function_can_listen_for_changes(page: Page, traffic: Traffic, host_page: HostPage):
    page.goto(host_page(head=QUEUE))
    banner_button(page, "accept_all").click()
    state = choice_recorded(page, traffic, "accept_all")
    assert page.evaluate("() => window.__changes") == [state]


def test_queued_array_entry_registers_a_change_listener(page: Page, traffic: Traffic, host_page: HostPage):
    page.goto(host_page(head=QUEUE))
    banner_button(page, "reject_all").click()
    state = choice_recorded(page, traffic, "reject_all")
    assert page.evaluate("() => window.__arrayChanges") == [state]


def test_queued_method_call_runs_once_loaded(page: Page, host_page: HostPage):
    page.goto(host_page(head="<script>window.ConsentServer = [['show']];</script>"))
    expect(dialog(page)).to_be_visible()


def test_push_after_loading_runs_at_once(page: Page, host_page: HostPage):
    page.goto(host_page())
    wait_for_widget(page)
    got = page.evaluate(
        "() => { let got = 'not run'; ConsentServer.push(cs => { got = cs.get(); }); return got; }"
    )
    assert got is None


def test_change_event_is_also_dispatched_on_window(page: Page, traffic: Traffic, host_page: HostPage):
    page.goto(host_page())
    wait_for_widget(page)
    page.evaluate(
        "() => { window.__events = [];"
        " addEventListener('consent-server:change', e => window.__events.push(e.detail)); }"
    )
    banner_button(page, "accept_all").click()
    state = choice_recorded(page, traffic, "accept_all")
    assert page.evaluate("() => window.__events") == [state]


def test_bad_api_calls_do_not_throw(page: Page, host_page: HostPage, page_log: PageLog):
    page.goto(host_page())
    wait_for_widget(page)
    assert page.evaluate(BAD_CALLS) == []
    assert page_log.errors == []


def test_ignored_call_says_why_in_the_console(page: Page, host_page: HostPage):
    page.goto(host_page())
    wait_for_widget(page)
    with page.expect_console_message(lambda message: message.type == "warning") as info:
        page.evaluate("() => ConsentServer.on('x')")
    assert info.value.text.startswith("[consent-server] on(): only 'change' with a function")


def test_a_throwing_change_listener_does_not_reach_the_page(
    page: Page, traffic: Traffic, host_page: HostPage, page_log: PageLog
):
    page.goto(host_page())
    wait_for_widget(page)
    page.evaluate("() => ConsentServer.on('change', () => { throw new Error('listener'); })")
    with page.expect_console_message(lambda message: "a change listener threw" in message.text):
        banner_button(page, "accept_all").click()
    choice_recorded(page, traffic, "accept_all")
    assert page_log.errors == []


def test_track_is_part_of_the_api_and_does_not_throw(page: Page, host_page: HostPage):
    page.goto(host_page())
    wait_for_widget(page)
    assert page.evaluate("() => typeof ConsentServer.track") == "function"
    page.evaluate("() => ConsentServer.track('signup', {plan: 'free'})")


def test_blocked_local_storage_still_applies_the_choice(page: Page, host_page: HostPage):
    page.add_init_script(BLOCKED_STORAGE)
    page.goto(host_page())
    expect(banner(page)).to_be_visible()
    banner_button(page, "accept_all").click()
    expect(banner(page)).to_have_count(0)
    assert page.evaluate("() => ConsentServer.has('analytics')") is True


def test_blocked_local_storage_still_records_the_choice(page: Page, traffic: Traffic, host_page: HostPage):
    page.add_init_script(BLOCKED_STORAGE)
    page.goto(host_page())
    banner_button(page, "accept_all").click()
    traffic.expect(CONSENT_PATH, method="POST", body={"action": "accept_all"}, status=201, timeout=2_000)


def test_banner_shows_for_automated_browsers(page: Page, host_page: HostPage):
    page.goto(host_page())
    assert page.evaluate("() => navigator.webdriver") is True
    expect(banner(page)).to_be_visible()
