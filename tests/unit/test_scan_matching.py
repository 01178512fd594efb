"""The scanner's pure logic: parties and URLs, declaration matching, findings, proposals (no browser)."""

from __future__ import annotations

from typing import Any

import pytest

from consent_server.scan.domains import crawl_target, normalise_url, registrable_domain
from consent_server.scan.driver import deletes_cookie
from consent_server.scan.matching import (
    Observed,
    PhaseResult,
    RequestSeen,
    analyse,
    declarable_name,
    declared_entries,
    known_cookies,
    match_declared,
    match_known,
    name_matches,
)
from consent_server.sites.schemas import NECESSARY, is_known_non_essential

SITE = "https://www.gemeente.nl"
NOW = 1_800_000_000.0
DAY = 86_400


def declaration(*services: dict[str, Any]) -> dict[str, Any]:
    return {"key": "gemeente", "name": "Gemeente", "origins": [SITE], "services": list(services)}


def service(key: str, category: str, *cookies: dict[str, Any], provider: str = "Gemeente") -> dict[str, Any]:
    return {"key": key, "category": category, "provider": provider, "cookies": list(cookies)}


def entry(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "duration_days": 30, **extra}


def cookie(
    name: str, *states: str, host: str = "gemeente.nl", party: str = "first", **extra: Any
) -> Observed:
    return Observed("cookie", name, host, party, list(states), f"{SITE}/", domain=host, **extra)


def key(name: str, storage: str, *states: str, host: str = "www.gemeente.nl") -> Observed:
    return Observed(storage, name, host, "first", list(states), f"{SITE}/", origin=f"https://{host}")


def phases(
    *items: Observed, requests: tuple[RequestSeen, ...] = (), accepted: bool = True
) -> list[PhaseResult]:
    """One no_choice phase with the items; reject and accept phases that made their choice."""
    return [
        PhaseResult("no_choice", items=list(items), requests=list(requests)),
        PhaseResult("reject", choice_made=True),
        PhaseResult("accept", choice_made=accepted),
    ]


def kinds(findings: list[Any], kind: str) -> list[str]:
    return [finding.name or finding.host for finding in findings if finding.kind == kind]


GA = service("ga", "analytics", entry("_ga"), entry("_ga_*"), provider="Google")
CONSENT = service("consent", NECESSARY, entry("cs_consent"), entry("cs_consent", storage="local_storage"))


# ---- parties and URLs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "site"),
    [
        ("www.gemeente.nl", "gemeente.nl"),
        ("afspraak.gemeente.nl", "gemeente.nl"),
        ("stats.g.doubleclick.net", "doubleclick.net"),
        ("www.bbc.co.uk", "bbc.co.uk"),
        ("127.0.0.1", "127.0.0.1"),
        ("tracker.localhost", "tracker.localhost"),
        ("localhost", "localhost"),
        (".youtube.com", "youtube.com"),
    ],
)
def test_registrable_domain_groups_hosts_into_sites(host: str, site: str) -> None:
    assert registrable_domain(host) == site


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("/diensten#afval", f"{SITE}/diensten"),
        ("diensten?x=1#top", f"{SITE}/a/diensten?x=1"),
        ("HTTPS://WWW.GEMEENTE.NL:443/b", f"{SITE}/b"),
        ("mailto:info@gemeente.nl", None),
        ("tel:+31201234567", None),
        ("javascript:void(0)", None),
        ("/jaarverslag.PDF", None),
        ("/kaart.png", None),
        ("https://www.google.com/maps", None),
        ("http://www.gemeente.nl/insecure", None),
    ],
)
def test_crawl_follows_only_same_origin_pages_normalised(href: str, expected: str | None) -> None:
    assert crawl_target(href, f"{SITE}/a/b", frozenset({SITE})) == expected


def test_normalise_url_drops_the_fragment_and_keeps_the_query() -> None:
    assert normalise_url("https://Example.nl/p?q=1#x") == "https://example.nl/p?q=1"


@pytest.mark.parametrize(
    ("line", "deletes"),
    [
        ("_ga=GA1.1.1; Path=/; Max-Age=63072000", False),
        ("_ga=; Path=/; Max-Age=0", True),
        ("_ga=x; max-age=-1", True),
        ("_ga=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT", True),
        ("_ga=x; Expires=Fri, 01 Jan 2100 00:00:00 GMT", False),
        ("_ga=x; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT", False),  # Max-Age wins
        ("sid=abc; HttpOnly", False),
        ("sid=abc; Expires=not a date", False),
    ],
)
def test_a_set_cookie_that_removes_its_cookie_is_not_counted_as_a_write(line: str, deletes: bool) -> None:
    assert deletes_cookie(line) is deletes


