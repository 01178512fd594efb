"""Factories: valid documents and requests, with overrides for the one thing a test changes."""

from __future__ import annotations

import copy
import json
from typing import Any

from consent_server.demo import DEMO_SITE_FILE

ORIGIN = "https://www.example.nl"
CHROME_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
_BASE = json.loads(DEMO_SITE_FILE.read_text(encoding="utf-8"))


def site_document(**overrides: Any) -> dict[str, Any]:
    """The monoconnect.nl example as site `example` on https://www.example.nl, with overrides."""
    doc = copy.deepcopy(_BASE)
    doc.update(
        key="example", name="Example", origins=[ORIGIN, "https://example.nl"], cookie_domain=".example.nl"
    )
    doc.update(overrides)
    return doc


def consent_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "site": "example",
        "categories": {"analytics": True},
        "policy_version": 1,
        "action": "custom",
        "language": "nl",
        "url": "https://www.example.nl/nieuws?id=7&utm_source=mail#top",
    }
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not None}


def browser_headers(**extra: str) -> dict[str, str]:
    return {"Origin": ORIGIN, "User-Agent": CHROME_UA, **extra}
