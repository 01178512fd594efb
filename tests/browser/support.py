"""What the browser tests share besides fixtures: the traffic helper, the servers, page helpers."""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from flask import Flask
from playwright.sync_api import BrowserContext, ConsoleMessage, Locator, Page, Request, Response, Route
from sqlalchemy import select
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler

from consent_server.extensions import db
from consent_server.models import ConsentRecord
from consent_server.sites.services import import_site
from tests.factories import site_document

SITE_KEY = "example"
WIDGET_PATH = f"/w/{SITE_KEY}.js"
CONSENT_PATH = "/api/v1/consent"
COLLECT_PATH = "/api/v1/collect"
TIMEOUT_MS = 5_000
# host_page(body="", *, lang="nl", head="", headers=None, html=None, **site_overrides) -> page URL
HostPage = Callable[..., str]
# What the monoconnect example shows, per language.
TEXTS = {
    "nl": {
        "title": "MonoConnect gebruikt cookies",
        "accept_all": "Alles accepteren",
        "reject_all": "Alles weigeren",
        "settings": "Instellingen",
        "save": "Keuze opslaan",
        "settings_title": "Cookie-instellingen",
        "receipt": "Bewijs downloaden",
        "necessary": "Noodzakelijk",
        "preferences": "Voorkeuren",
        "analytics": "Statistieken",
        "marketing": "Marketing en externe media",
        "gpc_note": "Uw browser vraagt websites om u niet te volgen (Global Privacy Control).",
    },
    "en": {
        "title": "MonoConnect uses cookies",
        "accept_all": "Accept all",
        "reject_all": "Reject all",
        "settings": "Settings",
        "save": "Save choices",
        "settings_title": "Cookie settings",
        "receipt": "Download receipt",
        "necessary": "Necessary",
        "preferences": "Preferences",
        "analytics": "Statistics",
        "marketing": "Marketing and external media",
        "gpc_note": "Your browser asks websites not to track you (Global Privacy Control)",
    },
}


# ---- what the page reports -------------------------------------------------------------------------


@dataclass
class PageLog:
    """Uncaught page errors and console messages of every page in a test's context."""

    errors: list[str] = field(default_factory=list)
    console: list[tuple[str, str]] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.on("pageerror", lambda error: self.errors.append(f"{error.name}: {error.message}"))
        page.on("console", self._console)

    def _console(self, message: ConsoleMessage) -> None:
        self.console.append((message.type, message.text))

    def messages(self, kind: str) -> list[str]:
        return [text for type_, text in self.console if type_ == kind]


# ---- network traffic: the one helper tests assert requests with ---------------------------------------


@dataclass
class Seen:
    """One request the page made, and how it ended."""

    method: str
    url: str
    path: str
    origin: str
    body: Any
    main_document: bool
    status: int | None = None
    failure: str | None = None

    @property
    def done(self) -> bool:
        return self.status is not None or self.failure is not None


def _contains(actual: Any, wanted: Any) -> bool:
    """True when `wanted` is part of `actual` (dicts compared recursively, the rest by equality)."""
    if isinstance(wanted, dict):
        return isinstance(actual, dict) and all(
            key in actual and _contains(actual[key], value) for key, value in wanted.items()
        )
    return bool(actual == wanted)


