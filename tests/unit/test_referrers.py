"""Referrer classification as tables: source, channel and host for each kind of visit, hostile input too."""

from __future__ import annotations

import json
import random
import re
from importlib.resources import files
from typing import Any

import pytest

from consent_server.collect.referrers import CHANNELS, DIRECT_SOURCE, MAX_UTM_LENGTH, Source, classify

SITE = "gemeente.example.nl"


# --- no referrer, or the site itself --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("referrer", "page_host"),
    [
        (None, SITE),
        ("", SITE),
        ("   ", SITE),
        (f"https://{SITE}/nieuws?id=3", SITE),
        (f"https://www.{SITE}/", SITE),
        (f"https://{SITE}/", f"www.{SITE}"),
        (f"http://WWW.{SITE.upper()}./contact", SITE),
        (f"https://{SITE}:8443/", f"{SITE}:8443"),
        (f"https://{SITE}/", f"{SITE.upper()}:443"),
        ("http://[2001:db8::1]:8080/", "[2001:db8::1]:8080"),
    ],
)
def test_classify_counts_no_referrer_or_the_site_itself_as_direct(
    referrer: str | None, page_host: str
) -> None:
    assert classify(referrer, page_host, {}) == Source(DIRECT_SOURCE, "direct", None)


def test_classify_counts_another_subdomain_of_the_site_as_a_referral() -> None:
    assert classify(f"https://loket.{SITE}/", SITE, {}) == Source(
        f"loket.{SITE}", "referral", f"loket.{SITE}"
    )


# --- known hosts ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("referrer", "source", "host"),
    [
        ("https://www.google.nl/", "Google", "www.google.nl"),
        ("https://www.google.com/search?q=afvalkalender", "Google", "www.google.com"),
        ("https://google.co.uk/", "Google", "google.co.uk"),
        ("https://www.google.com.au/", "Google", "www.google.com.au"),
        ("https://www.google.de/", "Google", "www.google.de"),
        ("https://www.bing.com/search?q=paspoort", "Bing", "www.bing.com"),
        ("https://cn.bing.com/", "Bing", "cn.bing.com"),
        ("https://duckduckgo.com/", "DuckDuckGo", "duckduckgo.com"),
        ("https://html.duckduckgo.com/html/", "DuckDuckGo", "html.duckduckgo.com"),
        ("https://www.ecosia.org/search?q=x", "Ecosia", "www.ecosia.org"),
        ("https://nl.search.yahoo.com/search?p=x", "Yahoo!", "nl.search.yahoo.com"),
        ("https://www.startpage.com/", "Startpage", "www.startpage.com"),
        ("https://www.qwant.com/?q=x", "Qwant", "www.qwant.com"),
        ("https://yandex.ru/search/", "Yandex", "yandex.ru"),
        ("https://www.baidu.com/", "Baidu", "www.baidu.com"),
        ("https://search.brave.com/search?q=x", "Brave Search", "search.brave.com"),
        (
            "android-app://com.google.android.googlequicksearchbox/",
            "Google",
            "com.google.android.googlequicksearchbox",
        ),
    ],
)
def test_classify_names_search_engines(referrer: str, source: str, host: str) -> None:
    assert classify(referrer, SITE, {}) == Source(source, "search", host)


@pytest.mark.parametrize(
    ("referrer", "source"),
    [
        ("https://www.facebook.com/", "Facebook"),
        ("https://m.facebook.com/story.php?id=1", "Facebook"),
        ("https://l.facebook.com/l.php?u=https%3A%2F%2Fexample.nl", "Facebook"),
        ("https://www.instagram.com/", "Instagram"),
        ("https://www.linkedin.com/feed/", "LinkedIn"),
        ("https://lnkd.in/abc", "LinkedIn"),
        ("https://x.com/gemeente", "X (Twitter)"),
        ("https://twitter.com/", "X (Twitter)"),
        ("https://t.co/AbC123", "X (Twitter)"),
        ("https://www.youtube.com/watch?v=x", "YouTube"),
        ("https://youtu.be/x", "YouTube"),
        ("https://www.reddit.com/r/thenetherlands/", "Reddit"),
        ("https://www.tiktok.com/@gemeente", "TikTok"),
        ("https://nl.pinterest.com/pin/1/", "Pinterest"),
        ("https://www.pinterest.nl/", "Pinterest"),
        ("https://web.whatsapp.com/", "WhatsApp"),
        ("https://wa.me/31600000000", "WhatsApp"),
        ("https://nextdoor.nl/news_feed/", "Nextdoor"),
        ("android-app://com.linkedin.android/", "LinkedIn"),
    ],
)
def test_classify_names_social_networks(referrer: str, source: str) -> None:
    result = classify(referrer, SITE, {})
    assert (result.source, result.channel) == (source, "social")


