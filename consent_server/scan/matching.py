"""What a scan found, held against what the site declared: findings, most serious first, and proposals.

Pure functions over plain data: the browser driver produces `PhaseResult`s, `analyse` turns them and the
site's declaration (its configuration document, as `export_site` gives it) into findings and proposals.

Consent states: everything observed is tagged with the state the visitor was in when it was written or
requested: "none" (no choice made yet), "rejected" (after "reject all"), "accepted" (after "accept all").

Findings, most serious first:
1. `stored_without_consent` (critical): a cookie or storage key written in state none or rejected that
   is not `necessary`: declared under another category, or undeclared and a well-known non-necessary
   cookie, or undeclared and set by a third party.
2. `third_party_request_without_consent` (high): a request to another site in state none or rejected.
   Requests to the consent server that serves the widget are infrastructure, never a finding.
3. `undeclared` (medium): a cookie or storage key that no declaration entry matches; each comes with a
   proposed declaration entry.
4. `declared_not_seen` (low): a declaration entry that nothing in any phase matched.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

from ..paths import PACKAGE_DIR
from .domains import domain_matches, registrable_domain

KNOWN_COOKIES_FILE = PACKAGE_DIR / "data" / "known_cookies.json"
NECESSARY = "necessary"
STATES = ("none", "rejected", "accepted")
WITHOUT_CONSENT = frozenset({"none", "rejected"})
STATE_WORDS = {"none": "before a choice", "rejected": "after reject all", "accepted": "after accept all"}
PHASES = ("no_choice", "reject", "accept")
SEVERITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3}
STORAGE_WORDS = {
    "cookie": "cookie",
    "local_storage": "localStorage key",
    "session_storage": "sessionStorage key",
}
# What a declaration entry's name may hold (the site schema's rule); anything else becomes `*`.
DECLARABLE_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
NOT_DECLARABLE_RUN = re.compile(r"[^!#$%&'*+\-.^_`|~0-9A-Za-z]+")
MAX_NAME_LENGTH = 200
MAX_DURATION_DAYS = 400  # the schema's limit and Chrome's cap on cookie lifetime
LOCAL_STORAGE_DAYS = 365  # localStorage never expires by itself; a year is proposed, to be checked
UNKNOWN_PURPOSE = {
    "nl": "Gevonden door de cookiescanner; het doel is nog niet beschreven.",
    "en": "Found by the cookie scanner; its purpose has not been described yet.",
}


# ---- what the driver observed ---------------------------------------------------------------------------


@dataclass
class Observed:
    """A cookie or storage key as one phase saw it."""

    storage: str  # cookie | local_storage | session_storage
    name: str
    host: str  # the cookie's domain without its leading dot, or the storage's origin host
    party: str  # first | third
    states: list[str]  # consent states in which it was written
    first_url: str  # the page it was first seen on
    domain: str | None = None  # the cookie's Domain as the browser keeps it (".example.nl", "127.0.0.1")
    path: str | None = None
    origin: str | None = None  # storage only
    expires: float | None = None  # Unix time; None for a session cookie or storage
    http_only: bool | None = None
    secure: bool | None = None
    same_site: str | None = None
    set_by: list[str] = field(default_factory=list)  # "http", "script"; empty when not visible


@dataclass
class RequestSeen:
    """Requests to one origin in one consent state during a phase."""

    origin: str
    host: str
    party: str  # first | third
    state: str
    types: list[str]  # Playwright resource types: script, image, xhr, fetch, document, stylesheet...
    count: int
    examples: list[str]  # the first few URLs requested, without their query strings
    first_url: str  # the page it was requested from
    consent_server: bool = False  # the origin that serves the widget: infrastructure, never a finding


@dataclass
class PageVisit:
    url: str
    state: str
    final_url: str | None = None  # where the page ended up, when it redirected
    status: int | None = None
    error: str | None = None
    js_errors: int = 0
    duration_ms: int = 0


@dataclass
class PhaseResult:
    name: str  # no_choice | reject | accept
    status: str = "done"  # done | partial | skipped
    reason: str | None = None
    choice_made: bool = False
    pages: list[PageVisit] = field(default_factory=list)
    items: list[Observed] = field(default_factory=list)
    requests: list[RequestSeen] = field(default_factory=list)
    duration_s: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


# ---- what the site declared and what is well known ----------------------------------------------------


@dataclass(frozen=True)
class Declared:
    """One cookie or storage entry of the site's declaration."""

    name: str
    storage: str
    domain: str | None
    service: str
    category: str

    @property
    def label(self) -> str:
        return f"{self.name} ({self.service}, {self.category})"