class Traffic:
    """Every request a page makes, so tests can assert expected and refuted requests.

    `expect` waits for a matching request (and, with `status`, for its response); `refute` asserts
    that no matching request was made; `only` asserts that nothing but the listed paths was requested
    (the page's own document aside); `quiet` waits until the network has been idle for a while, so a
    refutation covers everything the page was going to do.
    """

    def __init__(self, page: Page):
        self.page = page
        self.seen: list[Seen] = []
        self._by_request: dict[int, Seen] = {}
        self._last_change = time.monotonic()
        page.on("request", self._request)
        page.on("response", self._response)
        page.on("requestfailed", self._failed)

    def _request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        try:
            body: Any = json.loads(request.post_data or "null")
        except ValueError:
            body = request.post_data
        main = request.is_navigation_request() and request.frame.parent_frame is None
        seen = Seen(request.method, request.url, parts.path, f"{parts.scheme}://{parts.netloc}", body, main)
        self.seen.append(seen)
        self._by_request[id(request)] = seen
        self._last_change = time.monotonic()

    def _response(self, response: Response) -> None:
        seen = self._by_request.get(id(response.request))
        if seen is not None:
            seen.status = response.status
        self._last_change = time.monotonic()

    def _failed(self, request: Request) -> None:
        seen = self._by_request.get(id(request))
        if seen is not None:
            seen.failure = request.failure or "failed"
        self._last_change = time.monotonic()

    def clear(self) -> None:
        """Forget what was seen so far (before a reload, say)."""
        self.seen.clear()
        self._by_request.clear()

    def matching(
        self,
        path: str | None = None,
        *,
        method: str | None = None,
        origin: str | None = None,
        body: Any = None,
        status: int | None = None,
    ) -> list[Seen]:
        return [
            seen
            for seen in self.seen
            if (path is None or seen.path == path)
            and (method is None or seen.method == method)
            and (origin is None or seen.origin == origin)
            and (body is None or _contains(seen.body, body))
            and (status is None or seen.status == status)
        ]

    def expect(
        self,
        path: str,
        *,
        method: str | None = None,
        origin: str | None = None,
        body: Any = None,
        status: int | None = None,
        timeout: int = TIMEOUT_MS,
    ) -> Seen:
        """Wait for a matching request (and its response when `status` is given); return the last one."""
        deadline = time.monotonic() + timeout / 1000
        while True:
            found = self.matching(path, method=method, origin=origin, body=body, status=status)
            if found:
                return found[-1]
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"expected {method or 'a request'} {path} with body ~{body} status={status}; "
                    f"seen: {self.describe()}"
                )
            self.page.wait_for_timeout(25)  # lets Playwright deliver the page's events

    def refute(
        self, path: str, *, method: str | None = None, origin: str | None = None, body: Any = None
    ) -> None:
        """Assert that no matching request was made."""
        found = self.matching(path, method=method, origin=origin, body=body)
        assert not found, f"unexpected {method or 'request'} {path}: {[(s.url, s.body) for s in found]}"

    def only(self, paths: list[str]) -> None:
        """Assert that the page requested nothing but these paths (its own document aside)."""
        others = [f"{s.method} {s.url}" for s in self.seen if not s.main_document and s.path not in paths]
        assert not others, f"requests other than {paths}: {others}"

    def quiet(self, idle_ms: int = 300, timeout: int = TIMEOUT_MS) -> None:
        """Wait until every request has its answer and nothing happened for `idle_ms` since the call.

        Counted from the call too: a request the page made just before it (a beacon, say) can reach
        Playwright a few milliseconds after the action that caused it returned.
        """
        start = time.monotonic()
        deadline = start + timeout / 1000
        while True:
            busy = [seen.url for seen in self.seen if not seen.done]
            if not busy and (time.monotonic() - max(self._last_change, start)) * 1000 >= idle_ms:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"the network never went quiet; still waiting on {busy}")
            self.page.wait_for_timeout(25)

    def describe(self) -> list[str]:
        return [f"{s.method} {s.url} -> {s.status or s.failure or '...'}" for s in self.seen]


class Collector:
    """Stands in for the consent server's POST /api/v1/collect: answers every hit with `status`.

    Lets the tracker be tested on its own (and against refusals). The hits still pass through the
    page's network, so `Traffic` sees them like any other request; `bodies` keeps what was posted too.
    """

    def __init__(self, page: Page, servers: Servers, status: int = 202):
        self.status = status
        self.bodies: list[Any] = []
        self._cors = {"Access-Control-Allow-Origin": servers.host}
        page.route(servers.consent + COLLECT_PATH, self._answer)

    def _answer(self, route: Route) -> None:
        try:
            self.bodies.append(json.loads(route.request.post_data or "null"))
        except ValueError:
            self.bodies.append(route.request.post_data)
        route.fulfill(status=self.status, headers=self._cors, body="")


