"""CSV downloads of the statistics pages: every table, the same period, filters and floor as the page."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from consent_server.dashboard.tables import CONSENT_EXPORTS, EXPORTS
from tests.integration.dashboard_support import ON_DAY, granted_reader, seed_traffic
from tests.integration.test_stats_aggregate import DAY, at, rollup, visit
from tests.integration.test_stats_consent import ALL_OFF, ALL_ON, choose


@pytest.fixture
def site(make_site: Any) -> Any:
    return make_site()


@pytest.fixture
def stats(client: Any, make_user: Any, login_as: Any, site: Any) -> Any:
    return granted_reader(client, make_user, login_as, site)


@pytest.fixture
def traffic(site: Any) -> Any:
    return seed_traffic(site)


def rows(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_a_table_downloads_as_csv_with_a_filename(stats: Any, traffic: Any) -> None:
    response = stats("export/sources.csv", **ON_DAY)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="example-sources-2026-11-20-2026-11-20.csv"'
    )


def test_table_csv_has_the_headings_and_rows_of_the_page(stats: Any, traffic: Any) -> None:
    assert rows(stats("export/sources.csv", **ON_DAY)) == [
        ["Bron", "Unieke bezoekers", "Bezoeken", "Bouncepercentage"],
        ["Direct / None", "6", "6", "100"],
        ["Google", "6", "6", "0"],
    ]


def test_csv_headings_follow_the_reader_language(stats: Any, traffic: Any) -> None:
    assert rows(stats("export/pages.csv", lang="en", **ON_DAY))[0] == ["Page", "Unique visitors", "Pageviews"]


def test_csv_honours_the_filters(stats: Any, traffic: Any) -> None:
    assert rows(stats("export/pages.csv", filters="visit:source==Google", **ON_DAY)) == [
        ["Pagina", "Unieke bezoekers", "Paginaweergaven"],
        ["/", "6", "6"],
        ["/contact", "6", "6"],
    ]


def test_csv_honours_the_period(stats: Any, traffic: Any) -> None:
    assert rows(stats("export/pages.csv", period="day", date="2026-11-19"))[1:] == [["/", "6", "6"]]


def test_csv_holds_every_row_not_only_the_first_ten(stats: Any, site: Any) -> None:
    for index in range(12):
        for _ in range(5):
            visit(site, at(DAY), pages=(f"/p{index:02d}",))
    rollup(DAY)
    assert len(rows(stats("export/pages.csv", **ON_DAY))) == 1 + 12


def test_csv_folds_small_rows_like_the_page(stats: Any, site: Any) -> None:
    for page, visitors in {"/big": 7, "/a": 3, "/b": 2}.items():
        for _ in range(visitors):
            visit(site, at(DAY), pages=(page,))
    rollup(DAY)
    assert rows(stats("export/pages.csv", **ON_DAY))[1:] == [["/big", "7", "7"], ["(other)", "5", "5"]]


def test_summary_csv_lists_every_card_with_its_change(stats: Any, traffic: Any) -> None:
    found = rows(stats("export/summary.csv", **ON_DAY))
    assert found[0] == ["Maatstaf", "Waarde", "Verandering (%)"]
    assert found[1] == ["Unieke bezoekers", "12", "100"]
    assert [row[0] for row in found[1:]] == [
        "Unieke bezoekers",
        "Bezoeken",
        "Paginaweergaven",
        "Weergaven per bezoek",
        "Bouncepercentage",
        "Bezoekduur",
    ]


def test_summary_csv_below_the_floor_shows_fewer_than_k(stats: Any, site: Any) -> None:
    for _ in range(3):
        visit(site, at(DAY))
    rollup(DAY)
    found = rows(stats("export/summary.csv", **ON_DAY))
    assert found[1] == ["Unieke bezoekers", "<5", ""]
    assert found[2] == ["Bezoeken", "", ""]


def test_timeseries_csv_has_a_row_per_day_with_every_figure(stats: Any, traffic: Any) -> None:
    found = rows(stats("export/timeseries.csv", period="7d", date=DAY.isoformat()))
    assert found[0][:3] == ["Datum", "Unieke bezoekers", "Bezoeken"]
    assert len(found) == 1 + 7
    assert found[-1][:4] == ["2026-11-20", "12", "12", "18"]


def test_csv_cells_a_spreadsheet_would_run_are_defused(stats: Any, site: Any) -> None:
    for _ in range(5):
        visit(site, at(DAY), pages=("/=HYPERLINK(1)",), source="=cmd|'/c calc'!A1")
    rollup(DAY)
    assert rows(stats("export/sources.csv", **ON_DAY))[1][0] == "'=cmd|'/c calc'!A1"


@pytest.mark.parametrize("table", EXPORTS)
def test_every_table_of_the_page_downloads(stats: Any, traffic: Any, table: str) -> None:
    response = stats(f"export/{table}.csv", **ON_DAY)
    assert response.status_code == 200
    assert len(rows(response)) >= 1


def test_an_unknown_table_is_404(stats: Any, traffic: Any) -> None:
    assert stats("export/passwords.csv").status_code == 404


def test_a_bad_period_gets_the_400_page_not_a_file(stats: Any, traffic: Any) -> None:
    response = stats("export/pages.csv", period="year")
    assert response.status_code == 400
    assert response.mimetype == "text/html"


def test_consent_totals_download_as_csv(stats: Any, site: Any) -> None:
    choose(site, DAY, "accept_all", ALL_ON, times=6)
    choose(site, DAY, "reject_all", ALL_OFF, times=4)
    response = stats("consent/export/totals.csv", **ON_DAY)
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="example-consent-totals-2026-11-20-2026-11-20.csv"'
    )
    found = rows(response)
    assert found[0][:5] == ["Keuzes", "Alles accepteren", "Alles weigeren", "Eigen keuze", "Ingetrokken"]
    assert found[1][:5] == ["10", "6", "4", "0", "0"]


def test_consent_csv_below_the_floor_shows_fewer_than_k(stats: Any, site: Any) -> None:
    choose(site, DAY, "accept_all", ALL_ON, times=3)
    assert rows(stats("consent/export/totals.csv", **ON_DAY))[1][:2] == ["<5", ""]


@pytest.mark.parametrize("table", CONSENT_EXPORTS)
def test_every_consent_table_downloads(stats: Any, site: Any, table: str) -> None:
    choose(site, DAY, "accept_all", ALL_ON, times=6)
    response = stats(f"consent/export/{table}.csv", **ON_DAY)
    assert response.status_code == 200
    assert len(rows(response)) >= 2


def test_an_unknown_consent_table_is_404(stats: Any, site: Any) -> None:
    assert stats("consent/export/records.csv").status_code == 404
