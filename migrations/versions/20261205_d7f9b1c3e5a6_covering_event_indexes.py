"""Covering event indexes: a filtered question reads the events it needs from an index alone.

Revision ID: d7f9b1c3e5a6
Revises: c5e7a9b1d3f4
Create Date: 2026-12-05 14:40:00

Two indexes of analytics_events get the columns the statistics read after them, so a filtered read
never visits the table itself (an index-only scan on PostgreSQL, a covering index on SQLite):

- events of a page (ix_analytics_events_site_id_page_occurred_at): + kind, visitor_key, session_id;
- the sample index (ix_analytics_events_site_id_sample_occurred_at, migration b4d6f8a0c2e3): + kind,
  page, name, session_id, visitor_key.

Why: the events of a page, or of a 1-in-32 sample of visitors, lie on nearly every table page of the
period, so reading them from the table costs almost as much as reading the whole period (measured with
bench/dashboard.py at 10 million events: a year of cards filtered by a page, 1 in 32 visitors, went
from 1.26 s to 0.38 s on PostgreSQL and from 1.26 s to 0.20 s on SQLite). The indexes cost about
1.2 GiB of the 7.8 GiB such a PostgreSQL database holds. The indexes are rebuilt, which takes a while on a large table (on
PostgreSQL, every monthly partition's index is rebuilt; writes to analytics_events wait meanwhile).
"""

import sqlalchemy as sa
from alembic import op

revision = "d7f9b1c3e5a6"
down_revision = "c5e7a9b1d3f4"
branch_labels = None
depends_on = None

SAMPLE_KEY = sa.text("substr(visitor_key, 1, 2)")
PAGE = "ix_analytics_events_site_id_page_occurred_at"
SAMPLE = "ix_analytics_events_site_id_sample_occurred_at"


def upgrade():
    op.drop_index(PAGE, table_name="analytics_events")
    op.create_index(
        PAGE, "analytics_events", ["site_id", "page", "occurred_at", "kind", "visitor_key", "session_id"]
    )
    op.drop_index(SAMPLE, table_name="analytics_events")
    op.create_index(
        SAMPLE,
        "analytics_events",
        ["site_id", SAMPLE_KEY, "occurred_at", "kind", "page", "name", "session_id", "visitor_key"],
    )


def downgrade():
    op.drop_index(SAMPLE, table_name="analytics_events")
    op.create_index(SAMPLE, "analytics_events", ["site_id", SAMPLE_KEY, "occurred_at"])
    op.drop_index(PAGE, table_name="analytics_events")
    op.create_index(PAGE, "analytics_events", ["site_id", "page", "occurred_at"])
