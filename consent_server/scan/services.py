"""Scans as the admin UI and the CLI use them: start, run (in the background or now), add proposals.

A scan row is created `running` by `start_scan`, then `execute_scan` runs the browser and stores the
report (`done`) or the reason it could not run (`failed`). No database transaction stays open while the
browser runs (that takes minutes). In a web worker, `run_scan_in_background(app, scan.id)` runs it on a
thread with its own app context.

`add_proposals` adds proposed declaration entries from a report to the site's configuration: through
the same document, validation and rules as an import, with the policy version bumped (visitors are
asked again, as after any change to the declaration), and an audit entry.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from flask import Flask
from pydantic import Field, StringConstraints
from sqlalchemy import select

from ..errors import Conflict, InvalidInput, NotFound
from ..extensions import DBSession, db
from ..models import Scan, Site, record_audit
from ..sites.schemas import CATEGORY_KEY_PATTERN, NECESSARY, CookieDoc
from ..sites.services import export_site, import_site
from ..timeutil import isoformat, utcnow
from ..validation import Strict, validate
from .domains import normalise_url
from .driver import ScanError, ScanOptions, scan_site

log = logging.getLogger(__name__)

# A `running` scan older than this was cut off (its worker stopped); a new scan may replace it.
# Longer than the longest scan ScanOptions allows (30 minutes).
STALE_AFTER = timedelta(hours=1)
MAX_PAGES = 1_000
MAX_PROPOSALS = 200
# Texts for a category that a proposal needs and the site does not have yet.
CATEGORY_TEXTS: dict[str, dict[str, dict[str, str]]] = {
    "preferences": {
        "nl": {
            "name": "Voorkeuren",
            "description": "Onthouden uw instellingen, zoals taal en weergave, zodat u ze niet elke keer "
            "opnieuw hoeft te kiezen.",
        },
        "en": {
            "name": "Preferences",
            "description": "Remember your settings, such as language and display, so you do not have to "
            "choose them every time.",
        },
    },
    "analytics": {
        "nl": {
            "name": "Statistieken",
            "description": "Meten hoe bezoekers de website gebruiken, zodat we hem kunnen verbeteren.",
        },
        "en": {
            "name": "Statistics",
            "description": "Measure how visitors use the website, so we can improve it.",
        },
    },
    "marketing": {
        "nl": {
            "name": "Marketing en externe media",
            "description": "Inhoud en advertenties van derden. Deze partijen kunnen u volgen over "
            "websites heen.",
        },
        "en": {
            "name": "Marketing and external media",
            "description": "Content and ads from third parties. These parties may follow you across "
            "websites.",
        },
    },
}


def get_scan(session: DBSession, site: Site, scan_id: int) -> Scan:
    """One scan of this site. Raises NotFound (also for a scan of another site)."""
    scan = session.get(Scan, scan_id)
    if scan is None or scan.site_id != site.id:
        raise NotFound("No such scan for this site.", code="scan_not_found")
    return scan


def list_scans(session: DBSession, site: Site, limit: int = 50) -> list[Scan]:
    """The site's scans, newest first."""
    query = select(Scan).where(Scan.site_id == site.id).order_by(Scan.started_at.desc(), Scan.id.desc())
    return list(session.scalars(query.limit(limit)))


def start_scan(
    session: DBSession,
    site: Site,
    url: str,
    max_pages: int = 10,
    requested_by: str | None = None,
    *,
    now: datetime | None = None,
) -> Scan:
    """Create a `running` scan of a site (the caller commits, then runs it).

    Raises InvalidInput (not an http(s) URL, pages out of range) or Conflict (a scan of this site is
    running already). A `running` scan older than STALE_AFTER is marked failed instead.
    """
    now = now or utcnow()
    start = normalise_url(url) if len(url) <= 2048 else None
    if start is None:
        raise InvalidInput("The scan needs an http(s) URL.", fields={"url": "not an http(s) URL"})
    if not 1 <= max_pages <= MAX_PAGES:
        raise InvalidInput(
            f"A scan visits 1 to {MAX_PAGES} pages per phase.", fields={"max_pages": "out of range"}
        )
    running = session.scalars(select(Scan).where(Scan.site_id == site.id, Scan.status == "running"))
    for other in running:
        if other.started_at > now - STALE_AFTER:
            raise Conflict(
                f"A scan of this site is running already (since {isoformat(other.started_at)}).",
                code="scan_running",
            )
        other.status, other.finished_at = "failed", now
        other.error = "interrupted: the process running the scan stopped before it finished"
    scan = Scan(
        site_id=site.id,
        url=start,
        status="running",
        max_pages=max_pages,
        requested_by=requested_by,
        started_at=now,
    )
    session.add(scan)
    session.flush()
    record_audit(
        requested_by or "cli", "scan.start", site.key, scan_id=scan.id, url=start, max_pages=max_pages
    )
    return scan


