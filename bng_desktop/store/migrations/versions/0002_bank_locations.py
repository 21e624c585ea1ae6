"""Bank locations: LPA / NCA resolved after import, stored with the reference version.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 04:56:47.376212
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ref_bank_location",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("bank_id", sa.Text(), nullable=False),
        sa.Column("lpa", sa.Text(), nullable=False),
        sa.Column("nca", sa.Text(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("resolved_at", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["reference_version.id"],
            name=op.f("fk_ref_bank_location_version_id_reference_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ref_bank_location")),
        sa.UniqueConstraint(
            "version_id", "bank_id", name=op.f("uq_ref_bank_location_version_id_bank_id")
        ),
    )
    with op.batch_alter_table("ref_bank_location", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ref_bank_location_version_id"), ["version_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("ref_bank_location", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ref_bank_location_version_id"))
    op.drop_table("ref_bank_location")
