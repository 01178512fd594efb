"""Privacy invariants 1-3 as tables: what is kept of an address, a URL and a User-Agent."""

from __future__ import annotations

from dataclasses import astuple

import pytest

from consent_server.privacy import (
    MAX_URL_LENGTH,
    clean_url,
    hash_route,
    parse_user_agent,
    truncate_ip,
    url_host,
)

CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.6778.86 Safari/537.36"
)
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)
SAFARI_IPAD = (
    "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.6778.81 Mobile Safari/537.36"
)
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
HEADLESS_CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/131.0.0.0 Safari/537.36"
)
LIGHTHOUSE = (
    "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse"
)


# --- truncate_ip -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "network"),
    [
        ("203.0.113.77", "203.0.113.0"),
        ("203.0.113.0", "203.0.113.0"),
        ("10.1.2.255", "10.1.2.0"),
        ("  198.51.100.9 ", "198.51.100.0"),
    ],
)
def test_truncate_ip_keeps_only_the_ipv4_network(raw: str, network: str) -> None:
    assert truncate_ip(raw) == network


@pytest.mark.parametrize(
    ("raw", "network"),
    [
        ("2001:db8:abcd:1234:5678:9abc:def0:1234", "2001:db8:abcd::"),
        ("2001:DB8:ABCD:1234::1", "2001:db8:abcd::"),
        ("2001:db8::1", "2001:db8::"),
        ("2a02:a44f:1:2:3:4:5:6", "2a02:a44f:1::"),
    ],
)
def test_truncate_ip_keeps_only_the_ipv6_48_network(raw: str, network: str) -> None:
    assert truncate_ip(raw) == network


@pytest.mark.parametrize(
    ("raw", "network"),
    [
        ("::ffff:203.0.113.77", "203.0.113.0"),
        ("::FFFF:203.0.113.77", "203.0.113.0"),
        ("::ffff:cb00:714d", "203.0.113.0"),
        ("[::ffff:203.0.113.77]:443", "203.0.113.0"),
    ],
)
def test_truncate_ip_truncates_ipv4_mapped_ipv6_as_ipv4(raw: str, network: str) -> None:
    assert truncate_ip(raw) == network


@pytest.mark.parametrize(
    ("raw", "network"),
    [
        # 2002:cb00:714d::/48 spells out 203.0.113.77 in full; its /48 would be the whole address.
        ("2002:cb00:714d::1", "203.0.113.0"),
        ("[2002:cb00:714d:1::1]:443", "203.0.113.0"),
    ],
)
def test_truncate_ip_truncates_6to4_ipv6_as_the_ipv4_it_carries(raw: str, network: str) -> None:
    assert truncate_ip(raw) == network


@pytest.mark.parametrize(
    ("raw", "network"),
    [
        ("1.2.3.4:8080", "1.2.3.0"),
        ("[2001:db8::1]:443", "2001:db8::"),
        ("[2001:db8:abcd:1234::1]", "2001:db8:abcd::"),
    ],
)
def test_truncate_ip_ignores_the_port(raw: str, network: str) -> None:
    assert truncate_ip(raw) == network


@pytest.mark.parametrize(
    ("raw", "network"),
    [
        ("fe80::1%eth0", "fe80::"),
        ("fe80::1234:5678%25", "fe80::"),
        ("[fe80::1%eth0]:443", "fe80::"),
    ],
)
def test_truncate_ip_drops_the_zone_id(raw: str, network: str) -> None:
    assert truncate_ip(raw) == network


@pytest.mark.parametrize(
    "raw",
    [
        "",
        None,
        "999.1.1.1",
        "abc",
        "1.2.3",
        "::ffff:zz",
        "1.2.3.4.5",
        "01.2.3.4",
        "2001:db8::1/64",
        "[2001:db8::1",
    ],
)
def test_truncate_ip_refuses_what_is_no_address(raw: str | None) -> None:
    assert truncate_ip(raw) is None


