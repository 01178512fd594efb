"""The statistics page of a site: cards with comparison, chart, tables with "(other)", filters by row,
the period picker, nl and en, and a 400 page (never a 500) for a URL it cannot answer."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from urllib.parse import unquote

import pytest

from consent_server.timeutil import utcnow
from tests.integration.dashboard_support import (
    ON_DAY,
    granted_reader,
    links,
    page_text,
    query_of,
    seed_traffic,
)
from tests.integration.test_stats_aggregate import DAY, at, rollup, visit


@pytest.fixture
def site(make_site: Any) -> Any:
    return make_site()


@pytest.fixture
def stats(client: Any, make_user: Any, login_as: Any, site: Any) -> Any:
    return granted_reader(client, make_user, login_as, site)


@pytest.fixture
def traffic(site: Any) -> Any:
    return seed_traffic(site)


def test_statistics_page_shows_the_cards_of_the_period(stats: Any, traffic: Any) -> None:
    response = stats(**ON_DAY)
    assert response.status_code == 200
    text = page_text(response.get_data(as_text=True))
    assert "Unieke bezoekers 12" in text
    assert "Paginaweergaven 18" in text
    assert "Bouncepercentage 50%" in text


def test_cards_compare_with_the_previous_period(stats: Any, traffic: Any) -> None:
    text = page_text(stats(**ON_DAY).get_data(as_text=True))
    assert "Unieke bezoekers 12 ▲ +100% 100% meer dan in de vorige periode." in text
    assert "vergeleken met 19 november 2026" in text


def test_cards_below_the_floor_show_no_numbers(stats: Any, site: Any) -> None:
    for _ in range(3):
        visit(site, at(DAY))
    rollup(DAY)
    text = page_text(stats(**ON_DAY).get_data(as_text=True))
    assert "Unieke bezoekers Minder dan 5" in text
    assert "Bezoeken Minder dan 5" in text
    assert "Geen vergelijking" in text


def test_every_card_says_how_it_is_counted(stats: Any, traffic: Any) -> None:
    text = page_text(stats(**ON_DAY).get_data(as_text=True))
    assert "wie op twee dagen komt, telt twee keer" in text
    assert text.count("Hoe geteld?") == 7


def test_realtime_card_counts_visitors_of_the_last_five_minutes(stats: Any, site: Any) -> None:
    now = utcnow()
    for _ in range(6):
        visit(site, now - timedelta(minutes=2))
    visit(site, now - timedelta(minutes=20))
    text = page_text(stats().get_data(as_text=True))
    assert "Bezoekers nu 6" in text


def test_realtime_card_says_filters_do_not_apply_to_it(stats: Any, site: Any) -> None:
    for _ in range(6):
        visit(site, utcnow() - timedelta(minutes=2), device="mobile")
    text = page_text(stats(filters="visit:device==desktop").get_data(as_text=True))
    assert "Bezoekers nu 6 hele site, zonder filters" in text


def test_chart_is_an_svg_image_with_a_title_and_its_numbers_as_a_table(stats: Any, traffic: Any) -> None:
    html = stats(period="7d", date=DAY.isoformat()).get_data(as_text=True)
    assert re.search(r'<svg class="chart__svg"[^>]*role="img"[^>]*aria-labelledby="visits-chart-title"', html)
    assert '<title id="visits-chart-title">Unieke bezoekers per dag</title>' in html
    text = page_text(html)
    assert "Toon de cijfers als tabel" in text
    assert "20 november 2026 12" in text and "19 november 2026 6" in text


def test_chart_of_one_day_is_per_hour(stats: Any, traffic: Any) -> None:
    html = stats(**ON_DAY).get_data(as_text=True)
    assert "Unieke bezoekers per uur" in html
    assert page_text(html).count("Uur (UTC)") == 1


def test_chart_metric_links_switch_the_chart(stats: Any, traffic: Any) -> None:
    html = stats(metric="pageviews", **ON_DAY).get_data(as_text=True)
    assert "Paginaweergaven per uur" in html
    assert any(query_of(link).get("metric") == ["bounce_rate"] for link in links(html))


def test_tables_show_pages_sources_and_devices(stats: Any, traffic: Any) -> None:
    text = page_text(stats(**ON_DAY).get_data(as_text=True))
    assert "/ 12 18" not in text  # a path is shown with its own link text, numbers in their cells
    assert re.search(r"Meest bekeken pagina's .*/ \(filter hierop\) 12 12", text)
    assert re.search(r"Bronnen Bron .*Direct / None \(filter hierop\) 6 6 100%", text)
    assert re.search(r"Apparaten Apparaat .*Computer \(filter hierop\) 6 6", text)


def test_rows_below_the_floor_are_folded_into_other(stats: Any, site: Any) -> None:
    for page, visitors in {"/big": 7, "/a": 3, "/b": 2}.items():
        for _ in range(visitors):
            visit(site, at(DAY), pages=(page,))
    rollup(DAY)
    text = page_text(stats(**ON_DAY).get_data(as_text=True))
    assert re.search(r"Meest bekeken pagina's .*/big \(filter hierop\) 7 7 \(overig\) 5 5", text)
    assert "(overig) telt 2 rijen samen" in text
    assert "/a (filter" not in text


def test_clicking_a_row_filters_the_page_by_it(stats: Any, traffic: Any) -> None:
    html = stats(**ON_DAY).get_data(as_text=True)
    filtered = [link for link in links(html) if query_of(link).get("filters") == ["visit:source==Google"]]
    assert filtered and query_of(filtered[0])["period"] == ["day"]
    text = page_text(stats(filters="visit:source==Google", **ON_DAY).get_data(as_text=True))
    assert "Unieke bezoekers 6" in text
    assert "Bron is Google" in text


def test_a_row_filter_replaces_the_filter_on_the_same_property(stats: Any, traffic: Any) -> None:
    html = stats(filters="visit:source==*o*", **ON_DAY).get_data(as_text=True)
    assert any(query_of(link).get("filters") == ["visit:source==Direct / None"] for link in links(html))
    both = ["visit:source==*o*;visit:device==mobile"]
    assert any(query_of(link).get("filters") == both for link in links(html))


def test_filter_chip_removes_its_filter(stats: Any, traffic: Any) -> None:
    html = stats(filters="visit:source==Google;visit:device==mobile", **ON_DAY).get_data(as_text=True)
    text = page_text(html)
    assert "Filter weghalen: Bron is Google" in text
    assert "Filter weghalen: Apparaat is Mobiel" in text
    removals = [link for link in links(html) if "filters=" in link and "device" in unquote(link)]
    assert any(query_of(link)["filters"] == ["visit:device==mobile"] for link in removals)
    assert "Alle filters weghalen" in text


def test_a_value_with_a_pipe_becomes_an_escaped_filter(stats: Any, site: Any) -> None:
    for _ in range(5):
        visit(site, at(DAY), pages=("/a|b",))
    rollup(DAY)
    html = stats(**ON_DAY).get_data(as_text=True)
    assert any(query_of(link).get("filters") == ["event:page==/a\\|b"] for link in links(html))
    assert "Unieke bezoekers 5" in page_text(
        stats(filters="event:page==/a\\|b", **ON_DAY).get_data(as_text=True)
    )


def test_other_row_has_no_filter_link(stats: Any, site: Any) -> None:
    for page, visitors in {"/big": 7, "/a": 3, "/b": 2}.items():
        for _ in range(visitors):
            visit(site, at(DAY), pages=(page,))
    rollup(DAY)
    html = stats(**ON_DAY).get_data(as_text=True)
    assert not any("(other)" in unquote(link) for link in links(html))


def test_utm_tables_leave_out_visits_without_a_tag_and_say_so(stats: Any, site: Any) -> None:
    for index in range(11):
        visit(site, at(DAY), utm_campaign="winter" if index < 5 else None)
    rollup(DAY)
    text = page_text(stats(**ON_DAY).get_data(as_text=True))
    assert re.search(r"UTM-campagnes UTM-campagne .*winter \(filter hierop\) 5 5", text)
    assert "Bezoeken zonder deze UTM-tag staan niet in de tabel (6 unieke bezoekers)." in text


def test_show_all_expands_one_table(stats: Any, site: Any) -> None:
    for index in range(12):
        for _ in range(5):
            visit(site, at(DAY), pages=(f"/p{index:02d}",))
    rollup(DAY)
    collapsed = page_text(stats(**ON_DAY).get_data(as_text=True))
    assert "Alle 12 rijen tonen" in collapsed and "/p11" not in collapsed
    expanded = page_text(stats(show="pages", **ON_DAY).get_data(as_text=True))
    assert "/p11" in expanded


def test_custom_period_comes_from_the_form_fields(stats: Any, traffic: Any) -> None:
    response = stats(**{"from": "2026-11-19", "to": "2026-11-20"})
    text = page_text(response.get_data(as_text=True))
    assert "19 november 2026 t/m 20 november 2026" in text
    assert "Unieke bezoekers 18" in text


def test_period_links_keep_the_filters(stats: Any, traffic: Any) -> None:
    html = stats(filters="visit:source==Google", **ON_DAY).get_data(as_text=True)
    seven = [link for link in links(html) if query_of(link).get("period") == ["7d"]]
    assert seven and query_of(seven[0])["filters"] == ["visit:source==Google"]
    assert "date" not in query_of(seven[0])


def test_earlier_link_moves_to_the_period_before(stats: Any, traffic: Any) -> None:
    html = stats(period="7d", date=DAY.isoformat()).get_data(as_text=True)
    assert any(query_of(link).get("date") == ["2026-11-13"] for link in links(html))


def test_page_in_english(stats: Any, traffic: Any) -> None:
    text = page_text(stats(lang="en", **ON_DAY).get_data(as_text=True))
    assert "Unique visitors 12" in text
    assert "Top pages" in text
    assert "compared with 19 November 2026" in text


def test_csv_links_carry_the_period_and_filters(stats: Any, traffic: Any) -> None:
    html = stats(filters="visit:source==Google", **ON_DAY).get_data(as_text=True)
    exports = [link for link in links(html) if "/export/pages.csv" in link]
    assert exports and query_of(exports[0]) == {
        "period": ["day"],
        "date": [DAY.isoformat()],
        "filters": ["visit:source==Google"],
    }


def test_pages_carry_no_inline_script_or_style(stats: Any, traffic: Any) -> None:
    for path in ("", "consent"):
        html = stats(path, **ON_DAY).get_data(as_text=True)
        assert not re.search(r"\sstyle=", html)
        assert not re.search(r"<script(?![^>]*\ssrc=)", html)
        assert "javascript:" not in html


def test_pages_name_an_icon_the_app_serves_itself(stats: Any, traffic: Any, client: Any, site: Any) -> None:
    pages = [stats(**ON_DAY), stats("consent", **ON_DAY), client.get(f"/sites/{site.key}/cookies")]
    for response in pages:
        icon = re.search(r'<link rel="icon" href="([^"]+)"', response.get_data(as_text=True))
        assert icon is not None and icon.group(1).startswith("/static/")
        with client.get(icon.group(1)) as served:
            assert served.status_code == 200 and served.mimetype == "image/svg+xml"


HOSTILE = [
    ({"period": "year"}, "De periode in het adres bestaat niet"),
    ({"period": "custom"}, "De datums kloppen niet"),
    ({"from": "2026-11-20", "to": "2026-11-01"}, "De datums kloppen niet"),
    ({"from": "2026-02-30", "to": "2026-03-01"}, "De datums kloppen niet"),
    ({"from": "2026-11-20"}, "De datums kloppen niet"),
    ({"date": "yesterday"}, "De datums kloppen niet"),
    ({"period": "12mo", "date": "0001-03-01"}, "De datums kloppen niet"),
    ({"from": "9999-12-30", "to": "9999-12-31"}, "De datums kloppen niet"),
    ({"filters": "visit:source=Google"}, "Een filter in het adres is onjuist"),
    ({"filters": "visit:nope==1"}, "Een filter in het adres is onjuist"),
    ({"filters": ";".join(["visit:source==a"] * 11)}, "Een filter in het adres is onjuist"),
    ({"filters": "visit:source==Goo\x00gle"}, "tekens die hier niet kunnen"),
    ({"period": "30d\x00"}, "tekens die hier niet kunnen"),
    ({"filters": "x" * 10_000}, "tekens die hier niet kunnen of is te lang"),
    ({"metric": "revenue"}, "Dit cijfer bestaat niet"),
    ({"show": "secrets"}, "Deze tabel bestaat niet"),
]


@pytest.mark.parametrize(("params", "message"), HOSTILE, ids=lambda v: repr(v)[:50])
def test_an_address_it_cannot_answer_gets_a_400_page_with_the_reason(
    stats: Any, traffic: Any, params: dict[str, str], message: str
) -> None:
    response = stats(**params)
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    text = page_text(response.get_data(as_text=True))
    assert "Deze cijfers kunnen we niet tonen" in text
    assert message in text
    assert "Naar de laatste 30 dagen zonder filters" in text


def test_the_400_page_is_in_english_too(stats: Any, traffic: Any) -> None:
    text = page_text(stats(lang="en", period="year").get_data(as_text=True))
    assert "We cannot show these figures" in text and "The period in the address does not exist" in text


def test_a_hostile_value_in_a_filter_is_shown_as_text(stats: Any, traffic: Any) -> None:
    payload = '"><script>alert(1)</script>'
    html = stats(filters=f"visit:source=={payload}", **ON_DAY).get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "Bron is &#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_countries_show_their_names_in_the_readers_language_and_filter_by_code(stats: Any, site: Any) -> None:
    for country, visitors in (("NL", 6), ("BE", 5), ("Q1", 5)):
        for _ in range(visitors):
            visit(site, at(DAY), country=country)
    rollup(DAY)
    html = stats(**ON_DAY).get_data(as_text=True)
    text = page_text(html)
    assert re.search(r"Nederland \(filter hierop\) 6 6 België \(filter hierop\) 5 5", text)
    assert "Q1 (filter hierop) 5 5" in text  # a code CLDR does not know stays a code
    assert any(query_of(link).get("filters") == ["visit:country==BE"] for link in links(html))
    english = page_text(stats(lang="en", **ON_DAY).get_data(as_text=True))
    assert "Netherlands" in english and "Belgium" in english
    chip = page_text(stats(filters="visit:country==BE", **ON_DAY).get_data(as_text=True))
    assert "Filter weghalen: Land is België" in chip