@dataclass(frozen=True)
class Known:
    """A well-known cookie or storage key, from data/known_cookies.json."""

    name: str
    storage: str
    duration_days: int
    purpose: Mapping[str, str]
    domains: tuple[str, ...]
    service_key: str
    service_name: str
    provider: str | None  # None: the site itself
    category: str
    service_purpose: Mapping[str, str]
    privacy_url: str | None


def name_matches(pattern: str, name: str) -> bool:
    """Declaration matching: `*` stands for any run of characters; everything else is literal."""
    if "*" not in pattern:
        return pattern == name
    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(regex, name, flags=re.DOTALL) is not None


def declared_entries(declaration: Mapping[str, Any]) -> list[Declared]:
    """Every cookie entry of a configuration document, with its service and category."""
    return [
        Declared(
            name=cookie["name"],
            storage=cookie.get("storage", "cookie"),
            domain=cookie.get("domain"),
            service=service["key"],
            category=service["category"],
        )
        for service in declaration.get("services", [])
        for cookie in service.get("cookies", [])
    ]


@lru_cache(maxsize=1)
def known_cookies() -> tuple[Known, ...]:
    data = json.loads(KNOWN_COOKIES_FILE.read_text(encoding="utf-8"))
    return tuple(
        Known(
            name=cookie["name"],
            storage=cookie.get("storage", "cookie"),
            duration_days=cookie["duration_days"],
            purpose=cookie["purpose"],
            domains=tuple(cookie.get("domains", ())),
            service_key=service["key"],
            service_name=service["name"],
            provider=service.get("provider"),
            category=service["category"],
            service_purpose=service["purpose"],
            privacy_url=service.get("privacy_url"),
        )
        for service in data["services"]
        for cookie in service["cookies"]
    )


def _best(candidates: list[Any], name: str) -> Any:
    # An exact name beats a pattern; a longer pattern beats a shorter one (`_ga_*` over `_ga*`).
    return sorted(candidates, key=lambda entry: (entry.name != name, -len(entry.name)))[0]


def match_declared(storage: str, name: str, host: str, entries: Iterable[Declared]) -> Declared | None:
    """The declaration entry for an observed cookie or key: same storage and a matching name.

    An entry whose domain covers the host is preferred, then one without a domain, then one whose
    domain differs (declarations often name the domain loosely: `www.` or not, `.youtube.com`).
    """
    candidates = [e for e in entries if e.storage == storage and name_matches(e.name, name)]
    if not candidates:
        return None
    for rank in (
        lambda e: e.domain is not None and domain_matches(host, e.domain),
        lambda e: e.domain is None,
        lambda e: True,
    ):
        chosen = [entry for entry in candidates if rank(entry)]
        if chosen:
            return _best(chosen, name)
    return None  # pragma: no cover - the last rank takes every candidate


def match_known(storage: str, name: str, host: str) -> Known | None:
    """The well-known cookie or key this is, if any (entries with `domains` only on those hosts)."""
    candidates = [
        known
        for known in known_cookies()
        if known.storage == storage
        and name_matches(known.name, name)
        and (not known.domains or any(domain_matches(host, domain) for domain in known.domains))
    ]
    return _best(candidates, name) if candidates else None


# ---- findings and proposals -----------------------------------------------------------------------------


@dataclass
class Finding:
    kind: str  # stored_without_consent | third_party_request_without_consent | undeclared | declared_not_seen
    severity: str  # critical | high | medium | low
    message: str
    storage: str | None = None
    name: str | None = None
    host: str | None = None
    party: str | None = None
    when: list[str] = field(default_factory=list)  # consent states
    phases: list[str] = field(default_factory=list)
    category: str | None = None  # as declared, else as well known
    declared_as: str | None = None
    known_as: str | None = None
    set_by: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)  # requests only
    count: int = 0  # requests only
    first_url: str | None = None
    proposal: str | None = None  # id of the proposal for an undeclared item


@dataclass
class Proposal:
    """A declaration entry for an undeclared cookie or key, to be added by an admin (add_proposals)."""

    id: str
    name: str
    storage: str
    domain: str | None
    duration_days: int
    category: str
    category_reason: str
    provider: str | None  # None: the site itself
    service_key: str
    service_name: str | None  # None: named after the site
    service_purpose: dict[str, str]
    privacy_url: str | None
    purpose: dict[str, str]
    known: bool
    examples: list[str]
    review: list[str]  # what an admin should check before adding it


@dataclass
class _Seen:
    """One cookie or key over all phases."""

    storage: str
    name: str
    host: str
    party: str
    states: set[str] = field(default_factory=set)
    phases: list[str] = field(default_factory=list)
    set_by: set[str] = field(default_factory=set)
    first_url: str = ""
    domain: str | None = None
    expires: float | None = None


