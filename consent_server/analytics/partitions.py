"""Monthly partitions of analytics_events on PostgreSQL, so retention drops whole months.

SQLite has no partitions: there the same rules delete rows in batches. Partitions are named
analytics_events_YYYYMM and cover [first of the month, first of the next month) in UTC; a DEFAULT
partition catches anything outside the created range so an insert never fails.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, text

from ..timeutil import add_months

PARENT = "analytics_events"
DEFAULT = f"{PARENT}_default"
_PARTITION = re.compile(rf"^{PARENT}_(default|\d{{6}})$")


def is_partition(table_name: str) -> bool:
    """True for the partitions of analytics_events (they are not models of their own)."""
    return bool(_PARTITION.match(table_name))


# Expression indexes (migration b4d6f8a0c2e3): not in the models, and SQLite cannot reflect them.
EXPRESSION_INDEXES = frozenset(
    {"ix_analytics_sessions_site_id_sample_started_at", "ix_analytics_events_site_id_sample_occurred_at"}
)


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic filter: monthly partitions (and their indexes) are managed at run time, not by migrations;
    expression indexes are the migrations' alone."""
    if type_ == "index" and name in EXPRESSION_INDEXES:
        return False
    table = (
        obj.table.name
        if type_ in {"index", "column", "unique_constraint", "foreign_key_constraint"}
        else name
    )
    return not (reflected and is_partition(table or ""))


def month_start(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def partition_name(month: datetime) -> str:
    return f"{PARENT}_{month:%Y%m}"


def existing_partitions(connection: Connection) -> dict[str, datetime]:
    """Monthly partitions by name, with the month each covers."""
    rows = connection.execute(
        text(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = :parent"
        ),
        {"parent": PARENT},
    )
    months = {}
    for (name,) in rows:
        suffix = name.rsplit("_", 1)[1]
        if suffix.isdigit():
            months[name] = datetime(int(suffix[:4]), int(suffix[4:]), 1, tzinfo=UTC)
    return months


def ensure_partitions(connection: Connection, now: datetime, ahead: int = 2) -> list[str]:
    """Create the partitions from this month to `ahead` months on; return the names created.

    Rows that already landed in the DEFAULT partition for such a month are moved into it, since
    PostgreSQL refuses a new partition whose range the default partition still holds rows of.
    """
    if connection.dialect.name != "postgresql":
        return []
    have = existing_partitions(connection)
    created = []
    for offset in range(ahead + 1):
        start = add_months(month_start(now), offset)
        name = partition_name(start)
        if name in have:
            continue
        end = add_months(start, 1)
        bounds = {"start": start, "end": end}
        # Inserts wait while rows move out of DEFAULT and the partition attaches (a short, rare lock).
        connection.execute(text(f"LOCK TABLE {DEFAULT} IN ACCESS EXCLUSIVE MODE"))
        # Table names here come from dates, never from input.
        connection.execute(
            text(f"CREATE TABLE {name} (LIKE {PARENT} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
        )
        in_range = "occurred_at >= :start AND occurred_at < :end"
        move = f"WITH moved AS (DELETE FROM {DEFAULT} WHERE {in_range} RETURNING *) INSERT INTO {name} SELECT * FROM moved"  # noqa: S608, E501
        connection.execute(text(move), bounds)
        connection.execute(
            text(
                f"ALTER TABLE {PARENT} ATTACH PARTITION {name} FOR VALUES FROM ('{start.isoformat()}') "
                f"TO ('{end.isoformat()}')"
            )
        )
        created.append(name)
    return created


def drop_partitions_before(connection: Connection, cutoff: datetime, dry_run: bool = False) -> dict[str, int]:
    """Drop every monthly partition that lies wholly before the cutoff; return rows per dropped partition."""
    if connection.dialect.name != "postgresql":
        return {}
    dropped = {}
    for name, month in sorted(existing_partitions(connection).items()):
        if add_months(month, 1) <= cutoff:
            dropped[name] = connection.execute(text(f"SELECT count(*) FROM {name}")).scalar_one()  # noqa: S608
            if not dry_run:
                connection.execute(text(f"DROP TABLE {name}"))
    return dropped
