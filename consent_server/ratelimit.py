"""In-process rate limit storage without a thread per hit.

`limits`' MemoryStorage purges expired counters in a threading.Timer that it starts again on every
hit once the previous one has run (10 ms later): on a busy collector that is a new thread for about
every other request, which costs more than the rest of the rate limit check. Expired counters are
already ignored when read (`get` drops them), so the purge only frees memory; this storage does it
inline, at most once a second. Everything else, counting included, is limits' own code.

`memory://` in CONSENT_RATELIMIT_STORAGE_URI selects it (create_app maps the URI); Redis storage is
unaffected.
"""

from __future__ import annotations

import time

from limits.storage import MemoryStorage

SCHEME = "consent-memory"
SWEEP_EVERY = 1.0  # seconds


class SweepingMemoryStorage(MemoryStorage):
    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.timer.cancel()  # the one Timer the base class starts; nothing starts another
        self._next_sweep = time.monotonic() + SWEEP_EVERY

    # limits calls this (name-mangled) hook before every write; tests/unit/test_ratelimit.py checks
    # that it is still the hook, so an upgrade of limits that renames it fails loudly.
    def _MemoryStorage__schedule_expiry(self) -> None:
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + SWEEP_EVERY
            self._MemoryStorage__expire_events()  # type: ignore[attr-defined]

    def __setstate__(self, state: dict[str, object]) -> None:
        super().__setstate__(state)
        self.timer.cancel()


def storage_uri(configured: str) -> str:
    """The URI Flask-Limiter gets: memory:// becomes this storage, anything else is kept."""
    return f"{SCHEME}://" if configured.startswith("memory://") else configured
