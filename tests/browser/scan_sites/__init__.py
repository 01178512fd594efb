"""Fixture sites for the cookie scanner, served on the loopback interface by threads of the test process.

- `compliant/`: embeds our widget, gates its statistics script and video frame, declares everything.
- `leaky/`: embeds our widget but sets tracking cookies on load and after "reject all", loads a
  third-party script before consent, and stores things it never declared (see PLANTED in the pages).
- `tracker/`: the third party, reached as http://tracker.localhost:<port>. Chromium resolves every
  `*.localhost` name to the loopback interface without DNS, and `tracker.localhost` is another site
  (registrable domain) than 127.0.0.1, so it is a real third party to the browser and to the scanner.
- `trouble`: generated pages: endless links, a page that never answers, a 500, a script error, JSON, and a
  page whose script never yields.

In the static pages `{{WIDGET}}` stands for the widget's URL and `{{TRACKER}}` for the third party's
origin. Response headers (Set-Cookie) per page are in HEADERS.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

FOLDER = Path(__file__).resolve().parent
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript", ".gif": "image/gif"}
GIF = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")
HEADERS: dict[tuple[str, str], list[tuple[str, str]]] = {
    ("compliant", "/index.html"): [("Set-Cookie", "sessionid=s3ss10n; Path=/; HttpOnly; SameSite=Lax")],
    # PLANTED: an undeclared first-party cookie, set by the server.
    ("leaky", "/over.html"): [("Set-Cookie", "promo_seen=1; Path=/; Max-Age=2592000; SameSite=Lax")],
    # PLANTED: the third party's pixel sets its own (undeclared) cookie before consent.
    ("tracker", "/pixel.js"): [
        ("Set-Cookie", "IDE=AHWqTUk; Path=/; Max-Age=33696000; SameSite=None; Secure")
    ],
    ("tracker", "/ads.js"): [
        ("Set-Cookie", "test_cookie=CHECK_FOR_COOKIE; Path=/; Max-Age=900; SameSite=None; Secure")
    ],
}


def services(name: str) -> list[dict[str, Any]]:
    """The declared services of a fixture site (its categories are those of tests.factories)."""
    return list(json.loads((FOLDER / f"{name}-services.json").read_text(encoding="utf-8")))


class Release:
    """Lets handlers that never answer go when the servers stop."""

    def __init__(self) -> None:
        self.event = threading.Event()


Answer = tuple[int, str, bytes, list[tuple[str, str]]]
Site = Callable[[str, str], Answer]  # (request target, Host header) -> answer


def static_site(name: str, replacements: dict[str, str]) -> Site:
    root = FOLDER / name

    def answer(target: str, _host: str) -> Answer:
        path = urlsplit(target).path
        if path.endswith("/"):
            path += "index.html"
        if path == "/collect.gif":
            return 200, "image/gif", GIF, []
        file = (root / path.lstrip("/")).resolve()
        if root not in file.parents or not file.is_file():
            return (
                404,
                "text/html; charset=utf-8",
                b"<!doctype html><title>Not found</title><p>Not found</p>",
                [],
            )
        body = file.read_text(encoding="utf-8")
        for key, value in replacements.items():
            body = body.replace("{{" + key + "}}", value)
        content_type = TYPES.get(file.suffix, "application/octet-stream")
        return 200, content_type, body.encode("utf-8"), HEADERS.get((name, path), [])

    return answer


def _page(title: str, body: str) -> bytes:
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f'<link rel="icon" href="data:,"></head><body><h1>{title}</h1>{body}</body></html>'
    ).encode()


def trouble_site(release: Release, slow_ms: int = 400) -> Site:
    html = "text/html; charset=utf-8"

    def answer(target: str, host: str) -> Answer:
        parts = urlsplit(target)
        path = parts.path
        if path == "/":
            links = [
                "/hang",
                "/error",
                "/jserror",
                "/data",
                "mailto:someone@example.org",
                "/report.pdf",
                "/after",
            ]
            body = "".join(f'<p><a href="{link}">{link}</a></p>' for link in links)
            return 200, html, _page("Trouble", body), []
        if path == "/hang":
            release.event.wait(120)  # never answers while the test runs
            return 504, html, _page("Too late", ""), []
        if path == "/error":
            return 500, html, _page("Server error", '<a href="/after-error">on</a>'), []
        if path == "/jserror":
            script = '<script>throw new Error("planted script error");</script>'
            return 200, html, _page("Script error", script + '<a href="/after-error">on</a>'), []
        if path == "/data":
            return 200, "application/json", b'{"not": "a page"}', []
        if path in {"/after", "/after-error"}:
            return 200, html, _page("After", '<a href="/">home</a>'), []
        if path == "/moved":
            # Moved to another origin (as http:// to https:// or to www. would be): localhost, same port.
            port = host.rsplit(":", 1)[1]
            return 302, html, b"", [("Location", f"http://localhost:{port}/moved-here")]
        if path == "/moved-here":
            return 200, html, _page("Moved here", '<a href="/after">after</a>'), []
        if path == "/to-busy":
            return 200, html, _page("Before", '<a href="/busy">busy</a>'), []
        if path == "/busy":
            # A script that never yields: every call into this page blocks until the browser is stopped.
            body = '<script>document.cookie = "busy=1; Path=/"; for (;;) {}</script>'
            return 200, html, _page("Busy", body), []
        for prefix, delay in (("/endless/", 0), ("/slow/", slow_ms)):
            if path.startswith(prefix):
                # An endless site: every page links to new pages (and to variants that normalise away).
                time.sleep(delay / 1000)
                number = int(path[len(prefix) :] or "0")
                links = [
                    f"{prefix}{number + 1}",
                    f"{prefix}{number + 1}#section",
                    f"{prefix}{number + 2}",
                    f"{prefix}{number}?page={number}",
                ]
                body = "".join(f'<p><a href="{link}">{link}</a></p>' for link in links)
                return 200, html, _page(f"Page {number}", body), []
        return 404, html, _page("Not found", ""), []

    return answer


def handler(answer: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            status, content_type, body, headers = answer(self.path, self.headers.get("Host", ""))
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the browser gave up on this page

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def serve(answer: Site) -> tuple[ThreadingHTTPServer, threading.Thread, int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(answer))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return server, thread, server.server_address[1]
