"""Banner cost on a real page: our widget against vanilla-cookieconsent 3 and a page without a banner.

One host page (a municipal news article) in three variants, each loaded --runs times in a fresh browser
context with the HTTP cache off, in headless Chromium on loopback:

    control   the page alone
    ours      + <script src="http://127.0.0.1:PORT/w/monoconnect.js" async></script>
              (consent-server's create_app on a fresh SQLite database with the example site)
    vanilla   + vanilla-cookieconsent 3 (dist umd.js + css, installed from npm into bench/vendor) with a run()
              config of the same four categories and Dutch texts, in its own .js file

Each server (consent-server, host page) runs werkzeug's threaded server in a process of its own, so that
neither shares an interpreter with the other or with the browser driver.

Prints figures, not pass/fail: time from navigation start to the first frame in which the banner is
visible (and settled), the bytes the banner's own resources cost on the network, CLS and long tasks.

    .venv/bin/python bench/widget.py --runs 15
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import logging
import math
import multiprocessing
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import brotli
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

BENCH_DIR = Path(__file__).resolve().parent
VENDOR_DIR = BENCH_DIR / "vendor"
VANILLA_PACKAGE = "vanilla-cookieconsent"
VANILLA_SPEC = f"{VANILLA_PACKAGE}@3"
VANILLA_DIST = VENDOR_DIR / "node_modules" / VANILLA_PACKAGE / "dist"
SITE_KEY = "monoconnect"
HOST = "127.0.0.1"
VARIANTS = ("control", "ours", "vanilla")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
VIEWPORT = {"width": 1280, "height": 800}
NAVIGATION_TIMEOUT_MS = 30_000
SETTLE_TIMEOUT_MS = 20_000
QUIET_AFTER_MS = 500  # observed after the banner settled, to catch late shifts and long tasks
LONG_TASK_MS = 50


# ---- the host page ------------------------------------------------------------------------------------

PAGE = """<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Nieuwe bibliotheek in Zuiderpark opent in september | Gemeente Veldhoven-Noord</title>
<meta name="description" content="De nieuwe wijkbibliotheek in Zuiderpark opent op 14 september.">
<link rel="stylesheet" href="/assets/site.css">
{head}</head>
<body>
<a class="skip" href="#inhoud">Naar de inhoud</a>
<header class="top">
  <div class="wrap">
    <a class="logo" href="/"><img src="/assets/logo.svg" width="180" height="40"
      alt="Gemeente Veldhoven-Noord"></a>
    <nav aria-label="Hoofdmenu">
      <ul>
        <li><a href="/wonen">Wonen en leven</a></li>
        <li><a href="/ondernemen">Ondernemen</a></li>
        <li><a href="/bestuur">Bestuur en organisatie</a></li>
        <li><a href="/nieuws" aria-current="page">Nieuws</a></li>
        <li><a href="/contact">Contact</a></li>
      </ul>
    </nav>
    <form class="search" role="search" action="/zoeken">
      <label for="q">Zoeken</label> <input id="q" name="q" type="search"> <button type="submit">Zoek</button>
    </form>
  </div>
</header>
<nav class="crumbs wrap" aria-label="Kruimelpad">
  <ol><li><a href="/">Home</a></li><li><a href="/nieuws">Nieuws</a></li><li>Nieuwe bibliotheek</li></ol>
</nav>
<main id="inhoud" class="wrap">
  <article>
    <h1>Nieuwe bibliotheek in Zuiderpark opent in september</h1>
    <p class="meta"><time datetime="2025-06-12">12 juni 2025</time> &middot; Cultuur, Zuiderpark</p>
    <p class="lead">Na anderhalf jaar bouwen opent op zaterdag 14 september de nieuwe wijkbibliotheek in
    Zuiderpark. Het gebouw aan het Parkplein krijgt naast boeken ook een leescafé, studieplekken en een
    digitaal informatiepunt waar inwoners hulp krijgen bij zaken met de overheid.</p>
    <figure>
      <img src="/assets/hero.svg" width="960" height="400"
        alt="Schets van de nieuwe bibliotheek aan het Parkplein">
      <figcaption>Zo ziet de voorkant van de bibliotheek eruit. Illustratie: Atelier Parkzicht.</figcaption>
    </figure>
    <h2>Meer dan boeken</h2>
    <p>De bibliotheek is straks zes dagen per week open, ook op zaterdag. Op de begane grond komen het
    leescafé en de jeugdafdeling. Op de eerste verdieping zijn veertig studieplekken, twee vergaderruimtes
    die verenigingen gratis kunnen reserveren en het Informatiepunt Digitale Overheid.</p>
    <p>&ldquo;We merken dat steeds meer inwoners vragen hebben over DigiD, toeslagen of het aanvragen van een
    vergunning,&rdquo; zegt wethouder Van der Linden. &ldquo;In de bibliotheek helpen vrijwilligers en
    medewerkers van de gemeente hen op weg, zonder afspraak en zonder wachtrij aan de telefoon.&rdquo;</p>
    <h2>Duurzaam gebouwd</h2>
    <p>Het gebouw is energieneutraal. Het dak ligt vol zonnepanelen, de verwarming komt van een warmtepomp en
    het regenwater wordt opgevangen voor de tuin. Het hout van de gevel komt uit Nederlandse bossen. De bouw
    kostte 6,4 miljoen euro, waarvan 1,1 miljoen euro subsidie van de provincie.</p>
    <ul>
      <li>Open: maandag tot en met zaterdag, 10.00 tot 20.00 uur</li>
      <li>Adres: Parkplein 3, 5504 ZP Veldhoven-Noord</li>
      <li>Lidmaatschap: gratis tot 18 jaar, daarna 42 euro per jaar</li>
    </ul>
    <h2>Opening op 14 september</h2>
    <p>De opening begint om 11.00 uur met een voorleesochtend voor kinderen. Daarna zijn er rondleidingen
    door het gebouw, een workshop &lsquo;veilig internetten&rsquo; en optredens van leerlingen van de
    muziekschool. Iedereen is welkom; aanmelden is niet nodig.</p>
    <p>Tijdens de verhuizing is de oude bibliotheek aan de Dorpsstraat van 2 tot en met 13 september
    gesloten. Geleende boeken kunt u in die periode inleveren in de inleverbus bij het gemeentehuis. U krijgt
    geen boete voor boeken die in deze periode te laat zijn.</p>
    <h2>Vragen?</h2>
    <p>Heeft u vragen over de nieuwe bibliotheek? Bel 14 040 of stuur een e-mail naar
    <a href="mailto:bibliotheek@veldhoven-noord.example">bibliotheek@veldhoven-noord.example</a>.</p>
  </article>
  <aside aria-labelledby="meer">
    <h2 id="meer">Meer nieuws</h2>
    <ul>
      <li><a href="/nieuws/parkeervergunning">Parkeervergunning voortaan digitaal aanvragen</a></li>
      <li><a href="/nieuws/zwembad">Zwembad De Vennen langer open in de zomer</a></li>
      <li><a href="/nieuws/afval">Nieuwe ophaaldagen voor gft en papier</a></li>
      <li><a href="/nieuws/raadsvergadering">Raad besluit over nieuwe fietsroute</a></li>
    </ul>
  </aside>