def _merge_items(phases: Iterable[PhaseResult]) -> list[_Seen]:
    merged: dict[tuple[str, str, str], _Seen] = {}
    for phase in phases:
        for item in phase.items:
            key = (item.storage, item.name, item.host)
            seen = merged.get(key)
            if seen is None:
                seen = merged[key] = _Seen(item.storage, item.name, item.host, item.party)
                seen.first_url, seen.domain = item.first_url, item.domain
            seen.states.update(item.states)
            if phase.name not in seen.phases:
                seen.phases.append(phase.name)
            seen.set_by.update(item.set_by)
            if item.expires is not None:
                seen.expires = max(seen.expires or 0.0, item.expires)
    return list(merged.values())


def _ordered_states(states: Iterable[str]) -> list[str]:
    return [state for state in STATES if state in set(states)]


def _when(states: Iterable[str]) -> str:
    return " and ".join(STATE_WORDS[state] for state in _ordered_states(states))


def _describe(seen: _Seen) -> str:
    how = f", set by {' and '.join(sorted(s.upper() if s == 'http' else s for s in seen.set_by))}"
    return (
        f"{STORAGE_WORDS[seen.storage]} {seen.name} ({seen.host}, {seen.party} party"
        f"{how if seen.set_by else ''})"
    )


def declarable_name(name: str) -> str | None:
    """The name as a declaration can hold it (other characters become `*`), or None if too little is left."""
    if DECLARABLE_NAME.match(name) and len(name) <= MAX_NAME_LENGTH:
        return name
    pattern = re.sub(r"\*+", "*", NOT_DECLARABLE_RUN.sub("*", name))
    if len(pattern) > MAX_NAME_LENGTH:
        pattern = pattern[: MAX_NAME_LENGTH - 1] + "*"
    return pattern if len(pattern.replace("*", "")) >= 3 else None


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")
    return slug if slug and slug[0].isalnum() else f"s-{slug}".rstrip("-")


def _duration(seen: _Seen, scanned_at: float) -> int:
    if seen.storage == "session_storage":
        return 0
    if seen.storage == "local_storage":
        return LOCAL_STORAGE_DAYS
    if seen.expires is None:
        return 0
    days = math.ceil((seen.expires - scanned_at) / 86400)
    return max(1, min(MAX_DURATION_DAYS, days))


def propose(seen: _Seen, known: Known | None, scanned_at: float) -> Proposal | None:
    """A declaration entry for an undeclared item; None when its name cannot be declared."""
    name = known.name if known else declarable_name(seen.name)
    if name is None:
        return None
    third = seen.party == "third"
    # Third-party entries name their domain; first-party ones fall under the site's cookie domain.
    domain = None
    if third:
        domain = (seen.domain or seen.host) if seen.storage == "cookie" else seen.host
    review: list[str] = []
    if known:
        category, reason = known.category, f"well known: {known.service_name}"
        provider, service_key, service_name = known.provider, known.service_key, known.service_name
        purpose, service_purpose = dict(known.purpose), dict(known.service_purpose)
        duration, privacy_url = known.duration_days, known.privacy_url
    else:
        site = registrable_domain(seen.host)
        if third:
            category = "marketing"
            reason = "an unknown third party: it can recognise visitors across sites"
            provider, service_key, service_name = site, _slug(site), site
        elif seen.states & WITHOUT_CONSENT:
            category = NECESSARY
            when = _when(seen.states & WITHOUT_CONSENT)
            reason = f"written {when}: necessary only if the site cannot work without it"
            provider, service_key, service_name = None, "site-necessary", None
            review.append("category")
        else:
            category, reason = "analytics", "first written after accept all"
            provider, service_key, service_name = None, "site-analytics", None
            review.append("category")
        purpose, service_purpose = dict(UNKNOWN_PURPOSE), dict(UNKNOWN_PURPOSE)
        duration, privacy_url = _duration(seen, scanned_at), None
        review.append("purpose")
        if seen.storage == "local_storage":
            review.append("duration")
    return Proposal(
        id=f"{seen.storage}:{name}@{domain or ''}",
        name=name,
        storage=seen.storage,
        domain=domain,
        duration_days=duration,
        category=category,
        category_reason=reason,
        provider=provider,
        service_key=service_key,
        service_name=service_name,
        service_purpose=service_purpose,
        privacy_url=privacy_url,
        purpose=purpose,
        known=known is not None,
        examples=[seen.name],
        review=review,
    )


def _item_finding(
    kind: str,
    severity: str,
    message: str,
    when: Iterable[str],
    seen: _Seen,
    declared: Declared | None,
    known: Known | None,
) -> Finding:
    return Finding(
        kind=kind,
        severity=severity,
        message=message,
        storage=seen.storage,
        name=seen.name,
        host=seen.host,
        party=seen.party,
        when=_ordered_states(when),
        phases=list(seen.phases),
        category=declared.category if declared else known.category if known else None,
        declared_as=declared.label if declared else None,
        known_as=known.service_name if known else None,
        set_by=sorted(seen.set_by),
        first_url=seen.first_url,
    )


