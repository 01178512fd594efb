"""Retention: every rule of privacy invariant 6, applied as of a given moment."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select

from ..analytics.partitions import drop_partitions_before
from ..analytics.salts import destroy_expired
from ..extensions import DBSession
from ..models import (
    AnalyticsEvent,
    AnalyticsSession,
    AuditLog,
    BotTally,
    ConsentDaily,
    ConsentRecord,
    DailyRollup,
    MonthlyRollup,
    RollupMonth,
    User,
)
from ..timeutil import add_months

# Rows deleted per statement on tables that ingest writes to, so a purge never holds the lock long.
BATCH = 5000


def cutoffs(settings: Mapping[str, Any], now: datetime) -> dict[str, datetime]:
    """The moment before which each kind of data is deleted (calendar months, UTC)."""
    analytics = add_months(now, -settings["ANALYTICS_RETENTION_MONTHS"])
    return {
        "analytics_events": analytics,
        "analytics_sessions": analytics,
        "analytics_bot_tallies": analytics,
        "analytics_daily": analytics,
        "analytics_months": analytics,
        "analytics_monthly": analytics,
        "consent_records": add_months(now, -settings["CONSENT_LOG_RETENTION_MONTHS"]),
        "consent_daily": add_months(now, -settings["CONSENT_LOG_RETENTION_MONTHS"]),
        "audit_log": add_months(now, -settings["SECURITY_LOG_RETENTION_MONTHS"]),
        "users": now - timedelta(days=settings["USER_RETENTION_DAYS"]),
    }


def _rules(limits: dict[str, datetime]) -> list[tuple[str, Any, ColumnElement[bool]]]:
    return [
        ("analytics_events", AnalyticsEvent, AnalyticsEvent.occurred_at < limits["analytics_events"]),
        ("analytics_sessions", AnalyticsSession, AnalyticsSession.started_at < limits["analytics_sessions"]),
        ("analytics_bot_tallies", BotTally, BotTally.day < limits["analytics_bot_tallies"].date()),
        # A month that loses some of its days is first taken off the list of built months (readers go
        # back to its remaining days; the rollup job sums them again), then its monthly rows go.
        ("analytics_months", RollupMonth, RollupMonth.month < limits["analytics_months"].date()),
        ("analytics_monthly", MonthlyRollup, MonthlyRollup.month < limits["analytics_monthly"].date()),
        # Rollup days wholly before the cutoff: the day the cutoff falls in stays, as its events do.
        ("analytics_daily", DailyRollup, DailyRollup.day < limits["analytics_daily"].date()),
        ("consent_records", ConsentRecord, ConsentRecord.created_at < limits["consent_records"]),
        # Counts of the records above, kept no longer than the records they count.
        ("consent_daily", ConsentDaily, ConsentDaily.day < limits["consent_daily"].date()),
        ("audit_log", AuditLog, AuditLog.created_at < limits["audit_log"]),
        ("users", User, User.deactivated_at < limits["users"]),
    ]


def _delete_in_batches(
    session: DBSession, model: Any, older: ColumnElement[bool], between_batches: Callable[[], None]
) -> int:
    keys = model.__mapper__.primary_key
    if len(keys) != 1:  # tables keyed by several columns (bot tallies, daily rollups): one statement
        result = session.execute(delete(model).where(older).execution_options(synchronize_session=False))
        return result.rowcount  # type: ignore[attr-defined]
    key = keys[0]
    deleted = 0
    while True:
        ids = select(key).where(older).limit(BATCH).scalar_subquery()
        result = session.execute(
            delete(model).where(key.in_(ids)).execution_options(synchronize_session=False)
        )
        count: int = result.rowcount  # type: ignore[attr-defined]
        deleted += count
        if count < BATCH:
            return deleted
        between_batches()


def purge(
    session: DBSession,
    settings: Mapping[str, Any],
    now: datetime,
    dry_run: bool = False,
    between_batches: Callable[[], None] = lambda: None,
) -> dict[str, int]:
    """Delete (or with dry_run only count) what is older than its retention. Returns rows per table.

    Data exactly at the cutoff is kept: only what is strictly older goes. On PostgreSQL, monthly
    partitions of analytics_events that lie wholly before the cutoff are dropped whole first.
    `between_batches` runs between batches of a large delete (the CLI commits there).
    """
    limits = cutoffs(settings, now)
    deleted: dict[str, int] = {}
    dropped = drop_partitions_before(session.connection(), limits["analytics_events"], dry_run=dry_run)
    for table, model, older in _rules(limits):
        if dry_run:
            deleted[table] = session.scalar(select(func.count()).select_from(model).where(older)) or 0
        else:
            deleted[table] = _delete_in_batches(session, model, older, between_batches)
    deleted["analytics_events"] += sum(dropped.values())
    deleted["analytics_salts"] = destroy_expired(session, now, dry_run=dry_run)
    session.flush()
    return deleted
