"""The browser side of a scan: three fresh phases through a site in headless Chromium.

1. `no_choice`: the visitor makes no choice.
2. `reject`: "reject all" is clicked on the first page that shows our banner, then the crawl goes on.
3. `accept`: the same with "accept all".

Each phase gets its own browser with an empty profile, follows same-origin links breadth first up to
`max_pages` pages (the page where the choice was made is loaded once more after the click, so what a
site does on a page load after the choice is seen too), and records every cookie, every localStorage
and sessionStorage key (in every frame), and every request, each tagged with the consent state it
happened in. Cookies are read from the browser's cookie jar after every page (and after the click);
Set-Cookie headers and a hook on `document.cookie` tell whether HTTP or a script set them. A scan is
not a visitor: the widget's analytics hits and its recording of the click (POST /api/v1/consent) are
answered by the scanner itself, so neither statistics nor the proof log count a scan.

Time is bounded three ways: a per-page timeout (a page that never answers is given up), a deadline per
phase (an equal share of the time left, so what one phase leaves goes to the next), and a watchdog that
kills a phase's browser two seconds after its deadline (a page stuck in an endless script blocks every
call into it). A scan therefore ends within its timeout plus a few seconds.
A phase that cannot click our banner (the site shows another consent tool, or none) is skipped with
the reason; the scanner never guesses at other tools' buttons. When the first page of phase 1 did not
load our widget, phases 2 and 3 are skipped without starting a browser.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from playwright.sync_api import BrowserContext, Page, Playwright, Request, Response, Route, sync_playwright
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ..timeutil import isoformat, utcnow
from .browser import USER_AGENT, BrowserError, Chromium, chromium_path, start_chromium
from .domains import (
    cookie_host,
    crawl_target,
    domain_matches,
    host_of,
    normalise_url,
    origin_of,
    registrable_domain,
)
from .matching import PHASES, Observed, PageVisit, PhaseResult, RequestSeen, analyse, summary

REPORT_VERSION = 1
WATCHDOG_GRACE_S = 2.0  # how long after its deadline a phase's browser is killed
CONNECT_S = 20.0  # at most this long to launch Chromium, and again to connect to it
MIN_PHASE_S = 2.0  # a phase with less time left than this is skipped
MAX_QUEUED = 2_000  # links remembered per phase (a page cap of at most 1000 needs no more)
MAX_LINKS_PER_PAGE = 1_000
MAX_EXAMPLES = 5  # URLs kept per origin and consent state
CHOICE_STATES = {"reject": "rejected", "accept": "accepted"}
ACTIONS = {"reject": "reject_all", "accept": "accept_all"}
COLLECT_URL = re.compile(r"^https?://[^/]+/api/v1/collect(?:\?.*)?$")
CONSENT_URL = re.compile(r"^https?://[^/]+/api/v1/consent(?:\?.*)?$")
BINDING = "__consentScanWrite"

# Reports every cookie and storage write to the scanner (deletions aside), in every frame.
# (%-formatting: the JavaScript is full of braces.)
INIT_SCRIPT_TEMPLATE = """(() => {
  const report = (kind, name) => { try { window.%(binding)s(kind, String(name)); } catch (e) {} };
  const deletes = (text) => {
    const age = /;\\s*max-age\\s*=\\s*(-?\\d+)/i.exec(text);
    const expires = /;\\s*expires\\s*=\\s*([^;]+)/i.exec(text);
    return age ? Number(age[1]) <= 0 : !!expires && Date.parse(expires[1]) < Date.now();
  };
  const cookie = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");
  if (cookie && cookie.set) {
    Object.defineProperty(Document.prototype, "cookie", {
      configurable: true, enumerable: cookie.enumerable,
      get() { return cookie.get.call(this); },
      set(text) {
        try {
          text = String(text);
          if (!deletes(text)) report("cookie", text.split(";")[0].split("=")[0].trim());
        } catch (e) {}
        return cookie.set.call(this, text);
      },
    });
  }
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key, value) {
    try { report(this === window.localStorage ? "local_storage" : "session_storage", key); } catch (e) {}
    return setItem.apply(this, arguments);
  };
  // Our widget's analytics beacons (sent as a page unloads, out of reach of request routing) are
  // dropped: a scan is not a visit. Only to the origin this page loads our widget from.
  const beacon = Navigator.prototype.sendBeacon;
  Navigator.prototype.sendBeacon = function (url) {
    try {
      const target = new URL(url, location.href);
      const ours = (script) => {
        try {
          const source = new URL(script.src);
          return source.origin === target.origin && source.pathname === %(widget_path)s;
        } catch (e) { return false; }
      };
      if (target.pathname === "/api/v1/collect" && Array.from(document.scripts).some(ours)) return true;
    } catch (e) {}
    return beacon.apply(this, arguments);
  };
})();"""

# Every key of both storages of a frame, with a short fingerprint of each value to see rewrites.
STORAGE_SCRIPT = """() => {
  const found = [];
  for (const [kind, name] of [["local_storage", "localStorage"], ["session_storage", "sessionStorage"]]) {
    try {
      const store = window[name];
      for (let i = 0; i < store.length; i++) {
        const key = store.key(i), value = String(store.getItem(key));
        found.push([kind, key, value.length + ":" + value.slice(0, 200)]);
      }
    } catch (e) { /* blocked or opaque origin */ }
  }
  return [location.origin, found];
}"""

LINKS_SCRIPT = """(limit) => Array.from(document.querySelectorAll("a[href], area[href]"))
  .filter((a) => !a.hasAttribute("download") && typeof a.href === "string")
  .slice(0, limit).map((a) => a.href)"""


def init_script(widget_path: str) -> str:
    """The script the scanner puts before every document's own scripts, in every frame."""
    values = {"binding": BINDING, "widget_path": json.dumps(widget_path)}
    return INIT_SCRIPT_TEMPLATE % values


