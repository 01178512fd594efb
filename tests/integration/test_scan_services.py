"""The scanner's service API as the admin UI and the CLI use it, on SQLite and PostgreSQL.

Scans that run use real headless Chromium against a small page served by this module.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import asdict
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from consent_server.errors import Conflict, InvalidInput
from consent_server.extensions import db
from consent_server.models import AuditLog, Scan, Site
from consent_server.scan.driver import ScanOptions
from consent_server.scan.matching import Observed, PhaseResult, analyse
from consent_server.scan.services import (
    STALE_AFTER,
    add_proposals,
    execute_scan,
    list_scans,
    proposals_from_scan,
    run_scan_in_background,
    start_scan,
)
from consent_server.sites.schemas import RuleViolation
from consent_server.sites.services import create_site, export_site
from consent_server.timeutil import utcnow
from tests.factories import site_document

FAST = ScanOptions(max_pages=2, timeout_s=30, page_timeout_s=5, settle_ms=300)
PAGE = (
    b'<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Plain</title>'
    b'<link rel="icon" href="data:,"></head><body><h1>Plain</h1><a href="/two">two</a></body></html>'
)


class PlainPage(BaseHTTPRequestHandler):
    """A site without our widget: one page sets a cookie, and links to a second page."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.send_header("Set-Cookie", "visited=1; Path=/; Max-Age=86400")
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def plain_site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), PlainPage)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


@pytest.fixture
def site(make_site: Any) -> Site:
    site: Site = make_site()
    return site


def audit(action: str) -> list[AuditLog]:
    return list(db.session.scalars(select(AuditLog).where(AuditLog.action == action)))


def proposal(site: Site, item: Observed) -> dict[str, Any]:
    """The proposal a scan that saw `item` (in phase no_choice) makes, as the report holds it."""
    _, proposals = analyse(export_site(site), [PhaseResult("no_choice", items=[item])], 1_800_000_000.0)
    return asdict(proposals[0])


def cookie(
    name: str, state: str = "accepted", host: str = "www.example.nl", party: str = "first"
) -> Observed:
    return Observed("cookie", name, host, party, [state], "https://www.example.nl/", domain=host)


def declared(site: Site) -> dict[str, tuple[str, str]]:
    """name (storage) -> (service key, category) of every declared entry."""
    return {
        f"{c['name']} ({c.get('storage', 'cookie')})": (s["key"], s["category"])
        for s in export_site(site)["services"]
        for c in s["cookies"]
    }


# ---- starting scans ----------------------------------------------------------------------------------------


def test_start_scan_creates_a_running_scan_and_audits_who_asked(site: Site) -> None:
    scan = start_scan(db.session, site, "https://www.example.nl/#top", 5, "admin@example.nl")
    db.session.commit()
    assert (scan.status, scan.url, scan.max_pages, scan.requested_by) == (
        "running",
        "https://www.example.nl/",
        5,
        "admin@example.nl",
    )
    (entry,) = audit("scan.start")
    assert entry.actor == "admin@example.nl" and entry.details["scan_id"] == scan.id


def test_start_scan_refuses_a_second_scan_of_a_site_while_one_runs(site: Site) -> None:
    start_scan(db.session, site, "https://www.example.nl/")
    db.session.commit()
    with pytest.raises(Conflict, match="running already"):
        start_scan(db.session, site, "https://www.example.nl/")


def test_start_scan_marks_a_stale_running_scan_failed_and_starts_anew(site: Site) -> None:
    old = start_scan(
        db.session, site, "https://www.example.nl/", now=utcnow() - STALE_AFTER - timedelta(minutes=1)
    )
    db.session.commit()
    new = start_scan(db.session, site, "https://www.example.nl/")
    db.session.commit()
    assert (old.status, new.status) == ("failed", "running")
    assert old.error is not None and "interrupted" in old.error


@pytest.mark.parametrize(
    ("url", "pages"), [("ftp://example.nl/", 10), ("not a url", 10), ("https://a.nl/", 0)]
)
def test_start_scan_refuses_what_it_cannot_scan(site: Site, url: str, pages: int) -> None:
    with pytest.raises(InvalidInput):
        start_scan(db.session, site, url, pages)


