"""The collector re-checks consent itself and keeps only what the privacy invariants allow."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from consent_server.collect import routes as collect_routes
from consent_server.extensions import db
from consent_server.models import AnalyticsEvent, AnalyticsSalt, AnalyticsSession, BotTally
from consent_server.tokens import ConsentTokens
from tests.factories import CHROME_UA, browser_headers, consent_body, site_document

GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.fixture
def site(make_site: Any) -> Any:
    return make_site()


def give_consent(client: Any, action: str = "accept_all", **overrides: Any) -> dict[str, Any]:
    response = client.post(
        "/api/v1/consent", json=consent_body(action=action, **overrides), headers=browser_headers()
    )
    assert response.status_code == 201
    return response.get_json()  # type: ignore[no-any-return]


def hit(client: Any, token: str, headers: dict[str, str] | None = None, **fields: Any) -> Any:
    body = {
        "site": "example",
        "token": token,
        "type": "pageview",
        "url": "https://www.example.nl/nieuws?id=7",
        **fields,
    }
    return client.post("/api/v1/collect", json=body, headers={**browser_headers(), **(headers or {})})


def count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Move the collector's clock: clock.now is what utcnow() answers."""

    class Clock:
        now = datetime.now(UTC)

        def advance(self, **delta: float) -> None:
            self.now += timedelta(**delta)

    clock = Clock()
    monkeypatch.setattr(collect_routes, "utcnow", lambda: clock.now)
    return clock


def test_pageview_with_analytics_consent_is_stored(client: Any, site: Any) -> None:
    token = give_consent(client)["token"]
    response = hit(client, token, referrer="https://www.google.nl/search?q=gemeente", screen="laptop")
    assert response.status_code == 202
    [event] = db.session.scalars(select(AnalyticsEvent))
    assert (event.kind, event.host, event.page) == ("pageview", "www.example.nl", "/nieuws")
    [visit] = db.session.scalars(select(AnalyticsSession))
    assert (visit.entry_page, visit.exit_page, visit.pageviews) == ("/nieuws", "/nieuws", 1)
    assert (visit.browser, visit.os, visit.device, visit.screen) == (
        "Chrome 131",
        "Windows",
        "desktop",
        "laptop",
    )
    assert (visit.source, visit.channel) == ("Google", "search")


def test_only_utm_parameters_of_the_query_are_kept(client: Any, site: Any) -> None:
    token = give_consent(client)["token"]
    hit(
        client, token, url="https://www.example.nl/a?email=x@y.nl&utm_source=nieuwsbrief&utm_medium=email#top"
    )
    [visit] = db.session.scalars(select(AnalyticsSession))
    [event] = db.session.scalars(select(AnalyticsEvent))
    assert event.page == "/a"
    assert (visit.utm_source, visit.utm_medium) == ("nieuwsbrief", "email")
    assert "x@y.nl" not in repr((vars(visit), vars(event)))


def test_visitor_key_is_a_keyed_hash_not_the_consent_id(client: Any, site: Any) -> None:
    consent = give_consent(client)
    hit(client, consent["token"])
    [event] = db.session.scalars(select(AnalyticsEvent))
    assert len(event.visitor_key) == 32
    assert consent["consent_id"].replace("-", "")[:32] != event.visitor_key


@pytest.mark.parametrize("action", ["reject_all", "custom"])
def test_token_without_analytics_is_refused_and_nothing_stored(client: Any, site: Any, action: str) -> None:
    token = give_consent(client, action=action, categories={"marketing": True})["token"]
    response = hit(client, token)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "consent_refused"
    assert (count(AnalyticsEvent), count(AnalyticsSession)) == (0, 0)


def test_forged_token_is_refused(client: Any, site: Any) -> None:
    forged = ConsentTokens("not-the-server-key").sign(
        "example", "11111111-2222-4333-8444-555555555555", ["analytics"], 1
    )
    response = hit(client, forged)
    assert response.status_code == 401
    assert count(AnalyticsEvent) == 0


def test_token_of_another_site_is_refused(client: Any, site: Any, make_site: Any) -> None:
    doc = site_document(key="other")
    make_site(**{k: v for k, v in doc.items() if k != "key"}, key="other")
    token = give_consent(client)["token"]
    response = hit(client, token, site="other")
    assert response.status_code == 403
    assert count(AnalyticsEvent) == 0


def test_token_of_an_old_policy_version_is_refused(client: Any, site: Any, make_site: Any) -> None:
    token = give_consent(client)["token"]
    make_site(policy_version=2)
    response = hit(client, token)
    assert response.status_code == 409
    assert count(AnalyticsEvent) == 0


def test_expired_consent_is_refused(client: Any, site: Any, clock: Any) -> None:
    token = give_consent(client)["token"]
    clock.advance(days=366)
    response = hit(client, token)
    assert response.status_code == 403
    assert "expired" in response.get_json()["error"]["message"]
    assert count(AnalyticsEvent) == 0


def test_withdrawal_takes_effect_for_the_very_next_event(client: Any, site: Any) -> None:
    consent = give_consent(client)
    assert hit(client, consent["token"]).status_code == 202
    withdrawn = client.delete(
        f"/api/v1/consent/{consent['consent_id']}", headers={"Authorization": f"Bearer {consent['token']}"}
    )
    assert withdrawn.status_code == 204
    response = hit(client, consent["token"])
    assert response.status_code == 403
    assert count(AnalyticsEvent) == 0  # the first one was erased with the withdrawal