def finish_scan(
    scan: Scan, *, report: dict[str, Any] | None = None, error: str | None = None, now: datetime | None = None
) -> None:
    """Store a scan's report (done) or the reason it failed."""
    scan.finished_at = now or utcnow()
    if report is not None:
        scan.status, scan.report, scan.error = "done", report, None
    else:
        scan.status, scan.error = "failed", (error or "the scan failed")[:2000]


def execute_scan(
    session: DBSession, scan_id: int, commit: Callable[[], None], options: ScanOptions | None = None
) -> Scan:
    """Run a `running` scan now and store its report or failure, committing through `commit`.

    `commit` is called once before the browser starts (so no transaction stays open for minutes) and
    once after the result is stored. A scan that cannot run ends `failed` with the reason; this raises
    only NotFound or Conflict (not a running scan).
    """
    scan = session.get(Scan, scan_id)
    if scan is None:
        raise NotFound("No such scan.", code="scan_not_found")
    if scan.status != "running":
        raise Conflict("This scan has finished already.", code="scan_finished")
    declaration, url = export_site(scan.site), scan.url
    options = replace(options or ScanOptions(), max_pages=scan.max_pages)
    commit()
    report: dict[str, Any] | None = None
    error: str | None = None
    try:
        report = scan_site(declaration, url, options)
    except ScanError as exc:
        error = str(exc)
    except Exception as exc:  # the row must not stay `running` whatever went wrong
        log.exception("scan %s failed unexpectedly", scan_id)
        error = f"unexpected error: {type(exc).__name__}"
    scan = session.get(Scan, scan_id) or scan
    finish_scan(scan, report=report, error=error)
    commit()
    return scan


def run_scan(app: Flask, scan_id: int, options: ScanOptions | None = None) -> None:
    """Run a started scan in its own app context (the target of the background thread)."""
    with app.app_context():
        try:
            execute_scan(db.session, scan_id, db.session.commit, options)
        except Exception:
            log.exception("scan %s could not be run", scan_id)
            db.session.rollback()
        finally:
            db.session.remove()


def run_scan_in_background(app: Flask, scan_id: int, options: ScanOptions | None = None) -> threading.Thread:
    """Start `run_scan` on a daemon thread (the admin UI's "scan now"); commit the started scan first."""
    thread = threading.Thread(
        target=run_scan, args=(app, scan_id, options), name=f"scan-{scan_id}", daemon=True
    )
    thread.start()
    return thread


# ---- proposals ---------------------------------------------------------------------------------------------


class ProposalDoc(Strict):
    """A proposal as the report holds it (matching.Proposal); the admin may have edited its texts."""

    id: str
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    storage: Literal["cookie", "local_storage", "session_storage"]
    domain: str | None = None
    duration_days: Annotated[int, Field(ge=0, le=400)]
    category: Annotated[str, StringConstraints(pattern=CATEGORY_KEY_PATTERN)]
    category_reason: str = ""
    provider: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None
    service_key: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
    service_name: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None
    service_purpose: dict[str, str]
    privacy_url: str | None = None
    purpose: dict[str, str]
    known: bool = False
    examples: list[str] = []
    review: list[str] = []


def proposals_from_scan(scan: Scan, ids: Iterable[str]) -> list[dict[str, Any]]:
    """The proposals of a finished scan with these ids. Raises InvalidInput for an id it does not hold."""
    wanted = list(dict.fromkeys(ids))
    held = {proposal["id"]: proposal for proposal in (scan.report or {}).get("proposals", [])}
    missing = [proposal_id for proposal_id in wanted if proposal_id not in held]
    if missing:
        raise InvalidInput("The scan has no such proposal.", fields={"proposals": ", ".join(missing)})
    return [held[proposal_id] for proposal_id in wanted]