</main>
<footer class="bottom">
  <div class="wrap">
    <p>Gemeente Veldhoven-Noord &middot; Postbus 100, 5500 AC Veldhoven-Noord &middot; 14 040</p>
    <ul>
      <li><a href="/privacy">Privacyverklaring</a></li>
      <li><a href="/toegankelijkheid">Toegankelijkheid</a></li>
      <li><button type="button" class="linkish" data-consent-open
        data-cc="show-preferencesModal">Cookie-instellingen</button></li>
    </ul>
  </div>
</footer>
{body_end}</body>
</html>
"""

SITE_CSS = """
:root { --ink: #1b1b1b; --muted: #555; --brand: #154273; --line: #d8dde3; --bg-soft: #f3f5f8; }
* { box-sizing: border-box; }
html { font: 17px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, Ubuntu, sans-serif; color: var(--ink); }
body { margin: 0; background: #fff; }
a { color: var(--brand); }
.wrap { max-width: 72rem; margin: 0 auto; padding: 0 1.25rem; }
.skip { position: absolute; left: -999px; top: 0; }
.skip:focus { left: 1rem; background: #fff; padding: .5rem; z-index: 10; }
header.top { border-bottom: 4px solid var(--brand); background: #fff; }
header.top .wrap { display: flex; flex-wrap: wrap; align-items: center; gap: 1rem 2rem; min-height: 5rem; }
header nav ul { display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; list-style: none; margin: 0;
  padding: 0; }
header nav a { text-decoration: none; font-weight: 600; }
header nav a[aria-current] { text-decoration: underline; text-underline-offset: .3em; }
.search { margin-left: auto; display: flex; gap: .4rem; align-items: center; }
.search input { font: inherit; padding: .3rem .5rem; border: 1px solid var(--muted); border-radius: 4px; }
.search button, .linkish { font: inherit; cursor: pointer; }
.search button { padding: .3rem .8rem; color: #fff; background: var(--brand); border: 0; border-radius: 4px; }
.crumbs ol { display: flex; gap: .5rem; list-style: none; padding: .75rem 0; margin: 0; font-size: .9rem; }
.crumbs li + li::before { content: "\\203A"; margin-right: .5rem; color: var(--muted); }
main { display: grid; grid-template-columns: minmax(0, 1fr) 18rem; gap: 3rem; padding-bottom: 3rem; }
article h1 { font-size: 2.2rem; line-height: 1.2; margin: .5rem 0; }
article h2 { font-size: 1.35rem; margin: 2rem 0 .5rem; }
.meta { color: var(--muted); font-size: .9rem; margin: 0 0 1rem; }
.lead { font-size: 1.15rem; font-weight: 500; }
figure { margin: 1.5rem 0; }
figure img { display: block; width: 100%; height: auto; border-radius: 6px; background: var(--bg-soft); }
figcaption { font-size: .85rem; color: var(--muted); margin-top: .4rem; }
aside { border-top: 4px solid var(--brand); background: var(--bg-soft); padding: 1rem 1.25rem;
  align-self: start; }
aside h2 { font-size: 1.1rem; margin: 0 0 .5rem; }
aside ul { padding-left: 1.1rem; margin: 0; }
aside li { margin: .4rem 0; }
footer.bottom { background: var(--brand); color: #fff; padding: 2rem 0 6rem; }
footer.bottom a, footer.bottom .linkish { color: #fff; }
footer.bottom ul { display: flex; flex-wrap: wrap; gap: 1.5rem; list-style: none; padding: 0; }
.linkish { background: none; border: 0; padding: 0; text-decoration: underline; }
@media (max-width: 50rem) { main { grid-template-columns: 1fr; } .search { margin-left: 0; } }
"""

LOGO_SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 180 40" width="180" height="40">
<rect x="0" y="4" width="32" height="32" rx="4" fill="#154273"/><path d="M8 28V12l8 8 8-8v16" fill="none"
stroke="#fff" stroke-width="3"/><text x="40" y="18" font-family="sans-serif" font-size="12" fill="#154273">
Gemeente</text><text x="40" y="33" font-family="sans-serif" font-size="14" font-weight="700" fill="#154273">
Veldhoven-Noord</text></svg>
"""

HERO_SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 960 400" width="960" height="400">
<defs><linearGradient id="s" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#cfe3f5"/>
<stop offset="1" stop-color="#f3f5f8"/></linearGradient></defs>
<rect width="960" height="400" fill="url(#s)"/><rect y="330" width="960" height="70" fill="#9fbf8f"/>
<rect x="250" y="120" width="460" height="210" fill="#b98b5e"/><rect x="230" y="105" width="500" height="20"
fill="#4a4a4a"/><g fill="#dbeaf6" stroke="#4a4a4a" stroke-width="3"><rect x="280" y="160" width="80"
height="60"/><rect x="380" y="160" width="80" height="60"/><rect x="500" y="160" width="80" height="60"/>
<rect x="600" y="160" width="80" height="60"/><rect x="440" y="250" width="80" height="80"/></g>
<g fill="#3d6e3a"><circle cx="140" cy="280" r="55"/><circle cx="830" cy="270" r="65"/></g>
<g fill="#5b3b22"><rect x="135" y="300" width="10" height="40"/>
<rect x="825" y="300" width="10" height="40"/></g>
</svg>
"""


def page_html(variant: str, widget_src: str) -> str:
    """The same article in every variant; only the banner's tags differ (and no variant has inline script)."""
    head = body_end = ""
    if variant == "ours":
        head = f'<script src="{widget_src}" async></script>\n'
    elif variant == "vanilla":
        # The setup vanilla-cookieconsent's "Getting started" recommends: stylesheet in <head>, scripts at
        # the end of <body>; classic `defer` scripts so both download in parallel (no import waterfall).
        head = '<link rel="stylesheet" href="/cc/cookieconsent.css">\n'
        body_end = (
            '<script defer src="/cc/cookieconsent.umd.js"></script>\n'
            '<script defer src="/cc/cookieconsent-config.js"></script>\n'
        )
    elif variant != "control":
        raise ValueError(f"unknown variant {variant!r}")
    return PAGE.format(head=head, body_end=body_end)


# ---- vanilla-cookieconsent: download and an equivalent configuration ----------------------------------


def ensure_vanilla(vendor: Path = VENDOR_DIR) -> tuple[Path, str]:
    """Install vanilla-cookieconsent 3 from npm into bench/vendor unless it is there; return (dist, version).

    Raises SystemExit when npm is missing or the install fails.
    """
    dist = vendor / "node_modules" / VANILLA_PACKAGE / "dist"
    if not (dist / "cookieconsent.umd.js").is_file():
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit(f"npm is needed once to download {VANILLA_SPEC} into {vendor}")
        vendor.mkdir(parents=True, exist_ok=True)
        print(f"downloading {VANILLA_SPEC} into {vendor} (dev-only, never served by the product) ...")
        result = subprocess.run(
            [
                npm,
                "install",
                "--prefix",
                str(vendor),
                VANILLA_SPEC,
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if result.returncode != 0 or not (dist / "cookieconsent.umd.js").is_file():
            raise SystemExit(
                f"npm install {VANILLA_SPEC} failed ({result.returncode}):\n{result.stderr[-2000:]}"
            )
    package = json.loads((dist.parent / "package.json").read_text(encoding="utf-8"))
    return dist, str(package["version"])


def vanilla_config(site: dict[str, Any]) -> str:
    """CookieConsent.run() with the example site's four categories, Dutch texts and cookie tables.

    The same information our widget carries for its settings dialog (category texts, services, cookies,
    durations), so that the configuration bytes compare like for like; only Dutch, as vanilla is usually
    set up (our widget also carries English).
    """
    from consent_server.embed.services import WIDGET_TEXTS, duration_text

    texts, words = site["texts"]["nl"], WIDGET_TEXTS["nl"]
    categories: dict[str, Any] = {}
    sections: list[dict[str, Any]] = [{"description": texts["description"]}]
    for category in site["categories"]:
        key = category["key"]
        services = [service for service in site["services"] if service["category"] == key]
        cookies = [(service, cookie) for service in services for cookie in service.get("cookies", [])]
        categories[key] = {"enabled": True, "readOnly": True} if key == "necessary" else {}
        if key != "necessary" and cookies:
            categories[key]["autoClear"] = {"cookies": [{"name": cookie["name"]} for _, cookie in cookies]}
        section: dict[str, Any] = {
            "title": category["texts"]["nl"]["name"],
            "description": category["texts"]["nl"]["description"],
            "linkedCategory": key,
        }
        if cookies:
            section["cookieTable"] = {
                "headers": {
                    "name": words["cookie"],
                    "provider": words["provider"],
                    "purpose": words["purpose"],
                    "duration": words["duration"],
                },
                "body": [
                    {
                        "name": cookie["name"],
                        "provider": f"{service['name']} ({service['provider']})",
                        "purpose": cookie["texts"]["nl"]["purpose"],
                        "duration": duration_text(cookie["duration_days"], "nl"),
                    }
                    for service, cookie in cookies
                ],
            }
        sections.append(section)
    footer = f'<a href="{site["privacy_url"]}" target="_blank">{texts["privacy_link"]}</a>'
    config = {
        # Vanilla hides itself from automated browsers by default (navigator.webdriver); the visitors it is
        # meant for see it, so this headless visitor must too (ours never hides from bots, by contract).
        "hideFromBots": False,
        "guiOptions": {
            # The closest to our banner: a bar at the bottom, equal buttons.
            "consentModal": {"layout": "bar inline", "position": "bottom", "equalWeightButtons": True},
            "preferencesModal": {"layout": "box", "equalWeightButtons": True},
        },
        "categories": categories,
        "language": {
            "default": "nl",
            "translations": {
                "nl": {
                    "consentModal": {
                        "title": texts["title"],
                        "description": texts["description"],
                        "acceptAllBtn": texts["accept_all"],
                        "acceptNecessaryBtn": texts["reject_all"],
                        "showPreferencesBtn": texts["settings"],
                        "footer": footer,
                    },
                    "preferencesModal": {
                        "title": texts["settings_title"],
                        "acceptAllBtn": texts["accept_all"],
                        "acceptNecessaryBtn": texts["reject_all"],
                        "savePreferencesBtn": texts["save"],
                        "closeIconLabel": texts["close"],
                        "sections": sections,
                    },
                }
            },
        },
    }
    return f"CookieConsent.run({json.dumps(config, ensure_ascii=False)});\n"


# ---- the two servers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Asset:
    content_type: str
    body: bytes
    gzip: bytes
    brotli: bytes

    @classmethod
    def of(cls, content_type: str, body: bytes) -> Asset:
        # Compressed the way our widget is (gzip -9, brotli 11), so neither side wins on server settings.
        return cls(content_type, body, gzip.compress(body, 9, mtime=0), brotli.compress(body, quality=11))


def host_assets(vanilla_dist: Path, vanilla_config_js: str, widget_src: str) -> dict[str, Asset]:
    """Every file of the host site by path: the three page variants, their assets, vanilla under /cc/."""
    text_js, text_css = "text/javascript; charset=utf-8", "text/css; charset=utf-8"
    assets = {
        "/assets/site.css": Asset.of(text_css, SITE_CSS.encode()),
        "/assets/logo.svg": Asset.of("image/svg+xml", LOGO_SVG.encode()),
        "/assets/hero.svg": Asset.of("image/svg+xml", HERO_SVG.encode()),
        "/cc/cookieconsent.umd.js": Asset.of(text_js, (vanilla_dist / "cookieconsent.umd.js").read_bytes()),
        "/cc/cookieconsent.css": Asset.of(text_css, (vanilla_dist / "cookieconsent.css").read_bytes()),
        "/cc/cookieconsent-config.js": Asset.of(text_js, vanilla_config_js.encode()),
    }
    for variant in VARIANTS:
        html = page_html(variant, widget_src).encode()
        assets[f"/{variant}.html"] = Asset.of("text/html; charset=utf-8", html)
    return assets


class HostSite:
    """The host site's files, encoded as our widget is: br if accepted, else gzip, else plain."""

    def __init__(self, assets: dict[str, Asset]):
        self.assets = assets

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(environ)
        asset = self.assets.get(request.path)
        if asset is None:
            return Response("not found", status=404)(environ, start_response)
        response = Response(content_type=asset.content_type)
        response.headers["Cache-Control"] = "no-cache"
        response.vary.add("Accept-Encoding")
        accepted = request.accept_encodings
        if accepted["br"]:
            response.set_data(asset.brotli)
            response.headers["Content-Encoding"] = "br"
        elif accepted["gzip"]:
            response.set_data(asset.gzip)
            response.headers["Content-Encoding"] = "gzip"
        else:
            response.set_data(asset.body)
        return response(environ, start_response)


def example_site() -> dict[str, Any]:
    """The product's example site document (consent_server/data/monoconnect.json)."""
    from consent_server.paths import PACKAGE_DIR

    doc: dict[str, Any] = json.loads((PACKAGE_DIR / "data" / "monoconnect.json").read_text(encoding="utf-8"))
    return doc


def consent_app(database: Path, host_origin: str) -> Any:
    """create_app on a fresh SQLite file, migrated, with the example site allowed on the host origin."""
    from flask_migrate import upgrade

    from consent_server import create_app
    from consent_server.extensions import db
    from consent_server.sites.services import import_site

    site = example_site()
    site["origins"] = [host_origin]
    site.pop("cookie_domain", None)  # the page runs on 127.0.0.1, outside .monoconnect.nl
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{database}",
            "SECRET_KEY": "bench-widget-secret-key-not-for-production",
            "RATELIMIT_STORAGE_URI": "memory://",
            "LOG_LEVEL": "WARNING",
        }
    )
    with app.app_context():
        upgrade()
        import_site(db.session, site)
        db.session.commit()
    return app


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def _serve(kind: str, port: int, options: dict[str, Any], ready: Connection) -> None:
    """Child process: build one app, listen, report ("ok", "") or ("error", traceback), serve until killed."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle; it terminates us
    try:
        logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        warnings.filterwarnings("ignore", message="Using the in-memory storage")
        if kind == "consent":
            app = consent_app(Path(options["database"]), options["host_origin"])
        else:
            app = HostSite(
                host_assets(Path(options["vanilla_dist"]), options["config_js"], options["widget_src"])
            )
        server = make_server(HOST, port, app, threaded=True)
    except BaseException:
        ready.send(("error", traceback.format_exc()))
        raise
    ready.send(("ok", ""))
    ready.close()
    server.serve_forever(poll_interval=0.2)


@contextmanager
def server_process(kind: str, port: int, options: dict[str, Any], timeout: float = 60) -> Iterator[str]:
    """Run one server in its own process, so that neither the browser driver nor the other server shares
    its interpreter (and GIL) with it; yield its origin, and terminate it on the way out.

    Raises RuntimeError when it does not come up within timeout.
    """
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_serve, args=(kind, port, options, sender), name=f"bench-{kind}", daemon=True
    )
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise RuntimeError(f"the {kind} server did not start within {timeout:.0f} s")
        try:
            status, detail = receiver.recv()
        except EOFError:
            status, detail = "error", f"the process exited with {process.exitcode} before it listened"
        if status != "ok":
            raise RuntimeError(f"the {kind} server failed to start:\n{detail}")
        yield f"http://{HOST}:{port}"
    finally:
        receiver.close()
        process.terminate()
        process.join(timeout=10)
        if process.is_alive():
            process.kill()
            process.join(timeout=10)


def fetch(
    url: str, headers: dict[str, str] | None = None, timeout: float = 30
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, dict(response.headers), response.read()


# ---- in-page probe -------------------------------------------------------------------------------------

# Installed with add_init_script, so it runs before any of the page's own scripts. Times are
# performance.now(), i.e. milliseconds since performance.timeOrigin (navigation start).
PROBE_JS = """
(() => {
  if (window.top !== window || window.__bench) return;
  const KIND = %(kind)s, LIMIT = %(limit)d;
  const b = window.__bench = {bannerInserted: null, bannerVisible: null, bannerSettled: null,
    contentVisible: null, fcp: null,
    cls: 0, shifts: [], longTasks: [], loafs: [], unsupported: []};
  const banner = () => {
    if (KIND === "ours") {
      const host = document.querySelector("cs-consent");
      const root = host && host.shadowRoot;
      return [host, root ? root.querySelector("section[role=region]") : null];
    }
    if (KIND === "vanilla") {
      return [document.getElementById("cc-main"), document.querySelector("#cc-main .cm")];
    }
    return [null, null];
  };
  const visible = (el) => {
    if (!el || !el.isConnected) return false;
    // opacityProperty: an element (or ancestor, across shadow roots) at opacity 0 is not visible yet.
    const shown = {opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true};
    if (!el.checkVisibility(shown)) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 &&
      r.top < innerHeight && r.left < innerWidth;
  };
  const settled = (el) => getComputedStyle(el).opacity === "1" &&
    el.getAnimations({subtree: true}).every((a) => a.playState !== "running");
  let scheduled = false;
  const schedule = () => { if (!scheduled) { scheduled = true; requestAnimationFrame(check); } };
  function check() {
    scheduled = false;
    const t = performance.now();
    const h1 = document.querySelector("main h1");
    if (b.contentVisible === null && visible(h1)) b.contentVisible = t;
    const [candidate, el] = banner();
    if (b.bannerVisible === null && visible(el)) b.bannerVisible = t;
    if (b.bannerVisible !== null && b.bannerSettled === null && settled(el)) b.bannerSettled = t;
    // Keep looking every frame while something we wait for exists but is not there yet (a shadow root's
    // content and running transitions do not reach the document's MutationObserver).
    const waiting = (h1 && b.contentVisible === null) || (candidate && b.bannerSettled === null);
    if (waiting && t < LIMIT) schedule();
  }
  new MutationObserver(() => {
    // When the banner's element entered the DOM (this callback is the microtask after the inserting task).
    if (b.bannerInserted === null && banner()[1]) b.bannerInserted = performance.now();
    schedule();
  }).observe(document, {childList: true, subtree: true, attributes: true});
  schedule();
  const describe = (n) => {
    if (!n) return "?";
    const cls = typeof n.className === "string" && n.className.trim();
    return n.nodeName + (n.id ? "#" + n.id : "") + (cls ? "." + cls.split(/\\s+/).join(".") : "");
  };
  const observe = (type, fn) => {
    try { new PerformanceObserver((list) => list.getEntries().forEach(fn)).observe({type, buffered: true}); }
    catch (e) { b.unsupported.push(type); }
  };
  observe("paint", (e) => { if (e.name === "first-contentful-paint") b.fcp = e.startTime; });
  observe("layout-shift", (e) => {
    if (e.hadRecentInput) return;
    b.cls += e.value;
    b.shifts.push({t: e.startTime, v: e.value, sources: (e.sources || []).map((s) => describe(s.node))});
  });
  observe("longtask", (e) => b.longTasks.push({t: e.startTime, d: e.duration}));
  observe("long-animation-frame", (e) => {
    if (e.duration <= %(long)d) return;
    b.loafs.push({t: e.startTime, d: e.duration, blocking: e.blockingDuration, scripts: (e.scripts || []).map(
      (s) => ({url: s.sourceURL, fn: s.sourceFunctionName, invoker: s.invoker, d: s.duration,
               layout: s.forcedStyleAndLayoutDuration}))});
  });
})();
"""

FINISHED_JS = """
(kind) => {
  const b = window.__bench;
  if (!b || document.readyState !== "complete") return false;
  return kind === "control" ? b.contentVisible !== null : b.bannerSettled !== null;
}
"""


# ---- one navigation ------------------------------------------------------------------------------------


@dataclass
class Transfer:
    """One network request, from CDP Network events."""

    url: str
    status: int = 0
    encoding: str = ""
    header_bytes: int = 0  # Network.responseReceived response.encodedDataLength: the response headers
    total_bytes: int = 0  # Network.loadingFinished encodedDataLength: headers + body as received
    content_length: int | None = None
    wait_ms: float | None = None  # request sent -> first response byte (server time + loopback)
    accept_encoding: str = ""
    requested_at: float = 0.0  # CDP monotonic timestamps, seconds
    finished_at: float = 0.0
    failed: str = ""

    @property
    def body_bytes(self) -> int:
        return max(self.total_bytes - self.header_bytes, 0)


@dataclass
class Run:
    variant: str
    banner_inserted: float | None = None
    banner_visible: float | None = None
    banner_settled: float | None = None
    content_visible: float | None = None
    fcp: float | None = None
    dcl: float | None = None
    load_end: float | None = None
    cls: float = 0.0
    shifts: list[dict[str, Any]] = field(default_factory=list)
    long_tasks: list[float] = field(default_factory=list)
    loafs: list[dict[str, Any]] = field(default_factory=list)
    transfers: list[Transfer] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    error: str = ""

    def banner_loaded(self, consent_origin: str) -> float | None:
        """When the last of the banner's files had arrived, in ms after the page's own request was sent."""
        own = [t.finished_at for t in self.banner_transfers(consent_origin) if t.finished_at]
        starts = [t.requested_at for t in self.transfers if t.requested_at]
        return (max(own) - min(starts)) * 1000 if own and starts else None

    def banner_transfers(self, consent_origin: str) -> list[Transfer]:
        if self.variant == "ours":
            return [t for t in self.transfers if t.url.startswith(consent_origin + "/")]
        if self.variant == "vanilla":
            return [t for t in self.transfers if urlsplit(t.url).path.startswith("/cc/")]
        return []


def measure(browser: Any, host_origin: str, variant: str) -> Run:
    """Load one variant in a fresh context with the cache off; return what the page and the network saw."""
    run = Run(variant)
    context = browser.new_context(
        service_workers="block", viewport=VIEWPORT, locale="nl-NL", timezone_id="Europe/Amsterdam"
    )
    try:
        context.add_init_script(
            PROBE_JS % {"kind": json.dumps(variant), "limit": 30_000, "long": LONG_TASK_MS}
        )
        page = context.new_page()
        page.set_default_timeout(SETTLE_TIMEOUT_MS)
        cdp = context.new_cdp_session(page)
        transfers: dict[str, Transfer] = {}

        def on_request(event: dict[str, Any]) -> None:
            # requestWillBeSentExtraInfo may come first and have created the entry already.
            transfer = transfers.setdefault(event["requestId"], Transfer(""))
            transfer.url, transfer.requested_at = event["request"]["url"], float(event["timestamp"])

        def on_response(event: dict[str, Any]) -> None:
            transfer = transfers.setdefault(event["requestId"], Transfer(event["response"]["url"]))
            response = event["response"]
            headers = {name.lower(): value for name, value in response.get("headers", {}).items()}
            transfer.status = int(response.get("status", 0))
            transfer.encoding = headers.get("content-encoding", "identity")
            transfer.header_bytes = int(response.get("encodedDataLength", 0))
            if "content-length" in headers:
                transfer.content_length = int(headers["content-length"])
            timing = response.get("timing")
            if timing:
                transfer.wait_ms = timing["receiveHeadersStart"] - timing["sendEnd"]

        def on_request_headers(event: dict[str, Any]) -> None:
            # The headers as sent (Accept-Encoding is added by the network stack, after requestWillBeSent).
            headers = {name.lower(): value for name, value in event.get("headers", {}).items()}
            transfer = transfers.setdefault(event["requestId"], Transfer(""))
            transfer.accept_encoding = headers.get("accept-encoding", "")

        def on_finished(event: dict[str, Any]) -> None:
            if event["requestId"] in transfers:
                transfers[event["requestId"]].total_bytes = int(event["encodedDataLength"])
                transfers[event["requestId"]].finished_at = float(event["timestamp"])

        def on_failed(event: dict[str, Any]) -> None:
            if event["requestId"] in transfers:
                transfers[event["requestId"]].failed = event.get("errorText", "failed")

        cdp.on("Network.requestWillBeSent", on_request)
        cdp.on("Network.requestWillBeSentExtraInfo", on_request_headers)
        cdp.on("Network.responseReceived", on_response)
        cdp.on("Network.loadingFinished", on_finished)
        cdp.on("Network.loadingFailed", on_failed)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        page.on("console", lambda message: run.console.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: run.console.append(f"pageerror: {error}"))

        page.goto(f"{host_origin}/{variant}.html", wait_until="load", timeout=NAVIGATION_TIMEOUT_MS)
        try:
            page.wait_for_function(FINISHED_JS, arg=variant, timeout=SETTLE_TIMEOUT_MS, polling=50)
        except Exception as exc:  # a banner that never shows is a figure, not a crash
            run.error = f"not settled within {SETTLE_TIMEOUT_MS} ms: {type(exc).__name__}"
        page.wait_for_timeout(QUIET_AFTER_MS)
        probe = page.evaluate(
            "() => { const n = performance.getEntriesByType('navigation')[0];"
            " return {...window.__bench, load: n.loadEventEnd, dcl: n.domContentLoadedEventStart}; }"
        )
        run.banner_inserted = probe["bannerInserted"]
        run.dcl = probe["dcl"]
        run.banner_visible = probe["bannerVisible"]
        run.banner_settled = probe["bannerSettled"]
        run.content_visible = probe["contentVisible"]
        run.fcp = probe["fcp"]
        run.load_end = probe["load"]
        run.cls = float(probe["cls"])
        run.shifts = probe["shifts"]
        run.long_tasks = [float(task["d"]) for task in probe["longTasks"]]
        run.loafs = probe["loafs"]
        if probe["unsupported"]:
            run.console.append(f"probe: unsupported entry types {probe['unsupported']}")
        run.transfers = list(transfers.values())
    except Exception as exc:
        run.error = run.error or f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    finally:
        context.close()
    return run


# ---- figures -------------------------------------------------------------------------------------------


def widget_digest() -> str:
    """Short hashes of the widget sources measured, since the widget changes under parallel work."""
    from consent_server.paths import source_directory

    folder = source_directory("widget") / "src"
    return ", ".join(
        f"{name} {hashlib.sha256((folder / name).read_bytes()).hexdigest()[:10]}"
        for name in ("consent.js", "consent.css")
    )


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty sequence."""
    ordered = sorted(values)
    return ordered[max(math.ceil(q / 100 * len(ordered)) - 1, 0)]


def med(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def p90(values: Sequence[float]) -> float | None:
    return percentile(values, 90) if values else None


def ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def signed(value: float | None) -> str:
    return "-" if value is None else f"{value:+.0f}"


def ratio(a: float | None, b: float | None) -> str:
    return "-" if a is None or b is None or b == 0 else f"{a / b:.2f}"


@dataclass
class Summary:
    variant: str
    runs: list[Run]
    consent_origin: str

    def values(self, name: str) -> list[float]:
        return [v for run in self.runs if (v := getattr(run, name)) is not None]

    @property
    def failures(self) -> int:
        return sum(1 for run in self.runs if run.error)

    def banner_bytes(self) -> list[int]:
        return [sum(t.body_bytes for t in run.banner_transfers(self.consent_origin)) for run in self.runs]

    def banner_wire_bytes(self) -> list[int]:
        return [sum(t.total_bytes for t in run.banner_transfers(self.consent_origin)) for run in self.runs]

    def banner_requests(self) -> list[int]:
        return [len(run.banner_transfers(self.consent_origin)) for run in self.runs]

    def page_bytes(self) -> list[int]:
        return [sum(t.total_bytes for t in run.transfers) for run in self.runs]

    def banner_loaded(self) -> list[float]:
        return [v for run in self.runs if (v := run.banner_loaded(self.consent_origin)) is not None]

    def banner_wait(self) -> list[float]:
        # The slowest banner resource's server wait per run (ours: one request; vanilla: longest of three).
        waits = []
        for run in self.runs:
            own = [t.wait_ms for t in run.banner_transfers(self.consent_origin) if t.wait_ms is not None]
            if own:
                waits.append(max(own))
        return waits

    def long_task_counts(self) -> list[int]:
        return [sum(1 for d in run.long_tasks if d > LONG_TASK_MS) for run in self.runs]

    def blocking_ms(self) -> list[float]:
        return [sum(d - LONG_TASK_MS for d in run.long_tasks if d > LONG_TASK_MS) for run in self.runs]


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(
            cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def fmt_bytes(values: Sequence[int]) -> str:
    if not values:
        return "-"
    low, high = min(values), max(values)
    return f"{low:,}" if low == high else f"{statistics.median(values):,.0f} ({low:,}-{high:,})"


def loaf_attribution(runs: Sequence[Run]) -> list[tuple[str, int, float]]:
    """Which scripts ran inside long animation frames: (script, frames, total script ms) over all runs."""
    frames: Counter[str] = Counter()
    total: defaultdict[str, float] = defaultdict(float)
    for run in runs:
        for loaf in run.loafs:
            seen = set()
            for script in loaf["scripts"]:
                # The page has no inline script: a script without URL is the bench's own init-script probe.
                source = script.get("url") or "(bench probe)"
                name = f"{source.rsplit('/', 1)[-1]} [{script.get('invoker')}]"
                total[name] += float(script.get("d") or 0)
                seen.add(name)
            if not loaf["scripts"]:
                seen.add("(no script: style/layout/paint)")
                total["(no script: style/layout/paint)"] += float(loaf["d"])
            frames.update(seen)
    return sorted(((name, frames[name], total[name]) for name in frames), key=lambda item: -item[2])


def static_sizes(assets: dict[str, Asset], consent_origin: str) -> list[list[str]]:
    """The banner's files as files: raw, gzip -9, brotli 11, independent of what Chromium negotiated."""
    _, _, plain = fetch(f"{consent_origin}/w/{SITE_KEY}.js", {"Accept-Encoding": "identity"})
    ours = Asset.of("text/javascript", plain)
    vanilla = [assets[p] for p in ("/cc/cookieconsent.umd.js", "/cc/cookieconsent.css")]
    config = assets["/cc/cookieconsent-config.js"]

    def row(name: str, assets: Sequence[Asset]) -> list[str]:
        return [
            name,
            f"{sum(len(a.body) for a in assets):,}",
            f"{sum(len(a.gzip) for a in assets):,}",
            f"{sum(len(a.brotli) for a in assets):,}",
        ]

    return [
        row(f"ours /w/{SITE_KEY}.js (code + css + config nl/en)", [ours]),
        row("vanilla umd.js + css (the anchor's 2 files)", vanilla),
        row("vanilla umd.js + css + config.js (nl)", [*vanilla, config]),
    ]


def report(
    summaries: dict[str, Summary],
    assets: dict[str, Asset],
    consent_origin: str,
    widget: str,
    vanilla_version: str,
    chromium: str,
    runs: int,
    elapsed: float,
) -> str:
    out: list[str] = []
    control, ours, vanilla = summaries["control"], summaries["ours"], summaries["vanilla"]
    out.append(
        f"widget bench: {runs} runs per variant (interleaved, shuffled), {chromium}, headless, "
        f"{VIEWPORT['width']}x{VIEWPORT['height']}, loopback, no throttling; {os.cpu_count()} CPUs; "
        f"Python {platform.python_version()}; {elapsed:.0f} s; load average at the end "
        f"{'/'.join(f'{x:.1f}' for x in os.getloadavg())} (other work on the machine skews times, not ratios "
        "as much: variants are interleaved)"
    )
    out.append(
        f"vanilla-cookieconsent {vanilla_version} from npm (bottom bar layout, hideFromBots off); "
        f"consent-server widget/src {widget} (working tree); each server in its own process "
        "(werkzeug, threaded)"
    )
    out.append("")
    rows = []
    for s in (control, ours, vanilla):
        visible, settled = s.values("banner_visible"), s.values("banner_settled")
        rows.append(
            [
                s.variant,
                "-" if s.variant == "control" else ms(med(s.values("banner_inserted"))),
                "-" if s.variant == "control" else f"{ms(med(visible))} / {ms(p90(visible))}",
                "-" if s.variant == "control" else f"{ms(med(settled))} / {ms(p90(settled))}",
                f"{ms(med(s.values('content_visible')))} / {ms(p90(s.values('content_visible')))}",
                ms(med(s.values("fcp"))),
                ms(med(s.values("dcl"))),
                ms(med(s.values("load_end"))),
                "-" if s.variant == "control" else fmt_bytes(s.banner_bytes()),
                "-" if s.variant == "control" else str(max(s.banner_requests(), default=0)),
                "-" if s.variant == "control" else ms(med(s.banner_wait())),
                "-" if s.variant == "control" else ms(med(s.banner_loaded())),
                f"{max((r.cls for r in s.runs), default=0):.4f}",
                f"{statistics.median(s.long_task_counts()):.0f} / {max(s.long_task_counts(), default=0)}",
                f"{ms(med(s.blocking_ms()))} / {ms(max(s.blocking_ms(), default=0))}",
                str(s.failures),
            ]
        )
    out.append(
        table(
            rows,
            [
                "variant",
                "in DOM med",
                "banner visible ms med/p90",
                "settled med/p90",
                "h1 visible med/p90",
                "FCP med",
                "DCL med",
                "load med",
                "banner bytes (body, compressed)",
                "reqs",
                "server wait ms",
                "files in ms",
                "CLS max",
                "long tasks med/max",
                "TBT ms med/max",
                "failed",
            ],
        )
    )
    out.append("")
    out.append("main result, ours / vanilla (below 1: ours is faster or smaller):")
    for label, name in (
        ("time to banner visible", "banner_visible"),
        ("time to banner settled", "banner_settled"),
    ):
        a, b = ours.values(name), vanilla.values(name)
        out.append(f"  {label:<28} median {ratio(med(a), med(b))}   p90 {ratio(p90(a), p90(b))}")
    base = med(control.values("content_visible"))
    if base is not None:
        ours_med, vanilla_med = med(ours.values("banner_visible")), med(vanilla.values("banner_visible"))
        over = (
            ours_med - base if ours_med is not None else None,
            vanilla_med - base if vanilla_med is not None else None,
        )
        positive = all(value is not None and value > 0 for value in over)
        out.append(
            f"  {'banner visible - control h1':<28} median {ratio(*over) if positive else '-'}   "
            f"(ours {signed(over[0])} ms, vanilla {signed(over[1])} ms after the control's h1)"
        )
    ob, vb = ours.banner_bytes(), vanilla.banner_bytes()
    out.append(
        f"  {'bytes transferred (bodies)':<28} {ratio(med(ob), med(vb))}   "
        f"(ours {fmt_bytes(ob)} B in {max(ours.banner_requests(), default=0)} request(s), "
        f"vanilla {fmt_bytes(vb)} B in {max(vanilla.banner_requests(), default=0)})"
    )
    ow, vw = ours.banner_wire_bytes(), vanilla.banner_wire_bytes()
    out.append(
        f"  {'bytes incl. response headers':<28} {ratio(med(ow), med(vw))}   "
        f"(ours {fmt_bytes(ow)} B, vanilla {fmt_bytes(vw)} B)"
    )
    out.append(
        f"reference: control page, main h1 visible median {ms(base)} ms "
        f"(p90 {ms(p90(control.values('content_visible')))}), FCP median {ms(med(control.values('fcp')))} ms"
    )
    out.append("")
    out.append("how it was measured:")
    out.append(
        "  times: performance.now() (ms since performance.timeOrigin = navigation start) in the first "
        "requestAnimationFrame callback, woken by a MutationObserver installed with add_init_script, in "
        "which the element is laid out in the viewport with opacity > 0 (checkVisibility); ours: "
        "section[role=region] in the open shadow root of cs-consent; vanilla: #cc-main .cm; h1: main h1. "
        "settled: opacity 1 and no running animation/transition on the element. in DOM: the first "
        "MutationObserver callback that finds the banner element (i.e. its script has built it)."
    )
    out.append(
        "  bytes: per request, CDP Network.loadingFinished.encodedDataLength (everything received) minus "
        "Network.responseReceived response.encodedDataLength (the response headers) = the compressed body as "
        "transferred; request bytes are not counted. ours = every request to the consent server; "
        "vanilla = /cc/* (umd.js, css, config.js)."
    )
    seen = Counter(
        t.encoding for s in (ours, vanilla) for r in s.runs for t in r.banner_transfers(consent_origin)
    )
    out.append(
        "  compression: the host server serves vanilla's files (and the page) exactly like consent-server "
        "serves the widget: brotli q11 if accepted, else gzip -9. Content-Encoding seen on banner responses: "
        + ", ".join(f"{enc} x{n}" for enc, n in seen.most_common())
    )
    accepted = Counter(
        t.accept_encoding
        for s in summaries.values()
        for r in s.runs
        for t in r.transfers
        if t.accept_encoding
    )
    out.append(
        "  Chromium sent Accept-Encoding: " + "; ".join(f"{k!r} x{n}" for k, n in accepted.most_common(3))
    )
    out.append(
        "  CLS: sum of layout-shift entries without recent input; long tasks: PerformanceObserver 'longtask' "
        f"> {LONG_TASK_MS} ms, TBT = sum of (duration - {LONG_TASK_MS}); each run waits until the banner "
        f"settled and load fired, then {QUIET_AFTER_MS} ms more."
    )
    out.append(
        "  server wait: request sent -> first response byte of the banner's slowest file; files in: when the "
        "last banner file had arrived, ms after the page's own request (CDP timestamps). Long animation "
        "frames: the probe's rAF callback forces the frame's first layout, so its time there is the page's "
        "layout, not extra work."
    )
    out.append("")
    out.append("banner files as files (bytes; what the anchors table counts):")
    out.append(table(static_sizes(assets, consent_origin), ["resource", "raw", "gzip -9", "br 11"]))
    for s in (ours, vanilla):
        attribution = loaf_attribution(s.runs)
        if attribution:
            out.append("")
            out.append(
                f"{s.variant}: scripts inside long animation frames (> {LONG_TASK_MS} ms), over all runs:"
            )
            for name, frames, total in attribution[:6]:
                out.append(f"  {name:<60} in {frames} frame(s), {total:.0f} ms (script time, or frame time)")
    shifts = [(s.variant, shift) for s in summaries.values() for r in s.runs for shift in r.shifts]
    if shifts:
        out.append("")
        out.append("layout shifts (variant: value at ms, sources):")
        for variant, shift in shifts[:10]:
            out.append(f"  {variant}: {shift['v']:.4f} at {shift['t']:.0f} ms, {', '.join(shift['sources'])}")
    problems = [(s.variant, r.error) for s in summaries.values() for r in s.runs if r.error]
    messages = Counter(
        (s.variant, m[:160])
        for s in summaries.values()
        for r in s.runs
        for m in r.console
        if "error" in m.lower() or "[consent-server]" in m
    )
    if problems or messages:
        out.append("")
        out.append("problems:")
        for variant, error in problems:
            out.append(f"  {variant}: {error}")
        for (variant, message), count in messages.most_common(10):
            out.append(f"  {variant} console x{count}: {message}")
    return "\n".join(out)


# ---- main ----------------------------------------------------------------------------------------------


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise SystemExit(f"no Chromium at {path}; set CHROMIUM_PATH")
    return path


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=20, help="measured page loads per variant (default 20)")
    parser.add_argument("--port", type=int, default=0, help="consent server port (default: a free one)")
    parser.add_argument(
        "--host-port", type=int, default=0, help="host page server port (default: a free one)"
    )
    parser.add_argument(
        "--warmup", type=int, default=2, help="unmeasured loads per variant first (default 2)"
    )
    parser.add_argument("--seed", type=int, default=7, help="seed for the order of variants within a round")
    parser.add_argument("--json", type=Path, help="also write every run's raw figures to this file")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be at least 1 and --warmup at least 0")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    executable = chromium_path()
    vanilla_dist, vanilla_version = ensure_vanilla()
    started = time.monotonic()

    from playwright.sync_api import sync_playwright

    with ExitStack() as stack:
        directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-widget-")))
        host_port, consent_port = args.host_port or free_port(), args.port or free_port()
        host_origin, consent_origin = f"http://{HOST}:{host_port}", f"http://{HOST}:{consent_port}"
        widget_src = f"{consent_origin}/w/{SITE_KEY}.js"
        config_js = vanilla_config(example_site())
        widget = widget_digest()  # before the server reads the sources: they change under parallel work
        assets = host_assets(vanilla_dist, config_js, widget_src)
        consent = {"database": str(directory / "consent.sqlite"), "host_origin": host_origin}
        stack.enter_context(server_process("consent", consent_port, consent))
        host = {"vanilla_dist": str(vanilla_dist), "config_js": config_js, "widget_src": widget_src}
        stack.enter_context(server_process("host", host_port, host))
        # Build the widget once (minify + compress), as a running server has long done before a visitor comes.
        status, _, _ = fetch(f"{consent_origin}/w/{SITE_KEY}.js", {"Accept-Encoding": "br"})
        if status != 200:
            raise SystemExit(f"/w/{SITE_KEY}.js answered {status}")

        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=list(CHROMIUM_FLAGS), timeout=60_000
        )
        stack.callback(browser.close)
        chromium = f"Chromium {browser.version}"

        rng = random.Random(args.seed)
        for _ in range(args.warmup):
            for variant in VARIANTS:
                measure(browser, host_origin, variant)
        results: dict[str, list[Run]] = {variant: [] for variant in VARIANTS}
        for index in range(args.runs):
            order = list(VARIANTS)
            rng.shuffle(order)
            for variant in order:
                results[variant].append(measure(browser, host_origin, variant))
            print(f"  round {index + 1}/{args.runs} done", file=sys.stderr, flush=True)

        summaries = {variant: Summary(variant, runs, consent_origin) for variant, runs in results.items()}
        print(
            report(
                summaries,
                assets,
                consent_origin,
                widget,
                vanilla_version,
                chromium,
                args.runs,
                time.monotonic() - started,
            )
        )
        if args.json:
            args.json.write_text(
                json.dumps(
                    {variant: [asdict(run) for run in runs] for variant, runs in results.items()}, indent=1
                ),
                encoding="utf-8",
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
