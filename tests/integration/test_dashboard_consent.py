"""The consent statistics page: choices by action, opt-in per category, per day, device, language and
policy version, from the proof log as aggregates only, under the floor."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from tests.integration.dashboard_support import ON_DAY, granted_reader, links, page_text, query_of
from tests.integration.test_stats_aggregate import DAY
from tests.integration.test_stats_consent import ALL_OFF, ALL_ON, ANALYTICS_ONLY, choose


@pytest.fixture
def site(make_site: Any) -> Any:
    return make_site()


@pytest.fixture
def stats(client: Any, make_user: Any, login_as: Any, site: Any) -> Any:
    return granted_reader(client, make_user, login_as, site)


@pytest.fixture
def choices(site: Any) -> Any:
    """DAY: 6 accept all (desktop, nl), 3 reject all (mobile, nl), 3 analytics only (mobile, en)."""
    choose(site, DAY, "accept_all", ALL_ON, times=6)
    choose(site, DAY, "reject_all", ALL_OFF, times=3, device="mobile")
    choose(site, DAY, "custom", ANALYTICS_ONLY, times=3, device="mobile", language="en")
    return site


def consent_text(stats: Any, lang: str = "nl", **params: Any) -> str:
    return page_text(stats("consent", lang=lang, **{**ON_DAY, **params}).get_data(as_text=True))


def test_consent_page_counts_choices_by_action_with_their_share(stats: Any, choices: Any) -> None:
    text = consent_text(stats)
    assert "Keuzes 12" in text
    assert "Alles accepteren 6 50% van de keuzes" in text
    assert "Alles weigeren 3 25% van de keuzes" in text
    assert "Eigen keuze 3 25% van de keuzes" in text


def test_opt_in_rate_per_category_uses_the_category_names(stats: Any, choices: Any) -> None:
    text = consent_text(stats)
    assert re.search(r"Statistieken 75,0% 9 12", text)  # analytics: 6 accept + 3 custom of 12
    assert re.search(r"Marketing en externe media 50,0% 6 12", text)


def test_choices_by_device_language_and_policy_version(stats: Any, choices: Any) -> None:
    text = consent_text(stats)
    assert re.search(r"Per apparaat Apparaat .* Computer 6 6 0 0 0", text)
    assert re.search(r"Mobiel 6 0 3 3 0", text)
    # English has 3 choices: below the floor, so it and the smallest other row fold into "(other)".
    assert re.search(r"Per taal van de banner .* \(overig\) 12 6 3 3 0", text)
    assert re.search(r"Per beleidsversie .* 1 12 6 3 3 0", text)


def test_small_groups_are_folded_into_other(stats: Any, site: Any) -> None:
    choose(site, DAY, "accept_all", ALL_ON, times=8)
    choose(site, DAY, "accept_all", ALL_ON, times=3, device="tablet")
    choose(site, DAY, "accept_all", ALL_ON, times=2, device="mobile")
    text = consent_text(stats)
    assert re.search(r"Per apparaat .* Computer 8 .* \(overig\) 5 5", text)
    assert "Tablet" not in text.split("Per apparaat")[1].split("Per taal")[0]


def test_a_period_below_the_floor_shows_no_numbers(stats: Any, site: Any) -> None:
    choose(site, DAY, "accept_all", ALL_ON, times=3)
    text = consent_text(stats)
    assert "Minder dan 5 keuzes in deze periode" in text
    assert "Keuzes Minder dan 5" in text
    assert "Alles accepteren 3" not in text


def test_choices_per_day_chart_with_a_legend_and_a_table(stats: Any, choices: Any) -> None:
    html = stats("consent", period="7d", date=DAY.isoformat()).get_data(as_text=True)
    assert '<title id="consent-chart-title">Keuzes per dag</title>' in html
    text = page_text(html)
    assert "Alles accepteren Eigen keuze Alles weigeren Ingetrokken" in text  # the legend
    assert "20 november 2026 12 6 3 3 0" in text


def test_days_below_the_floor_are_withheld_in_the_chart(stats: Any, choices: Any, site: Any) -> None:
    choose(site, DAY - timedelta(days=1), "accept_all", ALL_ON, times=2)
    text = page_text(stats("consent", period="7d", date=DAY.isoformat()).get_data(as_text=True))
    assert "19 november 2026 Minder dan 5" in text
    assert "dagen met minder dan 5 keuzes worden niet getoond" in text


def test_consent_page_in_english(stats: Any, choices: Any) -> None:
    text = consent_text(stats, lang="en")
    assert "Choices 12" in text and "Accept all 6 50% of the choices" in text
    assert "Opt-in per category" in text


def test_tabs_link_the_two_pages_keeping_the_period(stats: Any, choices: Any) -> None:
    html = stats("consent", **ON_DAY).get_data(as_text=True)
    stats_links = [link for link in links(html) if link.startswith("/sites/example/?")]
    assert any(query_of(link) == {"period": ["day"], "date": [DAY.isoformat()]} for link in stats_links)


def test_consent_page_with_a_bad_period_is_a_400_page(stats: Any, choices: Any) -> None:
    response = stats("consent", period="forever")
    assert response.status_code == 400
    assert "De periode in het adres bestaat niet" in page_text(response.get_data(as_text=True))
