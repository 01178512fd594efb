"""Country lookup as tables: packaged data, a configured MaxMind-format file, and what gives no country."""

from __future__ import annotations

import ipaddress
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from consent_server.collect.geo import CountryLookup, GeoDatabaseError, country_of, lookup_for

# --- a MaxMind DB writer, just enough for these tests (https://maxmind.github.io/MaxMind-DB/) ------------

UINT16, UINT32, UINT64 = 5, 6, 9


def _control(kind: int, size: int) -> bytes:
    if size < 29:
        first, extra = size, b""
    elif size < 285:
        first, extra = 29, bytes([size - 29])
    else:
        first, extra = 30, (size - 285).to_bytes(2, "big")
    if kind < 8:
        return bytes([(kind << 5) | first]) + extra
    return bytes([first, kind - 7]) + extra  # extended type: the type follows the control byte


def _encode(value: Any) -> bytes:
    if isinstance(value, str):
        raw = value.encode()
        return _control(2, len(raw)) + raw
    if isinstance(value, dict):
        return _control(7, len(value)) + b"".join(_encode(k) + _encode(v) for k, v in value.items())
    if isinstance(value, list):
        return _control(11, len(value)) + b"".join(_encode(v) for v in value)
    kind, number = value  # (unsigned type, number)
    raw = number.to_bytes(16, "big").lstrip(b"\0")
    return _control(kind, len(raw)) + raw


def write_mmdb(path: Path, networks: dict[str, dict[str, Any]], ip_version: int = 6) -> Path:
    """Write a 24-bit-record MaxMind DB mapping non-overlapping networks to records."""
    bits = 128 if ip_version == 6 else 32
    nodes: list[list[Any]] = [[None, None]]
    data, offsets = b"", {}
    for cidr, record in networks.items():
        network = ipaddress.ip_network(cidr)
        prefix = network.prefixlen + (96 if network.version == 4 and ip_version == 6 else 0)
        key = json.dumps(record, sort_keys=True)
        if key not in offsets:
            offsets[key] = len(data)
            data += _encode(record)
        node = 0
        for depth in range(prefix):
            bit = (int(network.network_address) >> (bits - 1 - depth)) & 1
            if depth == prefix - 1:
                nodes[node][bit] = ("data", offsets[key])
            else:
                if nodes[node][bit] is None:
                    nodes.append([None, None])
                    nodes[node][bit] = len(nodes) - 1
                node = nodes[node][bit]
    count = len(nodes)

    def record_value(entry: Any) -> int:
        if entry is None:
            return count
        return count + 16 + entry[1] if isinstance(entry, tuple) else entry

    tree = b"".join(record_value(a).to_bytes(3, "big") + record_value(b).to_bytes(3, "big") for a, b in nodes)
    metadata = {
        "node_count": (UINT32, count),
        "record_size": (UINT16, 24),
        "ip_version": (UINT16, ip_version),
        "database_type": "Test-Country",
        "languages": ["en"],
        "binary_format_major_version": (UINT16, 2),
        "binary_format_minor_version": (UINT16, 0),
        "build_epoch": (UINT64, 1_700_000_000),
        "description": {"en": "consent-server test data"},
    }
    path.write_bytes(tree + b"\0" * 16 + data + b"\xab\xcd\xefMaxMind.com" + _encode(metadata))
    return path


@pytest.fixture
def mmdb(tmp_path: Path) -> Path:
    return write_mmdb(
        tmp_path / "country.mmdb",
        {
            "145.97.0.0/16": {"country": {"iso_code": "NL"}, "registered_country": {"iso_code": "NL"}},
            "2001:610::/32": {"country": {"iso_code": "NL"}},
            "81.2.69.0/24": {"registered_country": {"iso_code": "GB"}},
            "1.0.16.0/20": {"country_code": "jp", "country": "Japan"},  # IPinfo lite layout
            "41.0.0.0/8": {"continent": {"code": "AF"}},
        },
    )


# --- the packaged data ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("network", "country"),
    [
        ("145.97.39.0", "NL"),  # SURF
        ("194.109.6.0", "NL"),  # XS4ALL
        ("2001:610:188::", "NL"),  # SURF
        ("2a02:a440::", "NL"),
        ("194.25.134.0", "DE"),  # Deutsche Telekom
        ("2003:e0::", "DE"),
        ("8.8.8.0", "US"),
        ("2001:4860:4860::", "US"),
        ("1.0.16.0", "JP"),
        ("::ffff:145.97.39.0", "NL"),  # IPv4-mapped: looked up as the IPv4 network it carries
    ],
)
def test_country_of_finds_the_country_in_the_packaged_data(network: str, country: str) -> None:
    assert country_of(network) == country
    assert CountryLookup().country_of(network) == country


