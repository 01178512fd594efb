"""Periodic work shared by several instances: rollups every minute, retention once a day.

Each job runs under a lease in job_locks, so when several workers or hosts run `serve`, one of them
does the work and the others skip it.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError

from ..extensions import DBSession, db
from ..models import JobLock, record_audit
from ..retention.services import purge
from ..timeutil import isoformat, utcnow
from .partitions import ensure_partitions
from .rollups import days_to_refresh, refresh_day, refresh_months

log = logging.getLogger(__name__)
HOLDER = f"{socket.gethostname()}:{os.getpid()}"
ROLLUP_EVERY = timedelta(minutes=1)
PURGE_EVERY = timedelta(hours=24)


def acquire(session: DBSession, name: str, holder: str, now: datetime, lease: timedelta) -> bool:
    """Take the named lease when it is free or expired. The caller commits; True when taken."""
    taken = session.execute(
        update(JobLock)
        .where(JobLock.name == name, JobLock.expires_at <= now)
        .values(holder=holder, expires_at=now + lease)
    )
    if taken.rowcount:  # type: ignore[attr-defined]
        return True
    try:
        with session.begin_nested():
            session.execute(insert(JobLock).values(name=name, holder=holder, expires_at=now + lease))
    except IntegrityError:
        return False  # held by someone else, and not expired
    return True


def run_due_jobs(
    session: DBSession, settings: Mapping[str, Any], now: datetime, commit: Callable[[], None]
) -> list[str]:
    """Run whatever is due and not leased by another instance. Returns the names of the jobs run."""
    ran = []
    if acquire(session, "rollups", HOLDER, now, ROLLUP_EVERY - timedelta(seconds=5)):
        ensure_partitions(session.connection(), now)
        for day in days_to_refresh(now):
            refresh_day(session, day)
        # A month that has just become final, or was forgotten: one per run keeps every run short
        # (the first run after an upgrade leaves the older months to the runs after it).
        refresh_months(session, now, most=1)
        commit()
        ran.append("rollups")
    if acquire(session, "retention", HOLDER, now, PURGE_EVERY):
        deleted = purge(session, settings, now, between_batches=commit)
        record_audit("scheduler", "retention.purge", None, now=isoformat(now), deleted=deleted)
        commit()
        log.info("daily retention purge: %s", deleted)
        ran.append("retention")
    commit()
    return ran


def start_scheduler(app: Flask, interval: float = 30.0) -> threading.Thread:
    """Run due jobs every `interval` seconds in a daemon thread of this process."""

    def loop() -> None:
        stop = threading.Event()
        while not stop.wait(interval):
            try:
                with app.app_context():
                    run_due_jobs(db.session, app.config, utcnow(), db.session.commit)
            except Exception:  # a failed run is retried next time; the worker keeps serving
                log.exception("periodic jobs failed")
                with app.app_context():
                    db.session.rollback()

    thread = threading.Thread(target=loop, name="consent-server-jobs", daemon=True)
    thread.start()
    return thread
