"""Sample indexes: a filtered question over a busy period reads 1 in N visitors by seeking to them.

Revision ID: b4d6f8a0c2e3
Revises: a3c5e7f9b1d2
Create Date: 2026-11-25 21:10:00

stats.reads samples visitors by the first byte of their key (`substr(visitor_key, 1, 2) IN (...)`).
These expression indexes put that byte right after the site, so the database reads only the sampled
visitors of the period instead of the whole period. On PostgreSQL the index on the partitioned
analytics_events is created on every monthly partition, and on each partition attached later.
Expression indexes are left out of the model comparison (analytics.partitions.include_object): SQLite
cannot reflect them.
"""

import sqlalchemy as sa
from alembic import op

revision = "b4d6f8a0c2e3"
down_revision = "a3c5e7f9b1d2"
branch_labels = None
depends_on = None

SAMPLE_KEY = sa.text("substr(visitor_key, 1, 2)")


def upgrade():
    op.create_index(
        "ix_analytics_sessions_site_id_sample_started_at",
        "analytics_sessions",
        ["site_id", SAMPLE_KEY, "started_at"],
    )
    op.create_index(
        "ix_analytics_events_site_id_sample_occurred_at",
        "analytics_events",
        ["site_id", SAMPLE_KEY, "occurred_at"],
    )


def downgrade():
    op.drop_index("ix_analytics_events_site_id_sample_occurred_at", table_name="analytics_events")
    op.drop_index("ix_analytics_sessions_site_id_sample_started_at", table_name="analytics_sessions")
