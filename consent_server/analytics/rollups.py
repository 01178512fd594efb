"""Daily rollups: one day of visits and events, aggregated per site and breakdown value; and one day
of consent choices, counted per action, device, language, policy version and category state. Monthly
rollups: the daily rows of a complete month, summed.

A refresh replaces the rows of one UTC day from that day's raw rows only, so it never scans more
than a day; the dashboard reads ranges from here. Visits count on the day they started.

A month is summed once it is over and its days are no longer refreshed (refresh_months), and listed in
analytics_months: readers take a listed month from analytics_monthly and every other day from
analytics_daily, so a monthly row is only ever read while it equals its days. Refreshing a day of a
listed month (the CLI can rebuild any day) or purging some of its days takes the month off the list
again (forget_months) until it is built anew.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnClause,
    Integer,
    Text,
    case,
    cast,
    delete,
    distinct,
    func,
    insert,
    literal,
    literal_column,
    select,
)

from ..extensions import DBSession
from ..models import (
    ROLLUP_COUNTERS,
    AnalyticsEvent,
    AnalyticsSession,
    ConsentDaily,
    ConsentRecord,
    DailyRollup,
    MonthlyRollup,
    RollupMonth,
)
from ..timeutil import month_after, month_of

# Breakdowns read from the visit (session) row.
VISIT_DIMENSIONS = (
    "entry_page",
    "exit_page",
    "source",
    "channel",
    "referrer_host",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "browser",
    "os",
    "device",
    "country",
    "screen",
)
# Rendered inline, so the GROUP BY expression is textually the one selected (PostgreSQL insists).
EMPTY: ColumnClause[str] = literal_column("''")
COLUMNS = ("site_id", "day", "dimension", "value", *ROLLUP_COUNTERS)


def _day_range(day: date) -> tuple[datetime, datetime]:
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return start, start + timedelta(days=1)


def _visit_select(day: date, dimension: str) -> Any:
    start, end = _day_range(day)
    s = AnalyticsSession
    bounced = case((s.pageviews <= 1, case((s.events == 0, 1), else_=0)), else_=0)
    value = literal("") if dimension == "" else func.coalesce(getattr(s, dimension), EMPTY)
    query = select(
        s.site_id,
        literal(day),
        literal(dimension),
        value,
        func.count(distinct(s.visitor_key)),
        func.count(),
        func.sum(s.pageviews),
        func.sum(cast(bounced, Integer)),
        func.sum(s.duration_s),
        func.sum(s.events),
    ).where(s.started_at >= start, s.started_at < end)
    return query.group_by(s.site_id, value) if dimension else query.group_by(s.site_id)


def _event_select(day: date, kind: str, dimension: str, column: Any) -> Any:
    start, end = _day_range(day)
    e = AnalyticsEvent
    pageviews = func.count() if kind == "pageview" else literal(0)
    events = func.count() if kind == "event" else literal(0)
    return (
        select(
            e.site_id,
            literal(day),
            literal(dimension),
            func.coalesce(column, EMPTY),
            func.count(distinct(e.visitor_key)),
            literal(0),
            pageviews,
            literal(0),
            literal(0),
            events,
        )
        .where(e.occurred_at >= start, e.occurred_at < end, e.kind == kind)
        .group_by(e.site_id, func.coalesce(column, EMPTY))
    )


CONSENT_COLUMNS = ("site_id", "day", "action", "device", "language", "policy_version", "state", "choices")


def refresh_consent_day(session: DBSession, day: date) -> int:
    """Rebuild the consent_daily rows of one UTC day from that day's consent records; returns them."""
    start, end = _day_range(day)
    c = ConsentRecord
    device = func.coalesce(c.device, EMPTY)
    state = cast(c.categories, Text)
    grouped = (c.site_id, c.action, device, c.language, c.policy_version, state)
    query = (
        select(c.site_id, literal(day), c.action, device, c.language, c.policy_version, state, func.count())
        .where(c.created_at >= start, c.created_at < end)
        .group_by(*grouped)
    )
    session.execute(delete(ConsentDaily).where(ConsentDaily.day == day))
    session.execute(insert(ConsentDaily).from_select(list(CONSENT_COLUMNS), query))
    return session.scalar(select(func.count()).select_from(ConsentDaily).where(ConsentDaily.day == day)) or 0