class ScanError(Exception):
    """The scan could not run at all (no browser, a bad start URL)."""


@dataclass(frozen=True)
class ScanOptions:
    """How far and how long a scan may go."""

    max_pages: int = 10
    timeout_s: float = 300.0  # the whole scan, all three phases
    page_timeout_s: float = 15.0  # one page: no answer or no `load` within this is given up
    settle_ms: int = 1_500  # after `load`, wait at most this long for the network to go quiet
    banner_timeout_s: float = 8.0  # how long to wait for our banner's button
    chromium_path: str | None = None
    user_agent: str = USER_AGENT
    consent_origins: tuple[str, ...] = ()  # consent-server origins besides the one the widget is loaded from

    def __post_init__(self) -> None:
        if not 1 <= self.max_pages <= 1_000:
            raise ValueError("max_pages must be between 1 and 1000")
        if not 10 <= self.timeout_s <= 1_800:
            raise ValueError("the scan timeout must be between 10 and 1800 seconds")
        if not 1 <= self.page_timeout_s <= 120:
            raise ValueError("the page timeout must be between 1 and 120 seconds")


@dataclass(frozen=True)
class Scope:
    """What belongs to the site: its parties, the origins the crawl may visit, its widget."""

    site_key: str
    first_party: frozenset[str]  # registrable domains
    crawl_origins: frozenset[str]  # the start URL's origin (a phase adds where the start URL redirects to)
    file_extensions: frozenset[str]
    consent_origins: frozenset[str]

    @classmethod
    def for_site(cls, declaration: Mapping[str, Any], start_url: str, options: ScanOptions) -> Scope:
        origins = {origin_of(start_url), *(origin_of(o) for o in declaration.get("origins", []))} - {""}
        return cls(
            site_key=str(declaration["key"]),
            first_party=frozenset(registrable_domain(host_of(origin)) for origin in origins),
            # Only the origin being scanned: the site's other origins may be other environments
            # (production, when a test server is scanned) or other applications.
            crawl_origins=frozenset({origin_of(start_url)}),
            file_extensions=frozenset(e.lower() for e in declaration.get("download_extensions", [])),
            consent_origins=frozenset(origin_of(o) for o in options.consent_origins) - {""},
        )

    @property
    def widget_path(self) -> str:
        return f"/w/{self.site_key}.js"

    def no_widget_reason(self) -> str:
        return (
            f"the page does not load the consent-server widget of site {self.site_key!r} "
            f"({self.widget_path}); another consent tool (or none) cannot be clicked by the scanner"
        )


@dataclass
class _Write:
    kind: str  # cookie | local_storage | session_storage
    name: str
    host: str  # the frame's host (script) or the response's host (HTTP)
    state: str
    by: str  # script | http


