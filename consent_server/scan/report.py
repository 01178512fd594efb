"""A scan report as text, for the command line: phases, findings most serious first, proposals, pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SEVERITY_LABELS = {"critical": "VIOLATION", "high": "THIRD PARTY", "medium": "UNDECLARED", "low": "NOT SEEN"}
KIND_WORDS = {
    "stored_without_consent": "stored without consent",
    "third_party_request_without_consent": "third-party host requested without consent",
    "undeclared": "undeclared",
    "declared_not_seen": "declared but never seen",
}
STORAGE_WORDS = {"cookie": "cookie", "local_storage": "localStorage", "session_storage": "sessionStorage"}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _duration(days: int) -> str:
    return "until the browser closes" if days == 0 else _plural(days, "day")


def _phase_line(phase: Mapping[str, Any]) -> str:
    items = phase.get("items", [])
    cookies = sum(1 for item in items if item["storage"] == "cookie")
    keys = len(items) - cookies
    third = {
        r["host"] for r in phase.get("requests", []) if r["party"] == "third" and not r["consent_server"]
    }
    pages = _plural(len(phase.get("pages", [])), "page")
    line = (
        f"  {phase['name']:<10} {phase['status']:<8} {pages:>9} {phase.get('duration_s', 0):6.1f} s   "
        f"{_plural(cookies, 'cookie')}, {_plural(keys, 'storage key')}, "
        f"{_plural(len(third), 'third-party host')}"
    )
    if phase.get("reason"):
        line += f"\n  {'':<10} {phase['reason']}"
    return line


def render_text(report: Mapping[str, Any]) -> str:
    """The report as an operator reads it in a terminal."""
    phases = report.get("phases", [])
    limits = report["limits"]
    pages = sum(len(phase.get("pages", [])) for phase in phases)
    lines = [
        f"Cookie scan of {report['url']} for site {report['site']!r}: "
        f"{report.get('duration_s', 0):.1f} s, {_plural(pages, 'page')} in {_plural(len(phases), 'phase')}",
        f"  limits: {limits['max_pages']} pages per phase, {limits['timeout_s']:.0f} s in all, "
        f"{limits['page_timeout_s']:.0f} s per page",
    ]
    if report.get("consent_origins"):
        lines.append(f"  consent server (not a third party): {', '.join(report['consent_origins'])}")
    lines += ["", "Phases:"] + [_phase_line(phase) for phase in phases]

    findings = report.get("findings", [])
    counts = report.get("summary", {})
    lines.append("")
    unfinished = [phase["name"] for phase in phases if phase["status"] != "done"]
    if not findings:
        lines.append(
            "No findings: nothing but necessary storage without consent, no third party contacted without "
            "consent, everything seen is declared and everything declared was seen."
        )
        if unfinished:
            lines.append(
                f"  But not every phase ran to its end ({', '.join(unfinished)}): see the phases above."
            )
    else:
        parts = [f"{count} {KIND_WORDS[kind]}" for kind, count in counts.items() if count]
        lines.append(f"Findings, most serious first ({', '.join(parts)}):")
        for finding in findings:
            lines.append(f"  {SEVERITY_LABELS[finding['severity']]:<12} {finding['message']}")

    proposals = report.get("proposals", [])
    if proposals:
        lines += ["", f"Proposed declaration entries ({len(proposals)}; an admin can add them in one click):"]
        for proposal in proposals:
            where = f" on {proposal['domain']}" if proposal.get("domain") else ""
            check = f"; check: {', '.join(proposal['review'])}" if proposal.get("review") else ""
            lines.append(
                f"  {STORAGE_WORDS[proposal['storage']]} {proposal['name']}{where} -> {proposal['category']} "
                f"({proposal['category_reason']}), {_duration(proposal['duration_days'])}, service "
                f"{proposal['service_key']}{check}"
            )

    troubled = [
        (phase["name"], page)
        for phase in phases
        for page in phase.get("pages", [])
        if page.get("error") or (page.get("status") or 0) >= 400 or page.get("js_errors")
    ]
    if troubled:
        lines += ["", "Pages with problems:"]
        for name, page in troubled:
            problems = [page["error"]] if page.get("error") else []
            if (page.get("status") or 0) >= 400:
                problems.append(f"HTTP {page['status']}")
            if page.get("js_errors"):
                problems.append(_plural(page["js_errors"], "script error"))
            lines.append(f"  {name:<10} {page['url']}: {'; '.join(problems)}")
    return "\n".join(lines)