# ---- matching ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "name", "matches"),
    [
        ("_ga", "_ga", True),
        ("_ga", "_gat", False),
        ("_ga_*", "_ga_ABC123", True),
        ("_ga_*", "_ga", False),
        ("_pk_id.*", "_pk_id.1.abcd", True),
        ("_pk_id.*", "_pk_idX1", False),
        ("a*b*c", "a-x-b-y-c", True),
        ("_hj[x]", "_hjx", False),
    ],
)
def test_declared_names_match_exactly_or_with_star_wildcards_only(
    pattern: str, name: str, matches: bool
) -> None:
    assert name_matches(pattern, name) is matches


def test_match_declared_prefers_an_exact_name_over_a_pattern() -> None:
    entries = declared_entries(declaration(service("a", "analytics", entry("_ga*")), GA))
    found = match_declared("cookie", "_ga", "gemeente.nl", entries)
    assert found is not None and found.name == "_ga" and found.service == "ga"


def test_match_declared_prefers_the_entry_whose_domain_covers_the_host() -> None:
    entries = declared_entries(
        declaration(
            service("own", "preferences", entry("lang")),
            service("li", "marketing", entry("lang", domain=".linkedin.com")),
        )
    )
    assert match_declared("cookie", "lang", "www.linkedin.com", entries).service == "li"  # type: ignore[union-attr]
    assert match_declared("cookie", "lang", "gemeente.nl", entries).service == "own"  # type: ignore[union-attr]


def test_match_declared_keeps_cookies_and_storage_apart() -> None:
    entries = declared_entries(declaration(service("s", NECESSARY, entry("token", storage="local_storage"))))
    assert match_declared("cookie", "token", "gemeente.nl", entries) is None
    assert match_declared("local_storage", "token", "gemeente.nl", entries) is not None


def test_match_known_limits_generic_names_to_their_domains() -> None:
    assert match_known("cookie", "NID", "gemeente.nl") is None
    found = match_known("cookie", "NID", "google.com")
    assert found is not None and found.category == "marketing"


def test_match_known_finds_patterns_of_well_known_cookies() -> None:
    found = match_known("cookie", "_hjSessionUser_123456", "gemeente.nl")
    assert found is not None and (found.name, found.category) == ("_hjSessionUser_*", "analytics")


def test_no_well_known_necessary_cookie_is_one_the_site_rules_call_non_essential() -> None:
    # A proposal of one of these as `necessary` would be refused by rule EDPB-G when added.
    wrong = [k.name for k in known_cookies() if k.category == NECESSARY and is_known_non_essential(k.name)]
    assert wrong == []


def test_every_well_known_cookie_has_a_category_the_product_knows_and_both_languages() -> None:
    for known in known_cookies():
        assert known.category in {"necessary", "preferences", "analytics", "marketing"}, known.name
        assert set(known.purpose) == {"nl", "en"} and set(known.service_purpose) == {"nl", "en"}, known.name
        assert 0 <= known.duration_days <= 400, known.name


@pytest.mark.parametrize(
    ("name", "declared"),
    [("_ga", "_ga"), ("user:prefs", "user*prefs"), ("a b c d", "a*b*c*d"), ("::", None), ("é", None)],
)
def test_declarable_name_turns_characters_a_declaration_cannot_hold_into_stars(
    name: str, declared: str | None
) -> None:
    assert declarable_name(name) == declared


# ---- findings ----------------------------------------------------------------------------------------------


def test_declared_analytics_cookie_written_before_a_choice_is_a_violation() -> None:
    findings, _ = analyse(declaration(GA), phases(cookie("_ga", "none")), NOW)
    (violation,) = [f for f in findings if f.kind == "stored_without_consent"]
    assert (violation.name, violation.severity, violation.when) == ("_ga", "critical", ["none"])
    assert "declared as analytics" in violation.message and "before a choice" in violation.message


def test_cookie_matching_a_declared_pattern_written_after_reject_is_a_violation() -> None:
    findings, _ = analyse(declaration(GA), phases(cookie("_ga_ABC123", "rejected")), NOW)
    assert kinds(findings, "stored_without_consent") == ["_ga_ABC123"]
    assert kinds(findings, "undeclared") == []


def test_declared_analytics_cookie_written_only_after_accept_is_fine() -> None:
    findings, _ = analyse(declaration(GA, service("x", "analytics")), phases(cookie("_ga", "accepted")), NOW)
    assert kinds(findings, "stored_without_consent") == []


def test_necessary_cookie_written_before_a_choice_is_fine() -> None:
    items = [cookie("cs_consent", "rejected"), key("cs_consent", "local_storage", "rejected")]
    findings, _ = analyse(declaration(CONSENT), phases(*items), NOW)
    assert findings == []