@dataclass
class _Phase:
    """One phase's browser session and everything it recorded."""

    name: str
    start_url: str
    scope: Scope
    options: ScanOptions
    deadline: float
    clock: Callable[[], float]
    result: PhaseResult = field(init=False)
    state: str = "none"
    page_url: str = ""
    visit: PageVisit | None = None
    widget_origins: set[str] = field(default_factory=set)
    origins: set[str] = field(init=False)  # where the crawl may go: the scope's, and where the start URL led
    sites: set[str] = field(init=False)  # first-party registrable domains
    first_page_has_widget: bool | None = None  # None until a page loaded
    killed: threading.Event = field(default_factory=threading.Event)
    _jar: dict[tuple[str, str, str], tuple[str, float]] = field(default_factory=dict)
    _stored: dict[tuple[str, str, str], str] = field(default_factory=dict)
    _items: dict[tuple[str, str, str], Observed] = field(default_factory=dict)
    _writes: list[_Write] = field(default_factory=list)
    _requests: dict[tuple[str, str], RequestSeen] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.result = PhaseResult(self.name)
        self.page_url = self.start_url
        self.origins = set(self.scope.crawl_origins)
        self.sites = set(self.scope.first_party)

    def party(self, host: str) -> str:
        return "first" if registrable_domain(host) in self.sites else "third"

    # ---- time -------------------------------------------------------------------------------------------

    def remaining(self) -> float:
        return self.deadline - self.clock()

    def budget_ms(self, seconds: float) -> float:
        """A Playwright timeout: `seconds`, but never past the phase's deadline (and never 0 = none)."""
        return max(1.0, min(seconds, self.remaining()) * 1000)

    # ---- running ----------------------------------------------------------------------------------------

    def run(self, playwright: Playwright, executable: str) -> PhaseResult:
        started = self.clock()
        try:
            wait = max(5.0, min(CONNECT_S, self.remaining()))
            chromium = start_chromium(executable, user_agent=self.options.user_agent, timeout_s=wait)
        except BrowserError as exc:
            raise ScanError(str(exc)) from None
        watchdog = threading.Timer(max(0.0, self.remaining()) + WATCHDOG_GRACE_S, self._kill, (chromium,))
        watchdog.daemon = True
        watchdog.start()
        try:
            browser = playwright.chromium.connect_over_cdp(
                chromium.cdp_url, timeout=self.budget_ms(CONNECT_S)
            )
            try:
                context = browser.contexts[0]
                self._instrument(context)
                page = context.pages[0] if context.pages else context.new_page()
                page.on("pageerror", self._page_error)
                self._crawl(page)
            finally:
                with contextlib.suppress(PlaywrightError):
                    browser.close()
        except PlaywrightError as exc:
            self.result.status = "partial" if self.result.pages else "failed"
            if self.killed.is_set():
                self.result.reason = "time limit reached: the browser did not respond and was stopped"
            else:
                self.result.reason = f"the browser failed: {_first_line(str(exc))}"
        finally:
            watchdog.cancel()
            chromium.stop()
        self._finish()
        self.result.duration_s = round(self.clock() - started, 2)
        return self.result

    def _kill(self, chromium: Chromium) -> None:
        self.killed.set()
        chromium.kill()

    def _instrument(self, context: BrowserContext) -> None:
        context.set_default_timeout(self.options.page_timeout_s * 1000)
        context.expose_binding(BINDING, self._script_write)
        context.add_init_script(init_script(self.scope.widget_path))
        context.on("request", self._request)
        context.on("response", self._response)
        context.route(COLLECT_URL, self._collect)
        context.route(CONSENT_URL, self._consent)

    def _crawl(self, page: Page) -> None:
        queue: deque[str] = deque([self.start_url])
        queued = {self.start_url}
        visited = 0
        wants_choice = self.name in CHOICE_STATES
        while queue:
            if visited >= self.options.max_pages:
                break
            if self.remaining() <= 0:
                self._stop_partial(f"time limit reached after {visited} page{'s' * (visited != 1)}")
                break
            url = queue.popleft()
            loaded, links = self._visit(page, url)
            visited += 1
            if loaded:
                queued.add(loaded)  # a redirect's target is not visited again
            if loaded and self.first_page_has_widget is None:
                self.first_page_has_widget = bool(self.widget_origins)
            if wants_choice and self.state == "none" and loaded:
                skipped = self._choose(page)
                if skipped:
                    self.result.status, self.result.reason = "skipped", skipped
                    return
                self._visit(page, loaded)  # the page again, now loaded after the choice
            for href in links:
                target = crawl_target(href, loaded or url, self.origins, self.scope.file_extensions)
                if target and target not in queued and len(queued) < MAX_QUEUED:
                    queued.add(target)
                    queue.append(target)
        if wants_choice and self.state == "none" and self.result.status == "done":
            self.result.status = "skipped"
            self.result.reason = "no page loaded, so there was no banner to click"

    def _stop_partial(self, reason: str) -> None:
        if self.result.status == "done":
            self.result.status, self.result.reason = "partial", reason

    def _visit(self, page: Page, url: str) -> tuple[str | None, list[str]]:
        """Load a page, let it settle, record what it stored. Returns (final URL if it loaded, links).

        A page that fails is recorded with why; only a browser that is gone stops the phase.
        """
        visit = PageVisit(url=url, state=self.state)
        self.result.pages.append(visit)
        self.visit, self.page_url = visit, url
        started = self.clock()
        page_timeout = self.options.page_timeout_s
        budget = self.budget_ms(page_timeout)
        try:
            response = page.goto(url, wait_until="commit", timeout=budget)
            visit.status = response.status if response else None
            content_type = (response.headers.get("content-type", "") if response else "").split(";")[0]
            try:
                page.wait_for_load_state(
                    "load", timeout=self.budget_ms(page_timeout - (self.clock() - started))
                )
            except PlaywrightTimeout:
                visit.error = f"did not finish loading within {page_timeout:.0f} s"
            self._settle(page)
            self._snapshot(page)
            final = normalise_url(page.url) or url
            if final != url:
                visit.final_url = final
            if content_type and content_type not in {"text/html", "application/xhtml+xml"}:
                visit.error = f"not an HTML page ({content_type})"
                return None, []
            if origin_of(final) not in self.origins:
                if url != self.start_url:
                    return final, []  # redirected off the site: recorded, not crawled further
                # The start URL redirected (http to https, or to www.): the site is where it landed.
                self.origins.add(origin_of(final))
                self.sites.add(registrable_domain(host_of(final)))
            links = page.evaluate(LINKS_SCRIPT, MAX_LINKS_PER_PAGE)
            return final, [link for link in links if isinstance(link, str)]
        except PlaywrightTimeout:
            visit.error = f"no answer within {budget / 1000:.0f} s"
            return None, []
        except PlaywrightError as exc:
            if self._browser_gone(page):
                raise
            download = "Download is starting" in exc.message
            visit.error = "a file download, not a page" if download else _first_line(exc.message)
            return None, []
        finally:
            visit.duration_ms = round((self.clock() - started) * 1000)

    def _browser_gone(self, page: Page) -> bool:
        browser = page.context.browser
        return (
            self.killed.is_set() or page.is_closed() or (browser is not None and not browser.is_connected())
        )

    def _settle(self, page: Page) -> None:
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_load_state("networkidle", timeout=self.budget_ms(self.options.settle_ms / 1000))

    def _choose(self, page: Page) -> str | None:
        """Click our banner's button; None when done, else why the phase cannot go on."""
        action = ACTIONS[self.name]
        if not self.widget_origins:
            return self.scope.no_widget_reason()
        button = page.locator(f"[data-consent-ui] section.banner button[data-action='{action}']")
        # The state changes before the click: what the click sets off is already after the choice.
        self.state = CHOICE_STATES[self.name]
        try:
            button.click(timeout=self.budget_ms(self.options.banner_timeout_s))
        except PlaywrightTimeout:
            self.state = "none"
            return f"the banner's {action} button did not appear within {self.options.banner_timeout_s:.0f} s"
        self.result.choice_made = True
        self._settle(page)
        self._snapshot(page)
        return None

    # ---- what the browser reports -----------------------------------------------------------------------

    def _page_error(self, _error: Any) -> None:
        if self.visit is not None:
            self.visit.js_errors += 1

    def _script_write(self, source: dict[str, Any], kind: Any, name: Any) -> None:
        frame = source.get("frame")
        host = host_of(frame.url) if frame is not None else ""
        if kind in {"cookie", "local_storage", "session_storage"} and isinstance(name, str) and host:
            self._writes.append(_Write(kind, name[:400], host, self.state, "script"))

    def _request(self, request: Request) -> None:
        url = request.url
        origin = origin_of(url)
        if not origin:
            return
        parts = urlsplit(url)
        if parts.path == self.scope.widget_path:
            self.widget_origins.add(origin)
        key = (origin, self.state)
        seen = self._requests.get(key)
        if seen is None:
            host = host_of(url)
            party = self.party(host)
            seen = self._requests[key] = RequestSeen(
                origin, host, party, self.state, [], 0, [], self.page_url
            )
        seen.count += 1
        if request.resource_type not in seen.types:
            seen.types.append(request.resource_type)
        example = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))  # never the query string
        if example not in seen.examples and len(seen.examples) < MAX_EXAMPLES:
            seen.examples.append(example)

    def _response(self, response: Response) -> None:
        try:
            lines = response.header_values("set-cookie")
        except PlaywrightError:
            return
        host = host_of(response.url)
        for line in lines:
            for one in line.split("\n"):
                name = one.split(";")[0].split("=")[0].strip()
                if name and not deletes_cookie(one):
                    self._writes.append(_Write("cookie", name[:400], host, self.state, "http"))

    def _collect(self, route: Route) -> None:
        """Answer the widget's analytics hits to the consent server: a scan is not a visit to count."""
        self._answer_ours(route, "")

    def _consent(self, route: Route) -> None:
        """Answer the widget's recording of the scanner's click: a scan's choice is nobody's consent, so
        it is not proof, and it would count in the consent statistics. The widget keeps the choice in
        the browser either way (it applies a choice before it is recorded)."""
        if route.request.method != "POST":
            route.continue_()
            return
        self._answer_ours(route, json.dumps({"recorded": False, "reason": "cookie scan"}), "application/json")

    def _answer_ours(self, route: Route, body: str, content_type: str | None = None) -> None:
        """202 with `body` for a request to the consent server; anything else goes through."""
        request = route.request
        if origin_of(request.url) not in self.widget_origins | self.scope.consent_origins:
            route.continue_()
            return
        headers = {"Access-Control-Allow-Origin": request.headers.get("origin", "*")}
        if content_type:
            headers["Content-Type"] = content_type
        route.fulfill(status=202, headers=headers, body=body)

    # ---- what the site stored ---------------------------------------------------------------------------

    def _item(self, storage: str, name: str, host: str) -> Observed:
        key = (storage, name, host)
        item = self._items.get(key)
        if item is None:
            party = self.party(host)
            item = self._items[key] = Observed(storage, name, host, party, [], self.page_url)
        return item

    def _wrote(self, item: Observed, state: str) -> None:
        if state not in item.states:
            item.states.append(state)

    def _snapshot(self, page: Page) -> None:
        context = page.context
        for cookie in context.cookies():
            name, domain, path = cookie.get("name", ""), cookie.get("domain", ""), cookie.get("path", "/")
            expires = float(cookie.get("expires", -1))
            signature = (cookie.get("value", ""), expires)
            key = (name, domain, path)
            item = self._item("cookie", name, cookie_host(domain))
            if self._jar.get(key) != signature:
                self._jar[key] = signature
                self._wrote(item, self.state)
            item.domain, item.path = domain, path
            item.expires = expires if expires > 0 else None
            item.http_only, item.secure = cookie.get("httpOnly"), cookie.get("secure")
            item.same_site = cookie.get("sameSite")
        for frame in page.frames:
            try:
                origin, entries = frame.evaluate(STORAGE_SCRIPT)
            except PlaywrightError:
                continue  # detached, or a frame whose storage cannot be read
            host = host_of(origin) if isinstance(origin, str) else ""
            if not host:
                continue
            for kind, name, fingerprint in entries:
                item = self._item(kind, name, host)
                item.origin = origin
                if self._stored.get((kind, name, origin)) != fingerprint:
                    self._stored[(kind, name, origin)] = fingerprint
                    self._wrote(item, self.state)

    def _finish(self) -> None:
        """Attribute the writes seen by the hooks and in headers to the items found in the browser."""
        for write in self._writes:
            for item in self._items.values():
                if item.storage != write.kind or item.name != write.name:
                    continue
                if write.kind == "cookie" and not domain_matches(write.host, item.host):
                    continue
                if write.kind != "cookie" and write.host != item.host:
                    continue
                self._wrote(item, write.state)
                if write.kind == "cookie" and write.by not in item.set_by:
                    item.set_by.append(write.by)
        for item in self._items.values():
            if item.storage == "cookie" and item.http_only and "http" not in item.set_by:
                item.set_by.append("http")  # a script cannot set an HttpOnly cookie
            item.set_by.sort()
            item.states.sort(key=("none", "rejected", "accepted").index)
        self.result.items = sorted(self._items.values(), key=lambda i: (i.storage, i.host, i.name))
        self.result.requests = sorted(self._requests.values(), key=lambda r: (r.origin, r.state))


