"""The demo's seeded traffic: written through the storage layer, realistic in its mix, rolled up, and
seeded once. Short runs here (a week at a fifth of the volume); `consent-server demo` seeds 90 days."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import distinct, func, select

from consent_server.demo_data import seed_demo_traffic
from consent_server.extensions import db
from consent_server.models import AnalyticsEvent, AnalyticsSession, ConsentRecord, DailyRollup
from consent_server.stats.periods import parse_period
from consent_server.stats.services import aggregate, breakdown, realtime_visitors

NOW = datetime(2026, 11, 25, 14, 30, tzinfo=UTC)
DAYS = 7


@pytest.fixture
def site(make_site: Any) -> Any:
    return make_site()


@pytest.fixture
def seeded(site: Any) -> Any:
    seed_demo_traffic(db.session, site, NOW, days=DAYS, scale=0.4)
    return site


def column(model_column: Any) -> Counter[Any]:
    return Counter(dict(db.session.execute(select(model_column, func.count()).group_by(model_column)).all()))


def test_seeding_writes_choices_visits_events_and_rollups(seeded: Any) -> None:
    assert column(ConsentRecord.action)["accept_all"] > 0
    assert db.session.scalar(select(func.count()).select_from(AnalyticsSession)) > 50
    assert db.session.scalar(select(func.count()).select_from(AnalyticsEvent)) > 100
    days = db.session.scalar(select(func.count(distinct(DailyRollup.day))))
    assert days == DAYS


def test_seeded_days_end_now_and_start_a_week_before(seeded: Any) -> None:
    moments = select(func.min(AnalyticsEvent.occurred_at), func.max(AnalyticsEvent.occurred_at))
    first, last = db.session.execute(moments).one()
    assert first.replace(tzinfo=UTC).date() == (NOW - timedelta(days=DAYS - 1)).date()
    assert last.replace(tzinfo=UTC) <= NOW


def test_choices_mix_accept_reject_custom_and_a_few_withdrawals(seeded: Any) -> None:
    actions = column(ConsentRecord.action)
    total = sum(actions.values())
    assert 0.45 < actions["accept_all"] / total < 0.7
    assert 0.15 < actions["reject_all"] / total < 0.4
    assert 0.05 < actions["custom"] / total < 0.25


def test_visits_come_from_many_sources_channels_countries_and_devices(seeded: Any) -> None:
    channels = {"direct", "search", "social", "referral", "paid", "campaign"}
    assert channels <= set(column(AnalyticsSession.channel))
    assert {"NL", "BE"} <= set(column(AnalyticsSession.country))
    assert {"desktop", "mobile"} <= set(column(AnalyticsSession.device))
    assert len(column(AnalyticsSession.browser)) >= 5


def test_some_visits_bounce_and_others_last(seeded: Any) -> None:
    when = parse_period("7d", NOW.date().isoformat(), NOW.date())
    results = aggregate(db.session, seeded, when, ["bounce_rate", "visit_duration", "views_per_visit"], k=5)
    values = {metric: entry["value"] for metric, entry in results["results"].items()}
    assert 25 <= values["bounce_rate"] <= 60
    assert values["visit_duration"] > 30
    assert values["views_per_visit"] > 1.3


def test_custom_events_are_seeded(seeded: Any) -> None:
    when = parse_period("7d", NOW.date().isoformat(), NOW.date())
    rows = breakdown(db.session, seeded, when, "event:name", ["visitors", "events"], k=1)["results"]
    assert rows and all(row["events"] > 0 for row in rows)


def test_a_few_visitors_are_on_the_site_right_now(seeded: Any) -> None:
    answer = realtime_visitors(db.session, seeded, NOW, k=5)["results"]["visitors"]
    assert answer["value"] is not None and answer["value"] >= 5


def test_seeding_again_adds_nothing(seeded: Any) -> None:
    before = db.session.scalar(select(func.count()).select_from(AnalyticsEvent))
    written = seed_demo_traffic(db.session, seeded, NOW + timedelta(hours=1), days=DAYS, scale=0.4)
    assert written == {"choices": 0, "hits": 0, "days": 0}
    assert db.session.scalar(select(func.count()).select_from(AnalyticsEvent)) == before
