"""Dashboard queries over 10 million events: the daily rollups against a raw GROUP BY baseline, per database.

Seeds a fresh SQLite file and a fresh PostgreSQL database (bench/serverkit.py's fresh_database): the
migrations, one site, then --events analytics events (default 10,000,000) in about 3.4 million visits
over the last 26 months, written through the storage layer (bulk inserts of analytics_sessions and
analytics_events rows: executemany in large transactions on SQLite, COPY on PostgreSQL, monthly
partitions created first), and --consents consent records (default: events / 10). Distributions: ~2,000
pages with a long tail, sources and channels with a referral tail, ~50 countries, desktop/mobile/tablet
with matching OS and browser versions, custom events in 15% of visits, engagement pings; weekday,
growth and noise in the daily volume. Then it builds the rollups of every day with the real
consent_server.analytics.rollups.refresh_day and those of every complete month with refresh_months (as
the rollup job does), runs ANALYZE (as autovacuum would on PostgreSQL), and measures every statistics
function the dashboard calls, for `30d` and `12mo`:

- the metric cards (aggregate with compare=previous_period), the chart (timeseries), every breakdown
  table (17 properties), realtime visitors and the consent statistics;
- each from the rollups (what the dashboard does: analytics_daily, analytics_monthly for the whole
  months of a breakdown's period, and consent_daily for the consent statistics) and from the raw rows
  (`read="raw"`: the same answers by GROUP BY over analytics_sessions / analytics_events /
  consent_records), and asserts both answers are equal;
- a few filtered questions: the raw rows of the period answer them, except the cards and chart filtered
  by one value of a visit property, which read that value's rollup rows; over a period with more than
  STATS_SAMPLE_ABOVE_VISITS visits the raw rows of a sample of visitors (`reads` says "raw 1/16"). The
  baseline is the exact answer from every visitor's rows; for a sampled answer the "equal" column gives
  the largest relative error of the visitors it shows (the total, or each of the top 10 rows).

Figures are medians of --runs runs after one warm-up run (--raw-runs for the baseline, no warm-up).
Targets from the issue, printed next to the figures: under 300 ms on PostgreSQL, under 600 ms on SQLite.

    python bench/dashboard.py [--backend sqlite|postgresql|both] [--events 10000000] [--consents N]
                              [--runs 5] [--raw-runs 3] [--seed 7] [--keep]

--events 200000 makes a quick run. --keep leaves the databases in place and prints their URLs;
--url URL measures an existing (seeded) database instead of seeding a new one (upgraded to the
current migrations, its missing monthly rollups built first).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    # Run as `python bench/dashboard.py`: the checkout's packages (bench, tests) become importable.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg
from flask_migrate import upgrade
from psycopg import sql
from sqlalchemy import func, select, text

from bench.serverkit import (
    BACKENDS,
    POSTGRES_ADMIN_URL,
    SECRET_KEY,
    Database,
    fresh_database,
    postgres_unavailable,
)
from consent_server import create_app
from consent_server.analytics.partitions import ensure_partitions
from consent_server.analytics.rollups import refresh_day, refresh_months
from consent_server.extensions import db
from consent_server.models import AnalyticsEvent, ConsentRecord, DailyRollup, Site
from consent_server.sites.services import import_site
from consent_server.stats.periods import DateRange, parse_period
from consent_server.stats.query import PROPERTIES, Property, parse_filters
from consent_server.stats.services import (
    aggregate,
    breakdown,
    consent_stats,
    realtime_visitors,
    timeseries,
)
from consent_server.timeutil import add_months
from tests.factories import site_document

TARGET_MS = {"postgresql": 300.0, "sqlite": 600.0}
MONTHS = 26
EVENTS_PER_VISIT = 2.95  # 2.3 pageviews + 0.15 custom events + 0.5 engagement pings on average
K = 5
CARD_METRICS = ["visitors", "visits", "pageviews", "views_per_visit", "bounce_rate", "visit_duration"]
CHART_METRICS = ["visitors", "visits", "pageviews", "bounce_rate", "visit_duration"]
TABLE_METRICS = ("visitors", "visits", "pageviews", "bounce_rate", "visit_duration", "events")
SESSION_COLUMNS = (
    "id",
    "site_id",
    "visitor_key",
    "started_at",
    "last_seen_at",
    "entry_page",
    "exit_page",
    "pageviews",
    "events",
    "engaged_ms",
    "duration_s",
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
    "screen",
    "country",
)
EVENT_COLUMNS = (
    "site_id",
    "session_id",
    "visitor_key",
    "occurred_at",
    "kind",
    "host",
    "page",
    "name",
    "props",
    "engaged_ms",
)
CONSENT_COLUMNS = (
    "consent_id",
    "site_id",
    "created_at",
    "expires_at",
    "action",
    "method",
    "categories",
    "policy_version",
    "banner_hash",
    "language",
    "url",
    "browser",
    "os",
    "device",
    "ip_network",
)


# --- realistic traffic ----------------------------------------------------------------------------------


class Weighted:
    """Draw from a list by weight, fast (bisect over cumulative weights)."""

    def __init__(self, items: Sequence[Any], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cumulative = list(accumulate(weights))
        self.total = self.cumulative[-1]

    def draw(self, rng: random.Random) -> Any:
        return self.items[bisect_right(self.cumulative, rng.random() * self.total)]


def zipf(items: Sequence[Any], exponent: float = 1.1) -> Weighted:
    return Weighted(items, [1 / (rank + 1) ** exponent for rank in range(len(items))])


SECTIONS = ("nieuws", "afval", "parkeren", "paspoort", "werk", "zorg", "wonen", "evenementen", "vacatures")
PAGES = zipf(
    [
        "/",
        "/contact",
        "/afval",
        "/nieuws",
        "/paspoort-en-id-kaart",
        "/parkeren",
        "/openingstijden",
        "/vacatures",
        "/zoeken",
        *(f"/{SECTIONS[n % len(SECTIONS)]}/onderwerp-{n}" for n in range(1991)),
    ]
)
REFERRAL_HOSTS = [f"site-{n}.nl" for n in range(300)]
REFERRALS = zipf(REFERRAL_HOSTS, 1.0)
CAMPAIGNS = [f"campagne-{n}" for n in range(40)]
SOURCES = Weighted(
    [
        "direct",
        "google",
        "bing",
        "duckduckgo",
        "ecosia",
        "facebook",
        "linkedin",
        "x",
        "email",
        "paid",
        "referral",
    ],
    [40, 35, 4, 2, 1, 3, 2, 1, 5, 1, 6],
)
SEARCH = {
    "google": ("Google", "www.google.com"),
    "bing": ("Bing", "www.bing.com"),
    "duckduckgo": ("DuckDuckGo", "duckduckgo.com"),
    "ecosia": ("Ecosia", "www.ecosia.org"),
}
SOCIAL = {
    "facebook": ("Facebook", "l.facebook.com"),
    "linkedin": ("LinkedIn", "www.linkedin.com"),
    "x": ("X", "t.co"),
}
COUNTRIES = Weighted(
    [
        "NL",
        "BE",
        "DE",
        "GB",
        "US",
        "FR",
        None,
        *(f"{chr(65 + n // 26)}{chr(65 + n % 26)}" for n in range(40)),
    ],
    [850, 50, 30, 10, 10, 8, 20, *([1] * 40)],
)
DEVICES = Weighted(["desktop", "mobile", "tablet"], [55, 40, 5])
OS_BY_DEVICE = {
    "desktop": Weighted(["Windows", "Mac OS X", "Linux", "Chrome OS"], [70, 22, 5, 3]),
    "mobile": Weighted(["Android", "iOS"], [55, 45]),
    "tablet": Weighted(["iOS", "Android"], [70, 30]),
}
BROWSERS = {
    "Windows": Weighted(["Chrome", "Edge", "Firefox"], [60, 30, 10]),
    "Mac OS X": Weighted(["Safari", "Chrome", "Firefox"], [55, 40, 5]),
    "Linux": Weighted(["Firefox", "Chrome"], [60, 40]),
    "Chrome OS": Weighted(["Chrome"], [1]),
    "Android": Weighted(["Chrome Mobile", "Samsung Internet", "Firefox Mobile"], [80, 17, 3]),
    "iOS": Weighted(["Mobile Safari", "Chrome Mobile iOS"], [85, 15]),
}
SCREEN_BY_DEVICE = {
    "desktop": Weighted(["desktop", "laptop"], [60, 40]),
    "mobile": "mobile",
    "tablet": "tablet",
}
EVENT_NAMES = zipf(
    ["Download", "Aanmelden", "Formulier verzonden", "Zoeken", "Video afgespeeld", "Uitgaande link"]
)
HOURS = Weighted(list(range(24)), [1, 1, 1, 1, 1, 2, 4, 7, 9, 10, 10, 10, 9, 9, 9, 9, 8, 7, 6, 6, 5, 4, 3, 2])


def browser_version(family: str, day_index: int) -> str:
    """Browsers gain a major version every ~6 weeks, so versions age out over 26 months."""
    base = {"Safari": 16, "Mobile Safari": 16, "Samsung Internet": 22, "Firefox": 110, "Firefox Mobile": 110}
    return f"{family} {base.get(family, 110) + day_index // 42}"


@dataclass(frozen=True)
class Traffic:
    """Generated rows for one UTC day, timestamps as 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC."""

    day: date
    sessions: list[tuple[Any, ...]]
    events: list[tuple[Any, ...]]


class Stamps:
    """Timestamps as the strings SQLAlchemy's SQLite DateTime stores (naive UTC), cached per day."""

    def __init__(self, first: date) -> None:
        self.first = first
        self.days: dict[int, str] = {}

    def at(self, day_index: int, second: int) -> str:
        day_index += second // 86400
        second %= 86400
        prefix = self.days.get(day_index)
        if prefix is None:
            prefix = self.days[day_index] = (self.first + timedelta(days=day_index)).isoformat()
        return f"{prefix} {second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}.000000"