def analyse(
    declaration: Mapping[str, Any], phases: list[PhaseResult], scanned_at: float
) -> tuple[list[Finding], list[Proposal]]:
    """Findings (most serious first) and proposals for a scan's phases against the site's declaration."""
    entries = declared_entries(declaration)
    findings: list[Finding] = []
    proposals: dict[str, Proposal] = {}
    matched: set[Declared] = set()

    for seen in _merge_items(phases):
        declared = match_declared(seen.storage, seen.name, seen.host, entries)
        known = match_known(seen.storage, seen.name, seen.host)
        if declared:
            matched.add(declared)
        category = declared.category if declared else known.category if known else None

        unlawful = seen.states & WITHOUT_CONSENT
        if unlawful and (
            (category is not None and category != NECESSARY) or (category is None and seen.party == "third")
        ):
            if declared:
                why = f"declared as {declared.category}"
            elif known:
                why = f"not declared; well known as {known.category} ({known.service_name})"
            else:
                why = "not declared; a third party"
            message = f"{_describe(seen)}, {why}, was written {_when(unlawful)}"
            findings.append(
                _item_finding("stored_without_consent", "critical", message, unlawful, seen, declared, known)
            )
        if declared is None:
            proposal = propose(seen, known, scanned_at)
            note = ""
            if proposal is None:
                note = "; its name cannot be declared (too few characters a declaration can hold)"
            elif proposal.id in proposals:
                proposals[proposal.id].examples.append(seen.name)
            else:
                proposals[proposal.id] = proposal
            if unlawful and category is None and seen.party == "first":
                note += "; written without consent, so it must be strictly necessary"
            message = (
                f"{_describe(seen)} is not in the declaration; seen {_when(seen.states)}, first on "
                f"{seen.first_url}{note}"
            )
            finding = _item_finding("undeclared", "medium", message, seen.states, seen, declared, known)
            finding.proposal = proposal.id if proposal else None
            findings.append(finding)

    findings.extend(_request_findings(phases))

    accept = next((phase for phase in phases if phase.name == "accept"), None)
    caveat = ""
    if not (accept and accept.choice_made):
        caveat = " (the accept phase did not run: consent was never given)"
    for entry in entries:
        if entry not in matched:
            where = f" on {entry.domain}" if entry.domain else ""
            findings.append(
                Finding(
                    kind="declared_not_seen",
                    severity="low",
                    message=f"declared {STORAGE_WORDS[entry.storage]} {entry.name}{where} (service "
                    f"{entry.service}, {entry.category}) was never seen{caveat}",
                    storage=entry.storage,
                    name=entry.name,
                    host=entry.domain,
                    category=entry.category,
                    declared_as=entry.label,
                )
            )

    findings.sort(key=lambda f: (SEVERITY_RANK[f.severity], f.name or f.host or "", f.host or ""))
    return findings, list(proposals.values())


def _request_findings(phases: Iterable[PhaseResult]) -> list[Finding]:
    by_host: dict[str, Finding] = {}
    examples: dict[str, list[str]] = {}
    for phase in phases:
        for request in phase.requests:
            if request.party != "third" or request.consent_server or request.state not in WITHOUT_CONSENT:
                continue
            finding = by_host.get(request.host)
            if finding is None:
                finding = by_host[request.host] = Finding(
                    kind="third_party_request_without_consent",
                    severity="high",
                    message="",
                    host=request.host,
                    party="third",
                    first_url=request.first_url,
                )
                examples[request.host] = []
            finding.when = _ordered_states([*finding.when, request.state])
            if phase.name not in finding.phases:
                finding.phases.append(phase.name)
            finding.types = sorted({*finding.types, *request.types})
            finding.count += request.count
            for example in request.examples:
                if example not in examples[request.host]:
                    examples[request.host].append(example)
    for host, finding in by_host.items():
        shown = ", ".join(examples[host][:3]) + (" ..." if len(examples[host]) > 3 else "")
        finding.message = (
            f"{host} (third party) was requested {_when(finding.when)}: {', '.join(finding.types)} "
            f"({finding.count} request{'s' if finding.count != 1 else ''}; {shown})"
        )
    return list(by_host.values())


def summary(findings: Iterable[Finding]) -> dict[str, int]:
    counts = {
        "stored_without_consent": 0,
        "third_party_request_without_consent": 0,
        "undeclared": 0,
        "declared_not_seen": 0,
    }
    for finding in findings:
        counts[finding.kind] += 1
    return counts
