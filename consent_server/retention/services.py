"""Retention: every rule of privacy invariant 6, applied as of a given moment."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select

from ..extensions import DBSession
from ..models import AuditLog, ConsentRecord, User
from ..timeutil import add_months


def cutoffs(settings: Mapping[str, Any], now: datetime) -> dict[str, datetime]:
    """The moment before which each kind of data is deleted (calendar months, UTC)."""
    return {
        "consent_records": add_months(now, -settings["CONSENT_LOG_RETENTION_MONTHS"]),
        "audit_log": add_months(now, -settings["SECURITY_LOG_RETENTION_MONTHS"]),
        "users": now - timedelta(days=settings["USER_RETENTION_DAYS"]),
    }


def _rules(limits: dict[str, datetime]) -> list[tuple[str, Any, ColumnElement[bool]]]:
    return [
        ("consent_records", ConsentRecord, ConsentRecord.created_at < limits["consent_records"]),
        ("audit_log", AuditLog, AuditLog.created_at < limits["audit_log"]),
        ("users", User, User.deactivated_at < limits["users"]),
    ]


def purge(
    session: DBSession, settings: Mapping[str, Any], now: datetime, dry_run: bool = False
) -> dict[str, int]:
    """Delete (or with dry_run only count) what is older than its retention. Returns rows per table.

    Data exactly at the cutoff is kept: only what is strictly older goes.
    """
    deleted: dict[str, int] = {}
    for table, model, older in _rules(cutoffs(settings, now)):
        count = session.scalar(select(func.count()).select_from(model).where(older)) or 0
        if count and not dry_run:
            session.execute(delete(model).where(older).execution_options(synchronize_session=False))
        deleted[table] = count
    session.flush()
    return deleted
