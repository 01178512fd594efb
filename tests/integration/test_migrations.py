"""Migrations: upgrade -> downgrade -> upgrade on both backends, and the models match the migrations."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from consent_server import create_app
from consent_server.analytics.partitions import include_object, is_partition
from consent_server.extensions import db
from consent_server.models import ConsentDaily, ConsentRecord, Site
from tests.conftest import BACKENDS, app_settings, fresh_postgres_database


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    request.getfixturevalue("postgresql_url")  # skips with the reason when no PostgreSQL answers
    with fresh_postgres_database("consent_migrations") as url:
        yield url


@pytest.fixture
def migration_app(empty_database_url: str) -> Iterator[Any]:
    app = create_app(app_settings(empty_database_url))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def tables() -> set[str]:
    names = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    return {name for name in names if not is_partition(name)}


def test_upgrade_downgrade_upgrade_leaves_the_full_schema(migration_app: Any) -> None:
    upgrade()
    assert tables() == set(db.metadata.tables)
    downgrade(revision="base")
    assert tables() == set()
    upgrade()
    assert tables() == set(db.metadata.tables)


@pytest.mark.filterwarnings(
    # The sample indexes (expression indexes) are left out of the comparison; SQLite says it skips them.
    "ignore:Skipped unsupported reflection of expression-based index ix_analytics_.*_sample_"
)
def test_models_match_the_migrations(migration_app: Any) -> None:
    upgrade()
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_object}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_the_consent_rollup_migration_counts_the_records_already_there(migration_app: Any) -> None:
    upgrade(revision="9f2a4c6e8b13")  # consent_records and sites as the models have them, no consent_daily
    site = Site(key="s", name="s")
    db.session.add(site)
    db.session.flush()
    for minute, device in ((0, "mobile"), (1, "mobile"), (2, None)):
        moment = datetime(2026, 11, 20, 23, 58 + minute, tzinfo=UTC) if minute < 2 else None
        db.session.add(
            ConsentRecord(
                consent_id=f"id-{minute}",
                site_id=site.id,
                created_at=moment or datetime(2026, 11, 21, 0, 0, 1, tzinfo=UTC),
                expires_at=datetime(2027, 11, 20, tzinfo=UTC),
                action="accept_all",
                method="banner",
                categories={"necessary": True, "analytics": True},
                policy_version=1,
                banner_hash="0" * 64,
                language="nl",
                device=device,
            )
        )
    db.session.commit()
    upgrade()
    counted = db.session.execute(select(ConsentDaily.day, ConsentDaily.device, ConsentDaily.choices)).all()
    assert sorted(counted) == [(date(2026, 11, 20), "mobile", 2), (date(2026, 11, 21), "", 1)]


def test_the_sample_indexes_exist_and_answer_the_sampled_reads(migration_app: Any) -> None:
    upgrade()
    with db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            found = {
                row[0]
                for row in connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index'")
            }
            plan = " ".join(
                str(row[-1])
                for row in connection.exec_driver_sql(
                    "EXPLAIN QUERY PLAN SELECT count(*) FROM analytics_events WHERE site_id = 1 "
                    "AND substr(visitor_key, 1, 2) IN ('00', '01') AND occurred_at >= '2026-01-01'"
                )
            )
            assert "ix_analytics_events_site_id_sample_occurred_at" in plan
            # A sampled table of pages reads the index alone (migration d7f9b1c3e5a6).
            plan = " ".join(
                str(row[-1])
                for row in connection.exec_driver_sql(
                    "EXPLAIN QUERY PLAN SELECT page, count(DISTINCT visitor_key), count(*), "
                    "count(DISTINCT session_id) FROM analytics_events INDEXED BY "
                    "ix_analytics_events_site_id_sample_occurred_at WHERE site_id = 1 "
                    "AND substr(visitor_key, 1, 2) IN ('00', '01') AND occurred_at >= '2026-01-01' "
                    "AND kind = 'pageview' GROUP BY page"
                )
            )
            assert "COVERING INDEX ix_analytics_events_site_id_sample_occurred_at" in plan
        else:
            found = {row[0] for row in connection.exec_driver_sql("SELECT indexname FROM pg_indexes")}
            definition = connection.exec_driver_sql(
                "SELECT indexdef FROM pg_indexes "
                "WHERE indexname = 'ix_analytics_events_site_id_sample_occurred_at'"
            ).scalar_one()
            assert definition.endswith("occurred_at, kind, page, name, session_id, visitor_key)")
    assert {
        "ix_analytics_sessions_site_id_sample_started_at",
        "ix_analytics_events_site_id_sample_occurred_at",
    } <= found
