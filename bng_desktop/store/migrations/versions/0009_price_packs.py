"""Each reference version's price rows packed as columns, for fast snapshot loads.

``ref_price`` stays the record of the prices; the pack is what a snapshot
reads. Versions stored before this revision have no pack and keep loading
from ``ref_price``.

Revision ID: 0009_price_packs
Revises: 0008_credit_prices
Create Date: 2026-12-06 00:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_price_packs"
down_revision: str | Sequence[str] | None = "0008_credit_prices"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ref_price_pack",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("format", sa.Integer(), nullable=False),
        sa.Column("pack", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["reference_version.id"],
            name=op.f("fk_ref_price_pack_version_id_reference_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("version_id", name=op.f("pk_ref_price_pack")),
    )


def downgrade() -> None:
    op.drop_table("ref_price_pack")