def test_list_scans_shows_a_sites_scans_newest_first(site: Site) -> None:
    first = start_scan(db.session, site, "https://www.example.nl/a", now=utcnow() - STALE_AFTER * 2)
    second = start_scan(db.session, site, "https://www.example.nl/b")
    db.session.commit()
    assert [scan.id for scan in list_scans(db.session, site)] == [second.id, first.id]


# ---- running scans ---------------------------------------------------------------------------------------


def test_scan_in_the_background_stores_the_report_and_ends_done(
    app: Flask, site: Site, plain_site: str
) -> None:
    scan = start_scan(db.session, site, plain_site, 2, "admin@example.nl")
    db.session.commit()
    run_scan_in_background(app, scan.id, FAST).join(timeout=60)
    db.session.expire_all()
    done = db.session.get(Scan, scan.id)
    assert done is not None and done.status == "done" and done.finished_at is not None
    report = done.report or {}
    assert [phase["name"] for phase in report["phases"]] == ["no_choice", "reject", "accept"]
    assert [page["url"] for page in report["phases"][0]["pages"]] == [plain_site, plain_site + "two"]
    assert [f["name"] for f in report["findings"] if f["kind"] == "undeclared"] == ["visited"]
    assert report["phases"][1]["status"] == "skipped"  # no banner of ours to click


def test_scan_that_cannot_start_its_browser_ends_failed_with_the_reason(app: Flask, site: Site) -> None:
    scan = start_scan(db.session, site, "https://www.example.nl/")
    db.session.commit()
    broken = ScanOptions(chromium_path="/nonexistent/chromium")
    run_scan_in_background(app, scan.id, broken).join(timeout=60)
    db.session.expire_all()
    failed = db.session.get(Scan, scan.id)
    assert failed is not None and failed.status == "failed" and failed.report is None
    assert failed.error is not None and "/nonexistent/chromium" in failed.error


def test_execute_scan_refuses_a_scan_that_finished_already(site: Site) -> None:
    scan = start_scan(db.session, site, "https://www.example.nl/")
    scan.status = "done"
    db.session.commit()
    with pytest.raises(Conflict):
        execute_scan(db.session, scan.id, db.session.commit, FAST)


