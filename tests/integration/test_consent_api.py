"""The consent proof API: record, receipt, withdrawal, tokens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import func, select

from consent_server.extensions import db
from consent_server.models import ConsentRecord
from consent_server.tokens import TOKEN_SALT, ConsentTokens
from tests.factories import browser_headers, consent_body


@pytest.fixture
def site(make_site: Any) -> Any:
    return make_site()


def post(client: Any, **overrides: Any) -> Any:
    return client.post("/api/v1/consent", json=consent_body(**overrides), headers=browser_headers())


def records() -> list[ConsentRecord]:
    return list(db.session.scalars(select(ConsentRecord).order_by(ConsentRecord.id)))


def test_consent_is_recorded_as_proof_and_answered_201(client: Any, site: Any) -> None:
    response = post(client)
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"consent_id", "token", "categories", "policy_version", "expires_at"}
    assert body["categories"] == {
        "necessary": True,
        "preferences": False,
        "analytics": True,
        "marketing": False,
    }
    [record] = records()
    assert record.consent_id == body["consent_id"]
    assert record.categories == body["categories"]
    assert record.action == "custom" and record.method == "banner" and record.language == "nl"
    assert len(record.banner_hash) == 64


def test_stored_url_keeps_host_path_and_utm_only(client: Any, site: Any) -> None:
    post(client, url="https://user:pw@WWW.Example.nl/nieuws/a?id=7&utm_source=mail&utm_campaign=x#top")
    assert records()[0].url == "www.example.nl/nieuws/a?utm_source=mail&utm_campaign=x"


def test_user_agent_is_summarised_never_stored(client: Any, site: Any) -> None:
    post(client)
    record = records()[0]
    assert (record.browser, record.os, record.device) == ("Chrome 131", "Windows", "desktop")
    assert "Mozilla" not in repr(vars(record))


def test_necessary_is_forced_on_even_when_sent_false(client: Any, site: Any) -> None:
    response = post(client, categories={"necessary": False, "marketing": True})
    assert response.get_json()["categories"]["necessary"] is True
    assert response.get_json()["categories"]["marketing"] is True


@pytest.mark.parametrize(
    ("action", "expected_on"),
    [("accept_all", {"necessary", "preferences", "analytics", "marketing"}), ("reject_all", {"necessary"})],
)
def test_accept_and_reject_all_set_every_category(
    client: Any, site: Any, action: str, expected_on: set[str]
) -> None:
    response = post(client, action=action, categories={"analytics": True})
    assert {key for key, on in response.get_json()["categories"].items() if on} == expected_on


def test_expiry_follows_the_sites_consent_lifetime(client: Any, make_site: Any) -> None:
    make_site(consent_lifetime_months=6)
    expires = datetime.fromisoformat(post(client).get_json()["expires_at"].replace("Z", "+00:00"))
    assert timedelta(days=180) <= expires - datetime.now(UTC) <= timedelta(days=185)


def test_token_carries_site_consent_id_granted_categories_and_policy_version(client: Any, site: Any) -> None:
    body = post(client).get_json()
    claims = ConsentTokens("test-secret-key-for-the-suite").verify(body["token"])
    assert (claims.site, claims.consent_id, claims.policy_version) == ("example", body["consent_id"], 1)
    assert set(claims.granted) == {"necessary", "analytics"}


def test_token_is_signed_under_its_own_salt(client: Any, site: Any) -> None:
    token = post(client).get_json()["token"]
    plain = URLSafeTimedSerializer("test-secret-key-for-the-suite")
    with pytest.raises(Exception, match="Signature"):
        plain.loads(token)
    assert URLSafeTimedSerializer("test-secret-key-for-the-suite", salt=TOKEN_SALT).loads(token)["c"]


@pytest.mark.parametrize("app_config", [{"SECRET_KEY": "new-key", "SECRET_KEY_FALLBACKS": ["old-key"]}])
def test_token_signed_with_a_rotated_out_key_still_verifies(client: Any, site: Any) -> None:
    old = ConsentTokens("old-key").sign("example", "11111111-2222-4333-8444-555555555555", ["necessary"], 1)
    post(
        client, consent_id="11111111-2222-4333-8444-555555555555", token=None
    )  # creates records under the id
    response = client.get(
        "/api/v1/consent/11111111-2222-4333-8444-555555555555", headers={"Authorization": f"Bearer {old}"}
    )
    assert response.status_code == 200
    fresh = post(client).get_json()["token"]
    assert ConsentTokens("new-key").verify(fresh).site == "example"
    with pytest.raises(Exception, match="not valid"):
        ConsentTokens("old-key").verify(fresh)


def test_changing_a_choice_appends_a_record_under_the_same_id(client: Any, site: Any) -> None:
    first = post(client).get_json()
    second = post(client, consent_id=first["consent_id"], token=first["token"], action="reject_all")
    assert second.status_code == 201
    assert second.get_json()["consent_id"] == first["consent_id"]
    assert [r.action for r in records()] == ["custom", "reject_all"]


def test_reusing_a_consent_id_without_its_token_is_refused(client: Any, site: Any) -> None:
    first = post(client).get_json()
    response = post(client, consent_id=first["consent_id"], action="accept_all")
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "consent_id_not_owned"
    assert len(records()) == 1


def test_reusing_a_consent_id_with_another_visitors_token_is_refused(client: Any, site: Any) -> None:
    mine, theirs = post(client).get_json(), post(client).get_json()
    response = post(client, consent_id=theirs["consent_id"], token=mine["token"], action="accept_all")
    assert response.status_code == 403
    assert len(records()) == 2


def test_an_old_policy_version_is_refused_with_409(client: Any, make_site: Any) -> None:
    make_site(policy_version=3)
    response = post(client, policy_version=2)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "policy_outdated"
    assert records() == []


def test_unknown_category_is_refused_with_the_field_named(client: Any, site: Any) -> None:
    response = post(client, categories={"analytics": True, "tracking": True})
    assert response.status_code == 422
    assert "categories.tracking" in response.get_json()["error"]["fields"]
    assert records() == []


def test_unknown_site_is_refused_with_404(client: Any, site: Any) -> None:
    response = post(client, site="nosuchsite")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "site_not_found"


def test_withdraw_action_needs_a_consent_id(client: Any, site: Any) -> None:
    response = post(client, action="withdraw")
    assert response.status_code == 422
    assert records() == []


def test_text_plain_body_is_accepted_for_send_beacon(client: Any, site: Any) -> None:
    import json

    response = client.post(
        "/api/v1/consent",
        data=json.dumps(consent_body()),
        content_type="text/plain;charset=UTF-8",
        headers=browser_headers(),
    )
    assert response.status_code == 201


def test_receipt_lists_every_choice_of_the_visitor(client: Any, site: Any) -> None:
    first = post(client).get_json()
    post(client, consent_id=first["consent_id"], token=first["token"], action="accept_all")
    response = client.get(
        f"/api/v1/consent/{first['consent_id']}",
        headers={**browser_headers(), "Authorization": f"Bearer {first['token']}"},
    )
    assert response.status_code == 200
    receipt = response.get_json()
    assert receipt["site"] == "example"
    assert [r["action"] for r in receipt["records"]] == ["custom", "accept_all"]
    assert "ip_network" not in receipt["records"][0]


@pytest.mark.parametrize("authorization", [None, "Bearer", "Bearer garbage", "Basic abc"])
def test_receipt_without_a_valid_token_is_401(client: Any, site: Any, authorization: str | None) -> None:
    consent_id = post(client).get_json()["consent_id"]
    headers = {"Authorization": authorization} if authorization else {}
    response = client.get(f"/api/v1/consent/{consent_id}", headers=headers)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "invalid_token"


def test_receipt_with_a_token_for_another_consent_id_is_403(client: Any, site: Any) -> None:
    mine, theirs = post(client).get_json(), post(client).get_json()
    response = client.get(
        f"/api/v1/consent/{theirs['consent_id']}", headers={"Authorization": f"Bearer {mine['token']}"}
    )
    assert response.status_code == 403


def test_delete_records_a_withdrawal_and_answers_204(client: Any, site: Any) -> None:
    first = post(client, action="accept_all").get_json()
    response = client.delete(
        f"/api/v1/consent/{first['consent_id']}",
        headers={**browser_headers(), "Authorization": f"Bearer {first['token']}"},
    )
    assert response.status_code == 204
    withdrawal = records()[-1]
    assert (withdrawal.action, withdrawal.method) == ("withdraw", "api")
    assert withdrawal.categories == {
        "necessary": True,
        "preferences": False,
        "analytics": False,
        "marketing": False,
    }


def test_rate_limit_answers_429_with_the_json_error_shape(client: Any, site: Any, app: Any) -> None:
    app.config["RATELIMIT_CONSENT"] = "2/minute"
    statuses = [post(client).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]
    response = post(client)
    assert response.get_json()["error"]["code"] == "too_many_requests"
    assert db.session.scalar(select(func.count()).select_from(ConsentRecord)) == 2