def daily_volumes(first: date, last: date, events: int, rng: random.Random) -> list[int]:
    """Visits per day: growth over the period, quieter weekends, noise; adding up to events / 2.95."""
    days = (last - first).days + 1
    weights = []
    for index in range(days):
        day = first + timedelta(days=index)
        weight = (0.8 + 0.4 * index / days) * (0.7 if day.weekday() >= 5 else 1.0) * rng.uniform(0.9, 1.1)
        weights.append(weight)
    visits = events / EVENTS_PER_VISIT
    scale = visits / sum(weights)
    return [max(1, round(weight * scale)) for weight in weights]


def generate(site_id: int, first: date, now: datetime, events: int, seed: int) -> Iterator[Traffic]:
    """Day by day: visits with their pageviews, custom events and engagement pings (same seed, same data)."""
    rng = random.Random(seed)
    last = now.date()
    stamps = Stamps(first)
    session_id = 0
    now_second = now.hour * 3600 + now.minute * 60 + now.second
    for day_index, visits in enumerate(daily_volumes(first, last, events, rng)):
        today = first + timedelta(days=day_index) == last
        if today:  # only what has happened so far today
            visits = max(1, visits * now_second // 86400)
        visitors = max(1, int(visits / 1.25))
        sessions: list[tuple[Any, ...]] = []
        rows: list[tuple[Any, ...]] = []
        for _ in range(visits):
            session_id += 1
            number = rng.randrange(visitors)
            key = hashlib.blake2b(f"{seed}:{day_index}:{number}".encode(), digest_size=16).hexdigest()
            if today:
                start = rng.randrange(max(1, now_second - 1800))
            else:
                start = HOURS.draw(rng) * 3600 + rng.randrange(3600)
            pageviews = min(30, int(rng.expovariate(1 / 1.8)) + 1)
            pages = [PAGES.draw(rng) for _ in range(pageviews)]
            custom = [EVENT_NAMES.draw(rng)] if rng.random() < 0.15 else []
            engaged = rng.random() < 0.5
            moment = start
            hits: list[tuple[int, str, str, str | None, int | None]] = []
            for page in pages:
                hits.append((moment, "pageview", page, None, None))
                moment += rng.randrange(10, 240)
            for name in custom:
                hits.append((moment, "event", pages[-1], name, None))
                moment += rng.randrange(5, 60)
            engaged_ms = 0
            if engaged:
                engaged_ms = rng.randrange(2000, 300000)
                hits.append((moment, "engagement", pages[-1], None, engaged_ms))
            if today:
                hits = [(min(second, now_second), *rest) for second, *rest in hits]
            last_second = hits[-1][0]
            source = SOURCES.draw(rng)
            referrer = utm_source = utm_medium = utm_campaign = utm_term = utm_content = None
            if source == "direct":
                name, channel = "Direct / None", "direct"
            elif source in SEARCH:
                (name, referrer), channel = SEARCH[source], "search"
            elif source in SOCIAL:
                (name, referrer), channel = SOCIAL[source], "social"
            elif source == "email":
                name, channel = "nieuwsbrief", "email"
                utm_source, utm_medium, utm_campaign = "nieuwsbrief", "email", rng.choice(CAMPAIGNS)
            elif source == "paid":
                name, channel, referrer = "Google", "paid", "www.google.com"
                utm_source, utm_medium, utm_campaign = "google", "cpc", rng.choice(CAMPAIGNS)
                utm_term = f"zoekterm-{rng.randrange(100)}"
                utm_content = rng.choice(("advertentie-a", "advertentie-b"))
            else:
                referrer = REFERRALS.draw(rng)
                name, channel = referrer, "referral"
            device = DEVICES.draw(rng)
            os_name = OS_BY_DEVICE[device].draw(rng)
            browser = browser_version(BROWSERS[os_name].draw(rng), day_index)
            screen_choice = SCREEN_BY_DEVICE[device]
            screen = screen_choice.draw(rng) if isinstance(screen_choice, Weighted) else screen_choice
            sessions.append(
                (
                    session_id,
                    site_id,
                    key,
                    stamps.at(day_index, start),
                    stamps.at(day_index, last_second),
                    pages[0],
                    pages[-1],
                    len(pages),
                    len(custom),
                    engaged_ms,
                    last_second - start,
                    name,
                    channel,
                    referrer,
                    utm_source,
                    utm_medium,
                    utm_campaign,
                    utm_term,
                    utm_content,
                    browser,
                    os_name,
                    device,
                    screen,
                    COUNTRIES.draw(rng),
                )
            )
            for second, kind, page, event_name, ms in hits:
                rows.append(
                    (
                        site_id,
                        session_id,
                        key,
                        stamps.at(day_index, second),
                        kind,
                        "www.gemeente.nl",
                        page,
                        event_name,
                        None,
                        ms,
                    )
                )
        yield Traffic(first + timedelta(days=day_index), sessions, rows)


def consent_rows(
    site_id: int, first: date, now: datetime, count: int, seed: int
) -> Iterator[list[tuple[Any, ...]]]:
    """Consent choices spread over the period like the visits; policy version 2 for the last 8 months."""
    rng = random.Random(seed + 1)
    stamps = Stamps(first)
    last = now.date()
    volumes = daily_volumes(first, last, count * EVENTS_PER_VISIT, rng)
    version_two = add_months(datetime(last.year, last.month, 1, tzinfo=UTC), -8).date()
    actions = Weighted(["accept_all", "reject_all", "custom", "withdraw"], [55, 30, 12, 3])
    languages = Weighted(["nl", "en"], [85, 15])
    off = '{"necessary": true, "preferences": false, "analytics": false, "marketing": false}'
    on = '{"necessary": true, "preferences": true, "analytics": true, "marketing": true}'
    for day_index, choices in enumerate(volumes):
        day = first + timedelta(days=day_index)
        rows = []
        for _ in range(choices):
            action = actions.draw(rng)
            if action == "accept_all":
                state = on
            elif action == "custom":
                chosen = [str(rng.random() < share).lower() for share in (0.5, 0.7, 0.2)]
                state = (
                    f'{{"necessary": true, "preferences": {chosen[0]}, "analytics": {chosen[1]}, '
                    f'"marketing": {chosen[2]}}}'
                )
            else:
                state = off
            device = DEVICES.draw(rng)
            second = rng.randrange(86400) if day != last else rng.randrange(max(1, now.hour * 3600))
            created = stamps.at(day_index, second)
            expires = stamps.at(day_index + 365, second)
            rows.append(
                (
                    str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    site_id,
                    created,
                    expires,
                    action,
                    "banner",
                    state,
                    2 if day >= version_two else 1,
                    "0" * 64,
                    languages.draw(rng),
                    None,
                    None,
                    OS_BY_DEVICE[device].draw(rng),
                    device,
                    None,
                )
            )
        yield rows


# --- writing through the storage layer ------------------------------------------------------------------


def _copy_text(rows: Sequence[tuple[Any, ...]], timestamp_columns: set[int]) -> str:
    """COPY text format: tab-separated, \\N for NULL, UTC offsets on timestamps (values hold no tabs)."""
    out = io.StringIO()
    for row in rows:
        out.write(
            "\t".join(
                "\\N" if value is None else (f"{value}+00" if index in timestamp_columns else str(value))
                for index, value in enumerate(row)
            )
        )
        out.write("\n")
    return out.getvalue()


class Writer:
    """Bulk inserts on one raw DBAPI connection: executemany (SQLite) or COPY (PostgreSQL)."""

    def __init__(self, database: Database) -> None:
        self.backend = database.backend
        if database.backend == "sqlite":
            import sqlite3

            assert database.sqlite_file is not None
            self.sqlite = sqlite3.connect(database.sqlite_file)
            self.sqlite.execute("PRAGMA synchronous=OFF")  # a benchmark seed; nothing to protect
            self.sqlite.execute("PRAGMA cache_size=-2000000")  # 2 GB: index inserts stay in memory
        else:
            self.pg = psycopg.connect(database.url.replace("+psycopg", ""))

    def write(self, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        if self.backend == "sqlite":
            marks = ", ".join("?" * len(columns))
            self.sqlite.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
            return
        stamps = {index for index, column in enumerate(columns) if column.endswith("_at")}
        with self.pg.cursor().copy(
            sql.SQL("COPY {} ({}) FROM STDIN").format(
                sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
            )
        ) as copy:
            copy.write(_copy_text(rows, stamps))

    def commit(self) -> None:
        (self.sqlite if self.backend == "sqlite" else self.pg).commit()

    def close(self) -> None:
        if self.backend == "sqlite":
            self.sqlite.execute("PRAGMA synchronous=FULL")
            self.sqlite.close()
        else:
            with self.pg.cursor() as cursor:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence('analytics_sessions', 'id'), "
                    "(SELECT coalesce(max(id), 1) FROM analytics_sessions))"
                )
            self.pg.commit()
            self.pg.close()


@dataclass
class Seeded:
    first: date
    now: datetime
    sessions: int
    events: int
    consents: int
    rollup_rows: int
    seconds_seed: float
    seconds_rollups: float


def seed(
    database: Database, site_id: int, events: int, consents: int, rng_seed: int, now: datetime
) -> Seeded:
    first = add_months(now, -MONTHS).date()
    with db.engine.connect() as connection:  # monthly partitions, as the rollup job creates them ahead
        month = datetime(first.year, first.month, 1, tzinfo=UTC)
        while month <= now:
            ensure_partitions(connection, month, ahead=0)
            month = add_months(month, 1)
        ensure_partitions(connection, now)
        connection.commit()
    started = time.perf_counter()
    writer = Writer(database)
    sessions = written = 0
    for traffic in generate(site_id, first, now, events, rng_seed):
        writer.write("analytics_sessions", SESSION_COLUMNS, traffic.sessions)
        writer.write("analytics_events", EVENT_COLUMNS, traffic.events)
        sessions += len(traffic.sessions)
        written += len(traffic.events)
        if traffic.day.day == 1:
            writer.commit()
            print(f"    seeded up to {traffic.day}: {written:,} events", flush=True)
    for rows in consent_rows(site_id, first, now, consents, rng_seed):
        writer.write("consent_records", CONSENT_COLUMNS, rows)
    writer.commit()
    writer.close()
    seconds_seed = time.perf_counter() - started

    started = time.perf_counter()
    day = first
    while day <= now.date():
        refresh_day(db.session, day)
        db.session.commit()
        day += timedelta(days=1)
    refresh_months(db.session, now)  # every month at once (the rollup job builds one a run)
    db.session.commit()
    seconds_rollups = time.perf_counter() - started
    analyze(database)
    rollup_rows = db.session.scalar(select(func.count()).select_from(DailyRollup)) or 0
    stored = db.session.scalar(select(func.count()).select_from(ConsentRecord)) or 0
    return Seeded(first, now, sessions, written, stored, rollup_rows, seconds_seed, seconds_rollups)


def analyze(database: Database) -> None:
    """Planner statistics (and, on PostgreSQL, the visibility map index-only scans need)."""
    if database.backend == "sqlite":
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        return
    with psycopg.connect(database.url.replace("+psycopg", ""), autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


# --- measuring ------------------------------------------------------------------------------------------


@dataclass
class Measured:
    endpoint: str
    period: str
    reads: str  # where the answer comes from (meta.source): rollups, raw, consent_records
    dashboard_ms: float
    raw_ms: float | None = None  # the raw GROUP BY baseline of the same answer
    equal: bool | None = None
    error: float | None = None  # a sampled answer: largest relative error of its visitors against exact


def median_ms(call: Callable[[], Any], runs: int, warmup: bool) -> tuple[float, Any]:
    if warmup:
        call()
    times, answer = [], None
    for _ in range(runs):
        started = time.perf_counter()
        answer = call()
        times.append((time.perf_counter() - started) * 1e3)
    return statistics.median(times), answer


def questions(site: Site, period: DateRange) -> list[tuple[str, Callable[[str], Any]]]:
    """Every unfiltered dashboard question for one period: a name, and a call taking read="auto"|"raw"."""
    session = db.session

    def cards(read: Any) -> Any:
        return aggregate(session, site, period, CARD_METRICS, compare=True, k=K, read=read)

    def chart(read: Any) -> Any:
        return timeseries(session, site, period, CHART_METRICS, k=K, read=read)

    def table(prop: Property) -> Callable[[str], Any]:
        metrics = [metric for metric in TABLE_METRICS if metric in prop.metrics]
        return lambda read: breakdown(session, site, period, prop, metrics, limit=100, k=K, read=read)

    found = [("aggregate (cards, compare)", cards), ("timeseries", chart)]
    return found + [(f"breakdown {name}", table(prop)) for name, prop in PROPERTIES.items()]


# Filtered questions: (name, kind, property, filters).
FILTERED = (
    ("aggregate | visit:source==Google", "aggregate", None, "visit:source==Google"),
    ("aggregate | event:page==/afval", "aggregate", None, "event:page==/afval"),
    ("timeseries | visit:channel==social", "timeseries", None, "visit:channel==social"),
    ("breakdown event:page | visit:device==mobile", "breakdown", "event:page", "visit:device==mobile"),
    ("breakdown visit:source | event:page==/contact", "breakdown", "visit:source", "event:page==/contact"),
)


def filtered(
    site: Site, period: DateRange, kind: str, prop: str | None, filters: str, sample_above: int | None = None
) -> Callable[[], Any]:
    """A filtered question; sample_above=0 asks for the exact answer (every visitor of the period)."""
    parsed = parse_filters(filters)
    options: dict[str, Any] = {"k": K, "sample_above": sample_above}
    if kind == "aggregate":
        return lambda: aggregate(db.session, site, period, CARD_METRICS, parsed, compare=True, **options)
    if kind == "timeseries":
        return lambda: timeseries(db.session, site, period, CHART_METRICS, parsed, **options)
    assert prop is not None
    metrics = [metric for metric in TABLE_METRICS if metric in PROPERTIES[prop].metrics]
    return lambda: breakdown(db.session, site, period, prop, metrics, parsed, **options)


def visitors_of(answer: dict[str, Any]) -> dict[str, float]:
    """The visitors an answer shows: the total, per chart point, or per table row (top 10)."""
    results = answer["results"]
    if isinstance(results, dict):
        return {"total": results["visitors"]["value"] or 0}
    if answer["meta"].get("interval"):
        return {"total": sum(point["visitors"] or 0 for point in results)}
    key = next(iter(results[0])) if results else ""
    return {str(row[key]): row["visitors"] for row in results[:10] if not row.get("other")}


def sample_error(sampled: dict[str, Any], exact: dict[str, Any]) -> float:
    """The largest relative error of the visitors a sampled answer shows, against the exact answer."""
    truth, estimate = visitors_of(exact), visitors_of(sampled)
    errors = [abs(estimate[key] - value) / value for key, value in truth.items() if value and key in estimate]
    return max(errors, default=0.0)


def measure(site: Site, now: datetime, runs: int, raw_runs: int) -> list[Measured]:
    results: list[Measured] = []

    def show(row: Measured) -> None:
        results.append(row)
        raw = "" if row.raw_ms is None else f", raw baseline {row.raw_ms:.1f} ms"
        print(f"    {row.endpoint} {row.period}: {row.dashboard_ms:.1f} ms ({row.reads}){raw}", flush=True)

    for name in ("30d", "12mo"):
        period = parse_period(name, None, now.date())
        for endpoint, call in questions(site, period):
            fast, answer = median_ms(lambda call=call: call("auto"), runs, warmup=True)
            row = Measured(endpoint, name, answer["meta"]["source"], fast)
            if raw_runs:
                row.raw_ms, baseline = median_ms(lambda call=call: call("raw"), raw_runs, warmup=False)
                row.equal = answer["results"] == baseline["results"]
            show(row)

        def consent(read: Any, period: DateRange = period) -> Any:
            return consent_stats(db.session, site, period, k=K, read=read)

        consent_ms, answer = median_ms(lambda: consent("auto"), runs, warmup=True)
        row = Measured("consent_stats", name, answer["meta"]["source"], consent_ms)
        if raw_runs:
            row.raw_ms, baseline = median_ms(lambda: consent("raw"), raw_runs, warmup=False)
            row.equal = answer["results"] == baseline["results"]
        show(row)
        for endpoint, kind, prop, filters in FILTERED:
            call = filtered(site, period, kind, prop, filters)
            filtered_ms, answer = median_ms(call, runs, warmup=True)
            meta = answer["meta"]
            reads = meta["source"] + (f" 1/{meta['sample']}" if "sample" in meta else "")
            row = Measured(f"filtered: {endpoint}", name, reads, filtered_ms)
            if raw_runs:  # the exact answer from every visitor's rows: the baseline, and the sample's error
                exact_call = filtered(site, period, kind, prop, filters, sample_above=0)
                row.raw_ms, exact = median_ms(exact_call, raw_runs, warmup=False)
                if "sample" in meta:
                    row.error = sample_error(answer, exact)
                else:
                    row.equal = answer["results"] == exact["results"]
            show(row)
    realtime_ms, _ = median_ms(lambda: realtime_visitors(db.session, site, now, k=K), runs, warmup=True)
    show(Measured("realtime_visitors (last 5 minutes)", "now", "raw", realtime_ms))
    return results


def report(
    backend: str, seeded: Seeded | None, measured: list[Measured], size_bytes: int | None
) -> list[str]:
    lines = []
    if seeded:
        lines.append(
            f"dashboard {backend}: {seeded.events:,} events in {seeded.sessions:,} visits from "
            f"{seeded.first} to {seeded.now:%Y-%m-%d %H:%M} UTC, {seeded.consents:,} consent records; "
            f"seeded in {seeded.seconds_seed:.0f} s, rollups of every day built in "
            f"{seeded.seconds_rollups:.0f} s ({seeded.rollup_rows:,} rows)"
        )
    else:
        lines.append(f"dashboard {backend}: an existing database")
    if size_bytes:
        lines.append(f"  database size {size_bytes / 2**30:.2f} GiB; load average {os.getloadavg()[0]:.2f}")
    lines.append(
        f"  {'endpoint':<54} {'period':<6} {'reads':<15} {'median ms':>9} {'raw ms':>9} {'raw/ms':>7}  "
        f"equal  backend"
    )
    for row in measured:
        slow = f"{row.raw_ms:.1f}" if row.raw_ms is not None else "-"
        ratio = f"{row.raw_ms / row.dashboard_ms:.0f}x" if row.raw_ms else "-"
        equal = {True: "yes", False: "NO", None: "-"}[row.equal]
        if row.error is not None:
            equal = f"±{row.error * 100:.0f}%"
        lines.append(
            f"  {row.endpoint:<54} {row.period:<6} {row.reads:<15} {row.dashboard_ms:>9.1f} {slow:>9} "
            f"{ratio:>7}  {equal:<5}  {backend}"
        )
    target = TARGET_MS[backend]
    for title, rows in (
        (
            "unfiltered (rollups), consent and realtime",
            [r for r in measured if not r.endpoint.startswith("filtered")],
        ),
        ("filtered", [r for r in measured if r.endpoint.startswith("filtered")]),
    ):
        if rows:
            slowest = max(rows, key=lambda row: row.dashboard_ms)
            over = sum(1 for row in rows if row.dashboard_ms >= target)
            lines.append(
                f"  {title}: slowest median {slowest.dashboard_ms:.1f} ms ({slowest.endpoint}, "
                f"{slowest.period}); {over} of {len(rows)} at or over the {target:.0f} ms target"
            )
    return lines


def database_size(database: Database) -> int | None:
    if database.sqlite_file is not None:
        return sum(
            path.stat().st_size
            for suffix in ("", "-wal")
            if (path := database.sqlite_file.with_name(database.sqlite_file.name + suffix)).exists()
        )
    rows = database.query("SELECT pg_database_size(current_database())")
    return int(rows[0][0])


@contextmanager
def kept_database(backend: str, directory: Path) -> Iterator[Database]:
    """Like serverkit.fresh_database, but left in place for another look (--keep)."""
    if backend == "sqlite":
        path = directory / "consent.sqlite"
        yield Database(backend, f"sqlite:///{path}", path)
        return
    name = f"consent_dashboard_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_ADMIN_URL.replace("+psycopg", ""), autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield Database(backend, f"{POSTGRES_ADMIN_URL.rsplit('/', 1)[0]}/{name}")


def run_backend(backend: str, args: argparse.Namespace) -> list[str]:
    with tempfile.TemporaryDirectory(prefix=f"dashboard-{backend}-") as scratch:
        keep_file = args.keep and backend == "sqlite"
        directory = Path(tempfile.mkdtemp(prefix=f"dashboard-{backend}-")) if keep_file else Path(scratch)
        opened = kept_database(backend, directory) if args.keep else fresh_database(backend, directory)
        if args.url:
            opened = _existing(backend, args.url)
        with opened as database:
            app = create_app({"DATABASE_URL": database.url, "SECRET_KEY": SECRET_KEY})
            with app.app_context():
                seeded = None
                upgrade()
                if args.url:
                    site = db.session.scalars(select(Site).where(Site.key == "example")).one()
                    now = db.session.scalar(select(func.max(AnalyticsEvent.occurred_at))) or datetime.now(UTC)
                    if refresh_months(db.session, now):  # seeded before monthly rollups existed
                        db.session.commit()
                        analyze(database)
                else:
                    site, _ = import_site(db.session, site_document())
                    db.session.commit()
                    now = datetime.now(UTC).replace(microsecond=0)
                    print(f"  {backend}: seeding {args.events:,} events...", flush=True)
                    seeded = seed(database, site.id, args.events, args.consents, args.seed, now)
                measured = measure(site, now, args.runs, args.raw_runs)
                size = database_size(database)
                db.session.remove()
                db.engine.dispose()
            lines = report(backend, seeded, measured, size)
            if args.keep:
                lines.append(f"  kept: {database.url}")
            if any(row.equal is False for row in measured):
                lines.append("  ERROR: a rollup answer differs from the raw baseline")
            return lines


@contextmanager
def _existing(backend: str, url: str) -> Iterator[Database]:
    path = Path(url.removeprefix("sqlite:///")) if backend == "sqlite" else None
    yield Database(backend, url, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=[*BACKENDS, "both"], default="both")
    parser.add_argument("--events", type=int, default=10_000_000, help="analytics events to seed")
    parser.add_argument("--consents", type=int, default=None, help="consent records (default events / 10)")
    parser.add_argument("--runs", type=int, default=5, help="measured runs per question (after a warm-up)")
    parser.add_argument("--raw-runs", type=int, default=3, help="runs of the raw baseline (0: skip it)")
    parser.add_argument("--seed", type=int, default=7, help="random seed: the same seed gives the same data")
    parser.add_argument("--keep", action="store_true", help="keep the databases and print their URLs")
    parser.add_argument("--url", help="measure this already seeded database (needs --backend)")
    args = parser.parse_args(argv)
    if args.consents is None:
        args.consents = args.events // 10
    if args.url and args.backend == "both":
        parser.error("--url needs --backend sqlite or --backend postgresql")
    if min(args.events, args.runs) < 1 or args.raw_runs < 0:
        parser.error("--events and --runs must be at least 1, --raw-runs at least 0")
    failed = False
    for backend in BACKENDS if args.backend == "both" else (args.backend,):
        if backend == "postgresql" and (reason := postgres_unavailable()):
            print(f"dashboard {backend}: skipped, {reason}")
            continue
        lines = run_backend(backend, args)
        failed = failed or any("ERROR" in line for line in lines)
        print("\n".join(lines), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
