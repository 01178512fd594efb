"""Privacy invariant 1 for logs: no full client address in a log line or a logged traceback."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Iterator
from types import TracebackType

import pytest

from consent_server.logs import LOG_FORMAT, AddressScrubber, scrub_addresses
from consent_server.privacy import truncate_ip


@pytest.mark.parametrize(
    ("text", "scrubbed"),
    [
        ("consent from 203.0.113.77", "consent from 203.0.113.0"),
        ("ip=10.20.30.40, next", "ip=10.20.30.0, next"),
        ("peer 198.51.100.7:51234 closed", "peer 198.51.100.0:51234 closed"),
        ("refused request from 203.0.113.77.", "refused request from 203.0.113.0."),
        ("GET /x?ip=203.0.113.77&y=1 HTTP/1.1", "GET /x?ip=203.0.113.0&y=1 HTTP/1.1"),
        ("a 203.0.113.77 b 198.51.100.9 c", "a 203.0.113.0 b 198.51.100.0 c"),
    ],
)
def test_scrub_addresses_truncates_ipv4_to_its_network(text: str, scrubbed: str) -> None:
    assert scrub_addresses(text) == scrubbed


@pytest.mark.parametrize(
    ("text", "scrubbed"),
    [
        ("consent from 2001:db8:abcd:1234::1 ok", "consent from 2001:db8:abcd:: ok"),
        ("full 2001:0db8:abcd:0012:0000:0000:0000:0001 x", "full 2001:db8:abcd:: x"),
        ("upper 2001:DB8:ABCD:1234::1", "upper 2001:db8:abcd::"),
        ("peer [2001:db8:abcd:1234::1]:443 closed", "peer [2001:db8:abcd::]:443 closed"),
        ("link fe80::1234%eth0 up", "link fe80::%eth0 up"),
        ("refused request from 2001:db8:abcd:1234::1.", "refused request from 2001:db8:abcd::."),
        ("2001:db8:abcd:1234::1: connection reset", "2001:db8:abcd::: connection reset"),
        ("client:2001:db8:abcd:1234::1", "client:2001:db8:abcd::"),
        ("(2001:db8:abcd:1234::1)", "(2001:db8:abcd::)"),
        ('"2001:db8:abcd:1234::1"', '"2001:db8:abcd::"'),
        ("6to4 2002:cb00:714d::1 here", "6to4 203.0.113.0 here"),
    ],
)
def test_scrub_addresses_truncates_ipv6_to_its_48_network(text: str, scrubbed: str) -> None:
    assert scrub_addresses(text) == scrubbed


@pytest.mark.parametrize(
    ("text", "scrubbed"),
    [
        ("mapped ::ffff:203.0.113.77 x", "mapped 203.0.113.0 x"),
        ("mapped ::FFFF:203.0.113.77", "mapped 203.0.113.0"),
        ("from ::ffff:203.0.113.77.", "from 203.0.113.0."),
        ("peer [::ffff:203.0.113.77]:443", "peer [203.0.113.0]:443"),
    ],
)
def test_scrub_addresses_truncates_ipv4_mapped_addresses_as_ipv4(text: str, scrubbed: str) -> None:
    assert scrub_addresses(text) == scrubbed


@pytest.mark.parametrize(
    "text",
    [
        "request took 12:30:45",
        "at 2025-01-02T12:30:45.123456Z",
        "[25/Nov/2026 14:07:13] done",
        "version 1.2.3",
        "python 3.11.7 on linux",
        "999.1.1.1 is no address",
        "1.2.3 and 10.1.2",
        "mac 00:1a:2b:3c:4d:5e",
        "hash deadbeef:cafe",
        "sha256:0123456789abcdef0123456789abcdef",
        "std::fs::read and Foo::Bar",
        "ratio 4.5:1",
        "nothing to see here.",
        "",
    ],
)
def test_scrub_addresses_leaves_non_addresses_alone(text: str) -> None:
    assert scrub_addresses(text) == text


@pytest.mark.parametrize(
    "text",
    ["Listening at: http://127.0.0.1:5000", "bound to http://[::1]:5000/", "serving on 0.0.0.0:8000", "::"],
)
def test_scrub_addresses_leaves_the_servers_own_bind_addresses_readable(text: str) -> None:
    assert scrub_addresses(text) == text


@pytest.mark.parametrize("text", ["a" * 100_000, "1:" * 50_000, "999." * 25_000, "ab:" * 30_000])
def test_scrub_addresses_leaves_long_address_like_text_alone(text: str) -> None:
    assert scrub_addresses(text) == text


# --- AddressScrubber on log records ------------------------------------------------------------------


@pytest.fixture
def captured() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(AddressScrubber())
    logger = logging.getLogger("tests.unit.scrubbed")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]


def _record(msg: str, *args: object, exc_info: ExcInfo | None = None) -> logging.LogRecord:
    return logging.LogRecord("consent_server", logging.INFO, __file__, 1, msg, args, exc_info)


def test_address_scrubber_scrubs_addresses_passed_as_arguments() -> None:
    record = _record("consent from %s on %s", "203.0.113.77", "2001:db8:abcd:1234::1")
    assert AddressScrubber().filter(record) is True
    assert record.getMessage() == "consent from 203.0.113.0 on 2001:db8:abcd::"


def test_address_scrubber_scrubs_addresses_in_the_message_itself() -> None:
    record = _record("consent from 203.0.113.77")
    AddressScrubber().filter(record)
    assert record.getMessage() == "consent from 203.0.113.0"


def test_address_scrubber_leaves_records_without_addresses_as_they_were() -> None:
    record = _record("stored %d events at %s", 3, "12:30:45")
    AddressScrubber().filter(record)
    assert (record.msg, record.args) == ("stored %d events at %s", (3, "12:30:45"))


def test_address_scrubber_scrubs_exception_text() -> None:
    try:
        raise ValueError("unexpected peer 203.0.113.77 and 2001:db8:abcd:1234::1")
    except ValueError:
        record = _record("request failed", exc_info=sys.exc_info())
    AddressScrubber().filter(record)
    assert record.exc_text is not None
    assert "203.0.113.0" in record.exc_text
    assert "203.0.113.77" not in record.exc_text
    assert "2001:db8:abcd:1234::1" not in record.exc_text


def test_logged_line_never_shows_the_full_address(captured: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = captured
    logger.info("from %s", "203.0.113.77")
    logger.warning("refused %s.", "::ffff:198.51.100.23")
    assert "203.0.113.0" in stream.getvalue()
    assert "198.51.100.0" in stream.getvalue()
    assert "203.0.113.77" not in stream.getvalue()
    assert "198.51.100.23" not in stream.getvalue()


def test_logged_traceback_never_shows_the_full_address(captured: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = captured
    try:
        raise ConnectionError("reset by 203.0.113.77")
    except ConnectionError:
        logger.exception("upstream failed")
    output = stream.getvalue()
    assert "Traceback" in output
    assert "ConnectionError: reset by 203.0.113.0" in output
    assert "203.0.113.77" not in output


def test_scrubber_merges_arguments_that_do_not_fit_the_format_and_truncates_them() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "peer %s %s", ("203.0.113.77",), None)
    assert AddressScrubber().filter(record) is True
    assert "203.0.113.77" not in record.getMessage()
    assert "203.0.113.0" in record.getMessage()


@pytest.mark.parametrize("peer", ["203.0.113.77", "2001:db8:abcd:12:1:2:3:4"], ids=["ipv4", "ipv6"])
def test_gunicorns_invalid_request_line_names_only_the_network(peer: str) -> None:
    # gunicorn/workers/base.py logs the TCP peer of a malformed request in exactly this shape.
    line = scrub_addresses(f"Invalid request from ip={peer}: Invalid HTTP request line: 'NOT HTTP'")
    assert peer not in line
    assert line.startswith(f"Invalid request from ip={truncate_ip(peer)}:")