def refresh_day(session: DBSession, day: date) -> int:
    """Rebuild every rollup row of one UTC day (visits and events, consent choices) from the raw rows.
    Returns the rows written to both tables."""
    consent_rows = refresh_consent_day(session, day)
    forget_months(session, [month_of(day)])
    session.execute(delete(DailyRollup).where(DailyRollup.day == day))
    queries = [_visit_select(day, ""), *(_visit_select(day, dimension) for dimension in VISIT_DIMENSIONS)]
    queries.append(_event_select(day, "pageview", "page", AnalyticsEvent.page))
    queries.append(_event_select(day, "event", "event", AnalyticsEvent.name))
    for query in queries:
        session.execute(insert(DailyRollup).from_select(list(COLUMNS), query))
    # rowcount of INSERT ... SELECT is not reported by every driver: count what is there.
    written = session.scalar(select(func.count()).select_from(DailyRollup).where(DailyRollup.day == day)) or 0
    return written + consent_rows


def forget_months(session: DBSession, months: Sequence[date]) -> None:
    """Take months off the list of built ones and delete their monthly rows: readers go back to their
    days until refresh_months builds them again. Called before any of their daily rows change."""
    session.execute(delete(RollupMonth).where(RollupMonth.month.in_(months)))
    session.execute(delete(MonthlyRollup).where(MonthlyRollup.month.in_(months)))


def refresh_month(session: DBSession, month: date, now: datetime) -> int:
    """Sum the daily rows of one month into analytics_monthly and list the month as built; returns the
    monthly rows written."""
    month = month_of(month)
    r = DailyRollup
    sums = [func.sum(getattr(r, name)) for name in ROLLUP_COUNTERS]
    query = (
        select(r.site_id, literal(month), r.dimension, r.value, *sums)
        .where(r.day >= month, r.day < month_after(month))
        .group_by(r.site_id, r.dimension, r.value)
    )
    session.execute(delete(MonthlyRollup).where(MonthlyRollup.month == month))
    session.execute(delete(RollupMonth).where(RollupMonth.month == month))
    columns = ["site_id", "month", "dimension", "value", *ROLLUP_COUNTERS]
    session.execute(insert(MonthlyRollup).from_select(columns, query))
    session.execute(insert(RollupMonth).values(month=month, built_at=now))
    return (
        session.scalar(select(func.count()).select_from(MonthlyRollup).where(MonthlyRollup.month == month))
        or 0
    )


def months_to_build(session: DBSession, now: datetime) -> list[date]:
    """Months with daily rows that are over, no longer refreshed (days_to_refresh) and not built yet,
    newest first."""
    oldest = session.scalar(select(func.min(DailyRollup.day)))
    if oldest is None:
        return []
    settled = month_of(min(days_to_refresh(now)))  # months before this one are final
    built = set(session.scalars(select(RollupMonth.month)))
    months = []
    month = month_of(oldest)
    while month < settled:
        if month not in built:
            months.append(month)
        month = month_after(month)
    return months[::-1]


def refresh_months(session: DBSession, now: datetime, most: int | None = None) -> list[date]:
    """Build the months months_to_build names (at most `most`, newest first); returns them."""
    months = months_to_build(session, now)[:most]
    for month in months:
        refresh_month(session, month, now)
    return months


def days_to_refresh(now: datetime) -> list[date]:
    """Today, and yesterday while visits that began before midnight may still be going on."""
    today = now.astimezone(UTC).date()
    if now.astimezone(UTC).hour == 0:
        return [today - timedelta(days=1), today]
    return [today]
