"""Site tracker settings: hash routing and the file types counted as downloads.

Revision ID: 3b1f0c2d9a41
Revises: e6a8e4860ea9
Create Date: 2026-11-25 14:50:00

Existing sites get the same defaults a new configuration document gets.
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "3b1f0c2d9a41"
down_revision = "e6a8e4860ea9"
branch_labels = None
depends_on = None

DEFAULT_DOWNLOAD_EXTENSIONS = [
    "pdf",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "ppt",
    "pptx",
    "odt",
    "ods",
    "odp",
    "csv",
    "txt",
    "rtf",
    "zip",
    "7z",
    "gz",
    "epub",
    "mp3",
    "mp4",
    "ics",
]


def upgrade():
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("hash_routing", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column(
                "download_extensions",
                sa.JSON(),
                nullable=False,
                server_default=sa.text("'" + json.dumps(DEFAULT_DOWNLOAD_EXTENSIONS) + "'"),
            )
        )


def downgrade():
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.drop_column("download_extensions")
        batch_op.drop_column("hash_routing")
