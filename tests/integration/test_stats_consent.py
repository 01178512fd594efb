"""Consent statistics: choices per day by action, opt-in rates, by device, language and policy version."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest

from consent_server.analytics.rollups import refresh_consent_day
from consent_server.extensions import db
from consent_server.models import ConsentRecord
from consent_server.stats.export import consent_csv
from consent_server.stats.services import consent_stats
from tests.integration.test_stats_aggregate import DAY, TODAY, at, period

ALL_ON = {"necessary": True, "preferences": True, "analytics": True, "marketing": True}
ALL_OFF = {"necessary": True, "preferences": False, "analytics": False, "marketing": False}
ANALYTICS_ONLY = {"necessary": True, "preferences": False, "analytics": True, "marketing": False}


@pytest.fixture
def site(make_site: Any) -> Any:
    return make_site()


def choose(
    site: Any,
    day: date,
    action: str,
    categories: dict[str, bool],
    times: int = 1,
    device: str | None = "desktop",
    language: str = "nl",
    policy_version: int = 1,
    rolled_up: bool = True,
) -> None:
    """Record choices on a day; then, unless rolled_up=False, rebuild that day's consent rollup as the
    rollup job does (past days are read from the rollups)."""
    for _ in range(times):
        db.session.add(
            ConsentRecord(
                consent_id=str(uuid.uuid4()),
                site_id=site.id,
                created_at=at(day),
                expires_at=at(day.replace(year=day.year + 1)),
                action=action,
                method="banner",
                categories=categories,
                policy_version=policy_version,
                banner_hash="0" * 64,
                language=language,
                device=device,
            )
        )
    if rolled_up:
        db.session.flush()
        refresh_consent_day(db.session, day)
    db.session.commit()


def stats(site: Any, k: int = 1, when: Any = None, read: Any = "auto") -> Any:
    return consent_stats(db.session, site, when or period("7d", "2026-11-21"), k=k, read=read)


def test_choices_are_counted_per_day_and_action(site: Any) -> None:
    choose(site, DAY, "accept_all", ALL_ON, times=3)
    choose(site, DAY, "reject_all", ALL_OFF, times=2)
    choose(site, date(2026, 11, 21), "withdraw", ALL_OFF)
    series = {row["date"]: row for row in stats(site)["results"]["timeseries"]}
    assert series["2026-11-20"] | {"opt_in": None} == {
        "date": "2026-11-20",
        "choices": 5,
        "accept_all": 3,
        "reject_all": 2,
        "custom": 0,
        "withdraw": 0,
        "opt_in": None,
    }
    assert series["2026-11-21"]["withdraw"] == 1
    assert series["2026-11-19"]["choices"] == 0


def test_opt_in_rate_is_the_share_of_choices_that_switched_a_category_on(site: Any) -> None:
    choose(site, DAY, "accept_all", ALL_ON, times=2)
    choose(site, DAY, "custom", ANALYTICS_ONLY)
    choose(site, DAY, "reject_all", ALL_OFF)
    results = stats(site)["results"]
    assert results["categories"] == [
        {"category": "preferences", "choices": 4, "granted": 2, "opt_in_rate": 50.0},
        {"category": "analytics", "choices": 4, "granted": 3, "opt_in_rate": 75.0},
        {"category": "marketing", "choices": 4, "granted": 2, "opt_in_rate": 50.0},
    ]
    assert results["totals"]["opt_in"] == {"preferences": 50.0, "analytics": 75.0, "marketing": 50.0}


def test_a_withdrawal_counts_as_a_choice_with_everything_off(site: Any) -> None:
    choose(site, DAY, "accept_all", ALL_ON)
    choose(site, DAY, "withdraw", ALL_OFF)
    assert stats(site)["results"]["totals"]["opt_in"]["analytics"] == 50.0


def test_choices_by_device_language_and_policy_version(site: Any) -> None:
    choose(site, DAY, "accept_all", ALL_ON, times=2, device="mobile", language="en", policy_version=2)
    choose(site, DAY, "reject_all", ALL_OFF, device="desktop", language="nl")
    results = stats(site)["results"]
    assert [(row["device"], row["choices"], row["opt_in"]["analytics"]) for row in results["devices"]] == [
        ("mobile", 2, 100.0),
        ("desktop", 1, 0.0),
    ]
    assert [(row["language"], row["accept_all"]) for row in results["languages"]] == [("en", 2), ("nl", 0)]
    assert [row["policy_version"] for row in results["policy_versions"]] == [2, 1]


def test_device_rows_below_the_floor_are_folded_into_other(site: Any) -> None:
    choose(site, DAY, "accept_all", ALL_ON, times=6, device="desktop")
    choose(site, DAY, "reject_all", ALL_OFF, times=2, device="tablet")
    choose(site, DAY, "reject_all", ALL_OFF, times=1, device=None)
    choose(site, DAY, "accept_all", ALL_ON, times=5, device="mobile")
    devices = stats(site, k=5)["results"]["devices"]
    assert [(row["device"], row["choices"]) for row in devices] == [("desktop", 6), ("(other)", 8)]
    assert devices[-1]["other"] is True


def test_a_period_below_the_floor_shows_no_consent_figures(site: Any) -> None:
    choose(site, DAY, "accept_all", ALL_ON, times=4)
    answer = stats(site, k=5)
    assert answer["meta"]["below_k"] is True
    assert answer["results"]["totals"]["choices"] is None
    assert answer["results"]["categories"] == []
    assert answer["results"]["devices"] == []
    assert all(row["choices"] in (0, None) for row in answer["results"]["timeseries"])


def test_choices_of_other_sites_and_other_periods_do_not_count(site: Any, make_site: Any) -> None:
    other = make_site(key="other", name="Other")
    choose(other, DAY, "accept_all", ALL_ON, times=3)
    choose(site, date(2026, 10, 1), "accept_all", ALL_ON, times=3)
    choose(site, DAY, "reject_all", ALL_OFF)
    assert stats(site)["results"]["totals"]["choices"] == 1


def test_consent_csv_has_a_column_per_action_and_category(site: Any) -> None:
    choose(site, DAY, "accept_all", ALL_ON, times=5)
    text = consent_csv(stats(site, k=5), "devices")
    assert text.splitlines() == [
        "device,choices,accept_all,reject_all,custom,withdraw,opt_in:preferences,opt_in:analytics,opt_in:marketing",
        "desktop,5,5,0,0,0,100.0,100.0,100.0",
    ]


def test_past_days_are_read_from_the_daily_rollups_with_the_same_answers_as_the_records(site: Any) -> None:
    for offset, device, language in ((0, "desktop", "nl"), (1, "mobile", "en"), (3, None, "nl")):
        day = date(2026, 11, 20 - offset)
        choose(site, day, "accept_all", ALL_ON, times=3 + offset, device=device, language=language)
        choose(site, day, "custom", ANALYTICS_ONLY, times=2, device=device, policy_version=2)
        choose(site, day, "withdraw", ALL_OFF, device=device, language=language)
    rolled, raw = stats(site, k=2), stats(site, k=2, read="raw")
    assert rolled["meta"]["source"] == "consent_daily"
    assert raw["meta"]["source"] == "consent_records"
    assert rolled["results"] == raw["results"]
    assert rolled["results"]["totals"]["choices"] == 6 + 7 + 9


def test_a_past_day_counts_once_the_rollup_job_has_counted_it(site: Any) -> None:
    choose(site, DAY, "accept_all", ALL_ON, times=2, rolled_up=False)
    assert stats(site)["results"]["totals"]["choices"] == 0
    refresh_consent_day(db.session, DAY)
    db.session.commit()
    assert stats(site)["results"]["totals"]["choices"] == 2


def test_todays_choices_count_at_once_without_waiting_for_the_rollup_job(site: Any) -> None:
    choose(site, TODAY, "reject_all", ALL_OFF, times=2, rolled_up=False)
    choose(site, DAY, "accept_all", ALL_ON, times=3)
    answer = stats(site, when=period("7d"))
    series = {row["date"]: row["choices"] for row in answer["results"]["timeseries"]}
    assert (series[TODAY.isoformat()], series[DAY.isoformat()]) == (2, 3)
    assert answer["results"]["totals"]["reject_all"] == 2
