"""Indexes for the statistics: a covering index of the daily rollups, and events by page.

Revision ID: 8e1f3a5c7b90
Revises: 8b3d5f7a9c12
Create Date: 2026-11-25 17:30:00

- ix_analytics_daily_site_id_dimension_day: every dashboard question reads one dimension of one site over
  a range of days. The primary key (site_id, day, dimension, value) makes that a scan of every dimension
  of those days; this index starts with the dimension, and carries every counter, so the question is
  answered from the index alone (an index-only scan on PostgreSQL, a covering index on SQLite).
- ix_analytics_events_site_id_page_occurred_at: filters on a page (a click on a row of "Top pages") read
  the raw events of that page only. On PostgreSQL an index on the partitioned parent is created on every
  monthly partition, and on each partition attached later.

(Planned to revise 5a7c9e1b3d24; 8b3d5f7a9c12 revises it too, so this one follows it to keep one head.)
"""

from alembic import op

revision = "8e1f3a5c7b90"
down_revision = "8b3d5f7a9c12"
branch_labels = None
depends_on = None

ROLLUP_COLUMNS = [
    "site_id",
    "dimension",
    "day",
    "value",
    "visitors",
    "visits",
    "pageviews",
    "bounces",
    "duration_s",
    "events",
]


def upgrade():
    op.create_index(
        "ix_analytics_daily_site_id_dimension_day", "analytics_daily", ROLLUP_COLUMNS, unique=False
    )
    op.create_index(
        "ix_analytics_events_site_id_page_occurred_at",
        "analytics_events",
        ["site_id", "page", "occurred_at"],
        unique=False,
    )


def downgrade():
    op.drop_index("ix_analytics_events_site_id_page_occurred_at", table_name="analytics_events")
    op.drop_index("ix_analytics_daily_site_id_dimension_day", table_name="analytics_daily")