class Received:
    """Requests as the consent server itself received them.

    A beacon sent while a page unloads (an engagement on navigating away) reaches the server but never
    Playwright's network events, so `Traffic` cannot see it; this records it at the server's edge.
    """

    def __init__(self, app: Flask):
        self.requests: list[Seen] = []
        self.headers: list[dict[str, str]] = []  # Origin and Content-Type of each request, in order
        self._app = app.wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        try:
            parsed: Any = json.loads(body or b"null")
        except ValueError:
            parsed = body
        path, server = environ["PATH_INFO"], f"{environ['wsgi.url_scheme']}://{environ['HTTP_HOST']}"
        self.requests.append(Seen(environ["REQUEST_METHOD"], server + path, path, server, parsed, False))
        self.headers.append(
            {"Origin": environ.get("HTTP_ORIGIN", ""), "Content-Type": environ.get("CONTENT_TYPE", "")}
        )
        return self._app(environ, start_response)

    def matching(self, path: str, *, body: Any = None) -> list[Seen]:
        return [
            seen
            for seen in self.requests
            if seen.path == path and (body is None or _contains(seen.body, body))
        ]

    def expect(self, path: str, *, body: Any = None, timeout: int = TIMEOUT_MS) -> Seen:
        """Wait until the server received a matching request; return the last one."""
        deadline = time.monotonic() + timeout / 1000
        while True:
            found = self.matching(path, body=body)
            if found:
                return found[-1]
            if time.monotonic() > deadline:
                raise AssertionError(f"the server never received {path} with body ~{body}")
            time.sleep(0.025)


def hits(traffic: Traffic, **body: Any) -> list[dict[str, Any]]:
    """The JSON bodies of the collect POSTs seen so far that contain `body`, in order."""
    return [seen.body for seen in traffic.matching(COLLECT_PATH, method="POST", body=body or None)]


# ---- the servers --------------------------------------------------------------------------------------


class QuietRequestHandler(WSGIRequestHandler):
    """werkzeug's handler without the access log (the tests' output stays readable)."""

    def log(self, type: str, message: str, *args: Any) -> None:
        pass


@dataclass
class Asset:
    body: bytes
    content_type: str
    headers: dict[str, str]


class HostPages:
    """What the host-page server answers: registered pages, generated scripts, embeddable frames."""

    def __init__(self) -> None:
        self.assets: dict[str, Asset] = {}
        self.origin = ""
        self.counter = 0

    def add(self, html: str, *, headers: dict[str, str] | None = None) -> str:
        """Serve this HTML (with these response headers) at a new path; return its URL."""
        self.counter += 1
        path = f"/page-{self.counter}.html"
        self.assets[path] = Asset(html.encode("utf-8"), "text/html; charset=utf-8", dict(headers or {}))
        return self.origin + path

    def answer(self, target: str) -> tuple[int, Asset]:
        parts = urlsplit(target)
        if parts.path in self.assets:
            return 200, self.assets[parts.path]
        if parts.path.startswith("/js/") and parts.path.endswith(".js"):
            # A script that records that, and in which order, it ran; ?delay=ms answers it late.
            time.sleep(int(parse_qs(parts.query).get("delay", ["0"])[0]) / 1000)
            script = f"(window.__ran = window.__ran || []).push({json.dumps(parts.path[4:-3])});\n"
            return 200, Asset(script.encode(), "text/javascript", {})
        if parts.path == "/favicon.ico":
            return 204, Asset(b"", "image/x-icon", {})
        if parts.path.startswith("/embed/"):
            html = '<!doctype html><html lang="en"><title>Embedded</title><p>embedded content</p></html>'
            return 200, Asset(html.encode(), "text/html; charset=utf-8", {})
        return 404, Asset(b"not found", "text/plain", {})


