"""The stats API over HTTP: Plausible v1 parameters and shapes, auth by session or API key, the floor,
and a 400 in the one error shape for every parameter it cannot answer (never a 500)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from consent_server.auth import services
from consent_server.extensions import db
from consent_server.stats.periods import parse_period
from consent_server.stats.services import aggregate
from consent_server.timeutil import utcnow
from tests.integration.test_stats_aggregate import DAY, at, rollup, visit
from tests.integration.test_stats_api_shape import DOCUMENTED_AGGREGATE, DOCUMENTED_SOURCES, shape
from tests.integration.test_stats_consent import ALL_OFF, ALL_ON, choose

ON_DAY = {"period": "day", "date": DAY.isoformat()}


@pytest.fixture
def site(make_site: Any) -> Any:
    return make_site()


@pytest.fixture
def traffic(site: Any) -> Any:
    """12 visitors on DAY: 6 direct one-page visits, 6 from Google that see / and /sites."""
    for index in range(12):
        source = "Google" if index % 2 else "Direct / None"
        pages = ("/", "/sites") if index % 2 else ("/",)
        visit(
            site,
            at(DAY, 9 + index % 8),
            pages=pages,
            source=source,
            channel="search" if index % 2 else "direct",
        )
    rollup(DAY)
    return site


@pytest.fixture
def api(client: Any, make_user: Any, login_as: Any, site: Any) -> Any:
    """api(path, **params) asks as a signed-in marketing user with a grant for the site."""
    login_as(make_user("marketing", [site]))

    def ask(path: str, **params: Any) -> Any:
        return client.get(f"/api/v1/stats/{path}", query_string={"site_id": site.key, **params})

    return ask


def bearer(user: Any) -> dict[str, str]:
    _, secret = services.create_api_key(db.session, user, "test", utcnow())
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_aggregate_answers_in_plausibles_shape(api: Any, traffic: Any) -> None:
    answer = api("aggregate", metrics="visitors,pageviews,bounce_rate,visit_duration", **ON_DAY)
    assert answer.status_code == 200
    assert shape({"results": answer.get_json()["results"]}) == shape(DOCUMENTED_AGGREGATE)
    assert answer.get_json()["results"]["visitors"] == {"value": 12}


def test_aggregate_is_the_services_answer_unchanged(api: Any, traffic: Any) -> None:
    answer = api("aggregate", metrics="visitors,visits", **ON_DAY).get_json()
    when = parse_period("day", DAY.isoformat(), utcnow().date())
    direct = aggregate(db.session, traffic, when, ["visitors", "visits"], k=5)
    assert answer == direct


def test_api_key_as_bearer_token_reads_the_same_figures(client: Any, make_user: Any, traffic: Any) -> None:
    headers = bearer(make_user("marketing", [traffic]))
    answer = client.get(
        "/api/v1/stats/aggregate", query_string={"site_id": traffic.key, **ON_DAY}, headers=headers
    )
    assert answer.status_code == 200
    assert answer.get_json()["results"]["visitors"] == {"value": 12}


def test_api_key_of_a_user_without_a_grant_gets_404(client: Any, make_user: Any, traffic: Any) -> None:
    headers = bearer(make_user("marketing", []))
    answer = client.get("/api/v1/stats/aggregate", query_string={"site_id": traffic.key}, headers=headers)
    assert answer.status_code == 404
    assert answer.get_json()["error"]["code"] == "not_found"


def test_unknown_site_gets_the_same_404(api: Any, client: Any) -> None:
    answer = client.get("/api/v1/stats/aggregate", query_string={"site_id": "no-such-site"})
    assert answer.status_code == 404


def test_anonymous_caller_gets_401_with_a_bearer_challenge(client: Any, site: Any) -> None:
    answer = client.get("/api/v1/stats/aggregate", query_string={"site_id": site.key})
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"].lower().startswith("bearer")


def test_a_bad_key_is_refused_even_with_a_session(api: Any, client: Any, site: Any) -> None:
    answer = client.get(
        "/api/v1/stats/aggregate",
        query_string={"site_id": site.key},
        headers={"Authorization": "Bearer csk_not-a-key"},
    )
    assert answer.status_code == 401


def test_compare_previous_period_adds_change(api: Any, traffic: Any) -> None:
    answer = api("aggregate", compare="previous_period", **ON_DAY).get_json()
    assert answer["results"]["visitors"] == {"value": 12, "change": 100}
    assert answer["meta"]["comparison"] == ["2026-11-19", "2026-11-19"]


def test_timeseries_has_one_point_per_day_of_the_period(api: Any, traffic: Any) -> None:
    answer = api("timeseries", period="7d", date=DAY.isoformat()).get_json()
    assert [point["date"] for point in answer["results"]][-1] == DAY.isoformat()
    assert len(answer["results"]) == 7
    assert answer["results"][-1]["visitors"] == 12
    assert answer["results"][0] == {"date": "2026-11-14", "visitors": 0}


def test_timeseries_of_one_day_by_hour(api: Any, traffic: Any) -> None:
    answer = api("timeseries", interval="hour", **ON_DAY).get_json()
    assert len(answer["results"]) == 24
    assert answer["results"][0]["date"] == "2026-11-20 00:00:00"


def test_breakdown_by_source_has_the_documented_shape(api: Any, traffic: Any) -> None:
    answer = api("breakdown", property="visit:source", metrics="visitors,bounce_rate", **ON_DAY).get_json()
    assert shape({"results": answer["results"]}) == shape(DOCUMENTED_SOURCES)
    assert {row["source"]: row["bounce_rate"] for row in answer["results"]} == {
        "Direct / None": 100,
        "Google": 0,
    }


def test_breakdown_folds_rows_below_the_floor_into_other(api: Any, site: Any) -> None:
    for page, visitors in {"/big": 7, "/mid": 6, "/a": 2, "/b": 2, "/c": 1}.items():
        for _ in range(visitors):
            visit(site, at(DAY), pages=(page,))
    rollup(DAY)
    answer = api("breakdown", property="event:page", **ON_DAY).get_json()
    assert answer["results"] == [
        {"page": "/big", "visitors": 7},
        {"page": "/mid", "visitors": 6},
        {"page": "(other)", "visitors": 5, "other": True},
    ]
    assert answer["meta"]["folded_rows"] == 3


def test_breakdown_pages_with_limit_and_page(api: Any, traffic: Any) -> None:
    first = api("breakdown", property="visit:source", limit="1", page="1", **ON_DAY).get_json()
    second = api("breakdown", property="visit:source", limit="1", page="2", **ON_DAY).get_json()
    assert [row["source"] for row in first["results"] + second["results"]] == ["Direct / None", "Google"]


def test_filters_narrow_every_figure(api: Any, traffic: Any) -> None:
    answer = api(
        "aggregate", filters="visit:source==Google", metrics="visitors,pageviews", **ON_DAY
    ).get_json()
    assert answer["results"] == {"visitors": {"value": 6}, "pageviews": {"value": 12}}


def test_a_period_below_the_floor_shows_no_numbers(api: Any, site: Any) -> None:
    for _ in range(3):
        visit(site, at(DAY))
    rollup(DAY)
    answer = api("aggregate", metrics="visitors,visits", **ON_DAY).get_json()
    assert answer["results"] == {
        "visitors": {"value": None, "below_k": True},
        "visits": {"value": None, "below_k": True},
    }


def test_consent_endpoint_counts_choices_and_opt_in_rates(api: Any, site: Any) -> None:
    choose(site, DAY, "accept_all", ALL_ON, times=6)
    choose(site, DAY, "reject_all", ALL_OFF, times=4)
    answer = api("consent", **ON_DAY).get_json()
    totals = answer["results"]["totals"]
    assert (totals["choices"], totals["accept_all"], totals["reject_all"]) == (10, 6, 4)
    assert totals["opt_in"]["analytics"] == 60.0
    assert answer["meta"]["source"] == "consent_daily"


def test_a_site_id_with_a_nul_byte_is_no_site(api: Any, client: Any) -> None:
    answer = client.get("/api/v1/stats/aggregate", query_string={"site_id": "example\x00"})
    assert answer.status_code == 404
    assert answer.get_json()["error"]["code"] == "not_found"


def test_site_id_is_required(api: Any, client: Any) -> None:
    answer = client.get("/api/v1/stats/aggregate")
    assert answer.status_code == 400
    assert answer.get_json()["error"]["fields"] == {"site_id": "required"}


def test_breakdown_needs_a_property(api: Any) -> None:
    answer = api("breakdown")
    assert answer.status_code == 400
    assert answer.get_json()["error"]["fields"] == {"property": "required"}


HOSTILE = [
    ("aggregate", {"period": "year"}, "period"),
    ("aggregate", {"period": "custom"}, "date"),
    ("aggregate", {"period": "custom", "date": "2026-11-20,2026-11-01"}, "date"),
    ("aggregate", {"period": "custom", "date": "2020-01-01,2026-11-01"}, "date"),
    ("aggregate", {"date": "2026-13-45"}, "date"),
    ("aggregate", {"date": "yesterday"}, "date"),
    ("aggregate", {"period": "month", "date": "9999-12-15"}, "date"),
    ("aggregate", {"period": "7d", "date": "0001-01-02"}, "date"),
    ("timeseries", {"period": "custom", "date": "0001-01-01,0001-01-05"}, "date"),
    ("breakdown", {"property": "visit:source", "period": "day", "date": "9999-12-31"}, "date"),
    ("aggregate", {"metrics": "visitors,revenue"}, "metrics"),
    ("aggregate", {"metrics": "visitors,visitors"}, "metrics"),
    ("aggregate", {"compare": "last_year"}, "compare"),
    ("aggregate", {"filters": "visit:source=Google"}, "filters"),
    ("aggregate", {"filters": "visit:nope==1"}, "filters"),
    ("aggregate", {"filters": "visit:source=="}, "filters"),
    ("aggregate", {"filters": ";".join(["visit:source==a"] * 11)}, "filters"),
    ("aggregate", {"filters": "visit:source==" + "a" * 3000}, "filters"),
    ("aggregate", {"filters": "x" * 9000}, "filters"),
    ("aggregate", {"period": "30d\x00"}, "period"),
    ("aggregate", {"filters": "visit:source==Goo\x00gle"}, "filters"),
    ("timeseries", {"interval": "week"}, "interval"),
    ("timeseries", {"interval": "hour", "period": "7d"}, "interval"),
    ("breakdown", {"property": "visit:nope"}, "property"),
    ("breakdown", {"property": "event:page", "metrics": "bounce_rate"}, "metrics"),
    ("breakdown", {"property": "visit:source", "limit": "0"}, "limit"),
    ("breakdown", {"property": "visit:source", "limit": "100000"}, "limit"),
    ("breakdown", {"property": "visit:source", "limit": "ten"}, "limit"),
    ("breakdown", {"property": "visit:source", "page": "-1"}, "page"),
    ("consent", {"period": "forever"}, "period"),
]


@pytest.mark.parametrize(("endpoint", "params", "field"), HOSTILE, ids=lambda v: repr(v)[:60])
def test_a_parameter_it_cannot_answer_is_a_400_naming_it(
    api: Any, traffic: Any, endpoint: str, params: dict[str, str], field: str
) -> None:
    answer = api(endpoint, **params)
    assert answer.status_code == 400
    error = answer.get_json()["error"]
    assert error["code"] == "invalid_parameter"
    assert field in error["fields"]
    assert error["message"]


def test_realtime_visitors_is_a_bare_number_as_plausible_answers(api: Any, site: Any, app: Any) -> None:
    now = utcnow()
    for minutes in (1, 2, 3, 4, 4.5):
        visit(site, now - timedelta(minutes=minutes))
    visit(site, now - timedelta(minutes=20))  # too long ago
    db.session.commit()
    app.config["STATS_MIN_VISITORS"] = 5
    answer = api("realtime/visitors")
    assert answer.status_code == 200
    assert answer.get_json() == 5


def test_realtime_visitors_below_the_floor_is_null_not_a_number(api: Any, site: Any, app: Any) -> None:
    visit(site, utcnow() - timedelta(minutes=1))
    db.session.commit()
    app.config["STATS_MIN_VISITORS"] = 5
    answer = api("realtime/visitors")
    assert answer.status_code == 200
    assert answer.get_json() is None


def test_realtime_visitors_of_a_site_without_a_grant_is_404(
    client: Any, make_user: Any, login_as: Any, make_site: Any
) -> None:
    other = make_site(key="other", name="Other")
    login_as(make_user("marketing", []))
    answer = client.get("/api/v1/stats/realtime/visitors", query_string={"site_id": other.key})
    assert answer.status_code == 404