def add_proposals(
    session: DBSession, site: Site, proposals: list[Mapping[str, Any]], actor: str
) -> tuple[Site, list[str]]:
    """Add proposed entries to the site's declaration; returns (site, names added).

    A proposal joins the site's service with its key in its category, else a service of the same
    provider in that category, else a new service; a missing category is created with standard texts.
    An entry the declaration holds already (same name and storage) is left out. The policy version goes
    up by one when anything was added. Raises InvalidInput or RuleViolation (e.g. EDPB-G: `_ga` as
    necessary) and changes nothing then.
    """
    if len(proposals) > MAX_PROPOSALS:
        raise InvalidInput(f"At most {MAX_PROPOSALS} proposals at once.", fields={"proposals": "too many"})
    parsed = [validate(ProposalDoc, proposal, "A proposal is not valid.") for proposal in proposals]
    doc = export_site(site)
    languages = list(doc["texts"])
    added: list[str] = []
    for proposal in parsed:
        declared = {
            (cookie["name"], cookie.get("storage", "cookie"))
            for service in doc["services"]
            for cookie in service["cookies"]
        }
        if (proposal.name, proposal.storage) in declared:
            continue
        _ensure_category(doc, proposal.category, languages)
        service = _service_for(doc, proposal, site.name, languages)
        cookie: dict[str, Any] = {
            "name": proposal.name,
            "storage": proposal.storage,
            "duration_days": proposal.duration_days,
            "texts": {lang: {"purpose": _text(proposal.purpose, lang)} for lang in languages},
        }
        if proposal.domain:
            cookie["domain"] = proposal.domain
        # One entry at a time through the schema, so a bad one is named by its proposal id.
        validate(CookieDoc, cookie, f"Proposal {proposal.id} is not a valid declaration entry.")
        service["cookies"].append(cookie)
        added.append(
            proposal.name if proposal.storage == "cookie" else f"{proposal.name} ({proposal.storage})"
        )
    if not added:
        return site, []
    doc["policy_version"] = site.policy_version + 1
    site, _ = import_site(session, doc)
    record_audit(actor, "site.declaration.add", site.key, added=added, policy_version=site.policy_version)
    return site, added


def _text(texts: Mapping[str, str], lang: str) -> str:
    text = (texts.get(lang) or texts.get("en") or texts.get("nl") or "").strip()
    return text or "-"


def _ensure_category(doc: dict[str, Any], key: str, languages: list[str]) -> None:
    if any(category["key"] == key for category in doc["categories"]):
        return
    texts = CATEGORY_TEXTS.get(key)
    if texts is None:
        raise InvalidInput(
            f"The site has no category {key!r}; create it first, or choose another category.",
            fields={"category": f"unknown category {key!r}"},
        )
    doc["categories"].append(
        {
            "key": key,
            "legal_basis": "necessary" if key == NECESSARY else "consent",
            "texts": {lang: dict(texts[lang]) for lang in languages},
        }
    )


def _service_for(
    doc: dict[str, Any], proposal: ProposalDoc, site_name: str, languages: list[str]
) -> dict[str, Any]:
    provider = proposal.provider or site_name
    services: list[dict[str, Any]] = doc["services"]
    in_category = [service for service in services if service["category"] == proposal.category]
    for service in in_category:
        if service["key"] == proposal.service_key:
            return service
    for service in in_category:
        if service["provider"] == provider:
            return service
    taken = {service["key"] for service in services}
    key = proposal.service_key
    if key in taken:
        key = f"{proposal.service_key}-{proposal.category}"[:64]
    suffix = 2
    while key in taken:
        key = f"{proposal.service_key[:58]}-{suffix}"
        suffix += 1
    created: dict[str, Any] = {
        "key": key,
        "category": proposal.category,
        "name": proposal.service_name or site_name,
        "provider": provider,
        "legal_basis": "necessary" if proposal.category == NECESSARY else "consent",
        "texts": {lang: {"purpose": _text(proposal.service_purpose, lang)} for lang in languages},
        "cookies": [],
    }
    if proposal.privacy_url:
        created["privacy_url"] = proposal.privacy_url
    services.append(created)
    return created
