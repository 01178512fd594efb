"""Country of a truncated network address, from offline data only (privacy invariant 1).

The default data is the RIR allocation table that the `iptocc` wheel embeds (no file, no network); an
operator who wants MaxMind-grade accuracy configures a MaxMind-format ``.mmdb`` file (GeoLite2-Country,
GeoIP2-Country, DB-IP or IPinfo lite), read with `maxminddb`. Nothing is loaded until the first lookup,
so importing this module and forking workers cost nothing.
"""

from __future__ import annotations

import ipaddress
import re
import threading
from bisect import bisect_right
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from consent_server.privacy import IPV4_PREFIX, IPV6_PREFIX

if TYPE_CHECKING:
    from maxminddb import Reader

# ISO 3166-1 alpha-2 shape; "ZZ" and "XX" are what some databases answer for "unknown".
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_UNKNOWN = frozenset({"ZZ", "XX"})
_MAX_INPUT = 64  # longer than any textual IPv4 or IPv6 address


def _ranges(*cidrs: str) -> tuple[list[int], list[int]]:
    networks = sorted(ipaddress.ip_network(cidr) for cidr in cidrs)
    return [int(n.network_address) for n in networks], [int(n.broadcast_address) for n in networks]


# Not globally reachable (IANA special-purpose registries), plus 224.0.0.0/3: multicast and reserved.
# Spelled out rather than `is_global`, which costs more than the lookup itself (measured: 3-4 µs).
_SPECIAL_V4 = _ranges(
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.0.0.0/24",
    "192.0.2.0/24",
    "192.88.99.0/24",
    "192.168.0.0/16",
    "198.18.0.0/15",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "224.0.0.0/3",
)
# Only 2000::/3 is global unicast; inside it: IETF protocol assignments, documentation, 6to4.
_GLOBAL_UNICAST_V6 = ipaddress.ip_network("2000::/3")
_SPECIAL_V6 = _ranges("2001::/23", "2001:db8::/32", "2002::/16", "3fff::/20")


class GeoDatabaseError(Exception):
    """The configured country database cannot be opened or read."""


class CountryLookup:
    """Map truncated network addresses to ISO 3166-1 alpha-2 country codes.

    With ``mmdb_path`` the MaxMind-format file is used and nothing else; without it, iptocc's embedded
    RIR data. The file is opened at the first lookup (or by ``load()``), once, under a lock.
    """

    def __init__(self, mmdb_path: str | None = None) -> None:
        self.mmdb_path = mmdb_path or None
        self._find: Callable[[str], str | None] | None = None
        self._reader: Reader | None = None
        self._lock = threading.Lock()

    def load(self) -> Callable[[str], str | None]:
        """Open the database now instead of at the first lookup; raises GeoDatabaseError."""
        find = self._find
        if find is None:
            with self._lock:
                find = self._find
                if find is None:
                    find = self._find = self._open()
        return find

    def close(self) -> None:
        """Release the configured file; the next lookup opens it again."""
        with self._lock:
            if self._reader is not None:
                self._reader.close()
            self._reader = None
            self._find = None

    def country_of(self, network: str | None) -> str | None:
        """Return the country of a /24 (IPv4) or /48 (IPv6) network address, None when unknown.

        Private, reserved and unparseable values give None. Raises ValueError when handed a full
        address (host bits set): callers must truncate first, and the message never repeats the address.
        """
        key = _lookup_key(network)
        if key is None:
            return None
        code = (self._find or self.load())(key)
        if code is None or not _COUNTRY.match(code) or code in _UNKNOWN:
            return None
        return code

    def _open(self) -> Callable[[str], str | None]:
        # Imported here, not at module level: importing a module with embedded data or opening a file
        # is I/O, and the factory and gunicorn's fork must not pay for it.
        if self.mmdb_path is None:
            from iptocc import country_code

            return country_code

        import maxminddb

        try:
            reader = maxminddb.open_database(self.mmdb_path)
        except (OSError, ValueError, maxminddb.InvalidDatabaseError) as exc:
            raise GeoDatabaseError(f"cannot open the country database {self.mmdb_path!r}: {exc}") from exc
        self._reader = reader

        def find(address: str) -> str | None:
            try:
                record = reader.get(address)
            except (ValueError, maxminddb.InvalidDatabaseError):
                # An IPv6 address in an IPv4-only file, or a damaged file: no country, never a crash.
                return None
            return _country_in_record(record)

        return find


def _lookup_key(network: str | None) -> str | None:
    """The text to look up for a public /24 or /48 network address; None for anything else.

    Raises ValueError when host bits are set.
    """
    if not network or len(network) > _MAX_INPUT or "%" in network:  # "%": an IPv6 zone, local only
        return None
    address: ipaddress.IPv4Address | ipaddress.IPv6Address
    try:
        address = ipaddress.IPv6Address(network) if ":" in network else ipaddress.IPv4Address(network)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
        network = str(address)
    value = int(address)
    host_bits = (32 - IPV4_PREFIX) if address.version == 4 else (128 - IPV6_PREFIX)
    if value & ((1 << host_bits) - 1):
        raise ValueError("country_of takes a truncated network address (/24 or /48), not a full address")
    if address.version == 4:
        public = not _inside(value, _SPECIAL_V4)
    else:
        public = address in _GLOBAL_UNICAST_V6 and not _inside(value, _SPECIAL_V6)
    return network if public else None


def _inside(value: int, ranges: tuple[list[int], list[int]]) -> bool:
    starts, ends = ranges
    index = bisect_right(starts, value) - 1
    return index >= 0 and value <= ends[index]


def _country_in_record(record: object) -> str | None:
    """Read the country from a GeoIP2/GeoLite2/DB-IP record or an IPinfo lite record."""
    if not isinstance(record, Mapping):
        return None
    for key in ("country", "registered_country"):
        place = record.get(key)
        if isinstance(place, Mapping) and isinstance(place.get("iso_code"), str):
            return str(place["iso_code"]).upper()
    code = record.get("country_code")
    return code.upper() if isinstance(code, str) else None


_lookups: dict[str | None, CountryLookup] = {}


def lookup_for(mmdb_path: str | None = None) -> CountryLookup:
    """Return the process-wide lookup for this database (the packaged data when no path is given)."""
    key = mmdb_path or None
    lookup = _lookups.get(key)
    if lookup is None:
        lookup = _lookups.setdefault(key, CountryLookup(key))  # setdefault: one winner under a race
    return lookup


def country_of(network: str | None, mmdb_path: str | None = None) -> str | None:
    """Return the country of a truncated network address through the shared, lazily loaded lookup.

    Raises ValueError for a full address and GeoDatabaseError when the configured file cannot be read.
    """
    return lookup_for(mmdb_path).country_of(network)