# --- clean_url ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("https://www.example.nl/nieuws", "www.example.nl/nieuws"),
        ("http://www.example.nl/nieuws/artikel-1", "www.example.nl/nieuws/artikel-1"),
        ("https://www.example.nl", "www.example.nl/"),
        ("https://www.example.nl/", "www.example.nl/"),
    ],
)
def test_clean_url_keeps_host_and_path_without_scheme(raw: str, cleaned: str) -> None:
    assert clean_url(raw) == cleaned


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("https://www.example.nl/zoek?q=mijn+naam&id=7", "www.example.nl/zoek"),
        ("https://www.example.nl/?email=jan@example.nl", "www.example.nl/"),
        (
            "https://www.example.nl/a?utm_source=mail&id=7&utm_campaign=winter",
            "www.example.nl/a?utm_source=mail&utm_campaign=winter",
        ),
        ("https://www.example.nl/a?UTM_Medium=social", "www.example.nl/a?UTM_Medium=social"),
        ("https://www.example.nl/a?utm_source=", "www.example.nl/a"),
        ("https://www.example.nl/a?utmsource=x", "www.example.nl/a"),
    ],
)
def test_clean_url_drops_the_query_except_utm_parameters(raw: str, cleaned: str) -> None:
    assert clean_url(raw) == cleaned


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("https://www.example.nl/a#top", "www.example.nl/a"),
        ("https://www.example.nl/a?utm_source=x#token=secret", "www.example.nl/a?utm_source=x"),
    ],
)
def test_clean_url_drops_the_fragment(raw: str, cleaned: str) -> None:
    assert clean_url(raw) == cleaned


@pytest.mark.parametrize(
    "raw",
    [
        "https://jan:geheim@www.example.nl/a",
        "https://jan@www.example.nl/a",
        "https://:geheim@www.example.nl/a",
    ],
)
def test_clean_url_drops_user_and_password(raw: str) -> None:
    cleaned = clean_url(raw)
    assert cleaned == "www.example.nl/a"


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("https://WWW.Example.NL/Pad", "www.example.nl/Pad"),
        ("HTTPS://WWW.EXAMPLE.NL/", "www.example.nl/"),
    ],
)
def test_clean_url_lower_cases_the_host_but_not_the_path(raw: str, cleaned: str) -> None:
    assert clean_url(raw) == cleaned


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("https://www.example.nl:443/a", "www.example.nl/a"),
        ("http://www.example.nl:80/a", "www.example.nl/a"),
        ("https://www.example.nl:8443/a", "www.example.nl:8443/a"),
        ("http://www.example.nl:8080/a", "www.example.nl:8080/a"),
        ("https://www.example.nl:80/a", "www.example.nl:80/a"),
        ("http://www.example.nl:443/a", "www.example.nl:443/a"),
        ("https://[2001:db8::1]:8443/a", "[2001:db8::1]:8443/a"),
    ],
)
def test_clean_url_drops_default_ports_and_keeps_others(raw: str, cleaned: str) -> None:
    assert clean_url(raw) == cleaned


@pytest.mark.parametrize(
    "raw",
    [
        "javascript:alert(1)",
        "JavaScript://www.example.nl/%0aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://www.example.nl/a",
        "file:///etc/passwd",
        "mailto:jan@example.nl",
        "/relative/path",
        "relative/path",
        "//www.example.nl/a",
        "https:///only-a-path",
        "https://www.example.nl:99999/",
        "",
        None,
    ],
)
def test_clean_url_refuses_what_is_no_absolute_http_url(raw: str | None) -> None:
    assert clean_url(raw) is None


def test_clean_url_refuses_over_long_urls() -> None:
    prefix = "https://www.example.nl/"
    longest = prefix + "a" * (MAX_URL_LENGTH - len(prefix))
    assert clean_url(longest) == longest.removeprefix("https://")
    assert clean_url(longest + "a") is None


