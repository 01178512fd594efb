"""The in-process rate limit storage: limits' own counting, without a thread per hit."""

from __future__ import annotations

import threading
import time

import pytest
from limits import parse
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

from consent_server import ratelimit
from consent_server.ratelimit import SweepingMemoryStorage, storage_uri


def test_limits_still_has_the_hook_this_storage_replaces() -> None:
    assert callable(getattr(MemoryStorage, "_MemoryStorage__schedule_expiry", None))
    assert callable(getattr(MemoryStorage, "_MemoryStorage__expire_events", None))


def test_memory_uri_selects_the_sweeping_storage_and_redis_is_kept() -> None:
    assert isinstance(storage_from_string(storage_uri("memory://")), SweepingMemoryStorage)
    assert storage_uri("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"


def test_hits_start_no_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    storage = SweepingMemoryStorage()
    started: list[threading.Thread] = []
    monkeypatch.setattr(threading.Thread, "start", lambda thread: started.append(thread))
    limiter = FixedWindowRateLimiter(storage)
    for n in range(50):
        limiter.hit(parse("100/minute"), "collect", str(n))
    assert started == []


def test_counts_and_refuses_like_limits_memory_storage() -> None:
    limiter = FixedWindowRateLimiter(SweepingMemoryStorage())
    item = parse("2/minute")
    assert [limiter.hit(item, "net") for _ in range(3)] == [True, True, False]
    assert limiter.hit(item, "other net")


def test_expired_counters_are_swept_from_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ratelimit, "SWEEP_EVERY", 0.0)
    storage = SweepingMemoryStorage()
    storage.incr("old", expiry=0.01)
    time.sleep(0.02)
    storage.incr("new", expiry=60)  # a write sweeps
    assert "old" not in storage.storage
    assert storage.get("new") == 1
