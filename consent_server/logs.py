"""Logging that cannot leak a client address: every record passes a filter that truncates addresses."""

from __future__ import annotations

import ipaddress
import logging
import re
import sys

from .privacy import truncate_ip

# Candidates only; each is confirmed with ipaddress before it is replaced.
_ADDRESS_CANDIDATE = re.compile(
    r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f.]*(?![\w:])|\b\d{1,3}(?:\.\d{1,3}){3}\b"
)
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def _truncate_match(match: re.Match[str]) -> str:
    text = match.group(0)
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return text
    if address.is_loopback or address.is_unspecified:
        return text  # the server's own bind address, never a visitor's
    return truncate_ip(text) or text


def scrub_addresses(text: str) -> str:
    """Replace every IP address in a text by its truncated network."""
    return _ADDRESS_CANDIDATE.sub(_truncate_match, text)


class AddressScrubber(logging.Filter):
    """Rewrite a record's message so that no full IP address is written, whoever logged it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
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
