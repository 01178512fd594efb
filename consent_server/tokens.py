"""Consent tokens: the signed mirror of a visitor's choice, checked again by the collector."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

from .errors import Unauthorized

# Used for nothing else, so no other signed value of this app can pass as a consent token.
TOKEN_SALT = "consent-server/consent-token/v1"  # noqa: S105 (a salt, not a secret)
MAX_TOKEN_LENGTH = 2048


@dataclass(frozen=True)
class TokenClaims:
    site: str
    consent_id: str
    granted: tuple[str, ...]
    policy_version: int
    issued_at: datetime


class ConsentTokens:
    """Sign with the current key; verify with it and every rotated-out key."""

    def __init__(self, secret_key: str, fallbacks: Sequence[str] = ()):
        # itsdangerous signs with the last key and tries all of them when verifying.
        self._serializer = URLSafeTimedSerializer([*fallbacks, secret_key], salt=TOKEN_SALT)

    def sign(self, site: str, consent_id: str, granted: Sequence[str], policy_version: int) -> str:
        payload = {"s": site, "c": consent_id, "g": list(granted), "v": policy_version}
        return str(self._serializer.dumps(payload))

    def verify(self, token: str) -> TokenClaims:
        """Check the signature (any age: the caller checks the lifetime). Raises Unauthorized."""
        if not token or len(token) > MAX_TOKEN_LENGTH:
            raise Unauthorized("A consent token is required.", code="invalid_token")
        try:
            payload, timestamp = self._serializer.loads(token, return_timestamp=True)
        except BadSignature:
            raise Unauthorized("The consent token is not valid.", code="invalid_token") from None
        if not _well_formed(payload):
            raise Unauthorized("The consent token is not valid.", code="invalid_token")
        return TokenClaims(
            site=payload["s"],
            consent_id=payload["c"],
            granted=tuple(payload["g"]),
            policy_version=payload["v"],
            issued_at=timestamp.astimezone(UTC),
        )


def _well_formed(payload: Any) -> bool:
    return (
        isinstance(payload, dict)
        and isinstance(payload.get("s"), str)
        and isinstance(payload.get("c"), str)
        and isinstance(payload.get("g"), list)
        and all(isinstance(key, str) for key in payload["g"])
        and isinstance(payload.get("v"), int)
    )
