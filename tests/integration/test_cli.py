"""The operator's CLI: sites, users, retention."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from consent_server.extensions import db
from consent_server.models import AuditLog, ConsentDaily, ConsentRecord, Site, User
from consent_server.timeutil import add_months
from tests.factories import site_document

NOW = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


@pytest.fixture
def cli(app: Flask) -> Any:
    runner = app.test_cli_runner()

    def invoke(*args: str, input: str | None = None) -> Any:
        return runner.invoke(args=list(args), input=input, catch_exceptions=False)

    return invoke


def count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_sites_create_makes_a_lawful_minimal_site(cli: Any) -> None:
    result = cli("sites", "create", "gemeente", "--name", "Gemeente", "--origin", "https://www.gemeente.nl")
    assert result.exit_code == 0, result.output
    site = db.session.scalar(select(Site).where(Site.key == "gemeente"))
    assert site.origins == ["https://www.gemeente.nl"]
    assert site.category_keys() == ["necessary"]
    assert (
        site.texts["nl"]["reject_all"] == "Alles weigeren" and site.texts["en"]["accept_all"] == "Accept all"
    )


def test_sites_create_refuses_a_duplicate_key(cli: Any) -> None:
    cli("sites", "create", "dup", "--name", "A", "--origin", "https://a.nl")
    result = cli("sites", "create", "dup", "--name", "B", "--origin", "https://b.nl")
    assert result.exit_code == 2
    assert "exists already" in result.output


def test_sites_import_then_export_round_trips_the_document(cli: Any, tmp_path: Any) -> None:
    path = tmp_path / "site.json"
    path.write_text(json.dumps(site_document()), encoding="utf-8")
    assert cli("sites", "import", str(path)).exit_code == 0
    exported = json.loads(cli("sites", "export", "example").output)
    path.write_text(json.dumps(exported), encoding="utf-8")
    assert "Replaced site 'example'" in cli("sites", "import", str(path)).output
    assert json.loads(cli("sites", "export", "example").output) == exported
    assert exported["services"][0]["cookies"][0]["name"] == "cs_consent"
    assert set(exported["texts"]) == {"nl", "en"}


def test_sites_import_refuses_a_rule_breaking_document_and_names_the_rule(cli: Any, tmp_path: Any) -> None:
    doc = site_document()
    doc["categories"][2]["default"] = True
    path = tmp_path / "site.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = cli("sites", "import", str(path))
    assert result.exit_code == 2
    assert "EDPB-B" in result.output
    assert count(Site) == 0


@pytest.mark.parametrize("bad", ["Cookie\u0000s", "\ud800"], ids=["nul", "lone surrogate"])
def test_sites_import_refuses_nul_and_lone_surrogates_and_stores_nothing(
    cli: Any, tmp_path: Any, bad: str
) -> None:
    doc = site_document()
    doc["name"] = bad
    path = tmp_path / "site.json"
    path.write_text(json.dumps(doc), encoding="utf-8")  # escaped in the file, as \u0000 and \ud800
    result = cli("sites", "import", str(path))
    assert result.exit_code == 2
    assert "not valid" in result.output
    assert count(Site) == 0


def test_sites_export_of_an_unknown_site_fails_clearly(cli: Any) -> None:
    result = cli("sites", "export", "nope")
    assert result.exit_code == 2
    assert "No site with key 'nope'" in result.output


def test_users_create_reads_the_password_from_stdin_and_hashes_it(cli: Any, make_site: Any) -> None:
    make_site()
    result = cli(
        "users",
        "create",
        "Marketing@Example.nl",
        "--role",
        "marketing",
        "--site",
        "example",
        "--password-stdin",
        input="correct horse battery staple\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert user.email == "marketing@example.nl" and user.role == "marketing"
    assert [site.key for site in user.sites] == ["example"]
    assert "correct horse" not in user.password_hash
    assert check_password_hash(user.password_hash, "correct horse battery staple")
    assert db.session.scalar(select(AuditLog.action)) == "user.create"


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--role", "admin"], "short\n", "at least 12"),
        (["--role", "admin", "--site", "missing"], "long enough password\n", "No such site"),
    ],
)
def test_users_create_refuses_bad_input(cli: Any, args: list[str], stdin: str, message: str) -> None:
    result = cli("users", "create", "a@example.nl", *args, "--password-stdin", input=stdin)
    assert result.exit_code == 2
    assert message in result.output
    assert count(User) == 0


def _consent_record(site: Site, created_at: datetime) -> ConsentRecord:
    return ConsentRecord(
        consent_id="11111111-2222-4333-8444-555555555555",
        site_id=site.id,
        created_at=created_at,
        expires_at=add_months(created_at, 12),
        action="accept_all",
        method="banner",
        categories={"necessary": True},
        policy_version=1,
        banner_hash="0" * 64,
        language="nl",
    )


@pytest.fixture
def boundary_data(make_site: Any) -> dict[str, datetime]:
    """One row exactly at each retention cutoff and one a second older, as of NOW."""
    site = make_site()
    cutoffs = {
        "consent_records": add_months(NOW, -38),
        "audit_log": add_months(NOW, -12),
        "users": NOW - timedelta(days=90),
    }
    for moment in (cutoffs["consent_records"], cutoffs["consent_records"] - SECOND):
        db.session.add(_consent_record(site, moment))
    for moment in (cutoffs["audit_log"], cutoffs["audit_log"] - SECOND):
        db.session.add(AuditLog(actor="t", action="t", created_at=moment, details={}))
    for index, moment in enumerate((cutoffs["users"], cutoffs["users"] - SECOND)):
        db.session.add(
            User(
                email=f"u{index}@example.nl",
                password_hash="x",
                role="marketing",
                active=False,
                deactivated_at=moment,
            )
        )
    db.session.add(User(email="active@example.nl", password_hash="x", role="admin"))
    # Daily consent counts: the cutoff's day stays, the day before it goes.
    for moment in (cutoffs["consent_records"], cutoffs["consent_records"] - timedelta(days=1)):
        db.session.add(
            ConsentDaily(
                site_id=site.id,
                day=moment.date(),
                action="accept_all",
                device="",
                language="nl",
                policy_version=1,
                state='{"necessary": true}',
                choices=1,
            )
        )
    db.session.commit()
    return cutoffs


def test_retention_purge_deletes_what_is_one_second_past_each_cutoff_and_keeps_the_rest(
    cli: Any, boundary_data: dict[str, datetime]
) -> None:
    result = cli("retention", "purge", "--now", "2026-11-25T12:00:00Z")
    assert result.exit_code == 0, result.output
    assert "consent_records: deleted 1" in result.output
    assert "consent_daily: deleted 1" in result.output
    assert list(db.session.scalars(select(ConsentDaily.day))) == [boundary_data["consent_records"].date()]
    assert "audit_log: deleted 1" in result.output
    assert "users: deleted 1" in result.output
    assert list(db.session.scalars(select(ConsentRecord.created_at))) == [boundary_data["consent_records"]]
    kept_audit = sorted(db.session.scalars(select(AuditLog.created_at)))
    assert kept_audit[0] == boundary_data["audit_log"]  # plus the purge's own audit entry
    assert sorted(db.session.scalars(select(User.email))) == ["active@example.nl", "u0@example.nl"]


def test_retention_purge_one_second_earlier_deletes_nothing(
    cli: Any, boundary_data: dict[str, datetime]
) -> None:
    result = cli("retention", "purge", "--now", "2026-11-25T11:59:59Z")
    assert "consent_records: deleted 0" in result.output
    assert "audit_log: deleted 0" in result.output
    assert "users: deleted 0" in result.output
    assert count(ConsentRecord) == 2


def test_retention_purge_dry_run_counts_and_deletes_nothing(
    cli: Any, boundary_data: dict[str, datetime]
) -> None:
    result = cli("retention", "purge", "--dry-run", "--now", "2026-11-25T12:00:00Z")
    assert "consent_records: would delete 1" in result.output
    assert (count(ConsentRecord), count(AuditLog), count(User)) == (2, 2, 3)


@pytest.mark.parametrize("app_config", [{"CONSENT_LOG_RETENTION_MONTHS": 12}])
def test_retention_periods_are_configurable(cli: Any, boundary_data: dict[str, datetime]) -> None:
    result = cli("retention", "purge", "--now", "2026-11-25T12:00:00Z")
    assert "consent_records: deleted 2" in result.output


def test_retention_purge_refuses_a_malformed_now(cli: Any) -> None:
    result = cli("retention", "purge", "--now", "yesterday")
    assert result.exit_code == 2
    assert "ISO 8601" in result.output