@pytest.mark.parametrize(
    ("referrer", "source"),
    [
        ("https://mail.google.com/mail/u/0/", "Gmail"),
        ("https://outlook.live.com/mail/0/inbox", "Outlook"),
        ("https://outlook.office.com/mail/", "Outlook"),
        ("https://outlook.office365.com/owa/", "Outlook"),
        ("https://mail.yahoo.com/d/folders/1", "Yahoo! Mail"),
        ("https://mail.proton.me/u/0/inbox", "Proton Mail"),
        ("android-app://com.google.android.gm/", "Gmail"),
    ],
)
def test_classify_counts_webmail_as_email(referrer: str, source: str) -> None:
    result = classify(referrer, SITE, {})
    assert (result.source, result.channel) == (source, "email")


@pytest.mark.parametrize(
    ("referrer", "source", "host"),
    [
        ("https://www.rijksoverheid.nl/onderwerpen", "rijksoverheid.nl", "www.rijksoverheid.nl"),
        ("https://blog.example.org/post?id=1#top", "blog.example.org", "blog.example.org"),
        ("http://intranet/", "intranet", "intranet"),
        ("http://192.0.2.10:8080/", "192.0.2.10", "192.0.2.10"),
        ("https://docs.google.com/document/d/1", "Google Docs", "docs.google.com"),
        ("https://chatgpt.com/", "ChatGPT", "chatgpt.com"),
        ("https://nl.wikipedia.org/wiki/Gemeente", "Wikipedia", "nl.wikipedia.org"),
        ("https://notgoogle.com/", "notgoogle.com", "notgoogle.com"),
        ("https://google.com.evil.example/", "google.com.evil.example", "google.com.evil.example"),
    ],
)
def test_classify_counts_other_hosts_as_referrals_named_by_host(
    referrer: str, source: str, host: str
) -> None:
    assert classify(referrer, SITE, {}) == Source(source, "referral", host)


# --- utm_* parameters -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "medium",
    [
        "cpc",
        "CPC",
        "ppc",
        "paid",
        "paidsearch",
        "paid_social",
        "Paid-Social",
        "display",
        "cpm",
        "banner",
        "retargeting",
        "cpc_brand",
    ],
)
def test_classify_counts_paid_media_as_paid(medium: str) -> None:
    result = classify("https://www.google.nl/", SITE, {"utm_source": "google", "utm_medium": medium})
    assert result == Source("Google", "paid", "www.google.nl")


@pytest.mark.parametrize("medium", ["email", "e-mail", "E_Mail", "newsletter", "Nieuwsbrief"])
def test_classify_counts_email_media_as_email(medium: str) -> None:
    result = classify(None, SITE, {"utm_source": "maandbericht", "utm_medium": medium})
    assert result == Source("maandbericht", "email", None)


def test_classify_counts_a_newsletter_source_without_medium_as_email() -> None:
    assert classify(None, SITE, {"utm_source": "newsletter"}).channel == "email"


@pytest.mark.parametrize(
    ("referrer", "utm", "expected"),
    [
        (None, {"utm_source": "poster", "utm_medium": "qr"}, Source("poster", "campaign", None)),
        (None, {"utm_source": "bewonersbrief"}, Source("bewonersbrief", "campaign", None)),
        (None, {"utm_medium": "qr"}, Source(DIRECT_SOURCE, "campaign", None)),
        (
            "https://t.co/x",
            {"utm_medium": "social"},
            Source("X (Twitter)", "campaign", "t.co"),
        ),
        (
            "https://partner.example.org/",
            {"utm_campaign": "x", "utm_medium": "link"},
            Source("partner.example.org", "campaign", "partner.example.org"),
        ),
        (f"https://{SITE}/", {"utm_source": "intern"}, Source("intern", "campaign", None)),
    ],
)
def test_classify_counts_other_utm_as_a_campaign(
    referrer: str | None, utm: dict[str, str], expected: Source
) -> None:
    assert classify(referrer, SITE, utm) == expected


