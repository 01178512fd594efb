"""Rotating salts for visitor keys (privacy invariant 5).

A salt keys the visitor hash for one period (a UTC day, or a calendar month) and is destroyed after
the period plus a grace that lets a visit crossing midnight keep its key. Once destroyed, stored
events can no longer be linked back to a consent id, and so not to a person.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from ..extensions import DBSession
from ..models import AnalyticsSalt
from ..timeutil import add_months

GRACE = timedelta(hours=1)
PERIODS = ("day", "month")


def period_bounds(moment: datetime, period: str) -> tuple[datetime, datetime]:
    """The UTC period [start, end) that contains the moment."""
    start = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "month":
        start = start.replace(day=1)
        return start, add_months(start, 1)
    return start, start + timedelta(days=1)


def current_salt(session: DBSession, now: datetime, period: str) -> AnalyticsSalt:
    """The salt of the period containing now, created on first use (safe when workers race)."""
    start, end = period_bounds(now, period)
    salt = session.scalar(select(AnalyticsSalt).where(AnalyticsSalt.period_start == start))
    if salt is None:
        candidate = AnalyticsSalt(period_start=start, period_end=end, secret=secrets.token_bytes(32))
        try:
            with session.begin_nested():
                session.add(candidate)
            salt = candidate
        except IntegrityError:  # another worker created it first: use theirs
            salt = session.scalar(select(AnalyticsSalt).where(AnalyticsSalt.period_start == start))
    assert salt is not None
    return salt


def previous_salt(session: DBSession, salt: AnalyticsSalt, now: datetime) -> AnalyticsSalt | None:
    """The salt of the period before, while its grace lasts (a visit that crossed the boundary)."""
    if now - salt.period_start >= GRACE:
        return None
    return session.scalar(select(AnalyticsSalt).where(AnalyticsSalt.period_end == salt.period_start))


def live_salts(session: DBSession) -> list[AnalyticsSalt]:
    """Every salt not yet destroyed: what can still link events to a consent id."""
    return list(session.scalars(select(AnalyticsSalt).order_by(AnalyticsSalt.period_start)))


def destroy_expired(session: DBSession, now: datetime, dry_run: bool = False) -> int:
    """Delete salts whose period plus grace has passed. Returns how many."""
    expired = AnalyticsSalt.period_end < now - GRACE
    count = session.scalar(select(func.count()).select_from(AnalyticsSalt).where(expired)) or 0
    if count and not dry_run:
        session.execute(delete(AnalyticsSalt).where(expired))
    return count
