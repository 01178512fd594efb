"""The audit log view, data-subject tools (consent id -> receipt, export, erasure) and the data inventory."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consent_server.analytics.jobs import run_due_jobs
from consent_server.extensions import db
from consent_server.models import AnalyticsEvent, AnalyticsSession, AuditLog, ConsentRecord, record_audit
from tests.factories import browser_headers, consent_body
from tests.integration.admin_helpers import admin, admin_user, app_config, audit

__all__ = ["admin", "admin_user", "app_config"]
UNKNOWN = "11111111-2222-4333-8444-555555555555"


def add_entry(actor: str, action: str, target: str | None, when: datetime, **details: Any) -> None:
    entry = record_audit(actor, action, target, **details)
    entry.created_at = when
    db.session.commit()


# ---- the audit log -------------------------------------------------------------------------------------


@pytest.fixture
def entries(app: Flask) -> None:
    now = datetime.now(UTC)
    add_entry(
        "alice@example.org",
        "site.update",
        "example",
        now - timedelta(days=3),
        changes={"name": {"before": "A", "after": "B"}},
    )
    add_entry(
        "bob@example.org", "user.create", "carol@example.org", now - timedelta(days=1), role="marketing"
    )
    add_entry(
        "anonymous", "login.failure", "mallory@example.org", now, reason="wrong_password", network="192.0.2.0"
    )


def listed(html: str) -> list[str]:
    return [part.split("</code>", 1)[0] for part in html.split("<td><code>")[1:]]


def test_the_audit_log_lists_newest_first_with_before_and_after(admin: FlaskClient, entries: None) -> None:
    html = admin.get("/admin/audit").get_data(as_text=True)
    assert listed(html) == ["login.failure", "user.create", "site.update"]
    assert "<dt>name</dt><dd>A → B</dd>" in html
    assert "3 gebeurtenissen" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"actor": "ALICE"}, ["site.update"]),
        ({"action": "user.create"}, ["user.create"]),
        ({"target": "mallory"}, ["login.failure"]),
        ({"target": "%"}, []),
        (
            {"from": (datetime.now(UTC) - timedelta(days=2)).date().isoformat()},
            ["login.failure", "user.create"],
        ),
        ({"to": (datetime.now(UTC) - timedelta(days=2)).date().isoformat()}, ["site.update"]),
    ],
)
def test_the_audit_log_filters(
    admin: FlaskClient, entries: None, query: dict[str, str], expected: list[str]
) -> None:
    response = admin.get("/admin/audit", query_string=query)
    assert response.status_code == 200
    assert listed(response.get_data(as_text=True)) == expected


def test_the_audit_log_pages_by_fifty_and_keeps_the_filter(admin: FlaskClient) -> None:
    now = datetime.now(UTC)
    for number in range(60):
        add_entry("robot@example.org", "site.export", f"site-{number:02}", now - timedelta(minutes=number))
    first = admin.get("/admin/audit", query_string={"action": "site.export"}).get_data(as_text=True)
    assert first.count("<td><code>site.export</code></td>") == 50 and "Pagina 1 van 2" in first
    assert "page=2" in first and "action=site.export" in first
    second = admin.get("/admin/audit", query_string={"action": "site.export", "page": "2"}).get_data(
        as_text=True
    )
    assert second.count("<td><code>site.export</code></td>") == 10 and "site-59" in second


@pytest.mark.parametrize(
    "query",
    [
        {"from": "31-12-2026"},
        {"to": "2026-13-01"},
        {"from": "2026-05-02", "to": "2026-05-01"},
        {"actor": "a\x00b"},
        {"target": "x" * 300},
    ],
)
def test_bad_filters_are_refused_next_to_their_field(admin: FlaskClient, query: dict[str, str]) -> None:
    response = admin.get("/admin/audit", query_string=query)
    assert response.status_code == 422
    assert 'class="field__error"' in response.get_data(as_text=True)


def test_the_audit_log_escapes_what_it_shows(admin: FlaskClient) -> None:
    add_entry("<b>x</b>", "login.failure", "<script>alert(1)</script>", datetime.now(UTC), reason="<i>")
    html = admin.get("/admin/audit").get_data(as_text=True)
    assert "<script>alert" not in html and "<b>x</b>" not in html and "&lt;script&gt;" in html


# ---- data subjects -------------------------------------------------------------------------------------


@pytest.fixture
def visitor(admin: FlaskClient, make_site: Any) -> dict[str, Any]:
    """A visitor who accepted all and viewed two pages."""
    make_site()
    choice = admin.post("/api/v1/consent", json=consent_body(action="accept_all"), headers=browser_headers())
    assert choice.status_code == 201
    body = choice.get_json()
    for path in ("/", "/nieuws"):
        hit = {
            "site": "example",
            "token": body["token"],
            "type": "pageview",
            "url": f"https://www.example.nl{path}",
        }
        assert admin.post("/api/v1/collect", json=hit, headers=browser_headers()).status_code == 202
    return body


def count(model: Any) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_looking_up_a_consent_id_opens_its_receipt_and_audits_the_view(
    admin: FlaskClient, visitor: dict[str, Any]
) -> None:
    consent_id = visitor["consent_id"]
    response = admin.get("/admin/consents", query_string={"consent_id": f"  {consent_id.upper()} "})
    assert response.status_code == 303 and response.location.endswith(f"/admin/consents/{consent_id}")
    html = admin.get(response.location).get_data(as_text=True)
    assert consent_id in html and "accept_all" in html and "Chrome 131" in html
    [entry] = audit("consent.view")
    assert entry.target == consent_id and entry.actor == "admin@example.org"
    assert entry.details == {"site": "example", "records": 1}


def test_looking_up_an_unknown_consent_id_says_so_and_is_audited(admin: FlaskClient) -> None:
    response = admin.get("/admin/consents", query_string={"consent_id": UNKNOWN})
    assert response.status_code == 200
    assert "is niets vastgelegd" in response.get_data(as_text=True)
    [entry] = audit("consent.lookup")
    assert entry.target == UNKNOWN and entry.details == {"found": False}


@pytest.mark.parametrize("bad", ["nope", "<script>", "1" * 36, "a\x00b"])
def test_a_malformed_consent_id_is_refused_and_not_audited(admin: FlaskClient, bad: str) -> None:
    response = admin.get("/admin/consents", query_string={"consent_id": bad})
    assert response.status_code == 422
    assert "geen toestemmings-ID" in response.get_data(as_text=True)
    assert "<script>" not in response.get_data(as_text=True).split("<main", 1)[1]
    assert audit("consent.lookup") == []


def test_an_unknown_consent_id_in_the_address_goes_back_to_the_lookup(admin: FlaskClient) -> None:
    for path in ("", "/receipt.json"):
        response = admin.get(f"/admin/consents/{UNKNOWN}{path}")
        assert response.status_code == 303 and "consent_id=" in response.location


def test_the_receipt_export_is_the_visitors_own_receipt_and_is_audited(
    admin: FlaskClient, visitor: dict[str, Any]
) -> None:
    consent_id = visitor["consent_id"]
    response = admin.get(f"/admin/consents/{consent_id}/receipt.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f'attachment; filename="consent-{consent_id}.json"'
    own = admin.get(
        f"/api/v1/consent/{consent_id}",
        headers={**browser_headers(), "Authorization": f"Bearer {visitor['token']}"},
    )
    assert json.loads(response.data) == own.get_json()
    assert "ip_network" not in response.get_data(as_text=True)
    [entry] = audit("consent.export")
    assert entry.target == consent_id


def test_erasing_a_visitors_analytics_asks_first_then_erases_withdraws_and_audits(
    admin: FlaskClient, visitor: dict[str, Any]
) -> None:
    consent_id = visitor["consent_id"]
    assert count(AnalyticsEvent) == 2 and count(AnalyticsSession) == 1
    page = admin.get(f"/admin/consents/{consent_id}/erase")
    assert page.status_code == 200 and "intrekking" in page.get_data(as_text=True)
    assert count(AnalyticsEvent) == 2
    response = admin.post(f"/admin/consents/{consent_id}/erase")
    assert response.status_code == 303
    assert count(AnalyticsEvent) == 0 and count(AnalyticsSession) == 0
    records = list(db.session.scalars(select(ConsentRecord).order_by(ConsentRecord.id)))
    assert [r.action for r in records] == ["accept_all", "withdraw"]
    assert records[-1].erased == {"analytics_events": 2, "analytics_sessions": 1}
    [entry] = audit("consent.erase")
    assert entry.details == {"site": "example", "erased": {"analytics_events": 2, "analytics_sessions": 1}}
    assert "Gewist: 3 rijen" in admin.get(response.location).get_data(as_text=True)
    # The collector refuses the visitor's next hit: the withdrawal is the latest record.
    hit = {"site": "example", "token": visitor["token"], "type": "pageview", "url": "https://www.example.nl/"}
    assert admin.post("/api/v1/collect", json=hit, headers=browser_headers()).status_code == 403


# ---- the data inventory --------------------------------------------------------------------------------


def test_the_inventory_describes_every_table_of_the_database(admin: FlaskClient, app: Flask) -> None:
    html = admin.get("/admin/data").get_data(as_text=True)
    for table in db.metadata.tables:
        assert f"<code>{table}</code>" in html, table
    assert "(nog niet beschreven)" not in html, (
        "describe the new table in consent_server/admin (TIME_COLUMNS, messages)"
    )
    assert "38 maanden na het vastleggen" in html and "12 maanden, dan verwijderd" in html


def test_the_inventory_shows_the_oldest_row_and_what_the_last_purge_removed(
    admin: FlaskClient, app: Flask, visitor: dict[str, Any]
) -> None:
    runner = app.test_cli_runner()
    later = (datetime.now(UTC) + timedelta(days=800)).isoformat()
    result = runner.invoke(args=["retention", "purge", "--now", later])
    assert result.exit_code == 0, result.output
    html = admin.get("/admin/data").get_data(as_text=True)
    assert "Laatste opschoning" in html and "door cli" in html
    row = html.split("<code>analytics_events</code>", 1)[1].split("</tr>", 1)[0]
    assert '<td class="num">2</td>' in row
    consent_row = html.split("<code>consent_records</code>", 1)[1].split("</tr>", 1)[0]
    assert "<code>created_at</code>" in consent_row  # the oldest consent record, by its time column


def test_the_daily_purge_is_recorded_in_the_audit_log(app: Flask) -> None:
    now = datetime.now(UTC)
    assert "retention" in run_due_jobs(db.session, app.config, now, db.session.commit)
    [entry] = audit("retention.purge")
    assert entry.actor == "scheduler" and set(entry.details["deleted"]) >= {"analytics_events", "audit_log"}


def test_no_audit_entry_holds_a_full_ip_address(admin: FlaskClient, visitor: dict[str, Any]) -> None:
    admin.post(
        "/login",
        data={"email": "nobody@example.org", "password": "wrong"},
        environ_base={"REMOTE_ADDR": "203.0.113.77"},
    )
    admin.post(f"/admin/consents/{visitor['consent_id']}/erase")
    text = json.dumps([[e.actor, e.target, e.details] for e in db.session.scalars(select(AuditLog))])
    assert "203.0.113.77" not in text and visitor["token"] not in text
