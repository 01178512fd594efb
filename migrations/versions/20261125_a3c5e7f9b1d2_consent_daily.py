"""Daily consent rollups: the consent statistics of a year read these, not every consent record.

Revision ID: a3c5e7f9b1d2
Revises: 9f2a4c6e8b13
Create Date: 2026-11-25 20:10:00

consent_daily holds, per site and UTC day, how many choices there were of each combination of action,
device, language, policy version and category state. The rollup job rebuilds today's rows every minute
(and yesterday's during the first hour); this migration fills in every day already in consent_records.
"""

import sqlalchemy as sa
from alembic import op

revision = "a3c5e7f9b1d2"
down_revision = "9f2a4c6e8b13"
branch_labels = None
depends_on = None

DAY = {
    "postgresql": "CAST(timezone('UTC', created_at) AS DATE)",
    # SQLite holds UTC timestamps as 'YYYY-MM-DD HH:MM:SS.ffffff' text: the day is the prefix.
    "sqlite": "substr(created_at, 1, 10)",
}


def upgrade():
    op.create_table(
        "consent_daily",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("device", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("policy_version", sa.Integer(), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("choices", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_consent_daily_site_id_sites"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_daily")),
    )
    op.create_index("ix_consent_daily_site_id_day", "consent_daily", ["site_id", "day"], unique=False)
    op.create_index("ix_consent_daily_day", "consent_daily", ["day"], unique=False)
    day = DAY[op.get_bind().dialect.name]  # one of the two constants above, nothing from outside
    grouped = (
        f"site_id, {day}, action, COALESCE(device, ''), language, policy_version, CAST(categories AS TEXT)"
    )
    columns = "site_id, day, action, device, language, policy_version, state, choices"
    select = f"SELECT {grouped}, COUNT(*) FROM consent_records GROUP BY {grouped}"  # noqa: S608
    op.execute(f"INSERT INTO consent_daily ({columns}) {select}")


def downgrade():
    op.drop_index("ix_consent_daily_day", table_name="consent_daily")
    op.drop_index("ix_consent_daily_site_id_day", table_name="consent_daily")
    op.drop_table("consent_daily")