def test_cli_scan_prints_the_report_writes_json_and_stores_the_scan(
    app: Flask, site: Site, plain_site: str, tmp_path: Path
) -> None:
    path = tmp_path / "report.json"
    args = ["scan", plain_site, "--site", "example", "--pages", "1", "--timeout", "30", "--json", str(path)]
    result = app.test_cli_runner().invoke(args=args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"Cookie scan of {plain_site} for site 'example'" in result.output
    assert "UNDECLARED   cookie visited" in result.output
    report = json.loads(path.read_text(encoding="utf-8"))
    (scan,) = db.session.scalars(select(Scan))
    assert scan.status == "done" and scan.report == report and scan.requested_by == "cli"


def test_cli_scan_of_an_unknown_site_fails_clearly(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["scan", "https://a.nl/", "--site", "nope"])
    assert result.exit_code == 2 and "No site with key 'nope'" in result.output


# ---- adding proposals --------------------------------------------------------------------------------------


def test_add_proposals_adds_a_well_known_cookie_under_its_own_service_and_bumps_the_policy(
    site: Site,
) -> None:
    version = site.policy_version
    site, added = add_proposals(db.session, site, [proposal(site, cookie("_clck"))], "admin@example.nl")
    db.session.commit()
    assert added == ["_clck"]
    assert declared(site)["_clck (cookie)"] == ("microsoft-clarity", "analytics")
    service = next(s for s in site.services if s.key == "microsoft-clarity")
    assert service.provider == "Microsoft Ireland Operations Ltd." and set(service.texts) == {"nl", "en"}
    assert site.policy_version == version + 1
    (entry,) = audit("site.declaration.add")
    assert entry.actor == "admin@example.nl" and entry.details == {
        "added": ["_clck"],
        "policy_version": version + 1,
    }


def test_add_proposals_joins_the_sites_service_with_the_same_key(make_site: Any) -> None:
    # A site whose necessary service "consent" does not declare cs_queue: the scanner proposes it there.
    services = site_document()["services"]
    for service in services:
        service["cookies"] = [c for c in service["cookies"] if c["name"] != "cs_queue"]
    site = make_site(services=services)
    assert "cs_queue (local_storage)" not in declared(site)
    item = Observed(
        "local_storage", "cs_queue", "www.example.nl", "first", ["rejected"], "https://www.example.nl/"
    )
    site, _ = add_proposals(db.session, site, [proposal(site, item)], "admin@example.nl")
    assert declared(site)["cs_queue (local_storage)"] == ("consent", "necessary")


def test_add_proposals_creates_a_missing_category_with_standard_texts(app: Flask) -> None:
    site = create_site(db.session, "klein", "Klein", ["https://www.klein.nl"])
    site, _ = add_proposals(db.session, site, [proposal(site, cookie("_ga"))], "admin@example.nl")
    analytics = next(c for c in site.categories if c.key == "analytics")
    assert analytics.texts["nl"]["name"] == "Statistieken" and analytics.texts["en"]["name"] == "Statistics"


def test_add_proposals_names_an_unknown_first_party_service_after_the_site(site: Site) -> None:
    site, _ = add_proposals(db.session, site, [proposal(site, cookie("ab_variant"))], "admin@example.nl")
    service = next(s for s in site.services if s.key == "site-analytics")
    assert (service.name, service.provider, service.category.key) == ("Example", "Example", "analytics")


def test_add_proposals_refuses_a_proposal_that_breaks_a_rule_and_changes_nothing(site: Site) -> None:
    version = site.policy_version
    bad = proposal(site, cookie("_ga")) | {"category": "necessary"}  # EDPB-G
    with pytest.raises(RuleViolation, match="EDPB-G"):
        add_proposals(db.session, site, [bad], "admin@example.nl")
    db.session.rollback()
    kept = db.session.get(Site, site.id)
    assert kept is not None and kept.policy_version == version and "_ga (cookie)" not in declared(kept)


def test_add_proposals_refuses_a_proposal_of_an_unknown_shape(site: Site) -> None:
    with pytest.raises(InvalidInput):
        add_proposals(db.session, site, [{"name": "x"}], "admin@example.nl")


def test_add_proposals_twice_adds_once_and_bumps_the_policy_once(site: Site) -> None:
    clarity = proposal(site, cookie("_clck"))
    site, _ = add_proposals(db.session, site, [clarity], "admin@example.nl")
    version = site.policy_version
    site, added = add_proposals(db.session, site, [clarity], "admin@example.nl")
    assert added == [] and site.policy_version == version and len(audit("site.declaration.add")) == 1


def test_after_adding_a_scans_proposals_nothing_it_saw_is_undeclared(site: Site) -> None:
    items = [
        cookie("_clck", "none"),
        cookie("promo", "none"),
        cookie("IDE", "none", "ad.example.com", "third"),
    ]
    phases = [PhaseResult("no_choice", items=items)]
    _, proposals = analyse(export_site(site), phases, 1_800_000_000.0)
    site, _ = add_proposals(db.session, site, [asdict(p) for p in proposals], "admin@example.nl")
    findings, _ = analyse(export_site(site), phases, 1_800_000_000.0)
    assert [f.name for f in findings if f.kind == "undeclared"] == []


def test_proposals_from_scan_picks_by_id_and_refuses_an_unknown_one(site: Site) -> None:
    scan = start_scan(db.session, site, "https://www.example.nl/")
    scan.report = {"proposals": [proposal(site, cookie("_clck")), proposal(site, cookie("ab"))]}
    chosen = proposals_from_scan(scan, ["cookie:ab@"])
    assert [p["name"] for p in chosen] == ["ab"]
    with pytest.raises(InvalidInput):
        proposals_from_scan(scan, ["cookie:nope@"])
