"""The cookie scanner end to end: real Chromium through the fixture sites in tests/browser/scan_sites.

The consent server (the real app) is reached as http://consent.localhost:<port> and the third party as
http://tracker.localhost:<port>; the fixture sites are on http://127.0.0.1:<their port>. Chromium
resolves `*.localhost` to the loopback interface itself, so no DNS is involved. The compliant and the
leaky site are scanned once each through the CLI; each test checks one thing of those reports.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import HTTPServer
from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import func, select
from werkzeug.serving import make_server

from consent_server import create_app
from consent_server.extensions import db
from consent_server.models import AnalyticsEvent, ConsentRecord, Scan
from consent_server.scan.driver import WATCHDOG_GRACE_S, ScanOptions, scan_site
from consent_server.sites.services import export_site, import_site
from tests.browser import scan_sites
from tests.browser.support import QuietRequestHandler, serve_in_thread
from tests.conftest import app_settings
from tests.factories import site_document

# What a scan may take beyond its timeout: the watchdog's grace, closing the browser, writing the report.
OVERRUN_S = WATCHDOG_GRACE_S + 6


@dataclass
class Fixtures:
    app: Flask
    consent: str  # the consent server's origin as the sites embed it
    tracker: str
    sites: dict[str, str]  # fixture site name -> its origin
    declarations: dict[str, dict[str, Any]]


@dataclass
class CliScan:
    output: str
    report: dict[str, Any]
    seconds: float


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fixtures]:
    database = tmp_path_factory.mktemp("scan-db") / "consent.sqlite"
    app = create_app(app_settings(f"sqlite:///{database}"))
    with app.app_context():
        upgrade()
    consent_server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietRequestHandler)
    threads = [serve_in_thread(consent_server)]
    consent = f"http://consent.localhost:{consent_server.server_port}"
    release = scan_sites.Release()
    servers: list[HTTPServer] = [consent_server]
    tracker_server, thread, port = scan_sites.serve(scan_sites.static_site("tracker", {}))
    servers.append(tracker_server)
    threads.append(thread)
    tracker = f"http://tracker.localhost:{port}"
    sites: dict[str, str] = {}
    for name in ("compliant", "leaky", "trouble"):
        if name == "trouble":
            answer = scan_sites.trouble_site(release)
        else:
            answer = scan_sites.static_site(name, {"WIDGET": f"{consent}/w/{name}.js", "TRACKER": tracker})
        server, thread, port = scan_sites.serve(answer)
        servers.append(server)
        threads.append(thread)
        sites[name] = f"http://127.0.0.1:{port}"
    declarations = {}
    with app.app_context():
        for name, origin in sites.items():
            services = [] if name == "trouble" else scan_sites.services(name)
            document = site_document(key=name, name=name.title(), origins=[origin], cookie_domain=None)
            document["services"] = services
            site, _ = import_site(db.session, document)
            declarations[name] = export_site(site)
        db.session.commit()
        client = app.test_client()
        for name in ("compliant", "leaky"):  # build (and cache) the widgets before any browser waits on them
            assert client.get(f"/w/{name}.js").status_code == 200
        db.session.remove()
    try:
        yield Fixtures(app, consent, tracker, sites, declarations)
    finally:
        release.event.set()
        for running in servers:
            running.shutdown()
        for thread in threads:
            thread.join(timeout=5)
        for running in servers:
            running.server_close()
        with app.app_context():
            db.engine.dispose()


def cli_scan(fixtures: Fixtures, name: str) -> CliScan:
    started = time.monotonic()
    url = fixtures.sites[name] + "/"
    # The console script (a FlaskGroup) pushes an app context for every command; the test runner does not.
    with fixtures.app.app_context():
        runner = fixtures.app.test_cli_runner()
        result = runner.invoke(args=["scan", url, "--site", name], catch_exceptions=False)
        seconds = time.monotonic() - started
        assert result.exit_code == 0, result.output
        scan = db.session.scalars(select(Scan).where(Scan.url == url)).one()
        report = dict(scan.report or {})
        db.session.remove()
    print(f"\n$ consent-server scan {url} --site {name}   ({seconds:.1f} s)\n{result.output}")
    return CliScan(result.output, report, seconds)


@pytest.fixture(scope="module")
def compliant(fixtures: Fixtures) -> CliScan:
    return cli_scan(fixtures, "compliant")


@pytest.fixture(scope="module")
def leaky(fixtures: Fixtures) -> CliScan:
    return cli_scan(fixtures, "leaky")


def findings(scan: CliScan, kind: str) -> dict[str, dict[str, Any]]:
    return {f["name"] or f["host"]: f for f in scan.report["findings"] if f["kind"] == kind}


def phase(report: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in report["phases"] if p["name"] == name)


def item(report: dict[str, Any], phase_name: str, name: str) -> dict[str, Any]:
    return next(i for i in phase(report, phase_name)["items"] if i["name"] == name)


def trouble(fixtures: Fixtures, path: str, **options: Any) -> tuple[dict[str, Any], float]:
    started = time.monotonic()
    report = scan_site(
        fixtures.declarations["trouble"], fixtures.sites["trouble"] + path, ScanOptions(**options)
    )
    seconds = time.monotonic() - started
    print(f"\nscan of {path} with {options}: {seconds:.1f} s")
    return report, seconds


# ---- the compliant site ------------------------------------------------------------------------------------


def test_compliant_site_has_no_findings_at_all(compliant: CliScan) -> None:
    assert compliant.report["findings"] == [], compliant.output
    assert "No findings" in compliant.output


def test_compliant_site_every_phase_ran_and_made_its_choice(compliant: CliScan) -> None:
    phases = compliant.report["phases"]
    assert [(p["name"], p["status"], p["choice_made"]) for p in phases] == [
        ("no_choice", "done", False),
        ("reject", "done", True),
        ("accept", "done", True),
    ]


def test_compliant_site_stores_more_after_accept_than_after_reject(compliant: CliScan) -> None:
    names = {p["name"]: {i["name"] for i in p["items"]} for p in compliant.report["phases"]}
    assert names["no_choice"] == {"sessionid"}
    assert names["reject"] == {"sessionid", "cs_consent", "cs_queue"}
    assert names["accept"] == {
        "sessionid",
        "cs_consent",
        "cs_queue",
        "_pk_id.1.abcd",
        "_pk_ses.1.abcd",
        "YSC",
    }


def test_the_consent_server_serving_the_widget_is_not_a_third_party(
    compliant: CliScan, fixtures: Fixtures
) -> None:
    assert compliant.report["consent_origins"] == [fixtures.consent]
    requests = phase(compliant.report, "no_choice")["requests"]
    widget = next(r for r in requests if r["origin"] == fixtures.consent)
    assert widget["party"] == "third" and widget["consent_server"] is True


def test_crawl_drops_fragments_and_skips_files_mail_links_and_other_sites(
    compliant: CliScan, fixtures: Fixtures
) -> None:
    origin = fixtures.sites["compliant"]
    visited = [page["url"] for page in phase(compliant.report, "no_choice")["pages"]]
    assert visited == [
        f"{origin}/",
        f"{origin}/diensten.html",
        f"{origin}/contact.html",
        f"{origin}/contact.html?onderwerp=afval",
    ]


def test_cookies_are_recorded_with_party_origin_and_attributes(compliant: CliScan) -> None:
    session = item(compliant.report, "no_choice", "sessionid")
    assert (session["party"], session["set_by"], session["http_only"], session["expires"]) == (
        "first",
        ["http"],
        True,
        None,
    )
    choice = item(compliant.report, "reject", "cs_consent")
    assert (
        choice["set_by"] == ["script"]
        and choice["states"] == ["rejected"]
        and choice["expires"] > time.time()
    )
    video = item(compliant.report, "accept", "YSC")
    assert (video["party"], video["host"], video["states"]) == ("third", "tracker.localhost", ["accepted"])


def test_a_scan_is_neither_counted_as_a_visit_nor_recorded_as_consent(
    compliant: CliScan, leaky: CliScan, fixtures: Fixtures
) -> None:
    with fixtures.app.app_context():
        events = db.session.scalar(select(func.count()).select_from(AnalyticsEvent))
        actions = sorted(db.session.scalars(select(ConsentRecord.action)))
        db.session.remove()
    assert events == 0, f"{events} analytics events stored"
    # Phases 2 and 3 clicked reject and accept (see the compliant site's phases), yet no proof exists.
    assert [(p["name"], p["choice_made"]) for p in compliant.report["phases"][1:]] == [
        ("reject", True),
        ("accept", True),
    ]
    assert actions == [], actions


# ---- the leaky site ----------------------------------------------------------------------------------------


def test_leaky_site_violations_are_exactly_the_planted_ones(leaky: CliScan) -> None:
    found = {name: f["when"] for name, f in findings(leaky, "stored_without_consent").items()}
    assert found == {
        "_ga": ["none", "rejected"],
        "_ga_ABC123": ["none", "rejected"],
        "_clck": ["none", "rejected"],
        "IDE": ["none", "rejected"],
        "_fbp": ["rejected"],
    }


def test_leaky_site_third_party_script_before_consent_is_found(leaky: CliScan) -> None:
    (host, finding), *others = findings(leaky, "third_party_request_without_consent").items()
    assert others == []
    assert host == "tracker.localhost"
    assert finding["types"] == ["image", "script"] and finding["when"] == ["none", "rejected"]


def test_leaky_site_undeclared_are_exactly_the_planted_ones_with_proposals(leaky: CliScan) -> None:
    assert set(findings(leaky, "undeclared")) == {
        "IDE",
        "_clck",
        "promo_seen",
        "tracking_id",
        "test_cookie",
        "ab_variant",
    }
    proposed = {p["name"]: (p["storage"], p["category"], p["domain"]) for p in leaky.report["proposals"]}
    assert proposed == {
        "IDE": ("cookie", "marketing", "tracker.localhost"),
        "test_cookie": ("cookie", "marketing", "tracker.localhost"),
        "_clck": ("cookie", "analytics", None),
        "ab_variant": ("cookie", "analytics", None),
        "promo_seen": ("cookie", "necessary", None),
        "tracking_id": ("local_storage", "necessary", None),
    }


def test_leaky_site_declared_cookie_never_set_is_found(leaky: CliScan) -> None:
    assert set(findings(leaky, "declared_not_seen")) == {"mc_lang"}


def test_leaky_site_tells_http_cookies_from_script_cookies(leaky: CliScan) -> None:
    set_by = {f["name"]: f["set_by"] for f in leaky.report["findings"] if f["storage"] == "cookie"}
    assert (set_by["IDE"], set_by["promo_seen"], set_by["_ga"], set_by["_fbp"]) == (
        ["http"],
        ["http"],
        ["script"],
        ["script"],
    )


def test_findings_are_listed_most_serious_first(leaky: CliScan) -> None:
    kinds = [f["kind"] for f in leaky.report["findings"]]
    order = [
        "stored_without_consent",
        "third_party_request_without_consent",
        "undeclared",
        "declared_not_seen",
    ]
    assert kinds == sorted(kinds, key=order.index)
    labels = re.findall(r"^  (VIOLATION|THIRD PARTY|UNDECLARED|NOT SEEN) ", leaky.output, flags=re.MULTILINE)
    assert labels == sorted(labels, key=["VIOLATION", "THIRD PARTY", "UNDECLARED", "NOT SEEN"].index)
    assert set(labels) == {"VIOLATION", "THIRD PARTY", "UNDECLARED", "NOT SEEN"}


# ---- sites that misbehave ----------------------------------------------------------------------------------


def test_hung_erroring_and_non_html_pages_do_not_stop_the_scan(fixtures: Fixtures) -> None:
    report, _ = trouble(fixtures, "/", max_pages=10, timeout_s=60, page_timeout_s=2, settle_ms=300)
    origin = fixtures.sites["trouble"]
    pages = {p["url"].removeprefix(origin): p for p in phase(report, "no_choice")["pages"]}
    assert list(pages) == ["/", "/hang", "/error", "/jserror", "/data", "/after", "/after-error"]
    assert pages["/hang"]["error"] == "no answer within 2 s"
    assert pages["/error"]["status"] == 500
    assert pages["/jserror"]["js_errors"] == 1
    assert pages["/data"]["error"] == "not an HTML page (application/json)"
    assert phase(report, "no_choice")["status"] == "done"


def test_a_site_without_our_widget_gets_phases_two_and_three_skipped_with_the_reason(
    fixtures: Fixtures,
) -> None:
    report, _ = trouble(fixtures, "/after", max_pages=1, timeout_s=60, settle_ms=300)
    for name in ("reject", "accept"):
        skipped = phase(report, name)
        assert skipped["status"] == "skipped" and skipped["pages"] == []  # no browser started for it
        assert "does not load the consent-server widget of site 'trouble'" in skipped["reason"]


def test_a_start_url_that_moved_to_another_origin_is_crawled_where_it_landed(fixtures: Fixtures) -> None:
    report, _ = trouble(fixtures, "/moved", max_pages=3, timeout_s=60, settle_ms=300)
    moved = fixtures.sites["trouble"].replace("127.0.0.1", "localhost")
    pages = phase(report, "no_choice")["pages"]
    assert (pages[0]["url"], pages[0]["final_url"]) == (
        fixtures.sites["trouble"] + "/moved",
        moved + "/moved-here",
    )
    assert [p["url"] for p in pages[1:]] == [moved + "/after", moved + "/"]
    assert "localhost" in report["first_party"]


def test_endless_links_stop_at_the_page_cap_with_distinct_pages(fixtures: Fixtures) -> None:
    report, _ = trouble(fixtures, "/endless/0", max_pages=4, timeout_s=60, settle_ms=300)
    visited = [p["url"].removeprefix(fixtures.sites["trouble"]) for p in phase(report, "no_choice")["pages"]]
    assert visited == ["/endless/0", "/endless/1", "/endless/2", "/endless/0?page=0"]
    assert phase(report, "no_choice")["status"] == "done"


def test_endless_slow_site_stops_at_the_time_limit(fixtures: Fixtures) -> None:
    report, seconds = trouble(fixtures, "/slow/0", max_pages=1000, timeout_s=20, settle_ms=300)
    first = phase(report, "no_choice")
    assert first["status"] == "partial" and first["reason"].startswith("time limit reached after")
    assert 1 <= len(first["pages"]) < 1000
    assert seconds < 20 + OVERRUN_S


def test_page_stuck_in_an_endless_script_is_stopped_at_the_phase_deadline(fixtures: Fixtures) -> None:
    report, seconds = trouble(
        fixtures, "/to-busy", max_pages=3, timeout_s=18, page_timeout_s=2, settle_ms=300
    )
    first = phase(report, "no_choice")
    assert [page["url"].rsplit("/", 1)[1] for page in first["pages"]] == ["to-busy", "busy"]
    assert first["status"] == "partial"
    assert first["reason"] == "time limit reached: the browser did not respond and was stopped"
    assert seconds < 18 + OVERRUN_S
