"""Consent records say what a withdrawal erased (the receipt shows it).

Revision ID: 9d2f6e1a4c77
Revises: 7c4e2a9b5d10
Create Date: 2026-11-25 15:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "9d2f6e1a4c77"
down_revision = "7c4e2a9b5d10"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("consent_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("erased", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("consent_records", schema=None) as batch_op:
        batch_op.drop_column("erased")
