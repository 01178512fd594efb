"""Logging that cannot leak a client address: every record passes a filter that truncates addresses."""

from __future__ import annotations

import ipaddress
import logging
import re
import sys

from .privacy import truncate_ip

# A run of the characters addresses are written with, holding a ':' or '.'. Runs start only at their
# first character, which keeps the scan linear; each address in a run is confirmed with ipaddress.
_RUN = re.compile(r"(?<![0-9A-Fa-f:.])[0-9A-Fa-f]*+[:.][0-9A-Fa-f:.]*+")
_IPV4 = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?!\d)")
_WORD = re.compile(r"\w")
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def _network(text: str) -> str | None:
    """The truncated network of an address (local addresses as they are), None when text is none."""
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.is_loopback or address.is_unspecified:
        return text  # the server's own bind address, never a visitor's
    return truncate_ip(text)


def _scrub_run(match: re.Match[str]) -> str:
    run = match.group(0)
    glued_to_word = _WORD.match(match.string, match.end()) is not None  # "std::fs", not an address
    if run.count(":") >= 2 and not glued_to_word:
        # Punctuation touching an address is not part of it: "from 2001:db8::1.", "ip:2001:db8::1",
        # "2001:db8::1: refused".
        for core in (run, run.rstrip("."), run.rstrip(".:")):
            for start in (0, 1) if core.startswith(":") else (0,):
                network = _network(core[start:])
                if network:
                    return run[:start] + network + run[len(core) :]
    return _IPV4.sub(lambda found: _network(found.group(0)) or found.group(0), run)


def scrub_addresses(text: str) -> str:
    """Replace every IP address in a text by its truncated network."""
    return _RUN.sub(_scrub_run, text)


class AddressScrubber(logging.Filter):
    """Rewrite a record's message so that no full IP address is written, whoever logged it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            # Arguments that do not fit the format: logging would print them raw, so merge them here.
            message = f"{record.msg} {record.args!r}"
            record.msg, record.args = message, None
        scrubbed = scrub_addresses(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub_addresses(record.exc_text)
        if scrubbed != message:
            record.msg, record.args = scrubbed, None
        return True


SCRUBBER = AddressScrubber()


def protect_logger(name: str) -> None:
    """Scrub one logger's records at the source (werkzeug's development server logs peer addresses)."""
    logger = logging.getLogger(name)
    if SCRUBBER not in logger.filters:
        logger.addFilter(SCRUBBER)


def configure_logging(level: str) -> None:
    """Send application logs to stderr through the address scrubber."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(SCRUBBER)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
