"""The two ways a statistics question is answered: rollups, or the raw rows of the period.

- Rollups answer every unfiltered question, whatever the range: one row per UTC day and value
  (analytics_daily), summed here; a breakdown takes the whole months of its range that are built from
  analytics_monthly (the same daily rows, summed once a month is over). Today's rows are rebuilt every
  minute by the rollup job.
- Raw rows (analytics_sessions, analytics_events) answer what one-dimension rollups cannot: filters,
  and hours. They also answer unfiltered questions when asked to (`read="raw"`), which is how tests
  and bench/dashboard.py check that both ways give the same numbers.

How raw rows are counted, so that unfiltered answers equal the rollups exactly:

- visitors are distinct (UTC day, visitor key) pairs: daily unique visitors, added up;
- without an event filter everything comes from the visits (sessions) that started in the period and
  match the visit filters: visits, pageviews, bounces, duration and custom events are their counters;
- an event filter (`event:page`, `event:name`) selects events: visitors, pageviews and custom events
  count the matching events (of visits matching the visit filters), while visits, bounce rate and visit
  duration describe the visits that contain at least one matching event;
- an `event:page` breakdown counts pageviews, an `event:name` breakdown custom events.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    String,
    and_,
    case,
    cast,
    distinct,
    func,
    literal_column,
    not_,
    or_,
    select,
    tuple_,
    union_all,
)

from ..analytics.rollups import EMPTY
from ..extensions import DBSession
from ..models import AnalyticsEvent, AnalyticsSession, DailyRollup, MonthlyRollup, RollupMonth
from ..timeutil import month_after, month_of
from .figures import COUNTERS, Totals
from .query import NONE_VALUE, Filter, Property

S = AnalyticsSession
E = AnalyticsEvent
R = DailyRollup
M = MonthlyRollup
# A group key: a breakdown value (str), a bucket ("2026-11-25", "2026-11-01", "2026-11-25 13:00:00"),
# or None for the whole period.
Key = str | None


def bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[first 00:00 UTC, the day after last 00:00 UTC)."""
    start = datetime(first.year, first.month, first.day, tzinfo=UTC)
    return start, datetime(last.year, last.month, last.day, tzinfo=UTC) + timedelta(days=1)


# --- rollups -------------------------------------------------------------------------------------------


def _totals(row: Sequence[Any], offset: int = 1) -> Totals:
    return Totals(*(int(value or 0) for value in row[offset : offset + 6]))


def whole_months(first: date, last: date) -> list[date]:
    """The first days of the calendar months that lie wholly within [first, last]."""
    month = first if first.day == 1 else month_after(month_of(first))
    months = []
    while month_after(month) - timedelta(days=1) <= last:
        months.append(month)
        month = month_after(month)
    return months


def built_months(session: DBSession, first: date, last: date) -> list[date]:
    """The months wholly within [first, last] whose monthly rollups are built (analytics_months)."""
    months = whole_months(first, last)
    if not months:
        return []
    return sorted(session.scalars(select(RollupMonth.month).where(RollupMonth.month.in_(months))))


def _runs(
    first: date, last: date, months: Sequence[date]
) -> tuple[list[tuple[date, date]], list[tuple[date, date]]]:
    """[first, last] cut into runs of consecutive built months (first days of the first and the last
    month of each run) and runs of the days between them (first and last day)."""
    month_runs: list[tuple[date, date]] = []
    for month in months:
        if month_runs and month_after(month_runs[-1][1]) == month:
            month_runs[-1] = (month_runs[-1][0], month)
        else:
            month_runs.append((month, month))
    day_runs: list[tuple[date, date]] = []
    cursor = first
    for start, end in month_runs:
        if cursor < start:
            day_runs.append((cursor, start - timedelta(days=1)))
        cursor = month_after(end)
    if cursor <= last:
        day_runs.append((cursor, last))
    return month_runs, day_runs


