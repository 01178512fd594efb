"""Hosts and URLs for the scanner: first or third party, and which links a crawl follows.

First or third party is decided by registrable domain ("site", eTLD+1): `www.gemeente.nl` and
`afspraak.gemeente.nl` are one party, `www.googletagmanager.com` another. The public suffix list comes
from the system (Debian's `publicsuffix` package, /usr/share/publicsuffix) when present; without it a
short built-in list of multi-label suffixes is used and every other host is taken to end in a
one-label suffix. An IP address is its own site; so is `localhost`, and each `name.localhost` is a site
of its own (which is how the tests stage a third party on the loopback interface).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Set as AbstractSet
from functools import lru_cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

PUBLIC_SUFFIX_FILES = (
    Path("/usr/share/publicsuffix/public_suffix_list.dat"),
    Path("/usr/share/publicsuffix/effective_tld_names.dat"),
)
# Used only when no public suffix list is installed: common suffixes of more than one label.
FALLBACK_SUFFIXES = frozenset(
    {
        "co.uk", "org.uk", "ac.uk", "gov.uk", "ltd.uk", "plc.uk", "me.uk", "net.uk",
        "com.au", "net.au", "org.au", "edu.au", "gov.au", "co.nz", "org.nz", "govt.nz",
        "co.jp", "ne.jp", "or.jp", "com.br", "com.cn", "com.tr", "co.za", "com.mx", "co.in",
        "gv.at", "co.at", "or.at", "com.be",
        "github.io", "gitlab.io", "netlify.app", "vercel.app", "pages.dev", "herokuapp.com",
        "azurewebsites.net", "cloudfront.net", "appspot.com", "blogspot.com", "web.app",
        "firebaseapp.com", "amazonaws.com", "s3.amazonaws.com", "azureedge.net", "windows.net",
    }
)  # fmt: skip
# Links to these are files, not pages: the crawl never opens them.
FILE_EXTENSIONS = frozenset(
    {
        "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "csv", "txt", "rtf",
        "zip", "7z", "gz", "tgz", "rar", "tar", "bz2", "xz", "epub", "mp3", "mp4", "m4a", "m4v", "mov",
        "avi", "wmv", "webm", "ogg", "wav", "flac", "ics", "vcf", "exe", "msi", "dmg", "apk", "iso",
        "jpg", "jpeg", "png", "gif", "webp", "svg", "ico", "bmp", "tif", "tiff", "avif", "heic",
        "css", "js", "mjs", "json", "xml", "rss", "atom", "woff", "woff2", "ttf", "otf", "eot",
    }
)  # fmt: skip


@lru_cache(maxsize=1)
def _suffix_rules() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(plain rules, wildcard rules without '*.', exception rules without '!') of the suffix list."""
    for path in PUBLIC_SUFFIX_FILES:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            continue
        plain: set[str] = set()
        wildcard: set[str] = set()
        exception: set[str] = set()
        for raw in text.splitlines():
            rule = raw.strip().split(" ")[0]
            if not rule or rule.startswith("//"):
                continue
            rule = _ascii(rule)
            if rule.startswith("!"):
                exception.add(rule[1:])
            elif rule.startswith("*."):
                wildcard.add(rule[2:])
            else:
                plain.add(rule)
        return frozenset(plain), frozenset(wildcard), frozenset(exception)
    return FALLBACK_SUFFIXES, frozenset(), frozenset()


def _ascii(name: str) -> str:
    try:
        return name.lower().encode("idna").decode("ascii")
    except UnicodeError:
        return name.lower()


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


@lru_cache(maxsize=4096)
def registrable_domain(host: str) -> str:
    """The site a host belongs to: `www.gemeente.nl` -> `gemeente.nl`; an IP address is itself."""
    host = host.strip().strip(".").lower()
    if not host or _is_ip(host):
        return host.strip("[]")
    labels = _ascii(host).split(".")
    plain, wildcard, exception = _suffix_rules()
    # The longest matching suffix rule wins; an exception rule cuts one label off its match.
    suffix_length = 1
    for index in range(len(labels)):
        candidate = ".".join(labels[index:])
        if candidate in exception:
            suffix_length = len(labels) - index - 1
            break
        parent = ".".join(labels[index + 1 :])
        if candidate in plain or (parent and parent in wildcard):
            suffix_length = len(labels) - index
            break
    if suffix_length >= len(labels):
        return ".".join(labels)  # the host is a public suffix itself (or `localhost`)
    return ".".join(labels[-(suffix_length + 1) :])


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def origin_of(url: str) -> str:
    """scheme://host[:port] with the default port left out; "" for anything but http(s)."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return ""
    try:
        port = parts.port
    except ValueError:
        return ""
    default = 80 if parts.scheme == "http" else 443
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


def cookie_host(domain: str) -> str:
    """A cookie's domain as a host: `.example.nl` -> `example.nl`."""
    return domain.strip().lstrip(".").lower()


def domain_matches(host: str, domain: str) -> bool:
    """True when `host` is `domain` or inside it (cookie domain matching, leading dot ignored)."""
    host, domain = cookie_host(host), cookie_host(domain)
    return bool(domain) and (host == domain or host.endswith("." + domain))


def normalise_url(url: str, base: str | None = None) -> str | None:
    """An absolute http(s) URL without its fragment and default port; None for anything else.

    `mailto:`, `tel:`, `javascript:` and `data:` links give None.
    """
    try:
        absolute = urljoin(base, url.strip()) if base else url.strip()
        parts = urlsplit(absolute)
        origin = origin_of(absolute)
    except ValueError:
        return None
    if not origin:
        return None
    scheme, netloc = origin.split("://", 1)
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def is_file_link(url: str, extra_extensions: frozenset[str] = frozenset()) -> bool:
    """True when the URL's path ends in a file extension the crawl does not open as a page."""
    last = urlsplit(url).path.rsplit("/", 1)[-1]
    if "." not in last:
        return False
    extension = last.rsplit(".", 1)[1].lower()
    return extension in FILE_EXTENSIONS or extension in extra_extensions


def crawl_target(
    href: str,
    page_url: str,
    origins: AbstractSet[str],
    extra_extensions: frozenset[str] = frozenset(),
) -> str | None:
    """The normalised URL to visit for a link on a page, or None when the crawl should not follow it.

    Followed: http(s) links to one of `origins` that do not point at a file (by extension).
    """
    url = normalise_url(href, page_url)
    if url is None or origin_of(url) not in origins or is_file_link(url, extra_extensions):
        return None
    return url
