"""Reference versions written in short transactions: ``staged_at`` marks one still being written.

A version whose ``staged_at`` is set is an import in progress (or one that
died): nothing reads it, and it becomes visible only in the short transaction
that clears the mark. Existing versions are complete (NULL).

Revision ID: 0006_durable
Revises: 0005_screen_draft
Create Date: 2026-12-05 18:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_durable"
down_revision: str | Sequence[str] | None = "0005_screen_draft"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reference_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("staged_at", sa.Text(), nullable=True))


VERSION_CHILDREN = (
    "ref_bank",
    "ref_habitat",
    "ref_stock",
    "ref_price",
    "ref_trading_rule",
    "ref_distinctiveness",
    "ref_srm",
    "ref_lpa_neighbour",
    "ref_nca_neighbour",
    "ref_policy",
    "ref_bank_location",
)
STAGED = "SELECT id FROM reference_version WHERE staged_at IS NOT NULL"


def downgrade() -> None:
    """Unfinished versions go (rows first: migrations run without foreign keys)."""
    for table in VERSION_CHILDREN:
        op.execute(f"DELETE FROM {table} WHERE version_id IN ({STAGED})")
    op.execute(STAGED.replace("SELECT id", "DELETE"))
    with op.batch_alter_table("reference_version", schema=None) as batch_op:
        batch_op.drop_column("staged_at")