def deletes_cookie(set_cookie: str) -> bool:
    """True when a Set-Cookie line removes its cookie: Max-Age <= 0, or (without Max-Age) a past Expires."""
    age = re.search(r";\s*max-age\s*=\s*(-?\d+)", set_cookie, re.IGNORECASE)
    if age:
        return int(age.group(1)) <= 0
    expires = re.search(r";\s*expires\s*=\s*([^;]+)", set_cookie, re.IGNORECASE)
    if not expires:
        return False
    try:
        return parsedate_to_datetime(expires.group(1).strip()) < utcnow()
    except (TypeError, ValueError):
        return False


def _first_line(text: str) -> str:
    line = next((line.strip() for line in text.splitlines() if line.strip()), "error")
    return line[:300]


def _outside_event_loops(work: Callable[[], None]) -> None:
    """Run work here, or on a thread of its own when this thread runs an asyncio loop.

    Playwright's sync API refuses to start inside a running loop, which a caller that drives a browser
    itself (the browser tests, a notebook, an async server) has.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        work()
        return
    failure: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # handed to the caller's thread below
            failure.append(exc)

    thread = threading.Thread(target=run, name="consent-server-scan", daemon=True)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


def scan_site(
    declaration: Mapping[str, Any],
    url: str,
    options: ScanOptions | None = None,
    *,
    clock: Callable[[], float] = time.monotonic,
) -> dict[str, Any]:
    """Scan a site in three phases and hold what was found against its declaration.

    `declaration` is the site's configuration document (`export_site`). Returns the report (plain JSON
    data). Raises ScanError when the scan cannot run (bad URL, no browser).
    """
    options = options or ScanOptions()
    start = normalise_url(url)
    if start is None:
        raise ScanError(f"not an http(s) URL: {url!r}")
    scope = Scope.for_site(declaration, start, options)
    started_at, started = utcnow(), clock()
    phases: list[PhaseResult] = []
    widget_origins: set[str] = set()
    first_party = set(scope.first_party)

    def browse() -> None:
        with sync_playwright() as playwright:
            executable = options.chromium_path or chromium_path() or playwright.chromium.executable_path
            end = started + options.timeout_s
            no_widget: str | None = None
            for index, name in enumerate(PHASES):
                if no_widget:
                    # The first page of phase 1 did not load our widget: no banner to click in a fresh
                    # browser either, so no browser is started to find that out twice.
                    phases.append(
                        PhaseResult(name, status="skipped", reason=f"{no_widget} (seen in phase no_choice)")
                    )
                    continue
                # Each phase gets an equal share of the time left, so what one leaves goes to the next.
                left = end - clock()
                if left < MIN_PHASE_S:
                    phases.append(
                        PhaseResult(name, status="skipped", reason="time limit reached before this phase")
                    )
                    continue
                deadline = clock() + left / (len(PHASES) - index)
                phase = _Phase(name, start, scope, options, deadline, clock)
                phases.append(phase.run(playwright, executable))
                widget_origins.update(phase.widget_origins)
                first_party.update(phase.sites)
                if name == "no_choice" and phase.first_page_has_widget is False:
                    no_widget = scope.no_widget_reason()

    try:
        _outside_event_loops(browse)
    except PlaywrightError as exc:  # the Playwright driver itself failed
        raise ScanError(f"the browser driver failed: {_first_line(str(exc))}") from None
    if all(phase.status == "failed" for phase in phases):
        raise ScanError("; ".join(f"{p.name}: {p.reason}" for p in phases))
    consent_origins = scope.consent_origins | widget_origins
    for result in phases:
        for request in result.requests:
            request.consent_server = request.origin in consent_origins
    findings, proposals = analyse(declaration, phases, time.time())
    return {
        "version": REPORT_VERSION,
        "site": scope.site_key,
        "url": start,
        "started_at": isoformat(started_at),
        "finished_at": isoformat(utcnow()),
        "duration_s": round(clock() - started, 2),
        "limits": {
            "max_pages": options.max_pages,
            "timeout_s": options.timeout_s,
            "page_timeout_s": options.page_timeout_s,
        },
        "user_agent": options.user_agent,
        "first_party": sorted(first_party),
        "consent_origins": sorted(consent_origins),
        "summary": summary(findings),
        "findings": [asdict(finding) for finding in findings],
        "proposals": [asdict(proposal) for proposal in proposals],
        "phases": [phase.to_json() for phase in phases],
    }