def rollup_by_value(
    session: DBSession,
    site_id: int,
    first: date,
    last: date,
    dimension: str,
    counters: Sequence[str] = COUNTERS,
) -> dict[str, Totals]:
    """Summed rollups per value of one dimension ("" = the day's totals, under the value "").

    The months of the range whose monthly rollups are built are read from those (a year of pages is
    then eleven months of rows and the days of one, instead of 365 days of rows), every other day from
    the daily rollups; both sums are added up by the database.

    Only the named counters are summed (the others stay 0): on SQLite every extra column makes the
    GROUP BY sort larger."""
    month_runs, day_runs = _runs(first, last, built_months(session, first, last))
    parts = []
    if day_runs:
        days = or_(*(and_(R.day >= start, R.day <= end) for start, end in day_runs))
        parts.append(
            select(R.value, *(getattr(R, name) for name in counters)).where(
                R.site_id == site_id, R.dimension == dimension, days
            )
        )
    if month_runs:
        months = or_(*(and_(M.month >= start, M.month <= end) for start, end in month_runs))
        parts.append(
            select(M.value, *(getattr(M, name) for name in counters)).where(
                M.site_id == site_id, M.dimension == dimension, months
            )
        )
    rows = union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()
    summed = select(rows.c.value, *(func.sum(rows.c[name]) for name in counters)).group_by(rows.c.value)
    return {
        row[0]: Totals(**{name: int(total or 0) for name, total in zip(counters, row[1:], strict=True)})
        for row in session.execute(summed)
    }


def rollup_by_day(
    session: DBSession, site_id: int, first: date, last: date, dimension: str = "", value: str = ""
) -> dict[date, Totals]:
    """One rollup row per day that has one: the day's totals (dimension ""), or one value's."""
    rows = session.execute(
        select(R.day, R.visitors, R.visits, R.pageviews, R.bounces, R.duration_s, R.events).where(
            R.site_id == site_id, R.dimension == dimension, R.value == value, R.day >= first, R.day <= last
        )
    )
    return {row[0]: _totals(row) for row in rows}


def rollup_filter(filters: Sequence[Filter]) -> tuple[str, str] | None:
    """The rollup row that answers a filter exactly, if one does: a single `visit:...==value` (one value,
    no wildcard) selects the visits of one rollup value, so its totals and days are that value's rows.
    Anything else (two filters, `!=`, alternatives, wildcards, event filters) needs the raw rows."""
    if len(filters) != 1:
        return None
    only = filters[0]
    if only.negate or not only.prop.is_visit or len(only.values) != 1 or "*" in only.values[0]:
        return None
    return only.prop.rollup, "" if only.values[0] == NONE_VALUE else only.values[0]


# --- raw rows ------------------------------------------------------------------------------------------


def _dialect(session: DBSession) -> str:
    return session.get_bind().dialect.name


def bucket(column: Any, interval: str, dialect: str) -> ColumnElement[Any]:
    """The UTC hour, day or month a timestamp falls in, as an expression grouped on by the database."""
    # Constants are rendered inline: PostgreSQL accepts a GROUP BY expression only when it is textually
    # the one selected, and two bound parameters never are.
    if dialect == "postgresql":
        utc = func.timezone(literal_column("'UTC'"), column)
        if interval == "day":
            return cast(utc, Date)
        return func.date_trunc(literal_column(f"'{interval}'"), utc)
    # SQLite holds UTC timestamps as text, 'YYYY-MM-DD HH:MM:SS.ffffff' (SQLAlchemy's DateTime storage
    # format, which UTCDateTime writes): a prefix is the bucket, and much cheaper than strftime().
    if interval == "day":
        return func.substr(column, 1, 10, type_=String)
    suffix = literal_column("':00:00'" if interval == "hour" else "'-01'", String)
    return func.substr(column, 1, 13 if interval == "hour" else 7, type_=String).concat(suffix)


def bucket_key(value: Any, interval: str) -> str:
    """A bucket as the string the API shows: 2026-11-25, 2026-11-01 or 2026-11-25 13:00:00."""
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d %H:00:00" if interval == "hour" else "%Y-%m-%d")
    return str(value)


def _visitors(moment: Any, key: Any, dialect: str) -> ColumnElement[Any]:
    """Distinct (UTC day, visitor key) pairs: daily unique visitors, added up."""
    day = bucket(moment, "day", dialect)
    if dialect == "postgresql":
        return func.count(distinct(tuple_(day, key)))
    return func.count(distinct(day.concat(key)))


def _event_name() -> ColumnElement[Any]:
    """An event's name for filters; a pageview is called `pageview`, as in Plausible."""
    return case((E.kind == "pageview", "pageview"), else_=func.coalesce(E.name, EMPTY))


def _value_of(prop: Property) -> ColumnElement[Any]:
    """The column a property reads, with NULL as "" (the rollups store no NULLs)."""
    if prop.name == "event:name":
        return func.coalesce(E.name, EMPTY)
    model: Any = S if prop.is_visit else E
    column = getattr(model, prop.column)
    return func.coalesce(column, EMPTY) if column.nullable else column