def test_undeclared_well_known_tracking_cookie_before_a_choice_is_a_violation_and_undeclared() -> None:
    findings, proposals = analyse(declaration(), phases(cookie("_clck", "none")), NOW)
    assert kinds(findings, "stored_without_consent") == ["_clck"]
    assert kinds(findings, "undeclared") == ["_clck"]
    assert proposals[0].category == "analytics" and proposals[0].service_key == "microsoft-clarity"


def test_undeclared_unknown_third_party_cookie_before_a_choice_is_a_violation() -> None:
    item = cookie("uid", "none", host="ads.example.com", party="third")
    findings, proposals = analyse(declaration(), phases(item), NOW)
    assert kinds(findings, "stored_without_consent") == ["uid"]
    assert (proposals[0].category, proposals[0].domain, proposals[0].provider) == (
        "marketing",
        "ads.example.com",
        "example.com",
    )


def test_undeclared_unknown_first_party_cookie_before_a_choice_is_undeclared_not_a_violation() -> None:
    findings, proposals = analyse(declaration(), phases(cookie("promo_seen", "none")), NOW)
    assert kinds(findings, "stored_without_consent") == []
    (undeclared,) = [f for f in findings if f.kind == "undeclared"]
    assert "must be strictly necessary" in undeclared.message
    assert proposals[0].category == NECESSARY and "category" in proposals[0].review


def test_unknown_cookie_first_seen_after_accept_is_proposed_as_analytics() -> None:
    _, proposals = analyse(declaration(), phases(cookie("ab_variant", "accepted")), NOW)
    assert proposals[0].category == "analytics"
    assert proposals[0].category_reason == "first written after accept all"


def test_proposal_duration_comes_from_the_cookie_expiry_in_whole_days() -> None:
    item = cookie("promo_seen", "none", expires=NOW + 29.5 * DAY)
    _, proposals = analyse(declaration(), phases(item), NOW)
    assert proposals[0].duration_days == 30


def test_proposal_for_a_session_cookie_lasts_until_the_browser_closes() -> None:
    _, proposals = analyse(declaration(), phases(cookie("sid", "none")), NOW)
    assert proposals[0].duration_days == 0


def test_proposals_of_one_pattern_are_merged_with_every_name_as_example() -> None:
    items = [cookie("_ga_AAA", "accepted"), cookie("_ga_BBB", "accepted")]
    _, proposals = analyse(declaration(), phases(*items), NOW)
    assert [(p.name, p.examples) for p in proposals] == [("_ga_*", ["_ga_AAA", "_ga_BBB"])]


def test_undeclared_storage_key_gets_a_storage_proposal() -> None:
    _, proposals = analyse(declaration(), phases(key("tracking_id", "local_storage", "none")), NOW)
    assert (proposals[0].storage, proposals[0].name, proposals[0].duration_days) == (
        "local_storage",
        "tracking_id",
        365,
    )
    assert "duration" in proposals[0].review


def request(
    host: str, state: str, *types: str, party: str = "third", consent_server: bool = False
) -> RequestSeen:
    origin = f"https://{host}"
    return RequestSeen(
        origin, host, party, state, list(types), 1, [f"{origin}/x.js"], f"{SITE}/", consent_server
    )


def test_third_party_request_before_a_choice_is_reported_per_host() -> None:
    requests = (request("px.ads.net", "none", "script"), request("px.ads.net", "rejected", "image"))
    findings, _ = analyse(declaration(), phases(requests=requests), NOW)
    (finding,) = findings
    assert finding.kind == "third_party_request_without_consent" and finding.severity == "high"
    assert (finding.host, finding.types, finding.count, finding.when) == (
        "px.ads.net",
        ["image", "script"],
        2,
        ["none", "rejected"],
    )


def test_requests_to_the_consent_server_first_parties_or_after_accept_are_no_finding() -> None:
    requests = (
        request("consent.x.nl", "none", "script", consent_server=True),
        request("www.gemeente.nl", "none", "document", party="first"),
        request("yt.example", "accepted", "document"),
    )
    findings, _ = analyse(declaration(), phases(requests=requests), NOW)
    assert findings == []


def test_declared_cookie_never_seen_is_reported_last_with_a_caveat_when_accept_did_not_run() -> None:
    findings, _ = analyse(declaration(GA), phases(cookie("_clck", "none"), accepted=False), NOW)
    assert [f.kind for f in findings] == [
        "stored_without_consent",
        "undeclared",
        "declared_not_seen",
        "declared_not_seen",
    ]
    assert "the accept phase did not run" in findings[-1].message


def test_one_cookie_seen_in_several_phases_is_one_finding_with_every_phase() -> None:
    result = phases(cookie("_ga", "none"))
    result[1].items = [cookie("_ga", "none", "rejected")]
    findings, _ = analyse(declaration(GA), result, NOW)
    (violation,) = [f for f in findings if f.kind == "stored_without_consent"]
    assert violation.phases == ["no_choice", "reject"] and violation.when == ["none", "rejected"]
