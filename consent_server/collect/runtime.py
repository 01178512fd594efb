"""What one worker process keeps for the collector between requests.

- a snapshot of each site it served, checked against `sites.updated_at` on every hit (one read that
  also fetches the visitor's latest choice), so a changed site is reloaded before it is trusted;
- one kept database connection, outside the pool and in autocommit, for that read;
- a buffer of accepted hits that a thread writes in one transaction every COLLECT_FLUSH_MS
  milliseconds (at once when it is 0). Stopping the worker (SIGTERM, normal exit) writes what is left;
  SIGKILL loses at most the hits of the last interval.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import threading
import time
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ..errors import NotFound, Unavailable
from ..extensions import DBSession, db
from ..models import Site
from ..sites.services import get_site
from ..tokens import ConsentTokens
from .services import LatestChoice, Pending, decode_categories, store_hits

log = logging.getLogger(__name__)
EXTENSION = "consent_server.collector"
BATCH = 500  # a full batch is written without waiting for the interval
RETRIES_BEFORE_SPLIT = 3


@dataclass(frozen=True)
class SiteSnapshot:
    """The fields of a site the collector uses, as they were at `updated_at`."""

    id: int
    key: str
    origins: tuple[str, ...]
    policy_version: int
    consent_lifetime_months: int
    hash_routing: bool
    updated_at: datetime

    @classmethod
    def of(cls, site: Site) -> SiteSnapshot:
        return cls(
            id=site.id,
            key=site.key,
            origins=tuple(site.origins),
            policy_version=site.policy_version,
            consent_lifetime_months=site.consent_lifetime_months,
            hash_routing=site.hash_routing,
            updated_at=site.updated_at,
        )


def _as_utc(value: Any) -> datetime:
    if isinstance(value, str):  # SQLite's raw driver hands back the stored text
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


_CHOICE_SQL = (
    "SELECT s.updated_at, r.categories, r.policy_version FROM sites s "
    "LEFT JOIN consent_records r ON r.site_id = s.id AND r.consent_id = ? "
    "WHERE s.id = ? ORDER BY r.id DESC LIMIT 1"
)


class ChoiceReader:
    """Reads a site's `updated_at` and a visitor's latest choice on one kept, autocommitting connection.

    The connection is taken out of the pool (it would otherwise hold a pool slot and leak its
    autocommit mode to other users), closed on `close()` or when the reader is collected.
    """

    def __init__(self, engine: Engine):
        self._engine = engine
        self._lock = threading.Lock()
        self._connection: Any = None
        self._sql = _CHOICE_SQL if engine.dialect.paramstyle == "qmark" else _CHOICE_SQL.replace("?", "%s")
        self._errors: tuple[type[BaseException], ...] = (engine.dialect.loaded_dbapi.Error,)
        self._finalizer = weakref.finalize(self, ChoiceReader._close_connection, [None])

    def read(self, site_id: int, consent_id: str) -> tuple[datetime, LatestChoice | None] | None:
        """(the site's updated_at, the latest choice or None); None when the site is gone.

        Raises Unavailable when the database does not answer twice in a row.
        """
        with self._lock:
            for attempt in (1, 2):
                try:
                    cursor = self._connect().cursor()
                    try:
                        cursor.execute(self._sql, (consent_id, site_id))
                        row = cursor.fetchone()
                    finally:
                        cursor.close()
                    break
                except self._errors:
                    self._discard()
                    if attempt == 2:
                        log.warning("the collector's consent read failed twice; answering 503")
                        raise Unavailable("The database does not answer; try again later.") from None
        if row is None:
            return None
        updated_at, categories, policy_version = row
        latest = (
            None if policy_version is None else LatestChoice(decode_categories(categories), policy_version)
        )
        return _as_utc(updated_at), latest

    def _connect(self) -> Any:
        if self._connection is None:
            proxied = self._engine.raw_connection()
            proxied.detach()
            if self._engine.dialect.name == "postgresql":
                proxied.rollback()  # the pool's ping may have opened a transaction
                proxied.dbapi_connection.autocommit = True  # type: ignore[union-attr]
            self._connection = proxied
            self._finalizer.detach()
            self._finalizer = weakref.finalize(self, ChoiceReader._close_connection, [proxied])
        return self._connection

    def _discard(self) -> None:
        self._finalizer()
        self._connection = None

    def close(self) -> None:
        with self._lock:
            self._discard()

    @staticmethod
    def _close_connection(holder: list[Any]) -> None:
        connection = holder[0]
        if connection is not None:
            with contextlib.suppress(Exception):  # already broken: nothing left to release
                connection.close()


class HitBuffer:
    """Accepted hits waiting to be written; a daemon thread writes them every `flush_ms` milliseconds."""

    def __init__(self, engine: Engine, salt_period: str, geo_database: str | None, flush_ms: int, limit: int):
        self._engine = engine
        self._salt_period = salt_period
        self._geo_database = geo_database
        self._interval = flush_ms / 1000
        self._limit = limit
        self._items: list[Pending] = []
        self._lock = threading.Lock()  # guards _items
        self._writing = threading.Lock()  # one batch at a time, in order
        self._wake = threading.Event()
        self._stopped = False
        self._thread: threading.Thread | None = None
        self._failures = 0

    def add(self, item: Pending) -> None:
        """Queue a hit (write it at once when flush_ms is 0). Raises Unavailable when the buffer is full."""
        if self._interval == 0:
            self._write([item])
            return
        with self._lock:
            if len(self._items) >= self._limit:
                raise Unavailable("Too many hits are waiting to be written; try again later.")
            self._items.append(item)
            full = len(self._items) >= BATCH
            if self._thread is None and not self._stopped:
                self._thread = threading.Thread(target=self._run, name="consent-server-hits", daemon=True)
                self._thread.start()
        if full:
            self._wake.set()

    def pending(self) -> int:
        with self._lock:
            return len(self._items)

    def flush(self) -> int:
        """Write everything queued now, in this thread. Returns the events stored; raises on failure."""
        with self._writing:
            with self._lock:
                batch, self._items = self._items, []
            if not batch:
                return 0
            try:
                return self._write(batch)
            except Exception:
                with self._lock:
                    self._items[:0] = batch  # keep them, in order, for the next attempt
                raise

    def close(self) -> None:
        """Stop the thread and write what is left (a failure is logged: nothing else can be done)."""
        self._stopped = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        try:
            self.flush()
        except Exception:
            log.exception("%d analytics hits could not be written at shutdown", self.pending())

    def _write(self, batch: list[Pending]) -> int:
        with Session(self._engine) as session:
            stored = store_hits(session, batch, self._salt_period, self._geo_database)
            session.commit()
        return stored

    def _run(self) -> None:
        while not self._stopped:
            self._wake.wait(self._interval)
            self._wake.clear()
            if self._stopped:
                return
            try:
                self.flush()
                self._failures = 0
            except Exception:
                self._failures += 1
                log.exception("writing analytics hits failed (attempt %d)", self._failures)
                if self._failures >= RETRIES_BEFORE_SPLIT:
                    self._write_one_by_one()
                else:
                    time.sleep(min(0.1 * 2**self._failures, 5.0))

    def _write_one_by_one(self) -> None:
        """After repeated failures: write hits singly and drop those that fail alone (never loop on one)."""
        with self._writing:
            with self._lock:
                batch, self._items = self._items, []
            dropped = 0
            for item in batch:
                try:
                    self._write([item])
                except Exception:
                    dropped += 1
            if dropped:
                log.error("dropped %d analytics hits that could not be written", dropped)
            self._failures = 0


class Collector:
    """The per-process state: site snapshots, the consent reader, the hit buffer, the token checker."""

    def __init__(self, app: Flask):
        config = app.config
        with app.app_context():
            engine = db.engine
        self.tokens = ConsentTokens(config["SECRET_KEY"], config["SECRET_KEY_FALLBACKS"])
        self.pid = os.getpid()
        self.reader = ChoiceReader(engine)
        self.buffer = HitBuffer(
            engine,
            config["SALT_PERIOD"],
            config["GEOIP_DATABASE"],
            config["COLLECT_FLUSH_MS"],
            config["COLLECT_BUFFER_MAX"],
        )
        self._sites: dict[str, SiteSnapshot] = {}

    def site(self, session: DBSession, key: str) -> SiteSnapshot:
        """The snapshot of a site (loaded on first use). Raises NotFound."""
        snapshot = self._sites.get(key)
        if snapshot is None:
            snapshot = self._sites[key] = SiteSnapshot.of(get_site(session, key))
        return snapshot

    def latest_choice(
        self, session: DBSession, site: SiteSnapshot, consent_id: str
    ) -> tuple[SiteSnapshot, LatestChoice | None]:
        """The visitor's latest choice, and the site as it is now (reloaded if it changed).

        Raises NotFound when the site is gone, Unavailable when the database does not answer.
        """
        found = self.reader.read(site.id, consent_id)
        if found is None:
            self._sites.pop(site.key, None)
            raise NotFound(f"No site with key {site.key!r}.", code="site_not_found")
        updated_at, latest = found
        if updated_at != site.updated_at:
            self._sites.pop(site.key, None)
            site = self.site(session, site.key)
            if site.updated_at != updated_at:  # changed again in between: read the choice again
                return self.latest_choice(session, site, consent_id)
        return site, latest

    def close(self) -> None:
        self.buffer.close()
        self.reader.close()


_lock = threading.Lock()


def collector_for(app: Flask) -> Collector:
    """This process's collector for the app (a forked worker gets its own)."""
    collector: Collector | None = app.extensions.get(EXTENSION)
    if collector is not None and collector.pid == os.getpid():
        return collector
    with _lock:
        collector = app.extensions.get(EXTENSION)
        if collector is None or collector.pid != os.getpid():
            collector = app.extensions[EXTENSION] = Collector(app)
            if app.config["COLLECT_FLUSH_MS"]:
                # Outside gunicorn (which calls shutdown_collector on worker exit) a normal exit still writes.
                atexit.register(collector.close)
    return collector


def shutdown_collector(app: Flask) -> None:
    """Write the buffered hits and close the kept connection of this process's collector, if any."""
    collector: Collector | None = app.extensions.pop(EXTENSION, None)
    if collector is not None and collector.pid == os.getpid():
        collector.close()
        atexit.unregister(collector.close)
