"""Sites remember when their policy version last changed (the date the cookie declaration shows).

Revision ID: 8b3d5f7a9c12
Revises: 5a7c9e1b3d24
Create Date: 2026-11-25 17:00:00

Existing sites get their last change as the best date known.
"""

import sqlalchemy as sa
from alembic import op

revision = "8b3d5f7a9c12"
down_revision = "5a7c9e1b3d24"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.add_column(sa.Column("policy_updated_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE sites SET policy_updated_at = updated_at")


def downgrade():
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.drop_column("policy_updated_at")
