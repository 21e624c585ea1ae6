"""Who imported each reference version: the name this desktop's quotes carry.

Versions stored before this revision, the bundled sample and versions pulled
from the team database have none ('').

Revision ID: 0010_imported_by
Revises: 0009_price_packs
Create Date: 2026-12-06 06:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_imported_by"
down_revision: str | Sequence[str] | None = "0009_price_packs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reference_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("imported_by", sa.Text(), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("reference_version", schema=None) as batch_op:
        batch_op.drop_column("imported_by")