def _like(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("*", "%")


def condition(f: Filter) -> ColumnElement[bool]:
    """The SQL condition of one filter: any of its values (`*` wildcards, `(none)` = empty), or none."""
    column = _event_name() if f.prop.name == "event:name" else _value_of(f.prop)
    exact = [value for value in f.values if "*" not in value and value != NONE_VALUE]
    if NONE_VALUE in f.values:
        exact.append("")
    parts: list[ColumnElement[bool]] = [column.in_(exact)] if exact else []
    parts += [column.like(_like(value), escape="\\") for value in f.values if "*" in value]
    matched = or_(*parts)
    return not_(matched) if f.negate else matched


def _bounced() -> ColumnElement[Any]:
    return func.sum(cast(case((and_(S.pageviews <= 1, S.events == 0), 1), else_=0), Integer))


# How long before one of its hits a visit can have started. A visit takes hits only while its visitor
# key is current: one salt period (a UTC day, at most a calendar month of 31 days) and the hour of grace
# after it (analytics.salts), so no visit spans more than 32 days and an hour, whatever the setting was.
VISIT_REACH = timedelta(days=33)

# How finely a raw read may be sampled: 1 in 2, 4, ... 64 visitor keys.
SAMPLES = (1, 2, 4, 8, 16, 32, 64)


def sample_prefixes(sample: int) -> list[str]:
    """The first bytes (two hex digits) of the visitor keys in a 1-in-`sample` sample: 00 .. up to
    256/sample of them.

    Visitor keys are keyed hashes in lower-case hex (privacy.visitor_key), so their first byte is
    uniform: 16 of the 256 first bytes are one visitor in sixteen. A visitor is wholly in or out (all
    their visits and events of a day share the key), so visitors are sampled, not hits. The reads ask
    for the prefix by equality (`substr(visitor_key, 1, 2) IN (...)`), which the sample indexes answer
    (migration b4d6f8a0c2e3): the database seeks to the sampled keys instead of reading the period."""
    if sample not in SAMPLES:
        raise ValueError(f"sample must be one of {SAMPLES}")
    return [f"{first:02x}" for first in range(256 // sample)]


def sample_key(column: Any) -> ColumnElement[Any]:
    """The expression the sample indexes hold: the first byte of a visitor key, as two hex digits.

    Its constants are rendered inline: a database uses an expression index only for the very same
    expression, and substr(key, ?, ?) with bound parameters is not it."""
    return func.substr(column, literal_column("1"), literal_column("2"), type_=String)


def raw_totals(
    session: DBSession,
    site_id: int,
    first: date,
    last: date,
    filters: Sequence[Filter] = (),
    group: Property | str | None = None,
    sample: int = 1,
) -> dict[Key, Totals]:
    """Totals from the raw rows of the period, per group: None (one total), a breakdown property, or a
    time bucket ("hour", "day", "month"). Keys are values ("" for none) or bucket strings.

    With `sample` > 1 only the visitors of a 1-in-`sample` sample count (sample_prefixes): the totals
    are the sample's, not scaled up; the caller scales them and applies the floor to the sample."""
    start, end = bounds(first, last)
    dialect = _dialect(session)
    visit_filters = [condition(f) for f in filters if f.prop.is_visit]
    event_filters = [condition(f) for f in filters if not f.prop.is_visit]
    visit_rows = [S.site_id == site_id, S.started_at >= start, S.started_at < end, *visit_filters]
    event_rows = [E.site_id == site_id, E.occurred_at >= start, E.occurred_at < end, *event_filters]
    # The visits an event read joins for their properties: those of its events, so started before its
    # end and at most VISIT_REACH before its start.
    joined = [S.site_id == site_id, S.started_at >= start - VISIT_REACH, S.started_at < end, *visit_filters]
    if sample > 1:  # not a filter: it never makes an event read join the visits
        prefixes = sample_prefixes(sample)
        visit_rows.append(sample_key(S.visitor_key).in_(prefixes))
        # A visit's events carry its key, so the joined visits are sampled alike (and found by the
        # sample index instead of reading every visit for its properties).
        joined.append(sample_key(S.visitor_key).in_(prefixes))
        # An event filter (a page, an event name) has an index of its own. Against a coarse sample (1 in
        # 2 to 8) it finds fewer events than the sample index, so the sample is written so that no index
        # matches it and is checked on the rows the filter's index finds; a fine sample (1 in 16 and
        # more) reads fewer through the sample index. Measured with bench/dashboard.py at 10M events:
        # each choice was 2-3x faster than the other on its side of that line (SQLite).
        event_key = sample_key(E.visitor_key)
        coarse = event_filters and sample < 16
        event_rows.append((event_key.concat("") if coarse else event_key).in_(prefixes))

    if isinstance(group, Property) and not group.is_visit:
        kind = "pageview" if group.name == "event:page" else "event"
        value = _value_of(group)
        if dialect == "sqlite" and group.name == "event:page" and not event_filters:
            # Grouped by the bare column, SQLite may walk the index of pages (already in page order,
            # so no sort) through every event the site ever had, instead of seeking to the period or
            # the sample: it does without planner statistics, which an embedded database seldom has
            # (measured at 10M events: 1.5 s instead of 0.2 s). An expression has no index order.
            value = value.concat("")
        # Visitors are distinct (day, key) pairs of each value: counted as the groups of a first
        # grouping by (value, day, key), which a database hashes, where count(DISTINCT ...) per value
        # sorts (PostgreSQL: a third faster on a month of pages).
        day = bucket(E.occurred_at, "day", dialect)
        pairs = select(value.label("value"), func.count().label("hits")).where(*event_rows, E.kind == kind)
        if visit_filters:
            pairs = pairs.join(S, S.id == E.session_id).where(*joined)
        counted_pairs = pairs.group_by(value, day, E.visitor_key).subquery()
        query = select(counted_pairs.c.value, func.count(), func.sum(counted_pairs.c.hits)).group_by(
            counted_pairs.c.value
        )
        totals: dict[Key, Totals] = {}
        for row in session.execute(query):
            counted = {"pageviews": int(row[2])} if kind == "pageview" else {"events": int(row[2])}
            totals[row[0]] = Totals(visitors=row[1], **counted)
        return totals

    def group_by(moment: Any) -> ColumnElement[Any] | None:
        if group is None:
            return None
        if isinstance(group, Property):
            return _value_of(group)
        return bucket(moment, group, dialect)

    def keyed(query: Any, expression: ColumnElement[Any] | None) -> Any:
        """The query grouped by the expression, selected last; None: one total."""
        return query if expression is None else query.add_columns(expression).group_by(expression)

    def grouped(query: Any, expression: ColumnElement[Any] | None) -> list[Any]:
        return list(session.execute(keyed(query, expression)))

    def key_of(row: Any) -> Key:
        if group is None:
            return None
        return row[-1] if isinstance(group, Property) else bucket_key(row[-1], group)

    if not event_filters:
        query = select(
            _visitors(S.started_at, S.visitor_key, dialect),
            func.count(),
            func.sum(S.pageviews),
            _bounced(),
            func.sum(S.duration_s),
            func.sum(S.events),
        ).where(*visit_rows)
        rows = grouped(query, group_by(S.started_at))
        return {key_of(row): _totals(row, 0) for row in rows if row[1]}

    # Event filters: event counts from the matching events, visit figures from the visits holding them.
    # One statement reads the matching events once (a common table expression) for both answers, which
    # come back grouped, one after the other, told apart by their first column.
    matching = (
        select(E.occurred_at, E.visitor_key, E.kind, E.session_id)
        .where(*event_rows, E.kind.in_(("pageview", "event")))
        .cte("matching")
    )
    m = matching.c
    events = select(
        literal_column("'events'"),
        _visitors(m.occurred_at, m.visitor_key, dialect),
        func.sum(cast(case((m.kind == "pageview", 1), else_=0), Integer)),
        func.sum(cast(case((m.kind == "event", 1), else_=0), Integer)),
    ).select_from(matching)
    if visit_filters or isinstance(group, Property):
        events = events.join(S, S.id == m.session_id).where(*joined)
    visits = select(literal_column("'visits'"), func.count(), _bounced(), func.sum(S.duration_s)).where(
        *visit_rows, S.id.in_(select(m.session_id))
    )
    both = union_all(keyed(events, group_by(m.occurred_at)), keyed(visits, group_by(S.started_at)))
    totals = {}
    for row in session.execute(both):
        found = totals.setdefault(key_of(row), Totals())
        one, two, three = (int(value or 0) for value in row[1:4])
        if row[0] == "events":
            found.visitors, found.pageviews, found.events = one, two, three
        else:
            found.visits, found.bounces, found.duration_s = one, two, three
    return {key: found for key, found in totals.items() if found.visitors or found.visits}


def realtime_count(session: DBSession, site_id: int, since: datetime, until: datetime) -> int:
    """Distinct visitor keys with any hit (pageview, event, engagement ping) in [since, until]."""
    return (
        session.scalar(
            select(func.count(distinct(E.visitor_key))).where(
                E.site_id == site_id, E.occurred_at >= since, E.occurred_at <= until
            )
        )
        or 0
    )
