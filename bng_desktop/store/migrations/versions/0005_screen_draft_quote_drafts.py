"""Quote drafts: the quote each desktop user is working on, kept across restarts.

Revision ID: 0005_screen_draft
Revises: 0004_crm
Create Date: 2026-12-05 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_screen_draft"
down_revision: str | Sequence[str] | None = "0004_crm"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "quote_draft",
        sa.Column("user_name", sa.Text(), nullable=False),
        sa.Column("kept_at", sa.Text(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("user_name", name=op.f("pk_quote_draft")),
    )


def downgrade() -> None:
    op.drop_table("quote_draft")
