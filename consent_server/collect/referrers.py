"""Where a visit came from: a source name and a channel, from the referrer and the utm_* parameters.

Only host information leaves this module, never a path or a query (privacy invariant 3). Known hosts are
data, in ``consent_server/data/referrers.json``: host suffix -> [source name, channel]. Android app ids
(the host of an ``android-app://`` referrer, which Chrome sends for the Google app, Gmail and others) are
matched the same way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from urllib.parse import urlsplit

from consent_server.privacy import MAX_URL_LENGTH

DIRECT = "direct"
SEARCH = "search"
SOCIAL = "social"
EMAIL = "email"
REFERRAL = "referral"
PAID = "paid"
CAMPAIGN = "campaign"
CHANNELS = (DIRECT, SEARCH, SOCIAL, EMAIL, REFERRAL, PAID, CAMPAIGN)
DIRECT_SOURCE = "Direct / None"
MAX_UTM_LENGTH = 100

# Google Analytics' habits: cpc/ppc/cpm..., anything "paid", display advertising.
_PAID_TOKENS = frozenset(
    {
        "cpc",
        "ppc",
        "cpm",
        "cpv",
        "cpa",
        "display",
        "banner",
        "expandable",
        "interstitial",
        "retargeting",
        "remarketing",
    }
)
_EMAIL_MEDIA = frozenset({"email", "mail", "mailing", "newsletter", "nieuwsbrief"})
_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
# Letters, digits, hyphens and underscores in dot-separated labels, or an IPv6 literal (no brackets).
_HOST = re.compile(r"^(?:[a-z0-9_-]{1,63}\.)*[a-z0-9_-]{1,63}$|^[0-9a-f:.]*:[0-9a-f:.]*$")
_MAX_HOST = 253


@dataclass(frozen=True, slots=True)
class Source:
    """Where one visit came from: a display name, one of CHANNELS, and the referring host if any."""

    source: str
    channel: str
    referrer_host: str | None


def classify(referrer_url: str | None, page_host: str, utm: Mapping[str, str]) -> Source:
    """Classify a visit by its referrer URL and the landing page's utm_* parameters; never raises.

    utm_medium decides first (paid, then email, then any other utm_* is a campaign); then the referrer:
    none or the site itself is direct, then known search, social and webmail hosts, else a referral.
    """
    host = _referrer_host(referrer_url)
    if host is not None and _same_site(host, page_host):
        host = None
    known = _known(host) if host is not None else None
    referrer_name = known[0] if known else (_strip_www(host) if host else None)

    utm_source = _utm(utm, "utm_source")
    utm_medium = _utm(utm, "utm_medium")
    if utm_source or utm_medium:
        source = _source_name(utm_source) if utm_source else (referrer_name or DIRECT_SOURCE)
        if utm_medium and _is_paid(utm_medium):
            channel = PAID
        elif _compact(utm_medium) in _EMAIL_MEDIA or _compact(utm_source) in _EMAIL_MEDIA:
            channel = EMAIL
        else:
            channel = CAMPAIGN
        return Source(source, channel, host)

    if host is None:
        return Source(DIRECT_SOURCE, DIRECT, None)
    if known is not None:
        return Source(known[0], known[1], host)
    return Source(_strip_www(host), REFERRAL, host)


def _referrer_host(url: str | None) -> str | None:
    """The lower-cased host of an http(s) or android-app referrer; None for anything else."""
    if not isinstance(url, str) or not url or len(url) > MAX_URL_LENGTH:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        host = parts.hostname or ""
    elif scheme == "android-app":
        host = parts.netloc.lower()
    else:
        return None
    host = host.rstrip(".")
    if not host or len(host) > _MAX_HOST or not _HOST.match(host):
        return None
    return host


def _normalise_page_host(page_host: str) -> str:
    host = page_host.strip().lower() if isinstance(page_host, str) else ""
    if host.startswith("["):  # "[2001:db8::1]:8080"
        host = host[1 : host.find("]")] if "]" in host else ""
    elif host.count(":") == 1:  # "example.nl:8080"
        host = host.split(":", 1)[0]
    return host.rstrip(".")


def _same_site(host: str, page_host: str) -> bool:
    page = _normalise_page_host(page_host)
    return bool(page) and _strip_www(host) == _strip_www(page)


def _strip_www(host: str) -> str:
    return host[4:] if host.startswith("www.") and len(host) > 4 else host


@cache
def _table() -> dict[str, tuple[str, str]]:
    raw = json.loads(files("consent_server").joinpath("data/referrers.json").read_text(encoding="utf-8"))
    return {host: (name, channel) for host, (name, channel) in raw.items()}


@cache
def _names() -> dict[str, str]:
    return {name.lower(): name for name, _ in _table().values()}


def _known(host: str) -> tuple[str, str] | None:
    """The longest suffix of ``host`` (two labels at least) that the table knows."""
    table = _table()
    labels = host.split(".")
    for start in range(len(labels) - 1):
        hit = table.get(".".join(labels[start:]))
        if hit is not None:
            return hit
    return None


def _utm(utm: Mapping[str, str], key: str) -> str | None:
    value = utm.get(key) if utm else None
    if not isinstance(value, str):
        return None
    value = _CONTROL.sub(" ", value).strip()[:MAX_UTM_LENGTH].strip()
    return value or None


def _source_name(utm_source: str) -> str:
    """utm_source as given, unless it names a known source ("google", "www.facebook.com")."""
    lowered = utm_source.lower()
    named = _names().get(lowered)
    if named is not None:
        return named
    if "." in lowered and _HOST.match(lowered):
        known = _known(lowered)
        if known is not None:
            return known[0]
    return utm_source


def _is_paid(medium: str) -> bool:
    tokens = _TOKEN_SPLIT.split(medium.lower())
    return any(token in _PAID_TOKENS or token.startswith("paid") for token in tokens)


def _compact(value: str | None) -> str:
    return _TOKEN_SPLIT.sub("", value.lower()) if value else ""
