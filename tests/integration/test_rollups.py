"""Daily rollups agree with the raw rows, on both databases; job leases let one instance work."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from consent_server.analytics.jobs import acquire, run_due_jobs
from consent_server.analytics.rollups import refresh_day
from consent_server.extensions import db
from consent_server.models import DailyRollup
from tests.integration.test_collect import give_consent, hit

DAY = datetime.now(UTC).date()


@pytest.fixture
def traffic(client: Any, make_site: Any) -> None:
    """Three visitors: one bounce from Google, one two-page visit with an event, one newsletter visit."""
    make_site()
    first, second, third = (give_consent(client)["token"] for _ in range(3))
    hit(client, first, url="https://www.example.nl/", referrer="https://www.google.com/")
    hit(client, second, url="https://www.example.nl/")
    hit(client, second, url="https://www.example.nl/contact")
    hit(client, second, type="event", name="Aanmelden", url="https://www.example.nl/contact")
    hit(client, third, url="https://www.example.nl/nieuws?utm_source=nieuwsbrief&utm_medium=email")


def rollup(dimension: str, value: str) -> tuple[int, int, int, int, int]:
    row = db.session.scalars(
        select(DailyRollup).where(
            DailyRollup.day == DAY, DailyRollup.dimension == dimension, DailyRollup.value == value
        )
    ).one()
    return row.visitors, row.visits, row.pageviews, row.bounces, row.events


def test_daily_totals_count_visitors_visits_pageviews_and_bounces(traffic: None) -> None:
    assert refresh_day(db.session, DAY) > 0
    assert rollup("", "") == (3, 3, 4, 2, 1)


def test_breakdowns_by_page_source_channel_and_event(traffic: None) -> None:
    refresh_day(db.session, DAY)
    assert rollup("page", "/") == (2, 0, 2, 0, 0)
    assert rollup("page", "/contact") == (1, 0, 1, 0, 0)
    assert rollup("entry_page", "/")[:3] == (2, 2, 3)
    assert rollup("exit_page", "/contact")[:2] == (1, 1)
    assert rollup("channel", "search")[:2] == (1, 1)
    assert rollup("source", "Google")[:2] == (1, 1)
    assert rollup("channel", "email")[:2] == (1, 1)
    assert rollup("utm_source", "nieuwsbrief")[:2] == (1, 1)
    assert rollup("event", "Aanmelden") == (1, 0, 0, 0, 1)
    assert rollup("device", "desktop")[:2] == (3, 3)


def test_refreshing_a_day_again_replaces_its_rows(traffic: None) -> None:
    first = refresh_day(db.session, DAY)
    assert refresh_day(db.session, DAY) == first
    assert rollup("", "") == (3, 3, 4, 2, 1)


def test_a_lease_lets_one_holder_run_until_it_expires(app: Any) -> None:
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    lease = timedelta(minutes=1)
    assert acquire(db.session, "rollups", "a", now, lease) is True
    assert acquire(db.session, "rollups", "b", now + timedelta(seconds=30), lease) is False
    assert acquire(db.session, "rollups", "b", now + lease, lease) is True


def test_due_jobs_run_once_across_instances(traffic: None, app: Any) -> None:
    now = datetime.now(UTC)
    assert run_due_jobs(db.session, app.config, now, db.session.commit) == ["rollups", "retention"]
    assert run_due_jobs(db.session, app.config, now + timedelta(seconds=10), db.session.commit) == []
    assert rollup("", "") == (3, 3, 4, 2, 1)