# --- url_host ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "host"),
    [
        ("https://WWW.Example.nl/a?b=c", "www.example.nl"),
        ("http://www.example.nl:8080/a", "www.example.nl"),
        ("https://jan:geheim@www.example.nl/", "www.example.nl"),
        ("https://[2001:DB8::1]/", "2001:db8::1"),
    ],
)
def test_url_host_returns_the_lower_cased_host(raw: str, host: str) -> None:
    assert url_host(raw) == host


@pytest.mark.parametrize(
    "raw", ["ftp://www.example.nl/", "javascript:alert(1)", "/relative", "", None, "http://[::1"]
)
def test_url_host_refuses_what_is_no_http_url(raw: str | None) -> None:
    assert url_host(raw) is None


# --- parse_user_agent --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("agent", "browser", "version", "os", "device"),
    [
        (CHROME_WINDOWS, "Chrome", "131", "Windows", "desktop"),
        (FIREFOX_LINUX, "Firefox", "133", "Linux", "desktop"),
        (SAFARI_IPHONE, "Mobile Safari", "17", "iOS", "mobile"),
        (SAFARI_IPAD, "Mobile Safari", "17", "iOS", "tablet"),
        (CHROME_ANDROID, "Chrome Mobile", "131", "Android", "mobile"),
    ],
)
def test_parse_user_agent_keeps_family_major_version_os_and_device(
    agent: str, browser: str, version: str, os: str, device: str
) -> None:
    summary = parse_user_agent(agent)
    assert (summary.browser, summary.browser_version, summary.os, summary.device, summary.is_bot) == (
        browser,
        version,
        os,
        device,
        False,
    )


@pytest.mark.parametrize("agent", [CHROME_WINDOWS, CHROME_ANDROID, SAFARI_IPHONE])
def test_parse_user_agent_keeps_the_major_version_only(agent: str) -> None:
    version = parse_user_agent(agent).browser_version
    assert version.isdigit()
    assert "." not in version


@pytest.mark.parametrize("agent", [GOOGLEBOT, HEADLESS_CHROME, LIGHTHOUSE])
def test_parse_user_agent_marks_bots_and_headless_browsers(agent: str) -> None:
    summary = parse_user_agent(agent)
    assert summary.is_bot is True
    assert summary.device == "bot"


@pytest.mark.parametrize("agent", ["", None])
def test_parse_user_agent_summarises_a_missing_agent_as_unknown(agent: str | None) -> None:
    summary = parse_user_agent(agent)
    assert (summary.browser, summary.browser_version, summary.os, summary.device, summary.is_bot) == (
        "Unknown",
        "",
        "Unknown",
        "other",
        False,
    )


@pytest.mark.parametrize("agent", [CHROME_WINDOWS, SAFARI_IPHONE, GOOGLEBOT, "Mozilla/5.0 " + "x" * 5000])
def test_parse_user_agent_never_keeps_the_raw_string(agent: str) -> None:
    kept = [value for value in astuple(parse_user_agent(agent)) if isinstance(value, str)]
    assert all(len(value) <= 64 for value in kept)
    assert not any("Mozilla" in value or "AppleWebKit" in value for value in kept)


@pytest.mark.parametrize("url", ["https://exa mple.nl/a", "https://münchen.de/"])
def test_clean_url_refuses_hosts_a_browser_would_not_send(url: str) -> None:
    assert clean_url(url) is None


@pytest.mark.parametrize(
    ("url", "route"),
    [
        ("https://a.nl/#/contact", "/contact"),
        ("https://a.nl/app#!/producten/12?tab=2", "/producten/12"),
        ("https://a.nl/#top", None),
        ("https://a.nl/", None),
        ("https://a.nl/#/<script>", None),
        (None, None),
    ],
)
def test_hash_route_keeps_only_the_route_of_a_hash_routed_page(url: str | None, route: str | None) -> None:
    assert hash_route(url) == route
