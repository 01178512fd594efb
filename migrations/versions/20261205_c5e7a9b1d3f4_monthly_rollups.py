"""Monthly rollups: the daily rollups of a complete month, summed, so a year reads months, not days.

Revision ID: c5e7a9b1d3f4
Revises: b4d6f8a0c2e3
Create Date: 2026-12-05 14:00:00

analytics_monthly holds per site, month, dimension and value the sums of the month's daily rows;
analytics_months lists the months built. Nothing is filled in here: the rollup job builds one month
per run, newest first, and until a month is listed its days are read, so answers never change.
"""

import sqlalchemy as sa
from alembic import op

revision = "c5e7a9b1d3f4"
down_revision = "b4d6f8a0c2e3"
branch_labels = None
depends_on = None

COUNTERS = ("visitors", "visits", "pageviews", "bounces", "duration_s", "events")


def upgrade():
    op.create_table(
        "analytics_monthly",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=2048), nullable=False),
        sa.Column("visitors", sa.Integer(), nullable=False),
        sa.Column("visits", sa.Integer(), nullable=False),
        sa.Column("pageviews", sa.Integer(), nullable=False),
        sa.Column("bounces", sa.Integer(), nullable=False),
        sa.Column("duration_s", sa.BigInteger(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_analytics_monthly_site_id_sites"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("site_id", "month", "dimension", "value", name=op.f("pk_analytics_monthly")),
    )
    op.create_index("ix_analytics_monthly_month", "analytics_monthly", ["month"], unique=False)
    op.create_index(
        "ix_analytics_monthly_site_id_dimension_month",
        "analytics_monthly",
        ["site_id", "dimension", "month", "value", *COUNTERS],
        unique=False,
    )
    op.create_table(
        "analytics_months",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("month", name=op.f("pk_analytics_months")),
    )


def downgrade():
    op.drop_table("analytics_months")
    op.drop_index("ix_analytics_monthly_site_id_dimension_month", table_name="analytics_monthly")
    op.drop_index("ix_analytics_monthly_month", table_name="analytics_monthly")
    op.drop_table("analytics_monthly")