def host_handler(pages: HostPages) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, asset = pages.answer(self.path)
            self.send_response(status)
            self.send_header("Content-Type", asset.content_type)
            self.send_header("Content-Length", str(len(asset.body)))
            self.send_header("Cache-Control", "no-store")
            for name, value in asset.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(asset.body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def serve_in_thread(server: BaseWSGIServer | ThreadingHTTPServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return thread


@dataclass
class Servers:
    """A test module's consent server (the real app) and host-page server (another origin)."""

    app: Flask
    consent: str
    host: str
    pages: HostPages

    def import_site(self, **overrides: Any) -> None:
        """Create or replace site `example`, registered for the host origin only, no cookie domain."""
        document = site_document(**{"origins": [self.host], "cookie_domain": None, **overrides})
        with self.app.app_context():
            import_site(db.session, document)
            db.session.commit()
            db.session.remove()

    def records(self, consent_id: str) -> list[dict[str, Any]]:
        """The consent records the server holds for a consent id, oldest first."""
        with self.app.app_context():
            rows = db.session.scalars(
                select(ConsentRecord).where(ConsentRecord.consent_id == consent_id).order_by(ConsentRecord.id)
            ).all()
            result = [
                {
                    "action": row.action,
                    "method": row.method,
                    "categories": dict(row.categories),
                    "policy_version": row.policy_version,
                    "language": row.language,
                }
                for row in rows
            ]
            db.session.remove()
            return result


def page_html(widget_src: str, body: str = "", *, lang: str | None = "nl", head: str = "") -> str:
    """A plain host page: a link and a checkbox to use, a settings opener, the test's body, the widget."""
    lang_attr = f' lang="{lang}"' if lang else ""
    return f"""<!doctype html>
<html{lang_attr}>
<head><meta charset="utf-8"><title>Host page</title><link rel="icon" href="data:,">{head}</head>
<body>
<main>
<h1>Host page</h1>
<p><a id="host-link" href="#more">Read more</a></p>
<p><label><input id="host-checkbox" type="checkbox"> Host checkbox</label></p>
<p><button type="button" id="open-settings" data-consent-open>Cookie-instellingen</button></p>
{body}
<p id="more">The end.</p>
</main>
<script src="{widget_src}" async></script>
</body>
</html>"""


# ---- the widget in the page -----------------------------------------------------------------------------


def wait_for_widget(page: Page) -> None:
    """Wait until the widget ran: its API replaced any queue stub and its shadow host is mounted."""
    page.wait_for_function(
        "() => window.ConsentServer && typeof window.ConsentServer.get === 'function'"
        " && !!document.querySelector('[data-consent-ui]')",
        timeout=TIMEOUT_MS,
    )


def banner(page: Page) -> Locator:
    return page.locator("[data-consent-ui] section.banner")


def dialog(page: Page) -> Locator:
    return page.locator("[data-consent-ui]").get_by_role("dialog")


def button(page: Page, key: str, lang: str = "nl") -> Locator:
    """A widget button by its text key ('accept_all', 'reject_all', 'settings', 'save', 'receipt')."""
    return page.locator("[data-consent-ui]").get_by_role("button", name=TEXTS[lang][key], exact=True)


def banner_button(page: Page, key: str, lang: str = "nl") -> Locator:
    return banner(page).get_by_role("button", name=TEXTS[lang][key], exact=True)


def dialog_button(page: Page, key: str, lang: str = "nl") -> Locator:
    return dialog(page).get_by_role("button", name=TEXTS[lang][key], exact=True)


def switch(page: Page, category: str, lang: str = "nl") -> Locator:
    return page.get_by_role("switch", name=TEXTS[lang][category], exact=True)


def ran(page: Page) -> list[str]:
    """The generated (and inline gated) scripts that ran, in the order they ran."""
    return list(page.evaluate("() => window.__ran || []"))


def consent_cookie(context: BrowserContext) -> dict[str, Any] | None:
    found = [dict(cookie) for cookie in context.cookies() if cookie["name"] == "cs_consent"]
    return found[0] if found else None


def cookie_names(context: BrowserContext) -> set[str]:
    return {cookie["name"] for cookie in context.cookies()}


def local_storage(page: Page) -> dict[str, str]:
    return dict(page.evaluate("() => Object.fromEntries(Object.entries(localStorage))"))


def has_focus(locator: Locator) -> bool:
    """True when the element has the focus in its own tree (document or shadow root)."""
    return bool(
        locator.evaluate(
            "el => el.getRootNode().activeElement === el"
            " && (el.getRootNode() === document || document.activeElement === el.getRootNode().host)"
        )
    )


def focus_in_dialog(page: Page) -> bool:
    return bool(
        page.evaluate(
            """() => {
                const host = document.querySelector('[data-consent-ui]');
                const dialog = host && host.shadowRoot.querySelector('dialog');
                const active = host && host.shadowRoot.activeElement;
                return !!(dialog && active && document.activeElement === host && dialog.contains(active));
            }"""
        )
    )


def tab_to(page: Page, target: Locator, *, key: str = "Tab", limit: int = 25) -> int:
    """Press `key` until `target` has the focus; return how many presses it took."""
    for presses in range(limit + 1):
        if has_focus(target):
            return presses
        page.keyboard.press(key)
    raise AssertionError(f"{limit} presses of {key} never reached the target")


def choice_recorded(page: Page, traffic: Traffic, action: str, **body: Any) -> dict[str, Any]:
    """Wait for the consent POST of `action` and its 201; return ConsentServer.get()."""
    traffic.expect(CONSENT_PATH, method="POST", body={"action": action, **body}, status=201)
    return dict(page.evaluate("() => ConsentServer.get()"))
