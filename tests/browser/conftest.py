"""Browser fixtures: Chromium, a live consent server, host pages on another origin, traffic, page log.

Browser tests run on SQLite only: they test the widget in a real browser, and the consent API it
calls is covered on SQLite and PostgreSQL by the integration tests. Each test module gets its own
SQLite file and its own pair of servers, threads in this process:

- the consent server (the real app under werkzeug) on http://127.0.0.1:<port>, and
- a host-page server on http://127.0.0.1:<other port>, a different origin and the site's only
  registered origin. It serves the HTML a test registers (with optional response headers, such as a
  strict Content-Security-Policy), scripts that record that they ran (`/js/<name>.js` pushes `<name>`
  onto `window.__ran`; `?delay=ms` answers late) and embeddable frames (`/embed/...`).
"""

from __future__ import annotations

from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from typing import Any

import pytest
from flask_migrate import upgrade
from playwright.sync_api import BrowserContext, Page
from werkzeug.serving import make_server

from consent_server import create_app
from consent_server.collect.runtime import shutdown_collector
from consent_server.extensions import db
from consent_server.scan.browser import LAUNCH_ARGS, chromium_path
from tests.browser.support import (
    WIDGET_PATH,
    HostPage,
    HostPages,
    PageLog,
    QuietRequestHandler,
    Servers,
    Traffic,
    host_handler,
    page_html,
    serve_in_thread,
)
from tests.conftest import app_settings
from tests.factories import CHROME_UA


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    args = {**browser_type_launch_args, "args": LAUNCH_ARGS}
    path = chromium_path()
    if path:
        args["executable_path"] = path
    return args


@pytest.fixture(scope="session")
def base_url() -> None:
    # pytest-playwright's own base_url fixture is an instance method of a plugin class, which pytest 9
    # deprecates (an error under filterwarnings=error); these tests always navigate to absolute URLs.
    return None


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # HeadlessChrome is a bot to the server; the tests visit as a normal desktop Chrome.
    return {**browser_context_args, "user_agent": CHROME_UA}


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


@pytest.fixture
def context(context: BrowserContext, page_log: PageLog) -> BrowserContext:
    context.on("page", page_log.attach)
    return context


@pytest.fixture(autouse=True)
def widget_never_throws_into_the_page(page_log: PageLog) -> Iterator[None]:
    """Every browser test also checks that no uncaught error reached the host page."""
    yield
    assert page_log.errors == [], f"uncaught errors in the host page: {page_log.errors}"


@pytest.fixture
def traffic(page: Page) -> Traffic:
    return Traffic(page)


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    database = tmp_path_factory.mktemp("browser-db") / "consent.sqlite"
    app = create_app(app_settings(f"sqlite:///{database}"))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    consent = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietRequestHandler)
    pages = HostPages()
    host = ThreadingHTTPServer(("127.0.0.1", 0), host_handler(pages))
    host.daemon_threads = True
    pages.origin = f"http://127.0.0.1:{host.server_address[1]}"
    threads = [serve_in_thread(consent), serve_in_thread(host)]
    try:
        yield Servers(app, f"http://127.0.0.1:{consent.server_port}", pages.origin, pages)
    finally:
        for server in (consent, host):
            server.shutdown()
        for thread in threads:
            thread.join(timeout=5)
        consent.server_close()
        host.server_close()
        shutdown_collector(app)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def host_page(servers: Servers) -> HostPage:
    """host_page(body="", *, lang="nl", head="", headers=None, html=None, **site_overrides) -> URL.

    Imports site `example` with the overrides (registered for the host origin, no cookie domain),
    registers a host page that embeds its widget, and returns the page's URL. `html` replaces the
    whole page; `{widget}` in it stands for the widget's URL.
    """

    def make(
        body: str = "",
        *,
        lang: str | None = "nl",
        head: str = "",
        headers: dict[str, str] | None = None,
        html: str | None = None,
        **site_overrides: Any,
    ) -> str:
        servers.import_site(**site_overrides)
        widget = servers.consent + WIDGET_PATH
        text = html.replace("{widget}", widget) if html else page_html(widget, body, lang=lang, head=head)
        return servers.pages.add(text, headers=headers)

    return make