@pytest.mark.parametrize(
    "network",
    [
        "10.0.0.0",
        "172.16.0.0",
        "192.168.1.0",
        "127.0.0.0",
        "0.0.0.0",
        "100.64.0.0",
        "169.254.1.0",
        "192.0.2.0",
        "198.51.100.0",
        "203.0.113.0",
        "198.18.0.0",
        "224.0.0.0",
        "240.0.0.0",
        "255.255.255.0",
        "::",
        "fe80::",
        "fc00::",
        "fd12:3456:789a::",
        "2001:db8:abcd::",
        "ff02::",
        "::ffff:10.0.0.0",
        "2001::",  # Teredo, inside the IETF protocol assignments
        "2002:9161:2700::",  # 6to4: truncate_ip hands these over as the IPv4 network they carry
        "3fff::",
        "4000::",
    ],
)
def test_country_of_gives_none_for_private_and_reserved_networks(network: str) -> None:
    assert country_of(network) is None


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "not an address",
        "1.2.3",
        "145.97.39.0/24",
        " 145.97.39.0",
        "145.97.39.0\n",
        "x" * 5000,
        "[2001:610:188::]",
        "2001:610:188::%eth0",
        "0x91.0x61.0x27.0",
    ],
)
def test_country_of_gives_none_for_what_is_no_network_address(value: str | None) -> None:
    assert country_of(value) is None


@pytest.mark.parametrize(
    "address",
    ["145.97.39.7", "145.97.39.255", "2001:610:188::1", "2001:610:188:1::", "::1", "::ffff:145.97.39.7"],
)
def test_country_of_refuses_a_full_address_without_repeating_it(address: str) -> None:
    with pytest.raises(ValueError, match="truncated network address") as refused:
        country_of(address)
    assert address not in str(refused.value)


# --- a configured MaxMind-format file -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("network", "country"),
    [
        ("145.97.39.0", "NL"),
        ("2001:610:188::", "NL"),
        ("81.2.69.0", "GB"),  # only registered_country in the record
        ("1.0.16.0", "JP"),  # IPinfo's country_code, upper-cased
        ("41.0.0.0", None),  # a record without a country
        ("194.25.134.0", None),  # known to the packaged data, not to the configured file
        ("2003:e0::", None),
    ],
)
def test_country_lookup_reads_only_the_configured_file(mmdb: Path, network: str, country: str | None) -> None:
    assert CountryLookup(str(mmdb)).country_of(network) == country
    assert country_of(network, mmdb_path=str(mmdb)) == country


def test_country_lookup_treats_zz_as_unknown(tmp_path: Path) -> None:
    path = write_mmdb(tmp_path / "zz.mmdb", {"5.0.0.0/8": {"country": {"iso_code": "ZZ"}}})
    assert CountryLookup(str(path)).country_of("5.1.2.0") is None


def test_country_lookup_gives_none_for_ipv6_in_an_ipv4_only_file(tmp_path: Path) -> None:
    path = write_mmdb(tmp_path / "v4.mmdb", {"145.97.0.0/16": {"country": {"iso_code": "NL"}}}, ip_version=4)
    lookup = CountryLookup(str(path))
    assert lookup.country_of("145.97.39.0") == "NL"
    assert lookup.country_of("2001:610:188::") is None


@pytest.mark.parametrize(
    "content",
    [None, b"", b"not a maxmind database", b"\xab\xcd\xefMaxMind.com" + b"\xff" * 20],
)
def test_country_lookup_raises_on_the_first_lookup_when_the_file_is_unreadable(
    tmp_path: Path, content: bytes | None
) -> None:
    path = tmp_path / "broken.mmdb"
    if content is not None:
        path.write_bytes(content)
    lookup = CountryLookup(str(path))  # constructing reads nothing
    with pytest.raises(GeoDatabaseError, match=r"broken\.mmdb"):
        lookup.country_of("145.97.39.0")


def test_country_lookup_opens_the_file_once_and_again_after_close(mmdb: Path) -> None:
    lookup = CountryLookup(str(mmdb))
    find = lookup.load()
    assert lookup.load() is find
    lookup.close()
    assert lookup.country_of("145.97.39.0") == "NL"
    assert lookup.load() is not find
    lookup.close()


def test_country_lookup_does_not_open_the_file_for_private_networks(tmp_path: Path) -> None:
    lookup = CountryLookup(str(tmp_path / "missing.mmdb"))
    assert lookup.country_of("10.0.0.0") is None
    assert lookup.country_of(None) is None


def test_lookup_for_shares_one_lookup_per_database() -> None:
    assert lookup_for() is lookup_for(None)
    assert lookup_for("") is lookup_for()
    assert lookup_for("/srv/geo/a.mmdb") is lookup_for("/srv/geo/a.mmdb")
    assert lookup_for("/srv/geo/a.mmdb") is not lookup_for()


def test_importing_geo_loads_no_country_data() -> None:
    code = (
        "import sys, consent_server.collect.geo as geo; "
        "geo.CountryLookup('/nonexistent.mmdb'); geo.lookup_for(); "
        "print(sorted({'iptocc', 'maxminddb'} & set(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
