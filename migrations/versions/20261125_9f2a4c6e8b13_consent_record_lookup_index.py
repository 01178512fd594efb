"""The collector's consent read: one visitor's latest record on one site, from an index.

Revision ID: 9f2a4c6e8b13
Revises: 8e1f3a5c7b90
Create Date: 2026-11-25 18:15:00

Every analytics hit reads the latest consent record of (consent_id, site_id). With only the single-column
indexes, SQLite's planner (without statistics) picked ix_consent_records_site_id_created_at and scanned
every record of the site per hit. (consent_id, site_id, id) answers the read and its ORDER BY id DESC
LIMIT 1 from the index on both databases.
"""

from alembic import op

revision = "9f2a4c6e8b13"
down_revision = "8e1f3a5c7b90"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("consent_records", schema=None) as batch_op:
        batch_op.create_index(
            "ix_consent_records_consent_id_site_id_id", ["consent_id", "site_id", "id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("consent_records", schema=None) as batch_op:
        batch_op.drop_index("ix_consent_records_consent_id_site_id_id")