def test_switching_analytics_off_refuses_the_old_token(client: Any, site: Any) -> None:
    consent = give_consent(client)
    give_consent(client, action="reject_all", consent_id=consent["consent_id"], token=consent["token"])
    assert hit(client, consent["token"]).status_code == 403


def test_erasure_deletes_linked_events_and_the_receipt_says_so(client: Any, site: Any) -> None:
    consent = give_consent(client)
    other = give_consent(client)
    hit(client, consent["token"])
    hit(client, consent["token"], type="event", name="Aanmelden", props={"plan": "basis"})
    hit(client, other["token"])
    auth = {"Authorization": f"Bearer {consent['token']}"}
    assert client.delete(f"/api/v1/consent/{consent['consent_id']}", headers=auth).status_code == 204
    assert count(AnalyticsEvent) == 1  # only the other visitor's pageview is left
    receipt = client.get(f"/api/v1/consent/{consent['consent_id']}", headers=auth).get_json()
    assert receipt["records"][-1]["erased"] == {"analytics_events": 2, "analytics_sessions": 1}


@pytest.mark.parametrize(
    "headers",
    [
        {"User-Agent": GOOGLEBOT},
        {"User-Agent": CHROME_UA.replace("Chrome/", "HeadlessChrome/")},
        {"Sec-Purpose": "prefetch"},
    ],
    ids=["crawler", "headless", "prefetch"],
)
def test_bots_and_prefetches_are_counted_apart_not_stored(
    client: Any, site: Any, headers: dict[str, str]
) -> None:
    token = give_consent(client)["token"]
    assert hit(client, token, headers=headers).status_code == 202
    assert count(AnalyticsEvent) == 0
    assert db.session.scalar(select(BotTally.hits)) == 1


def test_hits_within_30_minutes_share_a_visit_and_a_gap_starts_a_new_one(
    client: Any, site: Any, clock: Any
) -> None:
    token = give_consent(client)["token"]
    hit(client, token, url="https://www.example.nl/a")
    clock.advance(minutes=29)
    hit(client, token, url="https://www.example.nl/b")
    hit(client, token, type="engagement", engaged_ms=12_000)
    clock.advance(minutes=31)
    hit(client, token, url="https://www.example.nl/c")
    visits = list(db.session.scalars(select(AnalyticsSession).order_by(AnalyticsSession.id)))
    assert [(v.entry_page, v.exit_page, v.pageviews, v.engaged_ms) for v in visits] == [
        ("/a", "/b", 2, 12_000),
        ("/c", "/c", 1, 0),
    ]


def test_a_visit_crossing_midnight_keeps_its_key_while_the_old_salt_lasts(
    client: Any, site: Any, clock: Any
) -> None:
    clock.now = datetime(2026, 11, 25, 23, 50, tzinfo=UTC)
    token = give_consent(client)["token"]
    hit(client, token, url="https://www.example.nl/a")
    clock.advance(minutes=20)  # 00:10 the next day, new salt
    hit(client, token, url="https://www.example.nl/b")
    assert count(AnalyticsSession) == 1
    assert count(AnalyticsSalt) == 2
    clock.advance(hours=2)
    hit(client, token, url="https://www.example.nl/c")
    keys = set(db.session.scalars(select(AnalyticsEvent.visitor_key)))
    assert len(keys) == 2  # a new day, a new key: days cannot be linked


def test_event_needs_a_name_and_only_events_carry_props(client: Any, site: Any) -> None:
    token = give_consent(client)["token"]
    assert hit(client, token, type="event").status_code == 422
    assert hit(client, token, type="pageview", props={"a": "b"}).status_code == 422
    assert hit(client, token, type="engagement").status_code == 422
    assert count(AnalyticsEvent) == 0


def test_empty_token_is_refused(client: Any, site: Any) -> None:
    assert hit(client, "").status_code == 422
    assert count(AnalyticsEvent) == 0


def test_event_without_a_visit_is_not_stored(client: Any, site: Any) -> None:
    token = give_consent(client)["token"]
    assert hit(client, token, type="event", name="x").status_code == 202
    assert count(AnalyticsEvent) == 0


@pytest.mark.parametrize(
    "fields",
    [
        {"url": "javascript:alert(1)"},
        # 2,000 characters, 6,000 bytes that do not compress: too long for an index entry on PostgreSQL
        # (2,704 bytes at most), so the URL is refused by its length in bytes.
        {"url": "https://www.example.nl/" + "".join(chr(0x4E00 + n * 7919 % 20000) for n in range(2000))},
        {"props": {f"k{i}": "v" for i in range(31)}},
        {"props": {"k": "v" * 201}},
        {"props": {"k": {"nested": 1}}},
        {"engaged_ms": -1, "type": "engagement"},
        {"screen": "huge"},
        {"type": "click"},
    ],
)
def test_malformed_hits_are_refused_or_dropped_and_store_nothing(
    client: Any, site: Any, fields: dict[str, Any]
) -> None:
    token = give_consent(client)["token"]
    response = (
        hit(client, token, **{"type": "event", "name": "n", **fields})
        if "props" in fields
        else hit(client, token, **fields)
    )
    assert response.status_code in {202, 400, 401, 422}
    assert count(AnalyticsEvent) == 0


def test_hash_routes_are_pages_only_where_the_site_uses_hash_routing(client: Any, make_site: Any) -> None:
    make_site()
    token = give_consent(client)["token"]
    hit(client, token, url="https://www.example.nl/#/contact")
    make_site(hash_routing=True)
    token = give_consent(client)["token"]
    hit(client, token, url="https://www.example.nl/#/contact?tab=2")
    assert sorted(db.session.scalars(select(AnalyticsEvent.page))) == ["/", "/#/contact"]
