"""The product's privacy promises as pure functions (PRODUCT.md, privacy invariants 1-3)."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit

from user_agents import parse as parse_ua

IPV4_PREFIX = 24
IPV6_PREFIX = 48
MAX_URL_LENGTH = 2048
DEFAULT_PORTS = {"http": 80, "https": 443}
# Letters, digits, dots, hyphens (and IPv6 literals); anything else is no host a browser would visit.
_HOST = re.compile(r"^(?:[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?|[0-9a-f:.]+)$")


def _strip_port_and_brackets(value: str) -> str:
    value = value.strip()
    if value.startswith("["):  # "[2001:db8::1]:443"
        return value[1 : value.find("]")] if "]" in value else value
    if value.count(":") == 1:  # "192.0.2.1:8080"
        return value.split(":", 1)[0]
    return value


def truncate_ip(value: str | None) -> str | None:
    """Truncate an address to its network: IPv4 to /24, IPv6 to /48; None when it is no address.

    IPv4-mapped and 6to4 IPv6 addresses are truncated as the IPv4 address they carry: a 6to4 /48
    (2002:AABB:CCDD::/48) is the full IPv4 address AA.BB.CC.DD.
    """
    if not value:
        return None
    text = _strip_port_and_brackets(value).split("%", 1)[0]  # zone ids never leave the host
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address):
        address = address.ipv4_mapped or address.sixtofour or address
    prefix = IPV4_PREFIX if address.version == 4 else IPV6_PREFIX
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)


def clean_url(value: str | None) -> str | None:
    """Reduce a URL to scheme-less host + path, keeping only utm_* query parameters, no fragment.

    Returns None for anything that is not an absolute http(s) URL, or longer than MAX_URL_LENGTH bytes
    in UTF-8: browsers send paths percent-encoded (ASCII), and a page becomes part of index entries,
    which PostgreSQL limits to 2,704 bytes.
    """
    if not value or len(value.encode("utf-8", "surrogatepass")) > MAX_URL_LENGTH:
        return None
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if not _HOST.match(host):
        return None
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != DEFAULT_PORTS[parts.scheme.lower()]:
        host = f"{host}:{port}"
    kept = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=False) if k.lower().startswith("utm_")
    ]
    query = f"?{urlencode(kept)}" if kept else ""
    return f"{host}{parts.path or '/'}{query}"


def url_host(value: str | None) -> str | None:
    """Return the lower-cased host of an http(s) URL, or None."""
    if not value:
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    return parts.hostname.lower() if parts.hostname and parts.scheme.lower() in DEFAULT_PORTS else None


@dataclass(frozen=True)
class AgentSummary:
    """All that is kept of a User-Agent: never the string itself."""

    browser: str
    browser_version: str
    os: str
    device: str
    is_bot: bool

    @property
    def browser_label(self) -> str:
        """Family and major version, as stored: "Chrome 131"."""
        return f"{self.browser} {self.browser_version}".strip()


@lru_cache(maxsize=4096)
def parse_user_agent(value: str | None) -> AgentSummary:
    """Summarise a User-Agent as browser family + major version, OS family and device type."""
    if not value:
        return AgentSummary("Unknown", "", "Unknown", "other", is_bot=False)
    agent = parse_ua(value[:512])
    lowered = value.lower()
    is_bot = agent.is_bot or "headless" in lowered or "lighthouse" in lowered
    if is_bot:
        device = "bot"
    elif agent.is_tablet:
        device = "tablet"
    elif agent.is_mobile:
        device = "mobile"
    elif agent.is_pc:
        device = "desktop"
    else:
        device = "other"
    major = agent.browser.version[0] if agent.browser.version else ""
    return AgentSummary(
        browser=agent.browser.family[:64] or "Unknown",
        browser_version=str(major)[:16],
        os=agent.os.family[:64] or "Unknown",
        device=device,
        is_bot=is_bot,
    )


def visitor_key(secret: bytes, site_key: str, consent_id: str) -> str:
    """The anonymous key of a visitor for one salt period: a keyed hash, useless once the salt is gone."""
    digest = hmac.new(secret, f"{site_key}\x1f{consent_id}".encode(), hashlib.sha256).hexdigest()
    return digest[:32]


def hash_route(value: str | None) -> str | None:
    """The route of a hash-routed page ("#/contact" or "#!/contact"), without its own query; else None.

    Only for sites that declare hash routing: there the fragment is the page, so it is kept as a path.
    """
    if not value or "#" not in value:
        return None
    fragment = value.split("#", 1)[1].removeprefix("!")
    if not fragment.startswith("/"):
        return None
    route = fragment.split("?", 1)[0].split("#", 1)[0]
    return route[:512] if _ROUTE.match(route) else None


_ROUTE = re.compile(r"^/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$")
