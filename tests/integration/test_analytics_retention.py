"""Analytics retention: 26 calendar months, to the second, on both databases; salts destroyed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, text

from consent_server.analytics.partitions import ensure_partitions, existing_partitions, partition_name
from consent_server.extensions import db
from consent_server.models import AnalyticsEvent, AnalyticsSalt, AnalyticsSession, BotTally, DailyRollup
from consent_server.timeutil import add_months

NOW = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)
CUTOFF = add_months(NOW, -26)  # 2024-09-25T12:00:00Z
SECOND = timedelta(seconds=1)


def add_visit(site: Any, moment: datetime) -> None:
    visit = AnalyticsSession(
        site_id=site.id,
        visitor_key="k" * 32,
        started_at=moment,
        last_seen_at=moment,
        entry_page="/",
        exit_page="/",
        pageviews=1,
        events=0,
        engaged_ms=0,
        duration_s=0,
        source="Direct / None",
        channel="direct",
        browser="Chrome 131",
        os="Windows",
        device="desktop",
    )
    db.session.add(visit)
    db.session.flush()
    db.session.add(
        AnalyticsEvent(
            site_id=site.id,
            session_id=visit.id,
            visitor_key="k" * 32,
            occurred_at=moment,
            kind="pageview",
            host="www.example.nl",
            page="/",
        )
    )


@pytest.fixture
def cli(app: Any) -> Any:
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args), catch_exceptions=False)


def count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_analytics_older_than_26_months_go_and_the_boundary_stays(cli: Any, make_site: Any) -> None:
    site = make_site()
    for moment in (CUTOFF, CUTOFF - SECOND):
        add_visit(site, moment)
    db.session.add(BotTally(site_id=site.id, day=(CUTOFF - timedelta(days=1)).date(), hits=3))
    db.session.add(BotTally(site_id=site.id, day=CUTOFF.date(), hits=2))
    for day in ((CUTOFF - timedelta(days=1)).date(), CUTOFF.date()):
        db.session.add(DailyRollup(site_id=site.id, day=day, dimension="", value="", visitors=1, visits=1))
    db.session.commit()
    result = cli("retention", "purge", "--now", "2026-11-25T12:00:00Z")
    assert result.exit_code == 0, result.output
    assert "analytics_events: deleted 1" in result.output
    assert "analytics_sessions: deleted 1" in result.output
    assert "analytics_bot_tallies: deleted 1" in result.output
    assert "analytics_daily: deleted 1" in result.output
    assert list(db.session.scalars(select(DailyRollup.day))) == [CUTOFF.date()]
    assert list(db.session.scalars(select(AnalyticsEvent.occurred_at))) == [CUTOFF]
    assert list(db.session.scalars(select(AnalyticsSession.started_at))) == [CUTOFF]


def test_one_second_earlier_nothing_is_deleted(cli: Any, make_site: Any) -> None:
    site = make_site()
    for moment in (CUTOFF, CUTOFF - SECOND):
        add_visit(site, moment)
    db.session.commit()
    result = cli("retention", "purge", "--now", "2026-11-25T11:59:59Z")
    assert "analytics_events: deleted 0" in result.output
    assert count(AnalyticsEvent) == 2


def test_salts_are_destroyed_after_their_period_and_grace(cli: Any, make_site: Any) -> None:
    day = timedelta(days=1)
    start = datetime(2026, 11, 24, tzinfo=UTC)
    for offset in (-1, 0, 1):
        db.session.add(
            AnalyticsSalt(
                period_start=start + offset * day, period_end=start + (offset + 1) * day, secret=bytes(32)
            )
        )
    db.session.commit()
    # 2026-11-25 00:59:59: yesterday's salt (ending at midnight) is still in its one-hour grace.
    assert "analytics_salts: deleted 1" in cli("retention", "purge", "--now", "2026-11-25T00:59:59Z").output
    assert "analytics_salts: deleted 1" in cli("retention", "purge", "--now", "2026-11-25T01:00:01Z").output
    assert list(db.session.scalars(select(AnalyticsSalt.period_start))) == [start + day]


def test_postgresql_drops_whole_monthly_partitions(cli: Any, make_site: Any, database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("partitions exist on PostgreSQL only; SQLite deletes in batches (tested above)")
    site = make_site()
    old_month = datetime(2024, 6, 1, tzinfo=UTC)
    connection = db.session.connection()
    ensure_partitions(connection, old_month, ahead=0)
    ensure_partitions(connection, CUTOFF, ahead=0)
    add_visit(site, datetime(2024, 6, 15, tzinfo=UTC))
    add_visit(site, CUTOFF - SECOND)
    add_visit(site, CUTOFF)
    db.session.commit()
    result = cli("retention", "purge", "--now", "2026-11-25T12:00:00Z")
    assert "analytics_events: deleted 2" in result.output
    names = set(existing_partitions(db.session.connection()))
    assert partition_name(old_month) not in names
    assert partition_name(CUTOFF.replace(day=1)) in names  # the boundary month is kept, its old rows deleted
    assert (
        db.session.execute(text(f"SELECT count(*) FROM {partition_name(CUTOFF.replace(day=1))}")).scalar()
        == 1
    )


def test_rows_that_landed_in_the_default_partition_move_into_a_new_month(
    make_site: Any, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("partitions exist on PostgreSQL only")
    site = make_site()
    add_visit(site, datetime(2031, 3, 3, tzinfo=UTC))  # no partition yet: DEFAULT takes it
    db.session.commit()
    created = ensure_partitions(db.session.connection(), datetime(2031, 3, 1, tzinfo=UTC), ahead=0)
    db.session.commit()
    assert created == ["analytics_events_203103"]
    assert db.session.execute(text("SELECT count(*) FROM analytics_events_203103")).scalar() == 1
    assert db.session.execute(text("SELECT count(*) FROM analytics_events_default")).scalar() == 0