@pytest.mark.parametrize(
    ("utm_source", "source"),
    [
        ("google", "Google"),
        ("Facebook", "Facebook"),
        ("www.facebook.com", "Facebook"),
        ("linkedin.com", "LinkedIn"),
        ("Nieuwsbrief Centrum", "Nieuwsbrief Centrum"),
    ],
)
def test_classify_names_a_known_utm_source_like_its_referrer(utm_source: str, source: str) -> None:
    assert classify(None, SITE, {"utm_source": utm_source, "utm_medium": "social"}).source == source


def test_classify_ignores_utm_campaign_without_source_or_medium() -> None:
    utm = {"utm_campaign": "zomer", "utm_term": "afval", "utm_content": "a"}
    assert classify("https://www.bing.com/", SITE, utm) == Source("Bing", "search", "www.bing.com")


@pytest.mark.parametrize(
    ("utm", "expected"),
    [
        ({"utm_source": "  ", "utm_medium": ""}, Source(DIRECT_SOURCE, "direct", None)),
        ({"utm_source": "a\x00b\nc"}, Source("a b c", "campaign", None)),
        ({"utm_source": "x" * 5000}, Source("x" * MAX_UTM_LENGTH, "campaign", None)),
        ({"utm_source": 42, "utm_medium": None}, Source(DIRECT_SOURCE, "direct", None)),
    ],
)
def test_classify_cleans_utm_values(utm: dict[str, Any], expected: Source) -> None:
    assert classify(None, SITE, utm) == expected


# --- hostile and odd input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "referrer",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "ftp://ftp.example.org/pub",
        "chrome-extension://abcdef/page.html",
        "about:blank",
        "google.com",
        "//www.google.com/",
        "https://",
        "https:///path",
        "http://[::1",
        "http://exa mple.org/",
        "http://exa%6dple.org/",
        "http://bücher.example/",
        "http://a..b/",
        "http://" + "a" * 64 + ".example/",
        "https://example.org/" + "a" * 2048,
        "android-app://user@com.example.app/",
        "\x00\x01\x02",
        "%" * 2048,
    ],
)
def test_classify_counts_non_web_or_garbage_referrers_as_direct(referrer: str) -> None:
    assert classify(referrer, SITE, {}) == Source(DIRECT_SOURCE, "direct", None)


@pytest.mark.parametrize("page_host", ["", "   ", "[", "::::", "a" * 3000, "\x00"])
def test_classify_survives_a_garbage_page_host(page_host: str) -> None:
    assert classify("https://www.bing.com/", page_host, {}) == Source("Bing", "search", "www.bing.com")


def test_classify_never_raises_and_never_returns_a_path_or_query() -> None:
    rng = random.Random(4)
    alphabet = "abc.:/?#@[]%&=-_ \x00\té" + "".join(map(chr, range(0x20, 0x7F)))
    prefixes = ["", "http://", "https://", "android-app://", "https://www.google.nl/", "HTTP://"]
    for _ in range(3000):
        length = rng.choice([1, 10, 100, 2048])
        referrer = rng.choice(prefixes) + "".join(rng.choice(alphabet) for _ in range(length))
        result = classify(referrer, SITE, {"utm_medium": referrer[:20]} if rng.random() < 0.2 else {})
        assert result.channel in CHANNELS
        assert result.source
        host = result.referrer_host
        assert host is None or re.fullmatch(r"[a-z0-9_.:-]{1,253}", host), referrer


def test_classify_drops_path_query_fragment_and_credentials() -> None:
    result = classify("https://user:secret@Search.Example.ORG:8080/p/a/t/h?email=a@b.nl#frag", SITE, {})
    assert result == Source("search.example.org", "referral", "search.example.org")


# --- the data -------------------------------------------------------------------------------------------


def _table() -> dict[str, list[str]]:
    return json.loads(files("consent_server").joinpath("data/referrers.json").read_text(encoding="utf-8"))


def test_referrer_table_maps_lowercase_host_suffixes_to_a_name_and_a_channel() -> None:
    table = _table()
    assert len(table) > 300
    for host, (name, channel) in table.items():
        assert re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", host), host
        assert not host.startswith("www."), host
        assert name.strip() == name and name, host
        assert channel in {"search", "social", "email", "referral"}, host


def test_referrer_table_covers_every_channel_it_promises() -> None:
    channels = {channel for _, channel in _table().values()}
    assert channels == {"search", "social", "email", "referral"}
